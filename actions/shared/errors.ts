/**
 * Errors an action reports to the person reading the run. Each becomes exactly one
 * `::error::` annotation (one a line when its lines are refusals of their own, e.g. one per
 * image); anything else thrown is a bug and is reported as such.
 */
export class ActionError extends Error {
  override readonly name: string = "ActionError";
  /** Shown as the annotation's title. */
  readonly title: string;
  /** Extra lines (e.g. the last lines a CLI printed), added below the message. */
  readonly details: readonly string[];
  /** Each line of the message is a refusal of its own (one per image): one annotation each. */
  readonly eachLine: boolean;

  constructor(
    message: string,
    options: {
      title?: string;
      details?: readonly string[];
      cause?: unknown;
      eachLine?: boolean;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.title = options.title ?? "Action failed";
    this.details = options.details ?? [];
    this.eachLine = options.eachLine ?? false;
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
