/**
 * What a reviewer sees on the pull request, read from the GitHub emulator's state: each new
 * revision of the preview comment, and each deployment status as it is added.
 */
import { parseMarker } from "../../actions/preview-comment/marker.js";
import { deploymentStore } from "../../test/emulators/github/routes/deployments.js";
import type { GitHubState } from "../../test/emulators/github/state.js";
import { block, line } from "./print.js";
import { COMMENT_KEY, OWNER, PR, REPO } from "./pull-request.js";

/** The comments the preview-comment action owns for our key (one, unless something went wrong). */
export function keyedComments(state: GitHubState) {
  return state
    .commentsOf(OWNER, REPO, PR)
    .filter((comment) => parseMarker(comment.body)?.key === COMMENT_KEY);
}

export function createReviewer(state: GitHubState) {
  const store = deploymentStore(state);
  const seenStatuses = new Set<number>();
  let lastBody: string | undefined;
  let revisions = 0;

  return {
    /** Prints the comment when it changed since the last look. */
    lookAtComment(): void {
      const body = keyedComments(state).at(-1)?.body;
      if (body === undefined || body === lastBody) return line("  comment: unchanged");
      lastBody = body;
      revisions += 1;
      block(`PR comment, revision ${revisions} (the body as GitHub stores it):`, body);
    },

    /** Prints every deployment status added since the last look, oldest first. */
    lookAtDeployments(): void {
      const fresh = store
        .deploymentsOf(OWNER, REPO)
        .flatMap((deployment) =>
          (store.statuses.get(deployment.id) ?? []).map((status) => ({ deployment, status })),
        )
        .filter(({ status }) => !seenStatuses.has(status.id))
        .sort((a, b) => a.status.id - b.status.id);
      for (const { deployment, status } of fresh) {
        seenStatuses.add(status.id);
        const url = status.environmentUrl ? `  environment_url ${status.environmentUrl}` : "";
        line(
          `  deployment ${deployment.id} (${deployment.environment} @ ${deployment.sha.slice(0, 7)}): ${status.state}${url}`,
        );
      }
    },
  };
}

export type Reviewer = ReturnType<typeof createReviewer>;
