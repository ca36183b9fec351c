/** The commands that are not engine operations: login, whoami, stack, config. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostname } from "node:os";
import {
  DIY_ORG,
  backendUrl,
  connect,
  currentStackRef,
  findProject,
  fqnOf,
  isDiy,
  newStack,
  parseStackName,
  requireStack,
  unlockSecrets,
  workDir,
} from "./context.mjs";
import { CliError, errors, version } from "./failures.mjs";
import { assignConfig, conceal, lookupConfig, reveal } from "./program.mjs";
import {
  listOrgs,
  listProjects,
  listStacks,
  loadCredentials,
  loadStack,
  removeStack,
  saveCredentials,
  saveStack,
  selectStack,
  selectedStack,
} from "./store.mjs";

const print = (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n");

export function versionCommand() {
  print(`v${version().replace(/^v/, "")}`);
}

export function login(flags, args) {
  const url =
    args[0] ??
    flags["cloud-url"] ??
    (flags.local ? "file://~" : process.env.PULUMI_BACKEND_URL || "https://api.pulumi.com");
  const credentials = loadCredentials();
  if (!isDiy(url)) {
    const token = process.env.PULUMI_ACCESS_TOKEN || credentials.tokens?.[url];
    if (!token) throw errors.noToken();
    credentials.tokens = { ...credentials.tokens, [url]: token };
  }
  saveCredentials({ ...credentials, current: url });
  const backend = connect("login");
  print(`Logged in to ${isDiy(url) ? hostname() : new URL(url).host} as ${backend.user} (${url})`);
}

export function logout() {
  const { current: _current, ...rest } = loadCredentials();
  saveCredentials(rest);
  print(`Logged out of ${backendUrl()}`);
}

export function whoami(flags) {
  const backend = connect("whoami");
  if (!flags.verbose) return print(backend.user);
  print(`User: ${backend.user}\nOrganizations: ${backend.defaultOrg}\nBackend URL: ${backend.url}`);
}

/** `stack select NAME [--create]` and `stack init NAME`. */
export function selectOrInit(flags, args, mode) {
  const backend = connect(`stack ${mode}`);
  const name = args[0] ?? flags.stack;
  if (!name)
    throw new CliError(
      "usage",
      `a stack name is required for 'stack ${mode}' in non-interactive mode`,
    );
  const project = findProject(workDir(flags));
  const ref = parseStackName(name, backend, project);
  const exists = loadStack(ref) !== undefined;
  if (mode === "init" && exists) throw errors.stackExists(fqnOf(ref));
  // The real CLI names the stack as it was given (recorded: stack-select-missing.json).
  if (mode === "select" && !exists && !flags.create)
    throw errors.stackMissing(args[0] ?? flags.stack ?? fqnOf(ref));
  if (!exists) {
    const data = newStack(backend, flags["secrets-provider"]);
    saveStack(ref, data);
    // A passphrase stack's salt goes into Pulumi.<stack>.yaml at creation.
    if (data.secretsProvider === "passphrase") writeStackConfigFile(flags, ref, data);
    if (mode === "init") print(`Created stack '${ref.stack}'`);
  }
  selectStack(ref.project, fqnOf(ref));
}

export function stackLs(flags) {
  const backend = connect("stack ls");
  const project = findProject(workDir(flags));
  const projectFilter = flags.project ?? (flags.all ? undefined : project?.name);
  const orgs = flags.organization
    ? [flags.organization]
    : backend.diy
      ? [backend.defaultOrg]
      : listOrgs().filter((org) => org !== DIY_ORG);
  const current = project ? selectedStack(project.name) : undefined;
  const rows = [];
  for (const org of orgs) {
    for (const name of listProjects(org)) {
      if (projectFilter && name !== projectFilter) continue;
      rows.push(...listStacks(org, name));
    }
  }
  const shortName = (s) =>
    s.org === backend.defaultOrg && s.project === project?.name ? s.stack : fqnOf(s);
  const summaries = rows.map((s) => {
    const summary = { name: shortName(s), current: fqnOf(s) === current };
    if (s.data.lastUpdate) summary.lastUpdate = s.data.lastUpdate;
    if (!backend.diy) summary.updateInProgress = false;
    if (s.data.deployed) summary.resourceCount = s.data.resources.length + 1;
    if (!backend.diy) summary.url = `https://app.pulumi.com/${fqnOf(s)}`;
    return summary;
  });
  if (flags.json) return print(JSON.stringify(summaries, null, 2));
  print("NAME  LAST UPDATE  RESOURCE COUNT");
  for (const s of summaries)
    print(
      `${s.name}${s.current ? "*" : ""}  ${s.lastUpdate ?? "n/a"}  ${s.resourceCount ?? "n/a"}`,
    );
}

export function stackOutput(flags, args) {
  const backend = connect("stack output");
  const { ref } = currentStackRef(flags, backend, "stack output");
  const data = requireStack(ref);
  if (flags["show-secrets"]) unlockSecrets(ref, data, "stack output");
  const shown = flags["show-secrets"] ? reveal(data.outputs) : conceal(data.outputs);
  const name = args[0];
  if (name !== undefined) {
    if (!Object.hasOwn(shown, name)) throw errors.outputMissing(name);
    const value = shown[name];
    return print(
      flags.json
        ? JSON.stringify(value, null, 2)
        : typeof value === "string"
          ? value
          : JSON.stringify(value),
    );
  }
  if (flags.json) return print(JSON.stringify(shown, null, 2));
  const entries = Object.entries(shown);
  print(`Current stack outputs (${entries.length}):`);
  if (entries.length === 0) return print("    No output values currently in this stack");
  print("    OUTPUT  VALUE");
  for (const [key, value] of entries)
    print(`    ${key}  ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

export function stackRm(flags, args) {
  const backend = connect("stack rm");
  const { ref } = currentStackRef(
    args[0] ? { ...flags, stack: args[0] } : flags,
    backend,
    "stack rm",
  );
  const data = requireStack(ref);
  if (!flags.yes) throw errors.needsYes("--yes");
  if (data.deployed && data.resources.length > 0 && !flags.force)
    throw errors.hasResources(ref.stack);
  removeStack(ref);
  removeStackConfigFile(flags, ref);
  if (selectedStack(ref.project) === fqnOf(ref)) selectStack(ref.project, undefined);
  print(`Stack '${ref.stack}' has been removed!`);
}

/**
 * The file effect of the real CLI: config lives in Pulumi.<stack>.yaml next to Pulumi.yaml
 * (recorded: the real-engine suite reads it back), secrets as `secure:` ciphertext. The double
 * keeps its own copy in the store as well, so deleting the file does not lose config here.
 */
export function writeStackConfigFile(flags, ref, data) {
  const project = findProject(workDir(flags));
  if (!project) return;
  const lines = Object.entries(data.config ?? {}).map(([key, entry]) =>
    entry.secret
      ? `  ${key}:\n    secure: v1:double-ciphertext`
      : `  ${key}: ${JSON.stringify(typeof entry.value === "string" ? entry.value : JSON.stringify(entry.value))}`,
  );
  const salt = data.secretsProvider === "passphrase" ? "encryptionsalt: v1:double-salt\n" : "";
  const config = lines.length > 0 ? `config:\n${lines.join("\n")}\n` : "";
  writeFileSync(join(project.dir, `Pulumi.${ref.stack}.yaml`), salt + config);
}

/** `destroy --remove` and `stack rm` delete the stack's config file too. */
export function removeStackConfigFile(flags, ref) {
  const project = findProject(workDir(flags));
  if (project) rmSync(join(project.dir, `Pulumi.${ref.stack}.yaml`), { force: true });
}

function stackForConfig(flags, command) {
  const backend = connect(command);
  const { ref } = currentStackRef(flags, backend, command);
  return { ref, data: requireStack(ref) };
}

function readStdin() {
  return readFileSync(0, "utf8").replace(/\r?\n$/, "");
}

export function configSet(flags, args) {
  const [key, given] = args;
  if (!key) throw new CliError("usage", "accepts between 1 and 2 arg(s), received 0");
  const { ref, data } = stackForConfig(flags, "config set");
  if (flags.secret) unlockSecrets(ref, data, "config set");
  assignConfig(data.config, key, given ?? readStdin(), {
    secret: flags.secret === true,
    path: flags.path,
    project: ref.project,
  });
  saveStack(ref, data);
  writeStackConfigFile(flags, ref, data);
}

export function configSetAll(flags) {
  const { ref, data } = stackForConfig(flags, "config set-all");
  const pairs = (list, secret) =>
    (list ?? []).map((pair) => {
      const eq = pair.indexOf("=");
      if (eq <= 0)
        throw new CliError("usage", `could not parse ${pair} as a configuration key value pair`);
      return { key: pair.slice(0, eq), value: pair.slice(eq + 1), secret };
    });
  const all = [...pairs(flags.plaintext, false), ...pairs(flags.secret, true)];
  if (all.some((pair) => pair.secret)) unlockSecrets(ref, data, "config set-all");
  for (const { key, value, secret } of all)
    assignConfig(data.config, key, value, { secret, path: flags.path, project: ref.project });
  saveStack(ref, data);
  writeStackConfigFile(flags, ref, data);
}

export function configGet(flags, args) {
  const [key] = args;
  if (!key) throw new CliError("usage", "accepts 1 arg(s), received 0");
  const { ref, data } = stackForConfig(flags, "config get");
  const entry = lookupConfig(data.config, key, ref.project);
  if (!entry)
    throw errors.configMissing(key.includes(":") ? key : `${ref.project}:${key}`, ref.stack);
  if (entry.secret) unlockSecrets(ref, data, "config get");
  const value = entry.value;
  if (flags.json)
    return print(
      JSON.stringify(
        { value: typeof value === "string" ? value : JSON.stringify(value), secret: entry.secret },
        null,
        2,
      ),
    );
  print(typeof value === "string" ? value : JSON.stringify(value));
}

export function configList(flags) {
  const { ref, data } = stackForConfig(flags, "config");
  if (flags["show-secrets"]) unlockSecrets(ref, data, "config");
  const shown = (entry) => (entry.secret && !flags["show-secrets"] ? "[secret]" : entry.value);
  if (flags.json) {
    return print(
      JSON.stringify(
        Object.fromEntries(
          Object.entries(data.config).map(([k, e]) => [k, { value: shown(e), secret: e.secret }]),
        ),
        null,
        2,
      ),
    );
  }
  print("KEY  VALUE");
  for (const [key, entry] of Object.entries(data.config)) {
    const value = shown(entry);
    print(
      `${key.split(":").slice(1).join(":")}  ${typeof value === "string" ? value : JSON.stringify(value)}`,
    );
  }
}

export function configRm(flags, args) {
  const { ref, data } = stackForConfig(flags, "config rm");
  const key = args[0]?.includes(":") ? args[0] : `${ref.project}:${args[0]}`;
  delete data.config[key];
  saveStack(ref, data);
}

export function currentStack(flags) {
  const backend = connect("stack");
  const { ref } = currentStackRef(flags, backend, "stack");
  requireStack(ref);
  print(flags["show-name"] ? ref.stack : `Current stack is ${fqnOf(ref)}`);
}
