/**
 * Is the pull request open, and its head the commit this run built? Is a branch's head
 * still this run's commit? Runs queue in the order they reach a concurrency group, not the
 * order of their commits: a late run must not ship older images over newer ones, nor
 * recreate the preview of a pull request closed meanwhile.
 */
import { gitHubError, type GitHubClient } from "../shared/github.js";
import type { Repo } from "./trust.js";

export interface Pull {
  state: string;
  headSha: string;
  author: string;
}

export async function readPull(client: GitHubClient, repo: Repo, number: number): Promise<Pull> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      ...repo,
      pull_number: number,
    });
    return { state: data.state, headSha: data.head.sha, author: data.user.login };
  } catch (error) {
    throw gitHubError(`read pull request #${number}`, error);
  }
}

export async function branchHead(
  client: GitHubClient,
  repo: Repo,
  branch: string,
): Promise<string> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}", {
      ...repo,
      ref: `heads/${branch}`,
    });
    return data.sha;
  } catch (error) {
    throw gitHubError(`read the head of branch ${branch}`, error);
  }
}

/** Why this run must not deploy (a notice, not a failure), or undefined when it may. */
export function supersededBy(pull: Pull, prNumber: number, headSha?: string): string | undefined {
  if (pull.state !== "open")
    return `pull request #${prNumber} is ${pull.state}: its cleanup removes the preview`;
  if (headSha !== undefined && pull.headSha !== headSha)
    return `pull request #${prNumber} moved on to ${pull.headSha} since this run built ${headSha}: that run deploys`;
  return undefined;
}
