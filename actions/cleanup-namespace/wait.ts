/** Polling with an interval scaled to the timeout: quick in tests, gentle on a cluster. */
import { setTimeout as sleep } from "node:timers/promises";

/** A twentieth of the timeout, between 100 ms and 2 s. */
export function pollInterval(timeoutMs: number): number {
  return Math.min(2000, Math.max(100, Math.round(timeoutMs / 20)));
}

/** Calls `check` until it returns true or the deadline passes; true when it succeeded. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const interval = pollInterval(timeoutMs);
  for (;;) {
    if (await check()) return true;
    if (Date.now() + interval > deadline) return false;
    await sleep(interval);
  }
}
