/**
 * One pull request's life, phase by phase, through the bundled actions: open and build,
 * check the base stack, preview, deploy, push an update, close.
 */
import { stringify } from "yaml";
import { buildImages, checkout, digestOf, digestsOf, type Images } from "./images.js";
import { heading, line, standIn } from "./print.js";
import { standInNamespace } from "./program.js";
import {
  BASE_STACK,
  COMMITS,
  ENVIRONMENT,
  NAMESPACE,
  OWNER,
  PR,
  REPO,
  STACK,
  type WorkflowRun,
} from "./pull-request.js";
import { createReviewer } from "./reviewer.js";
import { lines, workflowSteps, type WorkflowSteps } from "./workflow-steps.js";
import type { World } from "./world.js";

/** Preview, comment, deploy, check and report one commit's images. */
async function deploy(
  world: World,
  steps: WorkflowSteps,
  run: WorkflowRun,
  images: Images,
  buildSeconds: number | undefined,
  domain: string,
): Promise<void> {
  const digests = lines(digestsOf(images));
  const deployInputs = {
    images: lines(images),
    config: stringify({ prNumber: PR, domain }),
    message: `PR #${PR} at ${run.head.slice(0, 7)}`,
  };

  const preview = await steps.pulumi("preview", deployInputs);
  await steps.comment("deploying", {
    digests,
    "details-file": preview.outputs["markdown-file"] ?? "",
  });
  const started = await steps.deployment("start", {
    // The shape deploy.yml stores and examples/production.yml reads back: image name to digest.
    payload: JSON.stringify(digestsOf(images)),
  });
  const up = await steps.pulumi("up", deployInputs);
  const outputs = JSON.parse(up.outputs.outputs ?? "{}") as { webUrl: string; apiUrl: string };
  if (standInNamespace(world.kubernetes.state, NAMESPACE))
    standIn(
      `namespace ${NAMESPACE} created in the Kubernetes emulator for the program's Namespace (the double deploys nothing), with content that lingers on delete`,
    );
  const checked = await steps.healthCheck([outputs.webUrl, outputs.apiUrl]);
  await steps.deployment("finish", {
    "deployment-id": started.outputs["deployment-id"] ?? "",
    status: "success",
    "environment-url": outputs.webUrl,
  });
  await steps.comment("ready", {
    urls: lines({ web: outputs.webUrl, api: outputs.apiUrl }),
    digests,
    timings: lines({
      ...(buildSeconds === undefined ? {} : { build: buildSeconds.toFixed(1) }),
      preview: preview.outputs["duration-seconds"] ?? "0",
      up: up.outputs["duration-seconds"] ?? "0",
      "health-check": checked.seconds.toFixed(1),
    }),
  });
}

function showDigests(images: Images, previous: Images = {}): void {
  for (const [name, ref] of Object.entries(images)) {
    const change =
      previous[name] === undefined ? "" : previous[name] === ref ? " (unchanged)" : " (new)";
    line(`  digest ${name}: ${digestOf(ref)}${change}`);
  }
}

export async function playStory(world: World): Promise<void> {
  const reviewer = createReviewer(world.github.state);
  const opened: WorkflowRun = { runId: 9001, trigger: "opened", head: COMMITS.A };
  const pushed: WorkflowRun = { runId: 9002, trigger: "synchronize", head: COMMITS.B };
  const closed: WorkflowRun = { runId: 9003, trigger: "closed", head: COMMITS.B };

  heading(`1. Open: PR #${PR} at ${COMMITS.A.slice(0, 7)}, build web and api`);
  const first = await buildImages(world, opened, checkout(world.root, "A"), ["web", "api"]);
  showDigests(first.images);

  heading(`2. Check the base stack ${BASE_STACK}`);
  const openSteps = workflowSteps(world, reviewer, opened);
  const base = await openSteps.verifyBase();
  const { domain } = JSON.parse(base.outputs.outputs ?? "{}") as { domain: string };

  heading(`3-4. Preview and deploy ${STACK} into ${ENVIRONMENT}`);
  await deploy(world, openSteps, opened, first.images, first.seconds, domain);

  heading(`5. Push an update: ${COMMITS.B.slice(0, 7)} changes web only`);
  world.github.state.addPull(OWNER, REPO, PR, {
    ...world.github.state.pull(OWNER, REPO, PR),
    headSha: COMMITS.B,
  });
  const rebuilt = await buildImages(world, pushed, checkout(world.root, "B"), ["web"]);
  const second = { ...first.images, ...rebuilt.images };
  showDigests(second, first.images);
  await deploy(
    world,
    workflowSteps(world, reviewer, pushed),
    pushed,
    second,
    rebuilt.seconds,
    domain,
  );

  heading(`6. Close: destroy ${STACK}, delete ${NAMESPACE}, deactivate, mark destroyed`);
  const closeSteps = workflowSteps(world, reviewer, closed);
  await closeSteps.pulumi("destroy", { "remove-stack": "true", message: `PR #${PR} closed` });
  await closeSteps.cleanupNamespace();
  await closeSteps.deployment("deactivate");
  await closeSteps.comment("destroyed", { digests: lines(digestsOf(second)) });
}
