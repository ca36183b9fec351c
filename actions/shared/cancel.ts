/**
 * A cancelled job: the runner sends SIGINT to the action's node process only (not to its
 * children), SIGTERM about 7.5 s later, and kills the whole process tree about 2.5 s after
 * that. This module turns the first signal into one cancellation every layer can see: an
 * AbortSignal for HTTP requests and waits, listeners for the child processes (exec.ts), and a
 * deadline by which the step exits on its own, before the runner's kill.
 */

/** Told of each SIGINT/SIGTERM: the first starts the cancellation, later ones hurry it. */
type Listener = (signal: NodeJS.Signals, first: boolean) => void;

/** The step exits by then, whatever is still running: under the runner's ~10 s. */
export const CANCEL_DEADLINE_MS = 9_000;

const controller = new AbortController();
const listeners = new Set<Listener>();
const lastResorts = new Set<() => void>();
let received: NodeJS.Signals | undefined;
let receivedAt = 0;
let installed = false;

/** Aborted once the step is cancelled: pass it (with a timeout) to every request and wait. */
export const cancelSignal: AbortSignal = controller.signal;

/** The signal that cancelled the step, if one did. */
export function cancelledBy(): NodeJS.Signals | undefined {
  return received;
}

/** Time left before the deadline of a cancelled step (Infinity when not cancelled). */
export function timeLeftMs(): number {
  return received === undefined ? Infinity : receivedAt + CANCEL_DEADLINE_MS - Date.now();
}

export function onCancel(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Runs at the deadline, before the step exits: e.g. killing children still running. */
export function atDeadline(lastResort: () => void): void {
  lastResorts.add(lastResort);
}

/** The cancellation signal combined with a time limit, for one request or wait. */
export function boundedSignal(timeoutMs: number): AbortSignal {
  return AbortSignal.any([cancelSignal, AbortSignal.timeout(timeoutMs)]);
}

/** Exit status of a process that a signal ended: 128 + its number, as shells report it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  const { constants } = process.getBuiltinModule("node:os");
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Installs the SIGINT/SIGTERM handlers (once). With a handler installed node no longer
 * dies on the signal: the step winds down through `onCancel` listeners; if it has not
 * finished by CANCEL_DEADLINE_MS, the `atDeadline` hooks run, then `onDeadline`.
 */
export function handleCancellation(onDeadline: (signal: NodeJS.Signals) => void): void {
  if (installed) return;
  installed = true;
  const handle = (signal: NodeJS.Signals) => {
    const first = received === undefined;
    if (first) {
      received = signal;
      receivedAt = Date.now();
      controller.abort(new CancelledError(signal));
      // Unref'd: a step that wound down exits at once; one still busy is stopped by it.
      setTimeout(() => {
        for (const lastResort of lastResorts) lastResort();
        onDeadline(signal);
      }, CANCEL_DEADLINE_MS).unref();
    }
    for (const listener of listeners) listener(signal, first);
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}

/** Thrown where work stops because the step was cancelled. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";

  constructor(readonly signal: NodeJS.Signals) {
    super(`the step was cancelled (${signal} received)`);
  }
}
