/**
 * What went wrong in a Pulumi CLI run, read from stderr FIRST and the exit code second:
 * CLIs before 3.226 exit 255 for every failure, newer ones use distinct codes, and the
 * text is the same in both.
 */

export type FailureKind =
  | "stack-missing"
  | "locked"
  | "conflict"
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

/** Another run or a flaky network: waiting and trying again can succeed. */
export const RETRYABLE: ReadonlySet<FailureKind> = new Set(["locked", "conflict", "network"]);

/** Checked in order: the first pattern that matches names the failure. */
const TEXT_PATTERNS: readonly [FailureKind, RegExp][] = [
  ["stack-missing", /no stack named '[^']*' found/],
  ["locked", /the stack is currently locked by \d+ lock/],
  ["conflict", /\[409\] Conflict|Another update is currently in progress/],
  [
    "decryption",
    /failed to decrypt|incorrect passphrase|passphrase must be set|Message authentication failed|decrypting secret/i,
  ],
  [
    "auth",
    /PULUMI_ACCESS_TOKEN must be set|problem logging in|\b401\b|Unauthorized: No credentials|invalid access token/i,
  ],
  ["expected-no-changes", /no changes were expected but changes (?:were proposed|occurred)/],
  ["policy", /mandatory policy violation|\[mandatory\]/i],
  [
    "config",
    /Missing required configuration variable|configuration key '[^']*' not found|unknown flag|flag needs an argument|invalid stack name|organization name must be|doesn't match Pulumi\.yaml|no Pulumi\.yaml project file found|no stack selected|must be passed in to proceed/,
  ],
  [
    "program",
    /an unhandled error occurred|failed with an unhandled exception|Program exited with non-zero exit code/,
  ],
  [
    "network",
    /dial tcp|connection reset by peer|connection refused|i\/o timeout|no such host|TLS handshake timeout|network is unreachable|\b50[234] (?:Bad Gateway|Service Unavailable|Gateway Timeout)/i,
  ],
  ["cancelled", /\b(?:update|preview|refresh|destroy) cancel+ed|context canceled/],
  ["timeout", /timed out|deadline exceeded/i],
  ["resource", /\b(?:update|destroy|refresh) failed\b/],
];

/** The exit codes of CLI 3.226 and later; 1 and 255 say nothing specific. */
const EXIT_CODES: Readonly<Record<number, FailureKind>> = {
  2: "config",
  3: "auth",
  4: "resource",
  5: "policy",
  6: "stack-missing",
  7: "expected-no-changes",
  8: "cancelled",
  9: "timeout",
};

export interface CliFailure {
  /** null when a signal ended the CLI. */
  exitCode: number | null;
  signal?: NodeJS.Signals | null;
  stderr: string;
  stdout?: string;
  /** The driver stopped the CLI because it ran past its time limit. */
  timedOut?: boolean;
  /** The driver stopped the CLI: its time limit, or the step was cancelled. */
  stoppedBy?: "timeout" | "cancel";
  timeoutMs?: number;
}

export function classifyFailure(failure: CliFailure): FailureKind {
  if (failure.timedOut || failure.stoppedBy === "timeout") return "timeout";
  if (failure.stoppedBy === "cancel") return "cancelled";
  for (const text of [failure.stderr, failure.stdout ?? ""]) {
    for (const [kind, pattern] of TEXT_PATTERNS) if (pattern.test(text)) return kind;
  }
  return (failure.exitCode === null ? undefined : EXIT_CODES[failure.exitCode]) ?? "unknown";
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const MAX_DETAIL_LINES = 12;

/**
 * The few lines a reader needs: the CLI's stderr (the `error:` lines, a program's stack
 * trace head), else the error lines of stdout; never the whole log.
 */
export function relevantLines(failure: CliFailure): string[] {
  const lines = (text: string) =>
    text
      .replace(ANSI, "")
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line.trim().length > 0);
  const stderr = lines(failure.stderr);
  if (stderr.length > 0) return stderr.slice(-MAX_DETAIL_LINES);
  const stdout = lines(failure.stdout ?? "");
  const errors = stdout.filter((line) => /error/i.test(line));
  return (errors.length > 0 ? errors : stdout).slice(-MAX_DETAIL_LINES);
}
