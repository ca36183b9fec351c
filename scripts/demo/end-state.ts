/**
 * The proof that the closed PR left nothing: read from the emulators' and the double's own
 * state, never from what the actions said they did.
 */
import { deploymentStore } from "../../test/emulators/github/routes/deployments.js";
import { keyedComments } from "./reviewer.js";
import { COMMENT_KEY, ENVIRONMENT, NAMESPACE, OWNER, REPO, STACK } from "./pull-request.js";
import type { World } from "./world.js";

export interface EndState {
  lines: string[];
  empty: boolean;
}

/** The status word of the comment's header line, e.g. "destroyed". */
function commentStatus(body: string | undefined): string {
  return /^### Preview `[^`]*`: \S+ (\w+)/m.exec(body ?? "")?.[1]?.toLowerCase() ?? "none";
}

export function endState(world: World): EndState {
  const comments = keyedComments(world.github.state);
  const status = commentStatus(comments.at(-1)?.body);
  const store = deploymentStore(world.github.state);
  const deployments = store
    .deploymentsOf(OWNER, REPO)
    .filter((d) => d.environment === ENVIRONMENT).length;
  const active = store.activeIn(OWNER, REPO, ENVIRONMENT).length;
  const namespace = world.kubernetes.state.namespace(NAMESPACE);
  const stackLeft = world.pulumi.stackExists(STACK);

  const empty =
    status === "destroyed" && comments.length === 1 && active === 0 && !namespace && !stackLeft;
  return {
    empty,
    lines: [
      `comment: status ${status} (${comments.length} comment for key ${COMMENT_KEY})`,
      `deployments of ${ENVIRONMENT}: ${deployments}, active: ${active}`,
      `namespace ${NAMESPACE}: ${namespace ? namespace.status.phase : "gone"}`,
      `stack ${STACK}: ${stackLeft ? "still there" : "removed"}`,
      empty ? "nothing is left." : "something is left: see above.",
    ],
  };
}
