/** The issue-comment API calls: listing through GraphQL, writes through REST. */
import { ActionError } from "../shared/errors.js";
import {
  gitHubError,
  httpStatus,
  isReadOnlyTokenError,
  type GitHubClient,
} from "../shared/github.js";
import type { Marker } from "./marker.js";
import type { ExistingComment, Identity } from "./plan.js";

export interface Target {
  owner: string;
  repo: string;
  issue_number: number;
}

/** Thrown when the token may read but not write: the caller falls back to the job summary. */
export class ReadOnlyToken extends ActionError {}

export interface Listing {
  /** The token's own identity: GraphQL `viewer` answers for personal and installation tokens. */
  viewer: Identity;
  /** Oldest first. */
  comments: ExistingComment[];
}

const LIST_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $after: String) {
  viewer { login databaseId }
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) {
        nodes { databaseId body url author { login ... on Bot { databaseId } ... on User { databaseId } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

interface ListPage {
  viewer: { login: string; databaseId: number | null } | null;
  repository: {
    pullRequest: {
      comments: {
        nodes: ({
          databaseId: number;
          body: string;
          url: string;
          author: { login: string; databaseId?: number | null } | null;
        } | null)[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } | null;
  } | null;
}

const identity = (login: string, id: number | null | undefined): Identity =>
  id == null ? { login } : { login, id };

/**
 * The comments and whose token this is, in one GraphQL query a page (100 comments): a PR
 * with 250 comments costs 3 requests, and no token needs a separate identity lookup.
 */
export async function listComments(client: GitHubClient, target: Target): Promise<Listing> {
  const comments: ExistingComment[] = [];
  let viewer: Identity | undefined;
  let after: string | null = null;
  try {
    do {
      const page: ListPage = await client.graphql<ListPage>(LIST_QUERY, {
        owner: target.owner,
        repo: target.repo,
        number: target.issue_number,
        after,
      });
      // A token GitHub cannot tie to an account answers `viewer: null`: without it, this
      // run's own comment cannot be told from anyone else's.
      if (!page.viewer)
        throw new ActionError(
          "GitHub's GraphQL API did not say whose token this is (viewer: null), so the step cannot tell its own comment from others': use the job's GITHUB_TOKEN or an app or user token",
          { title: "Token identity unknown" },
        );
      viewer ??= identity(page.viewer.login, page.viewer.databaseId);
      const connection = page.repository?.pullRequest?.comments;
      if (!connection)
        throw new ActionError(
          `Pull request #${target.issue_number} was not found in ${target.owner}/${target.repo}`,
          { title: "Pull request not found" },
        );
      for (const node of connection.nodes) {
        if (!node) continue;
        comments.push({
          id: node.databaseId,
          body: node.body,
          html_url: node.url,
          user: node.author && identity(node.author.login, node.author.databaseId),
        });
      }
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
  } catch (error) {
    if (error instanceof ActionError) throw error;
    throw gitHubError(`list the comments of pull request #${target.issue_number}`, error);
  }
  return { viewer: viewer as Identity, comments };
}

function writeError(what: string, error: unknown): ActionError {
  return isReadOnlyTokenError(error)
    ? new ReadOnlyToken(`The token may not ${what}`, { cause: error })
    : gitHubError(what, error);
}

/**
 * Whether the run a marker names exists here, ran for the commit the marker records and got
 * to that attempt. No such run, or a token that may not read runs (`actions: read`), is no.
 */
export async function runConfirmed(
  client: GitHubClient,
  target: Target,
  claim: Marker,
): Promise<boolean> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", {
      owner: target.owner,
      repo: target.repo,
      run_id: claim.runId,
    });
    return (
      (!claim.sha || data.head_sha === claim.sha) && (data.run_attempt ?? 1) >= claim.runAttempt
    );
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) return false;
    throw gitHubError(`confirm that run ${claim.runId} exists`, error);
  }
}

/** The POST got no answer, or a 5xx: GitHub may or may not have written the comment. */
export class AnswerLost extends ActionError {}

/** One POST, never repeated here: publish.ts looks for the comment before trying again. */
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
    const what = `comment on pull request #${target.issue_number}`;
    const status = httpStatus(error);
    if (status === undefined || status >= 500)
      throw new AnswerLost(gitHubError(what, error).message, { cause: error });
    throw writeError(what, error);
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
