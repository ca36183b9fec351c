/**
 * Runs an action's `run()` the same way for every action: an ActionError becomes one
 * `::error::` annotation (an InputError one per bad input), anything else is reported
 * as an unexpected error without a stack dump in the log, and the step fails.
 */
import { ActionError, InputError } from "./errors.js";
import { annotate, debug } from "./runner.js";

export function reportFailure(error: unknown): void {
  if (error instanceof InputError) {
    for (const problem of error.problems) annotate("error", problem, { title: error.title });
  } else if (error instanceof ActionError) {
    annotate("error", [error.message, ...error.details].join("\n"), { title: error.title });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    annotate("error", message, { title: "Unexpected error" });
    if (error instanceof Error && error.stack) debug(error.stack);
  }
}

export async function runAction(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    reportFailure(error);
    process.exitCode = 1;
  }
}
