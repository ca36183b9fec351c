/**
 * `npm run demo`: one pull request's whole life through the example workflows, run by the
 * local runner (test/workflow-runner) as GitHub would run them: open, push, approve, merge
 * (cleanup and dev), production. Every step is named real or stand-in. Exits 1 when a run
 * fails or something of the pull request is left.
 */
import { deploymentStore } from "../test/emulators/github/routes/deployments.js";
import { GH_STAND_IN_BIN, type WorkflowRun } from "../test/workflow-runner/runner.js";
import { OWNER, REPO, REVIEWER, startShop } from "../test/workflow-runner/shop.js";
import { STAND_INS } from "../test/workflow-runner/stand-ins.js";
import { heading, job, line } from "./demo/print.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const MERGE = "c".repeat(40);
const PR = 7;

const began = performance.now();
const shop = await startShop({
  runner: {
    approve: async (request) => {
      line(
        `  reviewer ${REVIEWER} approves '${request.job}' in environment ${request.environment}`,
      );
      return true;
    },
  },
});
const failed: string[] = [];

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
  ])
    line(`  real: ${part}`);
  for (const part of [
    `GitHub API: the GitHub emulator (test/emulators/github) at ${shop.github.url}, job tokens with their permissions`,
    `gh: a stand-in for 'gh api' (${GH_STAND_IN_BIN}/gh)`,
    `third-party actions: ${Object.keys(STAND_INS).join(", ")} (test/workflow-runner/stand-ins.ts)`,
    "Pulumi: the Pulumi CLI double (test/emulators/pulumi/bin/pulumi) with an emulated Pulumi Cloud, org acme",
    "the deployed app: a local HTTP server the health check reaches",
  ])
    line(`  stand-in: ${part}`);

  shop.commit(A, "<h1>Hello</h1>");
  shop.commit(B, "<h1>Hello, reviewer</h1>");
  shop.openPull(PR, A);
  await show(`1. Open: PR #${PR} at ${A.slice(0, 7)} (preview.yml)`, [
    shop.preview("opened", PR, A),
  ]);
  shop.push(PR, B);
  await show(`2. Push: ${B.slice(0, 7)} (preview.yml)`, [shop.preview("synchronize", PR, B)]);
  await show(`3. Merge: cleanup.yml and dev.yml`, [
    shop.closePull(PR, B, MERGE),
    shop.runner.trigger(".github/workflows/dev.yml", shop.pushEvent(MERGE)),
  ]);
  await show("4. Production: production.yml, after approval", [
    shop.runner.trigger(".github/workflows/production.yml", shop.pushEvent(MERGE)),
  ]);

  const store = deploymentStore(shop.github.state);
  const active = store.activeIn(OWNER, REPO, `preview-pr-${PR}`).length;
  const stack = shop.stack(`acme/shop/pr-${PR}`);
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  heading(`5. End state (${seconds}s in all)`);
  line(`active deployments of preview-pr-${PR}: ${active}`);
  line(`stack acme/shop/pr-${PR}: ${stack ? "still there" : "removed"}`);
  line(`stack acme/shop/dev: web ${shop.images("acme/shop/dev")?.web ?? "not deployed"}`);
  line(
    `stack acme/shop/production: web ${shop.images("acme/shop/production")?.web ?? "not deployed"}`,
  );
  if (active > 0 || stack) failed.push(`pull request #${PR} left something behind`);
  line(
    failed.length === 0
      ? "every run succeeded and nothing is left."
      : `failed: ${failed.join("; ")}`,
  );
} finally {
  await shop.close();
}
process.exitCode = failed.length === 0 ? 0 : 1;
