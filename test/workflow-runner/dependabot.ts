/**
 * What GitHub does to a run Dependabot started (docs: "Automating Dependabot with GitHub
 * Actions", Responding to events): for `github.actor == 'dependabot[bot]'` on pull_request,
 * pull_request_review, pull_request_review_comment, push, create, deployment and
 * deployment_status, "GITHUB_TOKEN has read-only permissions by default" (a workflow's
 * `permissions:` may raise it: "Changing GITHUB_TOKEN permissions") and "Secrets are populated
 * from Dependabot secrets. GitHub Actions secrets are not available" (environment secrets are
 * Actions secrets too); "These restrictions apply even if the workflow is re-run by a different
 * actor". Not modelled: pull_request_target on a base ref Dependabot created.
 */
export const DEPENDABOT = "dependabot[bot]";

const RESTRICTED_EVENTS = new Set([
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "push",
  "create",
  "deployment",
  "deployment_status",
]);

export function restrictedForDependabot(eventName: string, actor: string): boolean {
  return actor === DEPENDABOT && RESTRICTED_EVENTS.has(eventName);
}
