/**
 * `npm run demo`: one pull request's whole life through the example workflows, run by the
 * local runner (test/workflow-runner) as GitHub would run them: open, push, approve, merge
 * (cleanup and dev), production. Every step is named real or stand-in. With the engines of
 * `npm run engines` built it deploys for real (the Pulumi CLI and the Kubernetes provider on a
 * control plane, the kit's app program as the consumer's infra), else on the Pulumi CLI
 * double, and says which and why. Exits 1 when a run fails or something of the pull request
 * is left.
 */
import { deploymentStore } from "../test/emulators/github/routes/deployments.js";
import { GH_STAND_IN_BIN, type WorkflowRun } from "../test/workflow-runner/runner.js";
import { KIT_WORK_DIR, OWNER, REPO, REVIEWER, startShop } from "../test/workflow-runner/shop.js";
import { STAND_INS } from "../test/workflow-runner/stand-ins.js";
import { createSigstoreStandIn } from "../test/support/sigstore.js";
import { findEngines, setUpPlatform, type Platform } from "./demo/platform.js";
import { heading, job, line } from "./demo/print.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const MERGE = "c".repeat(40);
const PR = 7;

const began = performance.now();
const found = findEngines();
let platform: Platform | undefined;
if (found.bin) {
  heading("Setup: the platform team, once (real engines from npm run engines)");
  platform = await setUpPlatform(found.bin, (text) => line(`  ${text}`));
}
// Sigstore's own mock services sign what build-images' attest job would (the local runner
// has no Sigstore); production verifies the attestations against their trusted root.
const sigstore = await createSigstoreStandIn();
const shop = await startShop({
  engines: platform?.engines,
  sigstore,
  runner: {
    approve: async (request) => {
      line(
        `  reviewer ${REVIEWER} approves '${request.job}' in environment ${request.environment}`,
      );
      return true;
    },
  },
}).catch(async (error: unknown) => {
  await platform?.stop();
  throw error;
});
const failed: string[] = [];

/** The end state as the double holds it; true when something of the pull request is left. */
function doubleEndState(): boolean {
  const stack = shop.stack(`acme/app/pr-${PR}`);
  line(`stack acme/app/pr-${PR}: ${stack ? "still there" : "removed"}`);
  for (const name of ["acme/app/dev", "acme/app/production"])
    line(`stack ${name}: web ${shop.images(name)?.web ?? "not deployed"}`);
  return Boolean(stack);
}

/** The end state read from the file backend and the API server; true when something is left. */
async function realEndState(real: Platform): Promise<boolean> {
  const stacks = real.stacks();
  const preview = `organization/app/pr-${PR}`;
  const stackLeft = stacks.includes(preview);
  line(`stack ${preview} in the file backend: ${stackLeft ? "still there" : "removed"}`);
  const namespaceLeft = await real.namespaceExists(`preview-pr-${PR}`);
  line(
    `namespace preview-pr-${PR} on the API server: ${namespaceLeft ? "still there" : "deleted"}`,
  );
  for (const name of ["organization/app/dev", "organization/app/production"]) {
    const images = stacks.includes(name) ? real.images(name) : undefined;
    line(
      `stack ${name}: ${images ? `web ${images.web}, api ${images.api} (pulumi stack export)` : "not deployed"}`,
    );
  }
  return stackLeft || namespaceLeft;
}

async function show(title: string, runs: WorkflowRun[]): Promise<void> {
  heading(title);
  for (const run of runs) {
    const result = await run.done;
    line(`run ${run.id} ${run.record.workflow}: ${result}`);
    for (const record of run.record.jobs) job(record);
    for (const text of run.record.log.filter((l) => l.startsWith("startup failure")))
      line(`  ${text}`);
    if (result !== "success") failed.push(`${run.record.workflow} (run ${run.id}): ${result}`);
  }
}

try {
  heading("0. The parts");
  for (const part of [
    "workflow parsing and reusable-workflow expansion: GitHub's @actions/workflow-parser",
    "expressions (if:, ${{ }}): GitHub's @actions/expressions",
    "run: steps: bash with the runner's command lines (bash -e {0}, bash --noprofile --norc -eo pipefail {0})",
    "this package's actions: node dist/<name>/index.js; composite actions step by step",
    "build-image: the Docker engine and the registry on 127.0.0.1:5000 (FROM scratch)",
    ...(platform
      ? [
          `Pulumi: the Pulumi CLI from npm run engines (${found.bin}) on a file:// backend with the passphrase secrets provider; the Node.js SDK runs the programs`,
          "Kubernetes: etcd, kube-apiserver and kube-controller-manager (deployment, replicaset, resourcequota controllers) on 127.0.0.1, driven by the Kubernetes provider pulumi-resource-kubernetes",
          `the consumer's infra: the kit's programs/app (${KIT_WORK_DIR}), stacks pr-N (namespace preview-pr-N), dev and production (namespaces app-dev, app-production) on the same control plane`,
        ]
      : []),
  ])
    line(`  real: ${part}`);
  for (const part of [
    `GitHub API: the GitHub emulator (test/emulators/github) at ${shop.github.url}, job tokens with their permissions`,
    `gh: a stand-in for 'gh api' (${GH_STAND_IN_BIN}/gh)`,
    `third-party actions: ${Object.keys(STAND_INS).join(", ")} (test/workflow-runner/stand-ins.ts)`,
    ...(platform
      ? [
          "pulumi-language-nodejs: our own language host (test/engines/pulumi-language-nodejs), which only starts the real Node.js SDK (the Go module proxy refuses Pulumi's)",
          "Gateway API CRDs: schema-less ones (the release cannot be downloaded); no gateway controller",
          "no kubelet or scheduler: no pod runs, so the programs skip readiness waits (pulumi.com/skipAwait)",
        ]
      : [
          `Pulumi: the Pulumi CLI double (test/emulators/pulumi/bin/pulumi) with an emulated Pulumi Cloud, org acme (real engines not used: ${found.reason})`,
          "the deployed app: a local HTTP server the health check reaches",
        ]),
  ])
    line(`  stand-in: ${part}`);
  if (platform)
    line(
      "  skipped: the health check: no pod runs, so the app's URLs cannot answer (url-outputs empty in the consumer's workflows)",
    );

  shop.commit(A, "<h1>Hello</h1>");
  shop.commit(B, "<h1>Hello, reviewer</h1>");
  shop.openPull(PR, A);
  await show(`1. Open: PR #${PR} at ${A.slice(0, 7)} (preview.yml)`, [
    shop.preview("opened", PR, A),
  ]);
  shop.push(PR, B);
  await show(`2. Push: ${B.slice(0, 7)} (preview.yml)`, [shop.preview("synchronize", PR, B)]);
  await shop.attestPreview(PR, B, platform?.images(`organization/app/pr-${PR}`));
  await show(`3. Merge: cleanup.yml and dev.yml`, [
    shop.closePull(PR, B, MERGE),
    shop.runner.trigger(".github/workflows/dev.yml", shop.pushEvent(MERGE)),
  ]);
  await show("4. Production: production.yml, after approval", [
    shop.runner.trigger(".github/workflows/production.yml", shop.pushEvent(MERGE)),
  ]);

  const store = deploymentStore(shop.github.state);
  const active = store.activeIn(OWNER, REPO, `preview-pr-${PR}`).length;
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  heading(`5. End state (${seconds}s in all)`);
  line(`active deployments of preview-pr-${PR}: ${active}`);
  const left = platform ? await realEndState(platform) : doubleEndState();
  if (active > 0 || left) failed.push(`pull request #${PR} left something behind`);
  line(
    failed.length === 0
      ? "every run succeeded and nothing is left."
      : `failed: ${failed.join("; ")}`,
  );
} finally {
  await shop.close();
  await platform?.stop();
}
process.exitCode = failed.length === 0 ? 0 : 1;
