/**
 * The GitHub client every action uses: @actions/github's Octokit (REST routes typed, the
 * `rest` endpoint methods, pagination, GraphQL). What is ours around it: each try bounded
 * in time and stopped on cancel (http.ts, as Octokit's `request.fetch`), and how requests
 * are paced and retried (github-requests.ts, a `request` hook). Import it lazily
 * (`await import(...)`) after inputs are validated, so a rejected step never pays for it.
 */
import { getOctokit } from "@actions/github";
import { apiUrl } from "./context.js";
import { ActionError } from "./errors.js";
import { pacedRequests, type RequestPolicy } from "./github-requests.js";
import { RequestTimeoutError, boundedFetch, networkFailure, requestTimeoutMs } from "./http.js";
import { writeIntervalMs } from "./retry.js";

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Per try; GitHub answers in well under a second, a big page in a few. */
const GITHUB_TIMEOUT_MS = 20_000;

export type ClientOptions = Partial<RequestPolicy>;

export function createGitHubClient(token: string, options: ClientOptions = {}): GitHubClient {
  const client = getOctokit(token, {
    baseUrl: apiUrl(),
    userAgent: "pulumi-preview-kit",
    // Each try bounded: a connection that never answers costs 20 s, not undici's 300 s.
    // This replaces @actions/github's own fetch (undici, not bundled: scripts/lib/bundle.mjs).
    request: {
      fetch: (url: string, init: RequestInit) =>
        boundedFetch(url, { ...init, timeoutMs: requestTimeoutMs(GITHUB_TIMEOUT_MS) }),
    },
  });
  client.hook.wrap(
    "request",
    pacedRequests({
      tries: 5,
      maxWaitSeconds: 120,
      writeIntervalMs: writeIntervalMs(1000),
      ...options,
    }),
  );
  return client;
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

/**
 * Why GitHub never answered, when the network failed the request: Octokit reports that as
 * an HTTP 500 without a response ("HTTP 500: socket hang up"), a status GitHub never sent.
 */
export function unanswered(error: unknown): string | undefined {
  if ((error as { response?: unknown } | null)?.response !== undefined) return undefined;
  return networkFailure(error);
}

/** Turns an Octokit error into one line a person can act on. */
export function gitHubError(action: string, error: unknown): ActionError {
  const lost = unanswered(error);
  if (lost !== undefined) {
    return new ActionError(`Could not ${action}: GitHub did not answer: ${lost}`, {
      title: "GitHub unreachable",
      cause: error,
    });
  }
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
