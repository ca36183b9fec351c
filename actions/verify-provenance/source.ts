/**
 * Whether a signer's certificate names the reviewed code: the caller's repository and the
 * merged pull request's head commit H. A `push` or `workflow_dispatch` build (the dispatch
 * path of a preview) ran at H itself. A `pull_request` build ran at GitHub's test merge of
 * the pull request (`refs/pull/N/merge`, a ref no one can push): a merge commit whose parents
 * are H and a commit of the base branch, which must be in what production promotes (else the
 * pull request was built against another base, e.g. before a retarget). Each of these built
 * the head, so none is promoted when the head was behind the branch it merged into (what the
 * branch held is missing from the build). A `merge_group` build ran at the merge queue's own
 * commit for the pull request (GitHub's "Managing a merge queue": the queue tests a temporary
 * `gh-readonly-queue/<base>/pr-<N>-<head>` branch, no one can push, and the base branch then
 * moves to exactly that commit): it must be the commit production promotes for, built on the
 * queue's branch of this pull request and head.
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
  /** The branch that commit was pushed to (`main`), when the push names one. */
  baseBranch?: string | undefined;
  /** How many commits of the branch before the push the head lacked (0: up to date). */
  behindBy: number;
}

/** The ref of the merge queue's branch for pull request N at head H (GitHub's naming). */
export const mergeQueueRef = (base: string, pullRequest: number, head: string) =>
  `refs/heads/gh-readonly-queue/${base}/pr-${pullRequest}-${head}`;

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
  if (trigger === "merge_group") {
    const queueRef = expected.baseBranch
      ? mergeQueueRef(expected.baseBranch, expected.pullRequest, head)
      : undefined;
    if (identity.sourceRepositoryRef !== queueRef)
      return `it was built for ${identity.sourceRepositoryRef ?? "no ref"}, not the merge queue's entry of pull request #${expected.pullRequest} (${queueRef ?? "a push to a branch"})`;
    return built === expected.mergedCommit
      ? undefined
      : `it was built by the merge queue from ${built}, not ${expected.mergedCommit}, the commit the branch moved to`;
  }
  if (expected.behindBy > 0)
    return `it was built from the head ${head} of pull request #${expected.pullRequest}, which was ${expected.behindBy} commit(s) behind the branch when merged: only the merge queue's build of the merged commit is promoted then`;
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
    default:
      return `it was built by a ${trigger} run, which production does not promote (only pull_request, push or workflow_dispatch builds of the head, or merge_group builds of the merged commit)`;
  }
}
