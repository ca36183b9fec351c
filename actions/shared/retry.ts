/**
 * The one retry loop: an operation is tried again while it fails for a reason that passes
 * (an HTTP 503, a dropped connection, a held lock), waiting longer each time; any other
 * failure, and the last try's, goes to the caller as it is. A cancelled step stops waiting:
 * the last try's failure is what the caller gets.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { cancelSignal } from "./cancel.js";

/** Why a try is repeated: what it threw, or the result it returned. */
export type RetryReason<T> = { error: unknown } | { result: T };

export interface RetryPolicy<T> {
  /** Tries in all, the first included. */
  tries: number;
  /** How long to wait after the n-th failed try (n from 1). */
  waitMs: (failures: number) => number;
  /** A thrown error that may pass; every other error is thrown at once. */
  retryError?: (error: unknown) => boolean;
  /** A result that may pass (e.g. HTTP 503); after the last try it is returned as it is. */
  retryResult?: (result: T) => boolean;
  /** Told before each wait, e.g. to say so in the log. */
  onRetry?: (reason: RetryReason<T>, failures: number, waitMs: number) => void;
}

export async function retry<T>(attempt: () => Promise<T>, policy: RetryPolicy<T>): Promise<T> {
  for (let failures = 1; ; failures++) {
    let reason: RetryReason<T>;
    try {
      const result = await attempt();
      if (failures >= policy.tries || !policy.retryResult?.(result)) return result;
      reason = { result };
    } catch (error) {
      if (failures >= policy.tries || !policy.retryError?.(error)) throw error;
      reason = { error };
    }
    const waitMs = policy.waitMs(failures);
    if (!cancelSignal.aborted) {
      policy.onRetry?.(reason, failures, waitMs);
      await sleep(waitMs, undefined, { signal: cancelSignal }).catch(() => undefined);
    }
    if (cancelSignal.aborted) {
      if ("error" in reason) throw reason.error;
      return reason.result;
    }
  }
}

/** A first wait, or the wait unit; PREVIEW_KIT_RETRY_BASE_MS overrides it (tests). */
export function retryBaseMs(fallback: number): number {
  return msFromEnv("PREVIEW_KIT_RETRY_BASE_MS", fallback);
}

/**
 * The gap GitHub asks for between writes; PREVIEW_KIT_WRITE_INTERVAL_MS shortens it where a
 * test writes a hundred times to prove pagination, not the gap (which its own test keeps).
 */
export function writeIntervalMs(fallback: number): number {
  return msFromEnv("PREVIEW_KIT_WRITE_INTERVAL_MS", fallback);
}

function msFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const fromEnv = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(fromEnv) && fromEnv >= 0
    ? fromEnv
    : fallback;
}

/** An HTTP answer that says "try later": rate limited, or the server failed for now. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
