/** Dispatches one invocation and logs it to calls.ndjson, whatever the outcome. */
import { UsageError, parseArgs } from "./args.mjs";
import * as commands from "./commands.mjs";
import {
  connect,
  currentStackRef,
  findProject,
  requireStack,
  unlockSecrets,
  workDir,
} from "./context.mjs";
import { CliError, errors, exitCodeFor, takeFault } from "./failures.mjs";
import * as engine from "./engine.mjs";
import { cancel, hang, hold, takeLock } from "./locks.mjs";
import { loadProgram } from "./program.mjs";
import { logCall, removeStack, selectStack, selectedStack } from "./store.mjs";

async function engineOperation(name, flags) {
  // Recorded: refresh-preview-only-yes.json.
  if (flags.yes && flags["preview-only"])
    throw new CliError("generic", "--yes and --preview-only cannot be used together");
  if (name !== "preview" && !flags.yes && !flags["skip-preview"] && !flags["preview-only"])
    throw errors.needsYes("--yes or --skip-preview");
  const backend = connect(name);
  const { ref, project } = currentStackRef(flags, backend, name);
  if (!project) throw errors.noProject();
  if (project.name !== ref.project) {
    throw new CliError(
      "generic",
      `provided project name "${ref.project}" doesn't match Pulumi.yaml`,
    );
  }
  const data = requireStack(ref);
  unlockSecrets(ref, data, name);
  const ctx = { backend, ref, project, data };
  const release = takeLock(ref, backend, name);
  const stuck = takeFault("hang", name, `${ref.org}/${ref.project}/${ref.stack}`);
  if (stuck) return hang(ctx, name, flags, stuck, release);
  try {
    const durationMs = loadProgram(project.dir).durationMs;
    if (durationMs && name !== "preview")
      await hold(ctx, durationMs, name === "up" ? "update" : name);
    engine[name](ctx, flags);
  } finally {
    release();
  }
  // With --target the real CLI destroys the targets and keeps the stack, exiting 0
  // (recorded: destroy-remove-target.json).
  if (name === "destroy" && flags.remove && !flags.target?.length) {
    removeStack(ref);
    commands.removeStackConfigFile(flags, ref);
    if (selectedStack(ref.project) === `${ref.org}/${ref.project}/${ref.stack}`)
      selectStack(ref.project, undefined);
    if (!flags.json)
      process.stdout.write(
        "The resources in the stack have been deleted, and the history and configuration removed.\n",
      );
  }
}

const STACK_COMMANDS = {
  select: (flags, args) => commands.selectOrInit(flags, args, "select"),
  init: (flags, args) => commands.selectOrInit(flags, args, "init"),
  ls: commands.stackLs,
  list: commands.stackLs,
  output: commands.stackOutput,
  rm: commands.stackRm,
  remove: commands.stackRm,
  export: (flags) => {
    const backend = connect("stack export");
    const { ref, project } = currentStackRef(flags, backend, "stack export");
    const data = requireStack(ref);
    engine.stackExport({ backend, ref, project, data }, flags);
  },
};
const CONFIG_COMMANDS = {
  set: commands.configSet,
  "set-all": commands.configSetAll,
  get: commands.configGet,
  rm: commands.configRm,
};

function dispatch(words, flags) {
  const [command, sub, ...rest] = words;
  switch (command) {
    case "version":
      return commands.versionCommand();
    case "login":
      return commands.login(flags, words.slice(1));
    case "logout":
      return commands.logout();
    case "whoami":
      return commands.whoami(flags);
    case "preview":
    case "up":
    case "update":
    case "refresh":
    case "destroy":
      return engineOperation(command === "update" ? "up" : command, flags);
    case "cancel": {
      const backend = connect(command);
      const { ref } = currentStackRef(
        { ...flags, stack: flags.stack ?? words[1] },
        backend,
        command,
      );
      return cancel(backend, ref, flags);
    }
    case "stack":
      if (sub === undefined) return commands.currentStack(flags);
      if (!STACK_COMMANDS[sub]) throw new UsageError(`unknown command "${sub}" for "pulumi stack"`);
      return STACK_COMMANDS[sub](flags, rest);
    case "config":
      if (sub === undefined) return commands.configList(flags);
      if (!CONFIG_COMMANDS[sub])
        throw new UsageError(`unknown command "${sub}" for "pulumi config"`);
      return CONFIG_COMMANDS[sub](flags, rest);
    default:
      if (flags.version) return commands.versionCommand();
      throw new UsageError(`unknown command "${command ?? ""}" for "pulumi"`);
  }
}

export async function main(argv) {
  let exitCode = 0;
  let flags = {};
  try {
    const parsed = parseArgs(argv);
    flags = parsed.flags;
    await dispatch(parsed.positionals, flags);
  } catch (error) {
    if (error instanceof CliError) {
      if (error.kind !== "bail") {
        for (const line of error.before) process.stderr.write(line + "\n");
        process.stderr.write(`error: ${error.message}\n`);
        for (const line of error.lines) process.stderr.write(line + "\n");
      }
      exitCode = exitCodeFor(error.kind);
    } else if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      // Flag errors exit 1 (recorded: up-event-log-without-debug-commands.json).
      exitCode = exitCodeFor("generic");
    } else {
      process.stderr.write(`panic: ${error?.stack ?? error}\n`);
      exitCode = exitCodeFor("internal");
    }
  }
  logCall({
    argv,
    cwd: process.cwd(),
    workDir: flags.cwd ? workDir(flags) : process.cwd(),
    project: findProjectQuietly(flags),
    exitCode,
    env: {
      PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? null,
      PULUMI_ACCESS_TOKEN: process.env.PULUMI_ACCESS_TOKEN !== undefined,
      PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE !== undefined,
    },
  });
  return exitCode;
}

function findProjectQuietly(flags) {
  try {
    return findProject(workDir(flags))?.name ?? null;
  } catch {
    return null;
  }
}
