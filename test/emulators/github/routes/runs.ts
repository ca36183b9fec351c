/**
 * `GET /repos/{owner}/{repo}/actions/runs/{run_id}`: a workflow run in GitHub's shape (the
 * fields the actions and workflows read: path, event, head commit, branch and repository,
 * attempt, status); 404 for a run not recorded. For a pull_request run, `head_sha` is the
 * pull request's head commit (not the merge commit GITHUB_SHA names), as on GitHub.
 */
import { minimalRepository, simpleUser, WEB } from "../objects.js";
import { notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";

export function registerRunRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/actions/runs/{run_id}", "read", (request) => {
    const { owner = "", repo = "", run_id } = request.params;
    const run = request.state.runs.get(Number(run_id));
    if (!run || `${run.owner}/${run.repo}`.toLowerCase() !== `${owner}/${repo}`.toLowerCase())
      return notFound();
    const api = request.baseUrl;
    const runApi = `${api}/repos/${run.owner}/${run.repo}/actions/runs/${run.id}`;
    return ok({
      id: run.id,
      name: run.path.replace(/^.*\//, "").replace(/\.ya?ml$/, ""),
      node_id: Buffer.from(`WFR_${run.id}`).toString("base64"),
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: run.path,
      display_title: run.path,
      run_number: run.id % 1000,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id:
        100_000 + [...run.path].reduce((sum, ch) => (sum * 31 + ch.charCodeAt(0)) % 100_000, 0),
      check_suite_id: 200_000 + run.id,
      check_suite_node_id: Buffer.from(`CS_${200_000 + run.id}`).toString("base64"),
      check_suite_url: `${api}/repos/${run.owner}/${run.repo}/check-suites/${200_000 + run.id}`,
      url: runApi,
      html_url: `${WEB}/${run.owner}/${run.repo}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      run_attempt: run.runAttempt,
      run_started_at: "2026-01-01T00:00:00Z",
      previous_attempt_url: run.runAttempt > 1 ? `${runApi}/attempts/${run.runAttempt - 1}` : null,
      actor: simpleUser(api, request.state.account(run.actor)),
      triggering_actor: simpleUser(api, request.state.account(run.actor)),
      jobs_url: `${runApi}/jobs`,
      logs_url: `${runApi}/logs`,
      artifacts_url: `${runApi}/artifacts`,
      cancel_url: `${runApi}/cancel`,
      rerun_url: `${runApi}/rerun`,
      workflow_url: `${api}/repos/${run.owner}/${run.repo}/actions/workflows/${encodeURIComponent(run.path.replace(/^.*\//, ""))}`,
      head_commit: {
        id: run.headSha,
        tree_id: run.headSha,
        message: run.headSha,
        timestamp: "2026-01-01T00:00:00Z",
        author: { name: run.actor, email: `${run.actor}@users.noreply.github.com` },
        committer: { name: run.actor, email: `${run.actor}@users.noreply.github.com` },
      },
      repository: minimalRepository(api, request.state, `${run.owner}/${run.repo}`),
      head_repository: minimalRepository(api, request.state, run.headRepo),
    });
  });
}
