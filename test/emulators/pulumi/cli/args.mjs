/** Splits a pulumi command line into command words, flags and positional arguments. */

// Flags that take a value, by every spelling; `-p`, `-t` and `-o` take one in every
// command that has them (parallel / target / organization alike).
const VALUE_FLAGS = new Set([
  "stack",
  "s",
  "cwd",
  "C",
  "color",
  "event-log",
  "message",
  "m",
  "target",
  "t",
  "policy-pack",
  "policy-pack-config",
  "secrets-provider",
  "config",
  "c",
  "config-file",
  "parallel",
  "p",
  "organization",
  "o",
  "project",
  "tag",
  "exclude",
  "replace",
  "plan",
  "save-plan",
  "cloud-url",
  "tracing",
  "profiling",
]);
// `config set-all` takes `--plaintext K=V` and `--secret K=V`.
const SET_ALL_VALUE_FLAGS = new Set(["plaintext", "secret"]);
const BOOLEAN_FLAGS = new Set([
  "verbose",
  "v",
  "show-name",
  "yes",
  "y",
  "json",
  "j",
  "show-secrets",
  "secret",
  "path",
  "non-interactive",
  "skip-preview",
  "expect-no-changes",
  "diff",
  "suppress-progress",
  "suppress-outputs",
  "remove",
  "force",
  "f",
  "create",
  "all",
  "a",
  "local",
  "refresh",
  "r",
  "preserve-config",
  "show-urns",
  "show-replacement-steps",
  "show-sames",
  "show-reads",
  "debug",
  "d",
  "emoji",
  "insecure",
  "exclude-protected",
  "target-dependents",
  "continue-on-error",
  "shell",
  "version",
  "help",
  "h",
  "logtostderr",
  "disable-integrity-checking",
  "run-program",
  "preview-only",
  "skip-pending-creates",
  "clear-pending-creates",
  "import-pending-creates",
]);
const ALIASES = {
  s: "stack",
  C: "cwd",
  m: "message",
  c: "config",
  y: "yes",
  j: "json",
  f: "force",
  a: "all",
  r: "refresh",
  d: "debug",
  h: "help",
  v: "verbose",
};
// Aliases that depend on the command: `stack ls -o ORG -p PROJECT -t TAG`.
const LS_ALIASES = { o: "organization", p: "project", t: "tag" };
const OTHER_ALIASES = { p: "parallel", t: "target" };
const REPEATABLE = new Set([
  "target",
  "policy-pack",
  "config",
  "plaintext",
  "secret",
  "exclude",
  "replace",
  "tag",
]);

export class UsageError extends Error {}

export function parseArgs(argv) {
  const setAll = argv.includes("set-all");
  const isLs = argv.includes("ls") || argv.includes("list");
  const flags = {};
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith("-") || token === "-") {
      positionals.push(token);
      continue;
    }
    const body = token.replace(/^--?/, "");
    const eq = body.indexOf("=");
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let value = eq >= 0 ? body.slice(eq + 1) : undefined;
    const takesValue = VALUE_FLAGS.has(name) || (setAll && SET_ALL_VALUE_FLAGS.has(name));
    // --event-log exists only with PULUMI_DEBUG_COMMANDS=true (pkg/cmd/pulumi/operations/up.go;
    // recorded: up-event-log-without-debug-commands.json).
    if (name === "event-log" && process.env.PULUMI_DEBUG_COMMANDS !== "true")
      throw new UsageError(`unknown flag: --event-log`);
    if (!takesValue && !BOOLEAN_FLAGS.has(name)) {
      throw new UsageError(`unknown flag: ${token.startsWith("--") ? `--${name}` : `-${name}`}`);
    }
    if (takesValue && value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${token}`);
      value = argv[++i];
    }
    name = (isLs ? LS_ALIASES[name] : OTHER_ALIASES[name]) ?? ALIASES[name] ?? name;
    if (!takesValue) value = value === undefined ? true : value !== "false";
    if (REPEATABLE.has(name) && takesValue) (flags[name] ??= []).push(value);
    else flags[name] = value;
  }
  return { flags, positionals };
}
