/**
 * Errors an action reports to the person reading the run. Each becomes exactly one
 * `::error::` annotation; anything else thrown is a bug and is reported as such.
 */
export class ActionError extends Error {
  override readonly name: string = "ActionError";
  /** Shown as the annotation's title. */
  readonly title: string;
  /** Extra lines (e.g. the last lines a CLI printed), added below the message. */
  readonly details: readonly string[];

  constructor(
    message: string,
    options: { title?: string; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.title = options.title ?? "Action failed";
    this.details = options.details ?? [];
  }
}

/** One or more inputs are invalid; raised before the action has done anything. */
export class InputError extends ActionError {
  override readonly name = "InputError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join("; "), { title: "Invalid input" });
    this.problems = problems;
  }
}
