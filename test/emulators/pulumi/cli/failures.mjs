/**
 * Errors as the real CLI prints them, its two generations of exit codes, and the faults
 * a test injects through faults.json.
 */
import { loadFaults, saveFaults } from "./store.mjs";

export const DEFAULT_VERSION = "3.230.0";

// CLI 3.226 and later (fixtures README); older CLIs exit 255 for every failure.
const EXIT_CODES = {
  generic: 1,
  // The engine already reported the failure as diagnostics (result.Bail): exit 1, no stderr.
  bail: 1,
  usage: 2,
  config: 2,
  auth: 3,
  // pkg/cmd/pulumi/cmd/exit_codes.go: 4, 5 and 9 are defined but never returned ("TODO: Wire
  // policy, timeout, and resource-specific errors"), so these exit 1 like the real CLI.
  resource: 1,
  policy: 1,
  "stack-missing": 6,
  changes: 7,
  cancelled: 8,
  timeout: 1,
  internal: 255,
};

export function version() {
  return process.env.PULUMI_DOUBLE_VERSION || DEFAULT_VERSION;
}

function newGeneration() {
  const [major = 0, minor = 0] = version().replace(/^v/, "").split(".").map(Number);
  return major > 3 || (major === 3 && minor >= 226);
}

export function exitCodeFor(kind) {
  return newGeneration() ? (EXIT_CODES[kind] ?? 1) : 255;
}

/** A failure: `error: <message>` plus any further lines on stderr, exit code by kind. */
export class CliError extends Error {
  constructor(kind, message, lines = [], before = []) {
    super(message);
    this.kind = kind;
    this.lines = lines;
    /** Lines printed before the `error:` line, e.g. the program's own stack trace. */
    this.before = before;
  }
}

export const errors = {
  stackMissing: (fqn) => new CliError("stack-missing", `no stack named '${fqn}' found`),
  stackExists: (name) => new CliError("generic", `stack '${name}' already exists`),
  noProject: () =>
    new CliError(
      "generic",
      "no Pulumi.yaml project file found (searching upwards from the current directory). If you have not created a project yet, use `pulumi new` to do so: no project file found",
    ),
  noStackSelected: () =>
    new CliError(
      "generic",
      "no stack selected; please use `pulumi stack select` or `pulumi stack init` to choose one",
    ),
  needsYes: (what) =>
    new CliError(
      "usage",
      `${what} must be passed in to proceed when running in non-interactive mode`,
    ),
  locked: (lockUrl) =>
    new CliError(
      "generic",
      "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
      [
        `  ${lockUrl}: created by runner@fv-az1234-567 (pid 4242) at ${new Date(Date.now() - 60_000).toISOString()}`,
      ],
    ),
  conflict: () =>
    new CliError("generic", "[409] Conflict: Another update is currently in progress.", [
      "To learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/common-errors/#conflict",
    ]),
  noToken: () =>
    new CliError(
      "auth",
      "PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions",
    ),
  // 3.274.1's ErrUnauthorized (pkg/backend/httpstate/backend.go), as it prints it for a token
  // Pulumi Cloud answers 401 to: checked live by conformance.test.ts against a 401 server.
  badToken: () => new CliError("generic", "Unauthorized: No credentials provided or are invalid."),
  // Any 429 (pkg/backend/httpstate/client/api.go); the same live check.
  rateLimited: () => new CliError("generic", "pulumi service: request rate-limit exceeded"),
  bucketDenied: (url) =>
    new CliError(
      "auth",
      `problem logging in: unable to check if bucket ${url} is accessible: blob (code=Unknown): AccessDenied: Access Denied`,
    ),
  // Decryption failures exit 1 (recorded: stack-output-wrong-passphrase.json).
  noPassphrase: () =>
    new CliError(
      "generic",
      'constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables',
    ),
  badPassphrase: () =>
    new CliError(
      "generic",
      "failed to decrypt: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase",
    ),
  decryptFailed: (key) =>
    new CliError(
      "generic",
      `failed to decrypt encrypted configuration value '${key}': [400] Message authentication failed`,
    ),
  network: (url) =>
    new CliError(
      "generic",
      `failed to get stack: Get "${url}": dial tcp 104.18.22.7:443: read: connection reset by peer`,
    ),
  configMissing: (key, stack) =>
    new CliError("generic", `configuration key '${key}' not found for stack '${stack}'`),
  outputMissing: (name) =>
    new CliError("generic", `current stack does not have output property '${name}'`),
  hasResources: (name) =>
    new CliError("generic", `'${name}' still has resources; removal rejected. Possible actions:`, [
      `- Make sure that '${name}' is the stack that you want to destroy`,
      "- Run `pulumi destroy` to delete the resources, then run `pulumi stack rm`",
      "- Run `pulumi stack rm --force` to override this error",
    ]),
  // Recorded: preview-json-expect-no-changes.json, up-expect-no-changes-applies.json.
  expectedNoChanges: (operation) =>
    new CliError("changes", `no changes were expected for ${operation} but changes were proposed`),
  /** The engine's failure, already shown as diagnostics (recorded: up-resource-failed.json). */
  engineFailed: () => new CliError("bail", ""),
  cancelled: (operation) => new CliError("cancelled", `${operation} cancelled`),
};

const DEFAULT_COMMANDS = {
  "stack-missing": null,
  auth: null,
  "rate-limit": null,
  network: null,
  // Previews take no lock (recorded: preview-while-locked.json).
  locked: ["up", "destroy", "refresh", "stack rm"],
  conflict: ["up", "preview", "destroy", "refresh", "stack rm"],
  "program-error": ["up", "preview"],
  policy: ["up", "preview"],
  decrypt: [
    "up",
    "preview",
    "destroy",
    "refresh",
    "config get",
    "config set",
    "config set-all",
    "stack output",
  ],
  "fail-up-after": ["up"],
  cancelled: ["up", "preview", "destroy", "refresh"],
  hang: ["up", "destroy", "refresh"],
};
export const FAULT_NAMES = Object.keys(DEFAULT_COMMANDS);

/**
 * The first injected fault called `name` that applies to this command (and stack),
 * counted down when `times` is set: "locked 2 times, then free".
 */
export function takeFault(name, command, fqn) {
  const faults = loadFaults();
  const index = faults.findIndex((fault) => {
    if (fault.name !== name) return false;
    if (fault.times !== undefined && fault.times <= 0) return false;
    const commands = fault.commands ?? DEFAULT_COMMANDS[name];
    if (commands && !commands.includes(command)) return false;
    return !fault.stack || !fqn || fault.stack === fqn || fqn.endsWith(`/${fault.stack}`);
  });
  if (index < 0) return undefined;
  const fault = faults[index];
  if (fault.times !== undefined) {
    faults[index] = { ...fault, times: fault.times - 1 };
    saveFaults(faults);
  }
  return fault;
}
