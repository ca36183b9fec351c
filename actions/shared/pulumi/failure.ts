/** A failed Pulumi CLI run as the ActionError a user reads: kind in the title, last lines below. */
import { ActionError } from "../errors.js";
import { describeExit, describeStop } from "../exec.js";
import {
  type CliFailure,
  type FailureKind,
  RETRYABLE,
  classifyFailure,
  relevantLines,
} from "./classify.js";

const TITLES: Readonly<Record<FailureKind, string>> = {
  "stack-missing": "stack not found",
  locked: "stack locked",
  conflict: "update conflict (409)",
  unavailable: "backend unavailable",
  auth: "authentication failed",
  config: "configuration error",
  decryption: "secrets decryption failed",
  policy: "policy violation",
  program: "program error",
  resource: "resource operation failed",
  "expected-no-changes": "unexpected changes",
  cancelled: "cancelled",
  timeout: "timed out",
  network: "network error",
  unknown: "failed",
};

export class PulumiError extends ActionError {
  override readonly name = "PulumiError";
  readonly kind: FailureKind;
  /** null when a signal ended the CLI: see `signal`. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;

  constructor(command: string, failure: CliFailure, kind = classifyFailure(failure)) {
    const lines = relevantLines(failure);
    const headline = lines.findIndex((line) => line.startsWith("error: "));
    const summary = headline >= 0 ? `: ${(lines[headline] as string).slice("error: ".length)}` : "";
    const what = `\`pulumi ${command}\``;
    const stopped = describeStop(what, failure, failure.timeoutMs ?? 0);
    super(`${stopped ?? `${what} failed (${describeExit(failure)})`}${summary}`, {
      title: `Pulumi ${TITLES[kind]}`,
      details: lines.filter((_, index) => index !== headline),
    });
    this.kind = kind;
    this.exitCode = failure.exitCode;
    this.signal = failure.signal ?? null;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}
