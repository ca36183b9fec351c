/** What the runner tells an action about the run: repository, event, commit, run URL. */
import { readFileSync } from "node:fs";
import { ActionError } from "./errors.js";

export interface PullRequestInfo {
  number: number;
  headSha?: string;
  headRepoFullName?: string;
  baseRepoFullName?: string;
}

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function repository(): { owner: string; repo: string } {
  const full = env("GITHUB_REPOSITORY");
  const [owner, repo] = full?.split("/") ?? [];
  if (!owner || !repo)
    throw new ActionError("GITHUB_REPOSITORY must be OWNER/REPO", { title: "Not on a runner" });
  return { owner, repo };
}

/** Read once per file: several inputs and defaults ask about the same event. */
let cached: { path: string | undefined; payload: Record<string, unknown> } | undefined;

/** The webhook payload of the triggering event, or `{}` outside a runner. */
export function eventPayload(): Record<string, unknown> {
  const path = env("GITHUB_EVENT_PATH");
  if (cached && cached.path === path) return cached.payload;
  let payload: Record<string, unknown> = {};
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new ActionError(`Could not read the event payload GITHUB_EVENT_PATH names (${path})`, {
        title: "Not on a runner",
        cause: error,
      });
    }
  }
  cached = { path, payload };
  return payload;
}

/** The pull request the event is about, when it is about one. */
export function pullRequest(): PullRequestInfo | undefined {
  const event = eventPayload() as {
    pull_request?: {
      number?: number;
      head?: { sha?: string; repo?: { full_name?: string } };
      base?: { repo?: { full_name?: string } };
    };
    issue?: { number?: number; pull_request?: unknown };
    inputs?: { pr_number?: string | number };
  };
  const pr = event.pull_request;
  if (pr?.number) {
    return {
      number: pr.number,
      headSha: pr.head?.sha,
      headRepoFullName: pr.head?.repo?.full_name,
      baseRepoFullName: pr.base?.repo?.full_name,
    };
  }
  if (event.issue?.pull_request && event.issue.number) return { number: event.issue.number };
  // Digits only: Number() alone would read "0x10" as 16 and "1e3" as 1000.
  const dispatched = String(event.inputs?.pr_number ?? "").trim();
  if (/^[1-9]\d*$/.test(dispatched) && Number.isSafeInteger(Number(dispatched)))
    return { number: Number(dispatched) };
  return undefined;
}

/** The commit the run is about: a PR's head, never the merge commit GitHub makes for it. */
export function commitSha(): string | undefined {
  return pullRequest()?.headSha ?? env("GITHUB_SHA");
}

export function serverUrl(): string {
  return env("GITHUB_SERVER_URL") ?? "https://github.com";
}

export function apiUrl(): string {
  return env("GITHUB_API_URL") ?? "https://api.github.com";
}

export function runId(): string | undefined {
  return env("GITHUB_RUN_ID");
}

/** Which try of the run this is: a re-run keeps the run id and counts this up from 1. */
export function runAttempt(): string | undefined {
  return env("GITHUB_RUN_ATTEMPT");
}

/** The run's page, where its full log and job summaries live. */
export function runUrl(): string | undefined {
  const id = runId();
  const repo = env("GITHUB_REPOSITORY");
  if (!id || !repo) return undefined;
  const attempt = runAttempt();
  return `${serverUrl()}/${repo}/actions/runs/${id}${attempt ? `/attempts/${attempt}` : ""}`;
}

/** True when the PR comes from a fork, whose workflow token is read-only and has no secrets. */
export function isForkPullRequest(): boolean {
  const pr = pullRequest();
  return Boolean(
    pr?.headRepoFullName && pr.baseRepoFullName && pr.headRepoFullName !== pr.baseRepoFullName,
  );
}
