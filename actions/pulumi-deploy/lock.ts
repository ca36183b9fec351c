/**
 * The stack lock a stopped `up`, `destroy` or `refresh` left behind. The real CLI (3.274.1,
 * pkg/backend/cancellation_scope.go) cancels on the first SIGINT/SIGTERM and terminates on
 * the second; either way it unlocks before it exits (seen on the real engine:
 * test/real-pulumi/pulumi-deploy-parity.test.ts). Only a CLI killed (SIGKILL) leaves the
 * lock: a DIY backend keeps the lock file `.pulumi/locks/<org>/<project>/<stack>/<id>.json`
 * holding the CLI's pid and host, Pulumi Cloud an update in progress. Either way the next
 * run fails "locked" until `pulumi cancel` clears it, which is done here, and only when the
 * evidence says the lock is this run's: `pulumi cancel` would as readily end another run's
 * update.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { timeLeftMs } from "../shared/cancel.js";
import { stateDir } from "../shared/pulumi/backend.js";
import type { PulumiResult } from "../shared/pulumi/cli.js";

/** Enough for the CLI to start and make one backend call. */
const CANCEL_TIMEOUT_MS = 60_000;
/** Kept free before the cancelled step's deadline, to report and exit. */
const DEADLINE_MARGIN_MS = 500;

function lockFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".json"))
    .map((name) => join(dir, name));
}

/** A lock file in the backend written by this process id on this host. */
function holdsFileLock(backendDir: string, pid: number): boolean {
  return lockFiles(join(backendDir, ".pulumi", "locks")).some((file) => {
    try {
      const lock = JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown; hostname?: unknown };
      return lock.pid === pid && lock.hostname === hostname();
    } catch {
      return false;
    }
  });
}

/** The engine had started, so the update (and its lock) was this run's. */
function updateStarted(eventLog: string | undefined): boolean {
  return eventLog !== undefined && existsSync(eventLog) && statSync(eventLog).size > 0;
}

export interface LeftLock {
  /** The CLI run that was stopped. */
  result: PulumiResult;
  backendUrl: string | undefined;
  eventLog: string | undefined;
}

/** Whether the stopped run left the stack locked, by the evidence its backend keeps. */
export function leftLock({ result, backendUrl, eventLog }: LeftLock): boolean {
  if (!result.stoppedBy || result.pid === undefined) return false;
  const dir = stateDir(backendUrl);
  if (dir !== undefined) return holdsFileLock(dir, result.pid);
  // Elsewhere the lock cannot be read: a CLI that exited on its own after a signal released
  // it; one killed after the engine started held it.
  return result.signal === "SIGKILL" && updateStarted(eventLog);
}

/** How long `pulumi cancel` may take: within what is left of a cancelled step. */
export function cancelTimeoutMs(): number {
  return Math.max(0, Math.min(CANCEL_TIMEOUT_MS, timeLeftMs() - DEADLINE_MARGIN_MS));
}
