/**
 * Runs a program without a shell, bounded in time, and stops it when the step is cancelled.
 *
 * Each child gets its own process group, so a stop reaches what it started too (Pulumi's
 * language host and providers, a credential plugin's helpers): the runner signals the
 * action's process only. A stop is the runner's own sequence, shortened to fit inside it:
 * SIGINT (Pulumi cancels the update cleanly and releases its lock), SIGTERM after a grace
 * (Pulumi terminates at once on a second signal), SIGKILL last: to the group and to every
 * descendant, since the CLI starts its plugins in process groups of their own (process-tree.ts).
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { CancelledError, atDeadline, cancelledBy, onCancel } from "./cancel.js";
import { ActionError } from "./errors.js";
import { killTree } from "./process-tree.js";

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Called for each complete stdout / stderr line, e.g. to echo progress to the log. */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Required: past it the child is stopped (SIGINT, SIGTERM, SIGKILL) and `stoppedBy` says so. */
  timeoutMs: number;
  /**
   * Clean-up that must run although the step was cancelled (clearing a lock the stopped
   * command left): it may start after the cancellation, and only its time limit stops it.
   */
  afterCancel?: boolean;
}

export interface ExecResult {
  /** null when a signal ended the program: see `signal`. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number | undefined;
  /** Why this action stopped it, if it did. */
  stoppedBy?: "timeout" | "cancel";
}

/** How long a stopped child may wind down after SIGINT, then after SIGTERM. */
const GRACE_MS = { timeout: [10_000, 5_000], cancel: [4_000, 1_500] } as const;
/** After its leader exits, the group's stragglers are killed and the pipes given this long. */
const CLOSE_WAIT_MS = 1_000;

/** How a program ended: its exit code, or the signal that killed it. */
export interface Ending {
  exitCode: number | null;
  signal?: NodeJS.Signals | null;
  stoppedBy?: "timeout" | "cancel";
}

/** "exit code 3" or "killed by SIGKILL": how a program ended, in words. */
export function describeExit(result: Ending): string {
  return result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
}

function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** Why a stopped child ended, for its error message; undefined when it was not stopped. */
export function describeStop(what: string, result: Ending, timeoutMs: number): string | undefined {
  if (result.stoppedBy === "timeout")
    return `${what} did not finish within ${duration(timeoutMs)} and was stopped (${describeExit(result)})`;
  if (result.stoppedBy === "cancel")
    return `${what} was stopped because the step was cancelled (${describeExit(result)})`;
  return undefined;
}

/** A child this action runs, and how far its stop has gone. */
interface Tracked {
  child: ChildProcess;
  afterCancel: boolean;
  stage: 0 | 1 | 2 | 3;
  reason?: "timeout" | "cancel";
  timer?: NodeJS.Timeout;
}

const live = new Set<Tracked>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** The kill: what the child started in other process groups dies with it, not after the step. */
function killChildTree(child: ChildProcess): void {
  if (child.pid !== undefined) killTree(child.pid);
}

const STAGE_SIGNALS = ["SIGINT", "SIGTERM", "SIGKILL"] as const;

/** Moves a stop one stage on: SIGINT, then SIGTERM, then SIGKILL, each after its grace. */
function advance(tracked: Tracked, reason: "timeout" | "cancel"): void {
  if (tracked.stage === 3) return;
  tracked.reason ??= reason;
  clearTimeout(tracked.timer);
  const stage = (tracked.stage + 1) as 1 | 2 | 3;
  tracked.stage = stage;
  if (stage === 3) killChildTree(tracked.child);
  else signalGroup(tracked.child, STAGE_SIGNALS[stage - 1] as NodeJS.Signals);
  if (stage < 3) {
    // A cancel shortens a stop the time limit began: the runner will not wait long.
    const grace = GRACE_MS[reason === "cancel" ? "cancel" : tracked.reason];
    tracked.timer = setTimeout(() => advance(tracked, reason), grace[stage - 1]);
  }
}

onCancel((_signal, first) => {
  for (const tracked of live) {
    if (tracked.afterCancel) continue;
    // The first signal starts each stop; a later one (the runner's SIGTERM) hurries it.
    if (first && tracked.stage > 0) continue;
    advance(tracked, "cancel");
  }
});

// The cancellation's last resort: nothing this action started outlives it.
atDeadline(() => {
  for (const tracked of live) killChildTree(tracked.child);
});

function refuseAfterCancel(command: string): void {
  const signal = cancelledBy();
  if (signal)
    throw new ActionError(`Not starting '${command}': ${new CancelledError(signal).message}`, {
      title: "Cancelled",
    });
}

/**
 * Starts a tracked child: own process group, time limit, stopped on cancel. The returned
 * promise settles once it has exited and its group is gone. For callers that need the
 * ChildProcess itself (a library's spawn hook); `exec` is the usual way in.
 */
export function startChild(
  command: string,
  args: readonly string[],
  spawnOptions: SpawnOptions,
  limits: { timeoutMs: number; afterCancel?: boolean },
): { child: ChildProcess; ended: Promise<Omit<ExecResult, "stdout" | "stderr">> } {
  if (!limits.afterCancel) refuseAfterCancel(command);
  const child = spawn(command, args, { ...spawnOptions, detached: true });
  const tracked: Tracked = { child, afterCancel: limits.afterCancel ?? false, stage: 0 };
  live.add(tracked);
  const limit = setTimeout(() => advance(tracked, "timeout"), limits.timeoutMs);
  const ended = new Promise<Omit<ExecResult, "stdout" | "stderr">>((resolve, reject) => {
    const finish = () => {
      clearTimeout(limit);
      clearTimeout(tracked.timer);
      live.delete(tracked);
    };
    child.on("error", (error) => {
      finish();
      reject(error);
    });
    child.on("exit", (exitCode, signal) => {
      finish();
      // Whatever the leader left behind in its group does not outlive it.
      signalGroup(child, "SIGKILL");
      const result = {
        exitCode: signal ? null : exitCode,
        signal,
        pid: child.pid,
        stoppedBy: tracked.reason,
      };
      // 'close' waits for the pipes, which a killed grandchild has just released.
      const closed = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve(result);
      }, CLOSE_WAIT_MS);
      child.on("close", () => {
        clearTimeout(closed);
        resolve(result);
      });
    });
  });
  return { child, ended };
}

function lineSplitter(onLine: ((line: string) => void) | undefined) {
  let pending = "";
  return {
    push(chunk: string) {
      if (!onLine) return;
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    },
    flush() {
      if (onLine && pending) onLine(pending);
      pending = "";
    },
  };
}

export async function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions,
): Promise<ExecResult> {
  const { child, ended } = startChild(
    command,
    args,
    { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] },
    options,
  );
  let stdout = "";
  let stderr = "";
  const out = lineSplitter(options.onStdoutLine);
  const err = lineSplitter(options.onStderrLine);
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    out.push(chunk);
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    err.push(chunk);
  });
  child.stdin?.on("error", () => {
    // The program may exit without reading its input; its exit code tells the story.
  });
  child.stdin?.end(options.stdin ?? "");
  try {
    const result = await ended;
    out.flush();
    err.flush();
    return { ...result, stdout, stderr };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ActionError(`'${command}' was not found on PATH`, {
        title: `${command} missing`,
        cause: error,
      });
    }
    throw error;
  }
}
