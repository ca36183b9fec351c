/**
 * Retries a Pulumi command while it fails for a reason that passes (a held lock, a 409
 * from a concurrent update, the network), waiting longer each time; anything else fails at once.
 */
import { PulumiError } from "./failure.js";

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** First wait; doubles each time. PREVIEW_KIT_RETRY_BASE_MS overrides it (tests). */
  baseMs?: number;
  onRetry?: (error: PulumiError, attempt: number, waitMs: number) => void;
}

export function retryBaseMs(fallback: number): number {
  const fromEnv = Number(process.env.PREVIEW_KIT_RETRY_BASE_MS);
  return process.env.PREVIEW_KIT_RETRY_BASE_MS !== undefined &&
    Number.isFinite(fromEnv) &&
    fromEnv >= 0
    ? fromEnv
    : fallback;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = retryBaseMs(options.baseMs ?? 5_000);
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PulumiError) || !error.retryable || n >= attempts) throw error;
      const waitMs = base * 2 ** (n - 1);
      options.onRetry?.(error, n, waitMs);
      await sleep(waitMs);
    }
  }
}
