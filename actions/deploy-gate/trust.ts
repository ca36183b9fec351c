/**
 * Who is trusted: a pull request's author with write access or more. Anyone else's preview
 * deploys only after a reviewer of the approval environment approved it.
 */
import { httpStatus, type GitHubClient, unanswered } from "../shared/github.js";
import { ActionError } from "../shared/errors.js";

export interface Repo {
  owner: string;
  repo: string;
}

/** GitHub's `permission` (admin, write, read, none) and `role_name` (also maintain, triage). */
const TRUSTED = new Set(["admin", "maintain", "write"]);

/** A GitHub login, or an app's `name[bot]`: anything else is refused before it is used. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

export interface Trust {
  trusted: boolean;
  /** What GitHub answered, for the log: `write maintain`, or why there is no answer. */
  access: string;
}

export async function authorTrust(
  client: GitHubClient,
  repo: Repo,
  author: string,
  prNumber: number,
): Promise<Trust> {
  if (!LOGIN.test(author))
    throw new ActionError(
      `The author of pull request #${prNumber} is not a GitHub login, so their access cannot be read: the preview is not deployed`,
      { title: "Unknown pull request author" },
    );
  try {
    const { data } = await client.request(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      { ...repo, username: author },
    );
    const access = [data.permission, data.role_name].filter(Boolean).join(" ");
    return { trusted: access.split(" ").some((level) => TRUSTED.has(level)), access };
  } catch (error) {
    // Not a collaborator (404), or any failure to read it: untrusted, never the other way.
    const status = unanswered(error) === undefined ? httpStatus(error) : undefined;
    return { trusted: false, access: `none (${status ? `HTTP ${status}` : "no answer"})` };
  }
}
