/**
 * Retries a Pulumi command while it fails for a reason that passes (a held lock, a 409
 * from a concurrent update, the network), waiting longer each time; anything else fails at once.
 */
import { retry, retryBaseMs } from "../retry.js";
import { PulumiError } from "./failure.js";

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** First wait; doubles each time. PREVIEW_KIT_RETRY_BASE_MS overrides it (tests). */
  baseMs?: number;
  onRetry?: (error: PulumiError, attempt: number, waitMs: number) => void;
}

export function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const base = retryBaseMs(options.baseMs ?? 5_000);
  return retry(attempt, {
    tries: options.attempts ?? 5,
    waitMs: (failures) => base * 2 ** (failures - 1),
    retryError: (error) => error instanceof PulumiError && error.retryable,
    // Only a thrown PulumiError is ever retried here, so that is what the reason holds.
    onRetry: (reason, failures, waitMs) =>
      options.onRetry?.((reason as { error: PulumiError }).error, failures, waitMs),
  });
}
