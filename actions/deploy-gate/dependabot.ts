/**
 * A run Dependabot started deploys nothing, and says why in one line. GitHub gives such a run
 * (`github.actor` dependabot[bot] on pull_request, push and the other events its docs list,
 * "Automating Dependabot with GitHub Actions") only the repository's Dependabot secrets, never
 * an environment's, and a read-only token by default, even when someone else re-runs it: the
 * deploy would fail later without its Pulumi token, after a reviewer's approval for nothing.
 */
const RESTRICTED_EVENTS = new Set([
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "push",
  "create",
  "deployment",
  "deployment_status",
]);

export function dependabotProblem(
  actor: string | undefined,
  eventName: string | undefined,
): string | undefined {
  if (actor !== "dependabot[bot]" || !eventName || !RESTRICTED_EVENTS.has(eventName))
    return undefined;
  return `This run was started by dependabot[bot] on ${eventName}: GitHub gives it only Dependabot secrets (no environment's Pulumi token) and a read-only token by default, so nothing is deployed; skip Dependabot's pull requests in the calling workflow (github.event.pull_request.user.login != 'dependabot[bot]', as action-docs/examples/preview.yml does)`;
}
