/** `GET /repos/{owner}/{repo}/pulls/{pull_number}`: the PR with its head commit. */
import { pullRequest } from "../objects.js";
import { notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";

export function registerPullRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}", "read", (request) => {
    const { owner = "", repo = "", pull_number } = request.params;
    const pull = request.state.pull(owner, repo, Number(pull_number));
    return pull ? ok(pullRequest(request.baseUrl, request.state, pull)) : notFound();
  });
}
