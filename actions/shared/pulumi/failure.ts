/** A failed Pulumi CLI run as the ActionError a user reads: kind in the title, last lines below. */
import { ActionError } from "../errors.js";
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
  readonly exitCode: number;

  constructor(command: string, failure: CliFailure, kind = classifyFailure(failure)) {
    const lines = relevantLines(failure);
    const headline = lines.findIndex((line) => line.startsWith("error: "));
    const summary = headline >= 0 ? `: ${(lines[headline] as string).slice("error: ".length)}` : "";
    super(`\`pulumi ${command}\` failed (exit code ${failure.exitCode})${summary}`, {
      title: `Pulumi ${TITLES[kind]}`,
      details: lines.filter((_, index) => index !== headline),
    });
    this.kind = kind;
    this.exitCode = failure.exitCode;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}
