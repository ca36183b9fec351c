/**
 * How the GitHub runner stops a step when its run is cancelled (ProcessInvoker): SIGINT to
 * the step's process only, SIGTERM 7.5 s later, and 2.5 s after that it kills the whole
 * process tree. The step's process is started in its own process group so that "the tree"
 * is the group; a child that outlives the step is killed when the job ends, as the runner
 * cleans up orphan processes.
 */
import type { ChildProcess } from "node:child_process";

export interface CancelTimings {
  sigtermAfterMs: number;
  killAfterMs: number;
}

export const RUNNER_CANCEL_TIMINGS: CancelTimings = { sigtermAfterMs: 7_500, killAfterMs: 2_500 };

/** Kills a process group, ignoring one that is already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has no process left.
  }
}

/** On abort, escalates as the runner does; resolves nothing, the caller waits for `close`. */
export function cancelLikeTheRunner(
  child: ChildProcess,
  signal: AbortSignal,
  timings: CancelTimings = RUNNER_CANCEL_TIMINGS,
): () => void {
  const timers: NodeJS.Timeout[] = [];
  const onAbort = () => {
    child.kill("SIGINT");
    timers.push(
      setTimeout(() => {
        child.kill("SIGTERM");
        timers.push(setTimeout(() => killGroup(child.pid), timings.killAfterMs));
      }, timings.sigtermAfterMs),
    );
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return () => {
    signal.removeEventListener("abort", onAbort);
    for (const timer of timers) clearTimeout(timer);
  };
}
