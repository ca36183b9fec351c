/**
 * Whether a signer's certificate names the reviewed code: the caller's repository and the
 * merged pull request's head commit H. A `push` or `workflow_dispatch` build (the dispatch
 * path of a preview) ran at H itself. A `pull_request` build ran at GitHub's test merge of
 * the pull request (`refs/pull/N/merge`, a ref no one can push): a merge commit whose parents
 * are H and a commit of the base branch, which must be in what production promotes (else the
 * pull request was built against another base, e.g. before a retarget).
 */
import type { GitHubIdentity } from "./identity.js";

export interface ExpectedSource {
  /** `https://github.com`, or the GHE.com host the run is on. */
  serverUrl: string;
  /** OWNER/REPO of the caller. */
  repository: string;
  /** Its immutable id, when the runner says it (GITHUB_REPOSITORY_ID). */
  repositoryId?: string | undefined;
  pullRequest: number;
  /** The merged pull request's head commit H. */
  headSha: string;
  /** The commit production promotes for (the push to the default branch). */
  mergedCommit: string;
}

export interface Commits {
  /** The parents of a commit of the repository, or undefined when it has no such commit. */
  parents(sha: string): Promise<string[] | undefined>;
  /** Whether `ancestor` is `sha` or one of its ancestors. */
  contains(sha: string, ancestor: string): Promise<boolean>;
}

const sameName = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** Why the certificate's source is not the reviewed code, or undefined. */
export async function sourceProblem(
  identity: GitHubIdentity,
  expected: ExpectedSource,
  commits: Commits,
): Promise<string | undefined> {
  const repositoryUri = `${expected.serverUrl}/${expected.repository}`;
  if (!sameName(identity.sourceRepositoryUri, repositoryUri))
    return `it was built for ${identity.sourceRepositoryUri ?? "no repository"}, not ${repositoryUri}`;
  if (
    expected.repositoryId !== undefined &&
    identity.sourceRepositoryIdentifier !== expected.repositoryId
  )
    return `it was built for repository id ${identity.sourceRepositoryIdentifier ?? "none"}, not ${expected.repositoryId} (a repository of the same name made again)`;
  const built = identity.sourceRepositoryDigest ?? "no commit";
  const trigger = identity.buildTrigger ?? "unknown";
  const head = expected.headSha;
  switch (trigger) {
    case "push":
    case "workflow_dispatch":
      return built === head
        ? undefined
        : `it was built from ${built}, not the merged head ${head} of pull request #${expected.pullRequest}`;
    case "pull_request": {
      const mergeRef = `refs/pull/${expected.pullRequest}/merge`;
      if (identity.sourceRepositoryRef !== mergeRef)
        return `it was built for ${identity.sourceRepositoryRef ?? "no ref"}, not pull request #${expected.pullRequest} (${mergeRef})`;
      const parents = await commits.parents(built);
      if (!parents?.includes(head))
        return `it was built from ${built}, a test merge of another head than the merged head ${head} of pull request #${expected.pullRequest}`;
      for (const base of parents.filter((p) => p !== head)) {
        if (!(await commits.contains(expected.mergedCommit, base)))
          return `it was built from ${built}, whose base ${base} is not in ${expected.mergedCommit}: the pull request was built against another base`;
      }
      return undefined;
    }
    case "merge_group":
      return "it was built for a merge queue (merge_group), which production does not promote yet";
    default:
      return `it was built by a ${trigger} run, which production does not promote (only pull_request, push or workflow_dispatch builds of the head)`;
  }
}
