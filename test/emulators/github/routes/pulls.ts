/**
 * `GET /repos/{owner}/{repo}`: the repository (its `default_branch`, `main`);
 * `GET /repos/{owner}/{repo}/pulls/{pull_number}`: the PR with its head commit; and
 * `GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`: the PRs whose head or merge
 * commit it is.
 */
import { pullRequest, repository } from "../objects.js";
import { notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";

export function registerPullRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}", "read", (request) => {
    const { owner = "", repo = "" } = request.params;
    return ok(repository(request.baseUrl, request.state, `${owner}/${repo}`));
  });

  route("GET /repos/{owner}/{repo}/pulls/{pull_number}", "read", (request) => {
    const { owner = "", repo = "", pull_number } = request.params;
    const pull = request.state.pull(owner, repo, Number(pull_number));
    return pull ? ok(pullRequest(request.baseUrl, request.state, pull)) : notFound();
  });

  route("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", "read", (request) => {
    const { owner = "", repo = "", commit_sha = "" } = request.params;
    const sha = commit_sha.toLowerCase();
    const pulls = [...request.state.pulls.values()].filter(
      (p) =>
        p.owner.toLowerCase() === owner.toLowerCase() &&
        p.repo.toLowerCase() === repo.toLowerCase() &&
        (p.headSha === sha || p.mergeCommitSha === sha),
    );
    return ok(pulls.map((p) => pullRequest(request.baseUrl, request.state, p)));
  });
}
