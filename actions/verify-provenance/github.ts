/**
 * What production reads from GitHub, every call through the kit's client: the pull request
 * the pushed commit merged, its commits, the attestations of a digest, and the preview
 * Deployments of the head, which are only a hint of which digests to try (anyone with
 * `deployments: write` can write one; nothing is promoted on their word).
 */
import { previewNames } from "../deploy-gate/names.js";
import { type GitHubClient, gitHubError, httpStatus } from "../shared/github.js";
import { ActionError } from "../shared/errors.js";
import type { Commits } from "./source.js";

export interface Repo {
  owner: string;
  repo: string;
}

export interface MergedPull {
  number: number;
  headSha: string;
}

interface PullFields {
  number: number;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head: { sha: string };
}

const noPull = (commit: string) =>
  new ActionError(
    `${commit} was not merged from a pull request: production promotes only what a pull request previewed`,
    { title: "No pull request" },
  );

/** The pull request whose merge made `commit` (its merge, squash or rebase commit). */
export async function mergedPull(
  client: GitHubClient,
  repo: Repo,
  commit: string,
  number: number | undefined,
): Promise<MergedPull> {
  let pull: PullFields | undefined;
  try {
    if (number !== undefined) {
      const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
        ...repo,
        pull_number: number,
      });
      pull = data as PullFields;
    } else {
      const { data } = await client.request(
        "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
        {
          ...repo,
          commit_sha: commit,
          per_page: 100,
        },
      );
      pull = (data as PullFields[]).find((p) => p.merged_at && p.merge_commit_sha === commit);
    }
  } catch (error) {
    throw gitHubError(`read the pull request merged as ${commit}`, error);
  }
  if (!pull?.merged_at || pull.merge_commit_sha !== commit) throw noPull(commit);
  return { number: pull.number, headSha: pull.head.sha };
}

async function behindBy(client: GitHubClient, repo: Repo, base: string, head: string) {
  const { data } = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    ...repo,
    basehead: `${base}...${head}`,
    per_page: 1,
  });
  return (data as { behind_by: number }).behind_by;
}

/** How many commits of the branch before the push (`before`) the merged head lacked. */
export async function headBehind(
  client: GitHubClient,
  repo: Repo,
  pull: MergedPull,
  before: string,
): Promise<number> {
  try {
    return await behindBy(client, repo, before, pull.headSha);
  } catch (error) {
    throw gitHubError(`compare ${before} with the head of pull request #${pull.number}`, error);
  }
}

/** The refusal of a head that was behind when no merge queue build of the merge was recorded. */
export const behindRefusal = (pull: MergedPull, behind: number) =>
  new ActionError(
    `Pull request #${pull.number} was ${behind} commit(s) behind the branch when merged: its preview lacks them, so its images are not promoted; update the branch and preview again, and require branches to be up to date before merging, or merge through a merge queue whose merge_group run builds the merged commit (action-docs/examples/preview.yml)`,
    { title: "Branch not up to date" },
  );

export function commitsOf(client: GitHubClient, repo: Repo): Commits {
  return {
    async parents(sha) {
      try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}", {
          ...repo,
          ref: sha,
        });
        return (data as { parents: { sha: string }[] }).parents.map((p) => p.sha);
      } catch (error) {
        if (httpStatus(error) === 404 || httpStatus(error) === 422) return undefined;
        throw gitHubError(`read commit ${sha}`, error);
      }
    },
    async contains(sha, ancestor) {
      try {
        return (await behindBy(client, repo, ancestor, sha)) === 0;
      } catch (error) {
        if (httpStatus(error) === 404) return false;
        throw gitHubError(`compare ${ancestor} with ${sha}`, error);
      }
    },
  };
}

/** The Sigstore bundles stored for a digest (newest first); none is an empty list. */
export async function attestationsOf(
  client: GitHubClient,
  repo: Repo,
  digest: string,
): Promise<unknown[]> {
  try {
    const { data } = await client.request(
      "GET /repos/{owner}/{repo}/attestations/{subject_digest}",
      { ...repo, subject_digest: digest, per_page: 100 },
    );
    return ((data as { attestations?: { bundle?: unknown }[] }).attestations ?? [])
      .map((a) => a.bundle)
      .filter((bundle) => bundle !== undefined && bundle !== null);
  } catch (error) {
    if (httpStatus(error) === 404) return [];
    throw gitHubError(`read the attestations of ${digest}`, error);
  }
}

/**
 * The environment of the Deployment a merge queue's run records for the commit it built
 * (action-docs/examples/preview.yml on merge_group): like a preview's, only a hint.
 */
export const MERGE_QUEUE_ENVIRONMENT = "merge-queue";

/** The images the preview Deployments of the merged head recorded, newest first. */
export function previewedImages(client: GitHubClient, repo: Repo, pull: MergedPull) {
  return recordedImages(
    client,
    repo,
    previewNames(pull.number).deploymentEnvironment,
    pull.headSha,
    `the preview deployments of pull request #${pull.number}`,
  );
}

/** The images the merge queue's Deployments of the pushed commit recorded, newest first. */
export function queuedImages(client: GitHubClient, repo: Repo, commit: string) {
  return recordedImages(
    client,
    repo,
    MERGE_QUEUE_ENVIRONMENT,
    commit,
    `the merge queue's deployments of ${commit}`,
  );
}

/**
 * The images each Deployment of `environment` at `sha` says it ran (payload `images`, name ->
 * REPOSITORY@DIGEST, as deploy.yml records them), newest first: candidates to verify, nothing
 * more.
 */
async function recordedImages(
  client: GitHubClient,
  repo: Repo,
  environment: string,
  sha: string,
  what: string,
): Promise<Record<string, unknown>[]> {
  let deployments: { payload?: unknown }[];
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      environment,
      sha,
      per_page: 100,
    });
    deployments = data as { payload?: unknown }[];
  } catch (error) {
    throw gitHubError(`read ${what}`, error);
  }
  const sets: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const deployment of deployments) {
    let payload = deployment.payload;
    if (typeof payload === "string") {
      try {
        payload = JSON.parse(payload) as unknown;
      } catch {
        continue;
      }
    }
    const images = (payload as { images?: unknown } | null)?.images;
    if (typeof images !== "object" || images === null || Array.isArray(images)) continue;
    const key = JSON.stringify(Object.entries(images).sort());
    if (seen.has(key)) continue;
    seen.add(key);
    sets.push(images as Record<string, unknown>);
  }
  return sets;
}
