/** Where a command runs: the backend it talks to, the project in its work dir, its stack. */
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { CliError, errors, takeFault } from "./failures.mjs";
import { loadCredentials, loadStack, selectedStack } from "./store.mjs";

export const DIY_ORG = "organization";
const CLOUD_URL = "https://api.pulumi.com";

/** The backend from PULUMI_BACKEND_URL, else from `pulumi login`, else Pulumi Cloud. */
export function backendUrl() {
  return process.env.PULUMI_BACKEND_URL || loadCredentials().current || CLOUD_URL;
}

export const isDiy = (url) => /^(file|s3|gs|azblob):\/\//.test(url);

/** Checks the credentials the way every backend command does, then names the user. */
export function connect(command) {
  const url = backendUrl();
  if (takeFault("network", command)) throw errors.network(`${url}/api/user`);
  if (isDiy(url)) {
    if (takeFault("auth", command)) throw errors.bucketDenied(url);
    return {
      url,
      diy: true,
      user: process.env.PULUMI_DOUBLE_USER || userInfo().username,
      defaultOrg: DIY_ORG,
    };
  }
  const token = process.env.PULUMI_ACCESS_TOKEN || loadCredentials().tokens?.[url];
  if (!token) throw errors.noToken();
  const valid = process.env.PULUMI_DOUBLE_VALID_TOKEN;
  if ((valid && token !== valid) || takeFault("auth", command)) throw errors.badToken();
  if (takeFault("rate-limit", command)) throw errors.rateLimited();
  const user = process.env.PULUMI_DOUBLE_USER || "pulumi-user";
  return { url, diy: false, user, defaultOrg: process.env.PULUMI_DOUBLE_ORG || user };
}

/** The nearest Pulumi.yaml from the work dir upwards: its folder and project name. */
export function findProject(cwd) {
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
      const path = join(dir, file);
      if (existsSync(path)) {
        const match = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(path, "utf8"));
        if (!match) throw new CliError("generic", `${path}: project is missing a 'name' attribute`);
        return { dir, name: match[1] };
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function workDir(flags) {
  return flags.cwd ? resolve(flags.cwd) : process.cwd();
}

export const fqnOf = (ref) => `${ref.org}/${ref.project}/${ref.stack}`;

/** `org/project/stack`, `org/stack` or `stack`, completed from the backend and Pulumi.yaml. */
export function parseStackName(name, backend, project) {
  const parts = name.split("/");
  if (parts.length > 3 || parts.some((part) => !/^[A-Za-z0-9_.-]+$/.test(part))) {
    throw new CliError(
      "usage",
      `invalid stack name '${name}': a stack name may only contain alphanumeric, hyphens, underscores, or periods`,
    );
  }
  if (parts.length < 3 && !project) throw errors.noProject();
  const [org, projectName, stack] =
    parts.length === 3
      ? parts
      : parts.length === 2
        ? [parts[0], project.name, parts[1]]
        : [backend.defaultOrg, project.name, parts[0]];
  if (backend.diy && org !== DIY_ORG) {
    throw new CliError(
      "generic",
      `organization name must be '${DIY_ORG}' for the DIY backend, got '${org}'`,
    );
  }
  return { org, project: projectName, stack };
}

/** The stack a command works on: `--stack`, else the one selected in this project. */
export function currentStackRef(flags, backend, command) {
  const project = findProject(workDir(flags));
  let name = flags.stack;
  if (!name) {
    if (!project) throw errors.noProject();
    name = selectedStack(project.name);
    if (!name) throw errors.noStackSelected();
  }
  const ref = parseStackName(name, backend, project);
  if (takeFault("stack-missing", command, fqnOf(ref))) throw errors.stackMissing(fqnOf(ref));
  return { ref, project };
}

export function requireStack(ref) {
  const data = loadStack(ref);
  if (!data) throw errors.stackMissing(fqnOf(ref));
  return data;
}

function passphrase() {
  if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined)
    return process.env.PULUMI_CONFIG_PASSPHRASE;
  const file = process.env.PULUMI_CONFIG_PASSPHRASE_FILE;
  return file && existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/** Opens the stack's secrets manager, as any command that reads or writes secrets does. */
export function unlockSecrets(ref, data, command) {
  const fault = takeFault("decrypt", command, fqnOf(ref));
  if (fault) {
    if (fault.mode === "passphrase") throw errors.badPassphrase();
    const secretKey = Object.keys(data.config ?? {}).find((key) => data.config[key].secret);
    throw errors.decryptFailed(fault.key ?? secretKey ?? `${ref.project}:secret`);
  }
  if (data.secretsProvider !== "passphrase") return;
  const given = passphrase();
  if (given === undefined) throw errors.noPassphrase();
  if (data.passphrase !== undefined && given !== data.passphrase) throw errors.badPassphrase();
}

/** What a new stack looks like on this backend. */
export function newStack(backend, secretsProvider) {
  const provider = secretsProvider ?? (backend.diy ? "passphrase" : "service");
  return {
    config: {},
    resources: [],
    outputs: {},
    deployed: false,
    lastUpdate: null,
    secretsProvider: provider,
    ...(provider === "passphrase" ? { passphrase: passphrase() } : {}),
  };
}
