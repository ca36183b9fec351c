/**
 * Runs an action's `run()` the same way for every action: an ActionError becomes one
 * `::error::` annotation (an InputError one per bad input, an `eachLine` one one per line), anything else is reported
 * as an unexpected error without a stack dump in the log, and the step fails.
 * A cancelled job (SIGINT/SIGTERM) stops the children, lets `run()` wind down, and ends
 * the step with one "Cancelled" annotation and the signal's exit status (130, 143).
 */
import { cancelledBy, handleCancellation, signalExitCode } from "./cancel.js";
import { ActionError, InputError } from "./errors.js";
import { annotate, debug, writeSummary } from "./runner.js";

export function reportFailure(error: unknown): void {
  if (error instanceof InputError) {
    for (const problem of error.problems) annotate("error", problem, { title: error.title });
  } else if (error instanceof ActionError) {
    const lines = error.eachLine ? error.message.split("\n") : [error.message];
    for (const [index, line] of lines.entries())
      annotate("error", [line, ...(index === lines.length - 1 ? error.details : [])].join("\n"), {
        title: error.title,
      });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    annotate("error", message, { title: "Unexpected error" });
    if (error instanceof Error && error.stack) debug(error.stack);
  }
}

/** The one annotation of a cancelled step: the signal, and what the stop did to the work. */
function reportCancelled(signal: NodeJS.Signals, error: unknown): void {
  const what =
    error === undefined
      ? "the work had finished"
      : error instanceof ActionError
        ? [error.message, ...error.details].join("\n")
        : error instanceof Error
          ? error.message
          : String(error);
  annotate("error", `The step was cancelled (${signal} received): ${what}`, {
    title: "Cancelled",
  });
}

export async function runAction(run: () => Promise<void>): Promise<void> {
  handleCancellation((signal) => {
    annotate(
      "error",
      `The step was cancelled (${signal} received) and did not wind down in time: its child processes were killed`,
      { title: "Cancelled" },
    );
    process.exit(signalExitCode(signal));
  });
  let failure: unknown;
  let failed = false;
  try {
    await run();
  } catch (error) {
    failure = error;
    failed = true;
  }
  try {
    // What the step added to the job summary, whether it passed or failed.
    await writeSummary();
  } catch (error) {
    if (!failed) [failure, failed] = [error, true];
  }
  const signal = cancelledBy();
  if (signal) {
    reportCancelled(signal, failed ? failure : undefined);
    process.exitCode = signalExitCode(signal);
  } else if (failed) {
    reportFailure(failure);
    process.exitCode = 1;
  }
}
