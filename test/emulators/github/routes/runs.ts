/**
 * `GET /repos/{owner}/{repo}/actions/runs/{run_id}`: the fields of a workflow run the
 * actions read (id, head commit, attempt) in GitHub's shape; 404 for a run not seeded.
 */
import { WEB } from "../objects.js";
import { notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";

export function registerRunRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/actions/runs/{run_id}", "read", (request) => {
    const { owner = "", repo = "", run_id } = request.params;
    const run = request.state.runs.get(Number(run_id));
    if (!run || `${run.owner}/${run.repo}`.toLowerCase() !== `${owner}/${repo}`.toLowerCase())
      return notFound();
    return ok({
      id: run.id,
      name: "preview",
      head_sha: run.headSha,
      run_number: run.id % 1000,
      run_attempt: run.runAttempt,
      event: "pull_request",
      status: "completed",
      conclusion: "success",
      url: `${request.baseUrl}/repos/${owner}/${repo}/actions/runs/${run.id}`,
      html_url: `${WEB}/${owner}/${repo}/actions/runs/${run.id}`,
    });
  });
}
