/**
 * How the GitHub runner stops a step when its run is cancelled (ProcessInvoker): SIGINT to
 * the step's process only, SIGTERM 7.5 s later, and 2.5 s after that it kills the whole
 * process tree. The step's process is started in its own process group; the kill takes the
 * group and every descendant by parent pid (as the runner finds the tree), so a child that
 * left the group dies too. A child that outlives the step is killed when the job ends, as the
 * runner cleans up orphan processes.
 */
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

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

/** The descendants of a process, as the runner finds them to kill a tree: by parent pid. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Whether a process is still running (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export interface Cancellation {
  /** performance.now() when SIGINT was sent; undefined while not cancelled. */
  readonly cancelledAt: number | undefined;
  /** The process outlived SIGINT and SIGTERM and its tree was killed. */
  readonly killed: boolean;
  /** Forgets the signal and the pending escalation (call once the process exited). */
  stop(): void;
}

/** On abort, escalates as the runner does; the caller waits for the process to exit. */
export function cancelLikeTheRunner(
  child: ChildProcess,
  signal: AbortSignal,
  timings: CancelTimings = RUNNER_CANCEL_TIMINGS,
): Cancellation {
  const timers: NodeJS.Timeout[] = [];
  const state = { cancelledAt: undefined as number | undefined, killed: false };
  const kill = () => {
    state.killed = true;
    const tree = child.pid === undefined ? [] : descendants(child.pid);
    killGroup(child.pid);
    for (const pid of tree) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  };
  const onAbort = () => {
    state.cancelledAt = performance.now();
    child.kill("SIGINT");
    timers.push(
      setTimeout(() => {
        child.kill("SIGTERM");
        timers.push(setTimeout(kill, timings.killAfterMs));
      }, timings.sigtermAfterMs),
    );
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return {
    get cancelledAt() {
      return state.cancelledAt;
    },
    get killed() {
      return state.killed;
    },
    stop() {
      signal.removeEventListener("abort", onAbort);
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
