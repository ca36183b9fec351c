/**
 * The pull request the demo plays: octo-org/octo-repo#7, opened at commit A, updated to B,
 * then closed. Each phase is its own workflow run, as on GitHub, so run ids grow.
 */
import type { RunOptions } from "../../test/harness/run-action.js";

export const OWNER = "octo-org";
export const REPO = "octo-repo";
export const PR = 7;
export const AUTHOR = "octo-developer";
export const ENVIRONMENT = `preview-pr-${PR}`;
export const NAMESPACE = `preview-pr-${PR}`;
export const STACK = `${OWNER}/app/pr-${PR}`;
export const BASE_STACK = `${OWNER}/preview-base/dev`;
export const COMMENT_KEY = "preview";

export const COMMITS = {
  A: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
  B: "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2",
} as const;

/** The merge commit GitHub builds for a pull request; the actions must never report it. */
const MERGE_SHA = "3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e";

export interface WorkflowRun {
  runId: number;
  /** The pull_request event's action: opened, synchronize or closed. */
  trigger: "opened" | "synchronize" | "closed";
  head: string;
}

/** The event, event name and environment every step of one workflow run sees. */
export function runContext(
  run: WorkflowRun,
  apiUrl: string,
): Required<Pick<RunOptions, "event" | "eventName" | "env">> {
  return {
    eventName: "pull_request",
    event: {
      action: run.trigger,
      number: PR,
      pull_request: {
        number: PR,
        state: run.trigger === "closed" ? "closed" : "open",
        user: { login: AUTHOR },
        head: { sha: run.head, ref: `feature-${PR}`, repo: { full_name: `${OWNER}/${REPO}` } },
        base: { ref: "main", repo: { full_name: `${OWNER}/${REPO}` } },
      },
    },
    env: {
      GITHUB_API_URL: apiUrl,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_REPOSITORY_OWNER: OWNER,
      GITHUB_RUN_ID: String(run.runId),
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REF: `refs/pull/${PR}/merge`,
      GITHUB_JOB: "preview",
    },
  };
}
