/** The issue-comment API calls, through the shared client (retries and rate limits included). */
import { ActionError } from "../shared/errors.js";
import {
  gitHubError,
  httpStatus,
  isReadOnlyTokenError,
  type GitHubClient,
} from "../shared/github.js";
import type { ExistingComment } from "./plan.js";

export interface Target {
  owner: string;
  repo: string;
  issue_number: number;
}

/** The workflow token's identity: installation tokens have no user to ask about. */
const WORKFLOW_BOT = "github-actions[bot]";

/** Thrown when the token may read but not write: the caller falls back to the job summary. */
export class ReadOnlyToken extends ActionError {}

/** Oldest first, 100 a page: a PR with 250 comments costs 3 requests. */
export async function listComments(
  client: GitHubClient,
  target: Target,
): Promise<ExistingComment[]> {
  try {
    return (await client.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...target,
      per_page: 100,
    })) as ExistingComment[];
  } catch (error) {
    throw gitHubError(`list the comments of pull request #${target.issue_number}`, error);
  }
}

/**
 * Whose comments this token writes. An installation token (`ghs_`, the workflow token)
 * costs no request: GitHub answers its `GET /user` with 403 and writes as github-actions[bot].
 */
export async function ownLogin(client: GitHubClient, token: string): Promise<string> {
  if (token.startsWith("ghs_")) return WORKFLOW_BOT;
  try {
    return (await client.request("GET /user")).data.login;
  } catch (error) {
    if (isReadOnlyTokenError(error)) return WORKFLOW_BOT;
    throw gitHubError("find out whose token this is (GET /user)", error);
  }
}

function writeError(what: string, error: unknown): ActionError {
  return isReadOnlyTokenError(error)
    ? new ReadOnlyToken(`The token may not ${what}`, { cause: error })
    : gitHubError(what, error);
}

export async function createComment(
  client: GitHubClient,
  target: Target,
  body: string,
): Promise<ExistingComment> {
  try {
    return (
      await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...target,
        body,
      })
    ).data as ExistingComment;
  } catch (error) {
    throw writeError(`comment on pull request #${target.issue_number}`, error);
  }
}

/** Undefined when the comment is gone (a racing run deleted it). */
export async function updateComment(
  client: GitHubClient,
  target: Target,
  id: number,
  body: string,
): Promise<ExistingComment | undefined> {
  try {
    const { owner, repo } = target;
    return (
      await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner,
        repo,
        comment_id: id,
        body,
      })
    ).data as ExistingComment;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw writeError(`update comment ${id}`, error);
  }
}

/** Deleting what is already gone is success: reruns and racing runs are both fine. */
export async function deleteComment(
  client: GitHubClient,
  target: Target,
  id: number,
): Promise<void> {
  try {
    const { owner, repo } = target;
    await client.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner,
      repo,
      comment_id: id,
    });
  } catch (error) {
    if (httpStatus(error) !== 404) throw writeError(`delete comment ${id}`, error);
  }
}
