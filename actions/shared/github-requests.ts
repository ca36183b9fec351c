/**
 * How every GitHub request is sent (an Octokit `request` hook), following GitHub's
 * guidance for integrations:
 * - writes go one at a time, each at least a second after the previous one finished;
 * - a rate limit (primary or secondary, 403 or 429) waits as long as GitHub says
 *   (`retry-after`, or until `x-ratelimit-reset`) and tries again, whatever the method:
 *   GitHub refused the request without acting on it;
 * - a 5xx or a lost answer is tried again only when sending the request twice does no
 *   harm (reads, GraphQL queries, PUT, PATCH, DELETE). A POST that creates something is
 *   never repeated blindly: its caller looks for what it created first;
 * - a request that got no answer within its time limit is tried once more, not up to
 *   `tries` times: a server that hung for 20 s rarely answers the next try, and five tries
 *   would hold the step for minutes before saying what hung;
 * - every other answer (401, 404, 422, ...) cannot pass by trying again and is thrown at once.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { httpStatus, unanswered } from "./github.js";
import { RequestTimeoutError } from "./http.js";
import { retry, retryBaseMs } from "./retry.js";
import { annotate, debug } from "./runner.js";

export interface RequestPolicy {
  /** Tries in all for one request, the first included. */
  tries: number;
  /** Rate-limit waits longer than this fail instead of stalling the job. */
  maxWaitSeconds: number;
  /** Least time between two writes. */
  writeIntervalMs: number;
}

interface RequestOptions {
  method: string;
  url: string;
  query?: unknown;
}

/** What an Octokit RequestError carries: the answer's headers, when there was an answer. */
function headersOf(error: unknown): Record<string, string | undefined> {
  return (
    (error as { response?: { headers?: Record<string, string | undefined> } } | null)?.response
      ?.headers ?? {}
  );
}

/** Seconds GitHub asks us to wait before trying again, when the answer is a rate limit. */
export function rateLimitWait(error: unknown, nowMs = Date.now()): number | undefined {
  const status = httpStatus(error);
  if (status !== 403 && status !== 429) return undefined;
  const headers = headersOf(error);
  const message = error instanceof Error ? error.message : "";
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers["retry-after"] !== undefined)
    return retryAfter;
  if (headers["x-ratelimit-remaining"] === "0") {
    const reset = Number(headers["x-ratelimit-reset"]) * 1000;
    return Math.max(Math.ceil((reset - nowMs) / 1000) + 1, 1);
  }
  // GitHub's advice when a secondary limit names no time: wait at least a minute.
  if (/secondary rate limit/i.test(message) || status === 429) return 60;
  return undefined;
}

/** A 5xx, or no answer at all (Octokit reports a failed fetch as a 500 without a response). */
function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  return status === undefined || status >= 500;
}

/** Octokit reports a request that got no answer in time as a 500 caused by our timeout. */
const timedOut = (error: unknown) =>
  (error as { cause?: unknown } | null)?.cause instanceof RequestTimeoutError;

/** Tries of a request that keeps timing out: the first and one more. */
const TIMEOUT_TRIES = 2;

/** Reads, GraphQL queries and the idempotent methods: sending them twice does no harm. */
export function isRepeatable(options: RequestOptions): boolean {
  const method = options.method.toUpperCase();
  if (method === "POST") {
    return (
      /^\/graphql\b/.test(options.url) &&
      typeof options.query === "string" &&
      !/^\s*mutation\b/.test(options.query)
    );
  }
  return true;
}

const isWrite = (options: RequestOptions) =>
  !["GET", "HEAD"].includes(options.method.toUpperCase()) && !isRepeatableQuery(options);
const isRepeatableQuery = (options: RequestOptions) =>
  options.method.toUpperCase() === "POST" && isRepeatable(options);

/** The hook: `client.hook.wrap("request", pacedRequests(policy))`. */
export function pacedRequests(policy: RequestPolicy) {
  let writes: Promise<void> = Promise.resolve();
  let nextWriteAt = 0;
  /** Sends one write after the previous one has finished and `writeIntervalMs` has passed. */
  const serially = async <R>(send: () => Promise<R>): Promise<R> => {
    const previous = writes;
    let release = () => {};
    writes = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const wait = nextWriteAt - Date.now();
    if (wait > 0) await sleep(wait);
    try {
      return await send();
    } finally {
      nextWriteAt = Date.now() + policy.writeIntervalMs;
      release();
    }
  };

  return async <O extends RequestOptions, R>(
    send: (options: O) => R | Promise<R>,
    options: O,
  ): Promise<R> => {
    const write = isWrite(options);
    const repeatable = isRepeatable(options);
    const what = `${options.method} ${options.url}`;
    let wait = 0;
    let timeouts = 0;
    return retry(async () => (write ? serially(async () => send(options)) : send(options)), {
      tries: policy.tries,
      retryError: (error) => {
        const limited = rateLimitWait(error);
        if (limited !== undefined) {
          if (limited > policy.maxWaitSeconds) {
            annotate(
              "warning",
              `GitHub rate limit on ${what}: GitHub asks to wait ${limited}s, more than ${policy.maxWaitSeconds}s; giving up`,
            );
            return false;
          }
          wait = limited * 1000;
          return true;
        }
        if (timedOut(error) && ++timeouts >= TIMEOUT_TRIES) return false;
        if (repeatable && isTransient(error)) {
          // A 503 may say when to come back; otherwise back off 1 s, 2 s, 4 s, ...
          const after = Number(headersOf(error)["retry-after"]);
          wait = Number.isFinite(after) ? Math.min(after, policy.maxWaitSeconds) * 1000 : 0;
          return true;
        }
        return false;
      },
      // Backoff unit 1 s (shortened in tests); a rate limit waits what GitHub asked.
      waitMs: (failures) => wait || retryBaseMs(1000) * 2 ** (failures - 1),
      onRetry: (reason, failures, waitMs) => {
        const lost = "error" in reason ? unanswered(reason.error) : undefined;
        const status = "error" in reason ? httpStatus(reason.error) : undefined;
        const why = lost ? `no answer, ${lost}` : status ? `HTTP ${status}` : "no answer";
        debug(`GitHub ${what}: ${why}; try ${failures + 1} in ${Math.round(waitMs / 1000)}s`);
      },
    });
  };
}
