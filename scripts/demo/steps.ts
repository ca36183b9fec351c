/**
 * Runs one step of the story as a process (a bundled action through the test harness, or
 * a composite action's script), times it, prints its line, and stops the story when it fails.
 */
import { runAction, type ActionRun, type RunOptions } from "../../test/harness/run-action.js";
import { stepLine } from "./print.js";

export class StepFailed extends Error {
  constructor(
    readonly label: string,
    readonly details: string[],
  ) {
    super(`step '${label}' failed`);
  }
}

const LOG_TAIL = 15;

export async function step<T extends { exitCode: number }>(
  label: string,
  start: () => Promise<T>,
  describe: (result: T) => string,
  failure: (result: T) => string[],
): Promise<T & { seconds: number }> {
  const began = performance.now();
  const result = await start();
  const seconds = (performance.now() - began) / 1000;
  const ok = result.exitCode === 0;
  stepLine(ok, label, seconds, ok ? describe(result) : `exit ${result.exitCode}`);
  if (!ok) throw new StepFailed(label, failure(result));
  return { ...result, seconds };
}

function actionFailure(run: ActionRun): string[] {
  const annotations = run.annotations.map(
    (a) => `${a.level}${a.properties.title ? ` (${a.properties.title})` : ""}: ${a.message}`,
  );
  const tail = run.log.trimEnd().split("\n").slice(-LOG_TAIL);
  return [...annotations, "last lines of its log:", ...tail];
}

/** A bundled action, run exactly as the tests run it. */
export function action(
  label: string,
  name: string,
  options: RunOptions,
  describe: (run: ActionRun) => string,
): Promise<ActionRun & { seconds: number }> {
  return step(label, () => runAction(name, options), describe, actionFailure);
}
