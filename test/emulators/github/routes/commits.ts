/**
 * `GET /repos/{owner}/{repo}/commits/{ref}`: one commit by SHA, branch (`main` or
 * `heads/main`) or `refs/heads/...`; and `GET /repos/{owner}/{repo}/compare/{basehead}`
 * (`BASE...HEAD`): ahead_by / behind_by counted from the merge base, as GitHub does. Both
 * know the commits a test seeded (GitHubState.addCommit); an unknown one is GitHub's 422
 * "No commit found for SHA: ..." (commits) or 404 "Not Found" (compare).
 */
import { commitObject, repository } from "../objects.js";
import { HttpError, notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";
import type { GitHubState } from "../state.js";
import { deploymentStore } from "./deployments.js";

function resolve(state: GitHubState, owner: string, repo: string, ref: string) {
  const name = ref.replace(/^(?:refs\/)?(?:heads|tags)\//, "");
  const sha = deploymentStore(state).resolve(owner, repo, name);
  return sha ? state.commit(owner, repo, sha) : undefined;
}

export function registerCommitRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/commits/{ref}", "read", (request) => {
    const { owner = "", repo = "", ref = "" } = request.params;
    const commit = resolve(request.state, owner, repo, ref);
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${ref}`);
    return ok({
      ...commitObject(request.baseUrl, owner, repo, commit),
      stats: { total: 1, additions: 1, deletions: 0 },
      files: [],
    });
  });

  route("GET /repos/{owner}/{repo}/compare/{basehead}", "read", (request) => {
    const { owner = "", repo = "", basehead = "" } = request.params;
    const [baseRef, headRef] = basehead.split("...");
    if (!baseRef || !headRef) return notFound();
    const base = resolve(request.state, owner, repo, baseRef);
    const head = resolve(request.state, owner, repo, headRef);
    if (!base || !head) return notFound();
    const ofBase = request.state.ancestry(owner, repo, base.sha);
    const ofHead = request.state.ancestry(owner, repo, head.sha);
    const mergeBase = ofHead.find((sha) => ofBase.includes(sha));
    if (!mergeBase) return notFound();
    const inBase = new Set(request.state.ancestry(owner, repo, mergeBase));
    const ahead = ofHead.filter((sha) => !inBase.has(sha)).reverse();
    const behind = ofBase.filter((sha) => !inBase.has(sha));
    const status =
      ahead.length && behind.length
        ? "diverged"
        : ahead.length
          ? "ahead"
          : behind.length
            ? "behind"
            : "identical";
    const api = request.baseUrl;
    const repoApi = `${api}/repos/${owner}/${repo}`;
    const web = repository(api, request.state, `${owner}/${repo}`).html_url;
    const commitOf = (sha: string) => {
      const stored = request.state.commit(owner, repo, sha);
      return stored ? commitObject(api, owner, repo, stored) : undefined;
    };
    return ok({
      url: `${repoApi}/compare/${basehead}`,
      html_url: `${web}/compare/${basehead}`,
      permalink_url: `${web}/compare/${owner}:${base.sha.slice(0, 7)}...${owner}:${head.sha.slice(0, 7)}`,
      diff_url: `${web}/compare/${basehead}.diff`,
      patch_url: `${web}/compare/${basehead}.patch`,
      base_commit: commitObject(api, owner, repo, base),
      merge_base_commit: commitOf(mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map(commitOf),
      files: [],
    });
  });
}
