/**
 * `npm run demo`: one pull request's whole life through the example workflows, run by the
 * local runner (test/workflow-runner) as GitHub would run them: open, push, approve, merge
 * (cleanup and dev), production. Every step is named real or stand-in. With the engines of
 * `npm run engines` built and a node possible here (root, .ci/run's Debian packages) it
 * deploys for real (the Pulumi CLI and the Kubernetes provider on a control plane with a real
 * node and PostgreSQL, the kit's app program as the consumer's infra): the preview's pods
 * answer, and its answer is printed while it is open and its absence after close. Else it runs
 * on the Pulumi CLI double, and says which and why. Exits 1 when a run fails or something of
 * the pull request is left.
 */
import { deploymentStore } from "../test/emulators/github/routes/deployments.js";
import { GH_STAND_IN_BIN, type WorkflowRun } from "../test/workflow-runner/runner.js";
import {
  IMAGE_PREFIX,
  KIT_WORK_DIR,
  OWNER,
  REPO,
  REVIEWER,
  startShop,
} from "../test/workflow-runner/shop.js";
import { STAND_INS } from "../test/workflow-runner/stand-ins.js";
import { leftovers } from "../test/support/node.js";
import { createSigstoreStandIn } from "../test/support/sigstore.js";
import { type Answer, findEngines, setUpPlatform, type Platform } from "./demo/platform.js";
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
  imagePrefix: IMAGE_PREFIX,
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

/** One `curl`-like line per URL: what this machine gets from it. */
async function curl(real: Platform, urls: string[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const url of urls) {
    const answer = await real.get(url);
    answers.push(answer);
    line(`$ curl ${url}`);
    line(
      answer.error
        ? `  no answer: ${answer.error}`
        : `  HTTP ${answer.status}\n${(answer.body ?? "").replace(/^/gm, "  | ")}`,
    );
  }
  return answers;
}

/** The open preview as its user gets it: its answers, its role and database. */
async function openPreview(real: Platform): Promise<string[]> {
  heading(`The open preview pr-${PR}, from this machine`);
  const urls = real.output(`organization/app/pr-${PR}`, "serviceUrls") as string[];
  const answers = await curl(real, urls);
  if (!answers.every((answer) => answer.status === 200))
    failed.push(`the open preview pr-${PR} did not answer`);
  line(`on the PostgreSQL server: ${(await real.previewDatabases()).join(", ") || "nothing"}`);
  return urls;
}

/** After close and the janitor's sweep: no answer, no workload, no role, no database. */
async function closedPreview(real: Platform, urls: string[]): Promise<void> {
  heading(`The closed preview pr-${PR}`);
  // The janitor drops only the databases of previews whose namespace is gone.
  await real.cluster.waitFor(
    `namespace preview-pr-${PR} deleted`,
    async () => !(await real.namespaceExists(`preview-pr-${PR}`)),
    180_000,
  );
  await real.sweepDatabases();
  line("the database janitor's next sweep completed (its CronJob, run by the cronjob controller)");
  const answers = await curl(real, urls);
  const workloads = await real.previewWorkloads(PR);
  line(`pods and Jobs of pr-${PR}: ${workloads.join(", ") || "none"}`);
  const databases = await real.previewDatabases();
  line(`on the PostgreSQL server: ${databases.join(", ") || "no role or database of a preview"}`);
  if (answers.some((answer) => !answer.error) || workloads.length > 0 || databases.length > 0)
    failed.push(`the closed preview pr-${PR} left something behind`);
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
          "Kubernetes: etcd, kube-apiserver and kube-controller-manager, driven by the Kubernetes provider pulumi-resource-kubernetes; every readiness awaited",
          "the node: Debian's containerd and runc, kubelet, kube-scheduler, kube-proxy (nftables), CoreDNS, a CNI bridge (test/support/node.ts); the workflows' images pulled by digest from the registry on 127.0.0.1:5000",
          "PostgreSQL 15 (Debian's, in an image built FROM scratch): preview-base's server, each preview's role and database made by the kit's Job with psql, the janitor's sweep",
          "the app: preview-kit-app (test/engines/node-images) in the images the workflows build; the API reads its preview's database with the preview's own role; `/app migrate` is its migration Job",
          `the consumer's infra: the kit's programs/app (${KIT_WORK_DIR}), stacks pr-N (namespace preview-pr-N), dev and production (namespaces app-dev, app-production) on the same node`,
          "the health check: the kit's health-check action on the Services' URLs (url-outputs: serviceUrls), from the runner on the node",
          "the database janitor: its CronJob run every minute by kube-controller-manager's cronjob controller",
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
          "Gateway API CRDs: schema-less ones (the release cannot be downloaded); no gateway controller, so the routes' hostnames do not answer",
          "NetworkPolicy: stored, not enforced (the bridge CNI enforces none)",
        ]
      : [
          `Pulumi: the Pulumi CLI double (test/emulators/pulumi/bin/pulumi) with an emulated Pulumi Cloud, org acme (real engines not used: ${found.reason})`,
          "the deployed app: a local HTTP server the health check reaches",
        ]),
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
  const previewUrls = platform ? await openPreview(platform) : [];
  await shop.attestPreview(PR, B, platform?.images(`organization/app/pr-${PR}`));
  await show(`3. Merge: cleanup.yml and dev.yml`, [
    shop.closePull(PR, B, MERGE),
    shop.runner.trigger(".github/workflows/dev.yml", shop.pushEvent(MERGE)),
  ]);
  if (platform) await closedPreview(platform, previewUrls);
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
  if (platform) {
    await platform.stop();
    // The node's teardown: no process, mount or file of it is left. Only what is under its own
    // directory: the bridge, cgroups and nft tables have fixed names, and the next suite
    // waiting for the node's lock may have made them again already (node.test.ts checks them).
    const left = leftovers(platform.cluster.node?.dir).filter((item) =>
      /^(process|mount|directory) /.test(item),
    );
    line(`the node's processes, mounts and directory left: ${left.join(", ") || "none"}`);
    if (left.length > 0) failed.push("the node left something on this machine");
  }
}
process.exitCode = failed.length === 0 ? 0 : 1;
