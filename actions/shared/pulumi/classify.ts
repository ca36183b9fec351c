/**
 * What went wrong in a Pulumi CLI run. Two sources, never stdout's free text:
 *
 * - the CLI's own error, on stderr (`error: ...`): lock, 409, authentication, the state
 *   backend, decryption, flags. Its exit code (pkg/cmd/pulumi/cmd/exit_codes.go, 3.226+)
 *   says config 2, auth 3, stack missing 6, no-changes-expected 7, cancelled 8; everything
 *   else, engine failures included, exits 1 (older CLIs: 255).
 * - the engine's structured report (EngineFacts from --event-log or `preview --json`): a
 *   resource's error, the program's exception, a mandatory policy violation. A provider's
 *   `dial tcp ... i/o timeout` or an `"errorCode": 401` in a resource input stays a
 *   resource failure: it is neither the backend's network nor our credentials.
 */
import { type EngineFacts, isResourceDiagnostic } from "./engine-facts.js";

export type FailureKind =
  | "stack-missing"
  | "locked"
  | "conflict"
  | "unavailable"
  | "auth"
  | "config"
  | "decryption"
  | "policy"
  | "program"
  | "resource"
  | "expected-no-changes"
  | "cancelled"
  | "timeout"
  | "network"
  | "unknown";

/**
 * Known to pass by waiting: a DIY lock, Pulumi Cloud's 409 for a concurrent update, and the
 * Cloud API answering 5xx or 429. Nothing else is retried (a network error may be a wrong URL).
 */
export const RETRYABLE: ReadonlySet<FailureKind> = new Set(["locked", "conflict", "unavailable"]);

/** Checked in order against the CLI's stderr: the first pattern that matches names the failure. */
const CLI_ERRORS: readonly [FailureKind, RegExp][] = [
  ["stack-missing", /no stack named '[^']*' found/],
  ["locked", /the stack is currently locked by \d+ lock/],
  ["conflict", /\[409\] Conflict|Another update is currently in progress/],
  // 3.274.1 turns a 429 into "pulumi service: request rate-limit exceeded"
  // (pkg/backend/httpstate/client/api.go); 5xx keep apitype.ErrorResponse's "[code] message".
  ["unavailable", /\[(?:5\d\d|429)\]|\b429 Too Many Requests\b|request rate-limit exceeded/],
  [
    "decryption",
    /failed to decrypt|incorrect passphrase|passphrase must be set|Message authentication failed|decrypting secret/i,
  ],
  [
    "auth",
    // Pulumi Cloud's token, and a DIY backend's blob store refusing us (gocloud.dev blob errors:
    // `(code=PermissionDenied)`, S3 `AccessDenied`, GCS/Azure 403).
    // A refused token: `Unauthorized: No credentials provided or are invalid.` (3.274.1's
    // ErrUnauthorized, pkg/backend/httpstate/backend.go).
    /PULUMI_ACCESS_TOKEN must be set|No credentials provided or are invalid|problem logging in|\[401\]|\b401\b.*Unauthorized|invalid access token|code=PermissionDenied|\bAccessDenied\b|\bAuthorizationFailure\b|status code: 403|\b403 Forbidden\b/i,
  ],
  ["expected-no-changes", /no changes were expected\b/],
  [
    "config",
    /Missing required configuration variable|configuration key '[^']*' not found|unknown flag|unknown shorthand flag|flag needs an argument|invalid stack name|organization name must be|doesn't match Pulumi\.yaml|no Pulumi\.yaml project file found|no stack selected|must be passed in to proceed|unable to open state directory|cannot be used together/,
  ],
  [
    "network",
    /dial tcp|connection reset by peer|connection refused|i\/o timeout|no such host|TLS handshake timeout|network is unreachable/i,
  ],
  ["cancelled", /\b(?:update|preview|refresh|destroy) cancel+ed|context canceled/],
];

/** The exit codes the CLI really emits (ExitCodeFor); 1 and 255 say nothing specific. */
const EXIT_CODES: Readonly<Record<number, FailureKind>> = {
  2: "config",
  3: "auth",
  6: "stack-missing",
  7: "expected-no-changes",
  8: "cancelled",
};

export interface CliFailure {
  /** null when a signal ended the CLI. */
  exitCode: number | null;
  signal?: NodeJS.Signals | null;
  stderr: string;
  stdout?: string;
  /** The driver stopped the CLI because it ran past its time limit. */
  timedOut?: boolean;
  /** What the engine reported, when the command wrote an event log or a preview document. */
  facts?: EngineFacts;
  /** The driver stopped the CLI: its time limit, or the step was cancelled. */
  stoppedBy?: "timeout" | "cancel";
  timeoutMs?: number;
}

/** The engine's own verdict: policy, then a resource's failure, then the program's. */
function engineKind(facts: EngineFacts | undefined): FailureKind | undefined {
  if (!facts) return undefined;
  if (facts.mandatoryPolicyViolations.length > 0) return "policy";
  const errors = facts.diagnostics.filter((d) => d.severity === "error");
  if (facts.failedUrns.length > 0 || errors.some(isResourceDiagnostic)) return "resource";
  // The stack's own closing line ("update failed") is not the program failing.
  if (errors.some((d) => !/^(?:update|preview|refresh|destroy) failed$/.test(d.message)))
    return "program";
  return undefined;
}

export function classifyFailure(failure: CliFailure): FailureKind {
  if (failure.timedOut || failure.stoppedBy === "timeout") return "timeout";
  if (failure.stoppedBy === "cancel") return "cancelled";
  for (const [kind, pattern] of CLI_ERRORS) if (pattern.test(failure.stderr)) return kind;
  return (
    (failure.exitCode === null ? undefined : EXIT_CODES[failure.exitCode]) ??
    engineKind(failure.facts) ??
    "unknown"
  );
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const MAX_DETAIL_LINES = 12;

function nonEmptyLines(text: string): string[] {
  return text
    .replace(ANSI, "")
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0);
}

/** Lines of a diagnostic joined into its headline, at most: enough for a cause, not a trace. */
const MAX_HEADLINE_LINES = 4;

/**
 * A diagnostic's first sentence on one line: the engine wraps long messages, and a program's
 * exception follows a line ending in ":" ("... failed with an unhandled exception:"), as
 * does its cause: `TSError: ⨯ Unable to compile TypeScript:` is followed by the
 * `index.ts(3,7): error TS2322: ...` line that says what is wrong.
 */
function headlineOf(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  let headline = lines[0] ?? "";
  for (const [index, line] of lines.slice(1, MAX_HEADLINE_LINES).entries()) {
    const continues = index === 0 ? !/[.!]$/.test(headline) : headline.endsWith(":");
    if (!continues) break;
    headline = `${headline} ${line}`;
  }
  return headline;
}

/**
 * The few lines a reader needs: the CLI's stderr (its `error:` lines), else the engine's
 * error diagnostics (first line of each, `error: ` in front), else stdout's error lines.
 */
export function relevantLines(failure: CliFailure): string[] {
  const stderr = nonEmptyLines(failure.stderr);
  if (stderr.some((line) => line.startsWith("error: "))) return stderr.slice(-MAX_DETAIL_LINES);
  const diagnostics = (failure.facts?.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => `error: ${headlineOf(d.message)}`);
  if (diagnostics.length > 0) {
    // The resource's own error first: the stack's "update failed" says less.
    const ordered = [
      ...diagnostics.filter(
        (line) => !/^error: (?:update|preview|refresh|destroy) failed$/.test(line),
      ),
      ...diagnostics.filter((line) =>
        /^error: (?:update|preview|refresh|destroy) failed$/.test(line),
      ),
    ];
    return [...stderr, ...ordered].slice(0, MAX_DETAIL_LINES);
  }
  if (stderr.length > 0) return stderr.slice(-MAX_DETAIL_LINES);
  const stdout = nonEmptyLines(failure.stdout ?? "");
  const errors = stdout.filter((line) => /error/i.test(line));
  return (errors.length > 0 ? errors : stdout).slice(-MAX_DETAIL_LINES);
}
