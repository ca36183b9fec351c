/**
 * The GitHub client every action uses: REST through Octokit with pagination, retries
 * of transient failures (5xx, network) and throttling that honours `retry-after` and
 * the primary and secondary rate limits. Import it lazily (`await import(...)`) after
 * inputs are validated, so a rejected step never pays for loading it.
 */
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { apiUrl } from "./context.js";
import { ActionError } from "./errors.js";
import { RequestTimeoutError, boundedFetch, requestTimeoutMs } from "./http.js";
import { retryBaseMs } from "./retry.js";
import { annotate, debug } from "./runner.js";

const Client = Octokit.plugin(paginateRest, retry, throttling);
export type GitHubClient = InstanceType<typeof Client>;

/** Per try; GitHub answers in well under a second, a big page in a few. */
const GITHUB_TIMEOUT_MS = 20_000;

export interface ClientOptions {
  /** Rate-limit waits longer than this fail instead of stalling the job. */
  maxWaitSeconds?: number;
  retries?: number;
}

export function createGitHubClient(token: string, options: ClientOptions = {}): GitHubClient {
  const { maxWaitSeconds = 120, retries = 4 } = options;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _o: unknown,
      retryCount: number,
    ) => {
      if (retryCount >= retries || retryAfter > maxWaitSeconds) {
        annotate(
          "warning",
          `GitHub ${kind} rate limit on ${request.method} ${request.url}: giving up after ${retryCount} retries`,
        );
        return false;
      }
      debug(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: retrying in ${retryAfter}s`,
      );
      return true;
    };
  return new Client({
    auth: token,
    baseUrl: apiUrl(),
    userAgent: "pulumi-preview-kit",
    // Each try bounded: a connection that never answers costs 20 s, not undici's 300 s.
    request: {
      retries,
      fetch: (url: string, init: RequestInit) =>
        boundedFetch(url, { ...init, timeoutMs: requestTimeoutMs(GITHUB_TIMEOUT_MS) }),
    },
    // Octokit's retry wait unit, 1 s; shortened in tests.
    retry: { retries, retryAfterBaseValue: retryBaseMs(1_000) },
    throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") },
  });
}

/** The HTTP status of an Octokit error, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A read-only workflow token (fork PRs, `permissions: read`) answers writes with this 403. */
export function isReadOnlyTokenError(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    httpStatus(error) === 403 &&
    typeof message === "string" &&
    message.includes("Resource not accessible by integration")
  );
}

/** Turns an Octokit error into one line a person can act on. */
export function gitHubError(action: string, error: unknown): ActionError {
  // Octokit reports a request that got no answer as "HTTP 500"; it had no status at all.
  const timedOut = (error as { cause?: unknown } | null)?.cause instanceof RequestTimeoutError;
  const status = timedOut ? undefined : httpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    status === 401
      ? " (the token is invalid or expired)"
      : isReadOnlyTokenError(error)
        ? " (the token lacks a permission: check the job's `permissions:`)"
        : status === 404
          ? " (not found, or the token cannot see it)"
          : "";
  return new ActionError(
    `Could not ${action}: ${status ? `HTTP ${status}: ` : ""}${message}${hint}`,
    {
      title: "GitHub API error",
      cause: error,
    },
  );
}
