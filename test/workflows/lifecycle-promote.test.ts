/**
 * Production's promotion on the paths that are not the everyday one, through the local runner
 * and the consumer's copies of the examples (test/workflow-runner/shop.ts), each as its actor
 * plays it: a digest the kit's build attested for ANOTHER pull request offered through a
 * forged Deployment; the dispatch path (a `workflow_dispatch` preview with typed image inputs,
 * then the merge); a merge whose head was never previewed; a merge queue (its merge_group
 * run builds and attests the queue's commit through the runner, production promotes exactly
 * that; another entry's build, or a behind head's preview, offered for it is refused). A
 * refusal is one line per image naming what and why (and what to do), and deploys nothing.
 * Also the close of a pull request that was never previewed, and Dependabot's pull requests.
 * Only the merge queue's run builds images here: elsewhere the references are the kit's
 * build's in form, signed as its attest job signs them (shop.attestPreview), and the Pulumi
 * double deploys them without pulling.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { createSigstoreStandIn, type SigstoreStandIn } from "../support/sigstore.js";
import { failureLines } from "../workflow-runner/records.js";
import type { WorkflowRun } from "../workflow-runner/runner.js";
import {
  MAIN_SHA,
  OWNER,
  REPO,
  REPOSITORY,
  startShop,
  type Shop,
} from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

/** A commit id: `c` repeated to 40 hex characters. */
const sha = (c: string) => c.repeat(40 / c.length);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** References of the shop's image repositories, with digests of `c`. */
const refsIn = (prefix: string) => (c: string) => ({
  web: `${prefix}web@sha256:${c.repeat(64)}`,
  api: `${prefix}api@sha256:${c.repeat(64).replace(/^./, "0")}`,
});
/** The error annotations: one per refused image, or the one of a refusal. */
const errors = (run: WorkflowRun) =>
  run.record.jobs.flatMap((job) =>
    job.annotations.filter((a) => a.level === "error").map((a) => a.message),
  );
const jobRan = (run: WorkflowRun, name: string) =>
  run.record.jobs.some((job) => job.path.includes(name) && job.result !== "skipped");
/** Only production's promote job ran: nothing was planned, approved or deployed. */
const onlyPromoteRan = (run: WorkflowRun) =>
  run.record.jobs.filter((job) => job.result !== "skipped").map((job) => job.path);

withDocker("promotion paths through the local runner", () => {
  let shop: Shop;
  let sigstore: SigstoreStandIn;
  const refs = (c: string) => refsIn(shop.imagePrefix)(c);
  const store = () => deploymentStore(shop.github.state);
  const productionDeployments = () =>
    store()
      .deploymentsOf(OWNER, REPO)
      .filter((d) => d.environment === "production")
      .map((d) => d.id);

  /** A head on top of main as it is now, with the tree of commit A. */
  const head = (c: string) => {
    const id = sha(c);
    shop.github.state.addCommit(OWNER, REPO, id, [shop.mainHead()], `head ${c}`);
    shop.alias(id, COMMIT.A);
    return id;
  };
  /** Merges as GitHub does (main moves, no workflow runs); the merge has A's tree too. */
  const merge = (number: number, at: string, mergeSha: string) => {
    shop.merge(number, at, mergeSha);
    shop.alias(mergeSha, COMMIT.A);
  };
  const production = (mergeSha: string) =>
    shop.runner.trigger(".github/workflows/production.yml", shop.pushEvent(mergeSha));
  /** The images the merge queue's Deployments of a commit recorded (the newest). */
  const queued = (commit: string) =>
    store()
      .deploymentsOf(OWNER, REPO)
      .filter((d) => d.environment === "merge-queue" && d.sha === commit)
      .map((d) => (d.payload as { images?: Record<string, string> }).images)
      .at(-1);
  /** An insider (deployments: write) records `images` as the merge queue's build of `commit`. */
  const forgeQueueRecord = (commit: string, images: Record<string, string>) =>
    store().addDeployment(OWNER, REPO, {
      sha: commit,
      environment: "merge-queue",
      creator: "github-actions[bot]",
      payload: { images, preview_kit: { run_id: 1 } },
    });
  let queueImages: Record<string, string> = {};

  beforeAll(async () => {
    sigstore = await createSigstoreStandIn();
    shop = await startShop({ sigstore, runner: { approve: async () => true } });
    shop.commit(COMMIT.A, "web at A");
    // The consumer's copy of the dispatch path's deploy workflow (images in the local registry).
    const example = readFileSync(
      join(process.cwd(), "action-docs", "examples", "preview-dispatch-deploy.yml"),
      "utf8",
    ).replaceAll("ghcr.io/acme/shop/", shop.imagePrefix);
    writeFileSync(
      join(shop.root, "repository", ".github", "workflows", "preview-dispatch-deploy.yml"),
      example,
    );
  });
  afterAll(async () => {
    sigstore?.close();
    await shop?.close();
  });

  it(
    "deploys through the dispatch path: typed inputs, then the merge promotes exactly those images",
    async () => {
      const H = head("1");
      shop.openPull(12, H);
      const images = refs("1");
      // preview-dispatch-build.yml's dispatch: its inputs are strings in the event, as
      // `gh workflow run -f` sends them; the runner types them as GitHub does (pr_number a
      // number, which deploy-preview.yml's number input requires).
      const dispatched = shop.runner.trigger(".github/workflows/preview-dispatch-deploy.yml", {
        name: "workflow_dispatch",
        sha: H,
        ref: "refs/heads/feature-12",
        payload: {
          ref: "refs/heads/feature-12",
          inputs: { pr_number: "12", head_sha: H, web_image: images.web, api_image: images.api },
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: "octo-developer" },
        },
      });
      expect(await dispatched.done, failureLines(dispatched.record).join("\n")).toBe("success");
      expect(shop.images("acme/app/pr-12")).toEqual(images);
      // The build of the dispatch path ran on pull_request (its attest job signs there).
      await shop.attestPreview(12, H, images);

      merge(12, H, sha("a1"));
      const promoted = production(sha("a1"));
      expect(await promoted.done, failureLines(promoted.record).join("\n")).toBe("success");
      expect(shop.images("acme/app/production")).toEqual(images);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "refuses a digest the kit's build attested for another pull request, deploying nothing",
    async () => {
      // Pull request 10 was previewed and attested: its images are the kit's genuine build.
      const H10 = head("2");
      shop.openPull(10, H10);
      const theirs = refs("2");
      await shop.attestPreview(10, H10, theirs);
      // An insider (deployments: write) records them as pull request 11's preview, which
      // never had one, and 11 is merged.
      const H11 = head("3");
      shop.openPull(11, H11);
      store().addDeployment(OWNER, REPO, {
        sha: H11,
        environment: "preview-pr-11",
        creator: "github-actions[bot]",
        payload: { images: theirs, pr: 11, preview_kit: { run_id: 1 } },
      });
      const before = productionDeployments();
      merge(11, H11, sha("a2"));
      const refused = production(sha("a2"));
      expect(await refused.done).toBe("failure");
      expect(errors(refused)).toEqual([
        `Image 'web' (${theirs.web}) is not proven: it was built for refs/pull/10/merge, not pull request #11 (refs/pull/11/merge)`,
        `Image 'api' (${theirs.api}) is not proven: it was built for refs/pull/10/merge, not pull request #11 (refs/pull/11/merge)`,
      ]);
      expect(onlyPromoteRan(refused)).toEqual([expect.stringMatching(/Verify what is promoted$/)]);
      expect(productionDeployments()).toEqual(before);
      expect(shop.images("acme/app/production")).toEqual(refs("1"));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "a merge whose head was never previewed ends in one line saying what to do",
    async () => {
      const H = head("4");
      shop.openPull(13, H);
      merge(13, H, sha("a3"));
      const refused = production(sha("a3"));
      expect(await refused.done).toBe("failure");
      expect(errors(refused)).toEqual([
        `No preview of the merged head ${H} of pull request #13 was recorded, so nothing proves what to promote: make the preview workflow a required status check (a pull request then merges only once its head was built and attested), or run the preview by dispatch on that head before merging`,
      ]);
      expect(shop.images("acme/app/production")).toEqual(refs("1"));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "a merge queue: its merge_group run builds and attests the queue's commit, and production promotes exactly that",
    async () => {
      // Pull request 14 branched off main before the merges above: its head is behind.
      const H = sha("5");
      shop.github.state.addCommit(OWNER, REPO, H, [MAIN_SHA]);
      shop.alias(H, COMMIT.A);
      shop.openPull(14, H);
      const M = sha("a4");
      const group = shop.runner.trigger(".github/workflows/preview.yml", shop.enqueue(14, H, M));
      expect(await group.done, failureLines(group.record).join("\n")).toBe("success");
      // No preview stack for a merge group: it built, attested and recorded the queue's commit.
      expect(jobRan(group, "preview")).toBe(false);
      const built = queued(M);
      expect(Object.keys(built ?? {}).sort()).toEqual(["api", "web"]);
      const attested = shop.github.requests
        .all()
        .filter((r) => r.method === "POST" && r.path.endsWith("/attestations"));
      expect(attested.length).toBeGreaterThanOrEqual(2);

      shop.mergeQueued(14, M);
      const promoted = production(M);
      expect(await promoted.done, failureLines(promoted.record).join("\n")).toBe("success");
      expect(shop.images("acme/app/production")).toEqual(built);
      queueImages = built ?? {};
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "a merge group of two pull requests: main moves to the last entry's commit, and production promotes that entry's build, which holds both",
    async () => {
      // GitHub's "Managing a merge queue": each entry's merge_group run tests the queue's commit
      // for it, which holds the entries before it; merging the group moves the branch to the
      // last entry's commit in one push, and each pull request's merge commit is its own entry's.
      const H22 = sha("7");
      const H23 = sha("8");
      for (const [number, head] of [
        [22, H22],
        [23, H23],
      ] as const) {
        shop.github.state.addCommit(OWNER, REPO, head, [MAIN_SHA]);
        // Trees of their own, so that each entry's build has its own digests.
        shop.commit(head, `<h1>#${number}</h1>`);
        shop.openPull(number, head);
      }
      const Q22 = sha("b2");
      const Q23 = sha("b3");
      const first = shop.runner.trigger(
        ".github/workflows/preview.yml",
        shop.enqueue(22, H22, Q22),
      );
      expect(await first.done, failureLines(first.record).join("\n")).toBe("success");
      const second = shop.runner.trigger(
        ".github/workflows/preview.yml",
        shop.enqueue(23, H23, Q23, Q22),
      );
      expect(await second.done, failureLines(second.record).join("\n")).toBe("success");
      const built = queued(Q23);
      expect(Object.keys(built ?? {}).sort()).toEqual(["api", "web"]);

      shop.mergeQueued(22, Q22);
      shop.mergeQueued(23, Q23);
      // One push, to the last entry's commit: production runs for it alone.
      const promoted = production(Q23);
      expect(await promoted.done, failureLines(promoted.record).join("\n")).toBe("success");
      expect(shop.images("acme/app/production")).toEqual(built);
      expect(built).not.toEqual(queued(Q22));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "refuses another queue entry's attestation, and a behind head's preview attestation, offered for the queue's commit",
    async () => {
      const before = productionDeployments();
      const deployed = shop.images("acme/app/production");
      // Pull request 16 is queued behind main; its merge_group run never recorded its build
      // (cancelled). An insider records pull request 14's genuine queue build for its commit.
      const H16 = sha("6");
      shop.github.state.addCommit(OWNER, REPO, H16, [MAIN_SHA]);
      shop.alias(H16, COMMIT.A);
      shop.openPull(16, H16);
      const M16 = sha("a6");
      shop.enqueue(16, H16, M16);
      forgeQueueRecord(M16, queueImages);
      shop.mergeQueued(16, M16);
      const other = production(M16);
      expect(await other.done).toBe("failure");
      const ref14 = `refs/heads/gh-readonly-queue/main/pr-14-${sha("5")}`;
      const ref16 = `refs/heads/gh-readonly-queue/main/pr-16-${H16}`;
      expect(errors(other)).toEqual(
        ["web", "api"].map(
          (name) =>
            `Image '${name}' (${queueImages[name]}) is not proven: it was built for ${ref14}, not the merge queue's entry of pull request #16 (${ref16})`,
        ),
      );
      expect(onlyPromoteRan(other)).toEqual([expect.stringMatching(/Verify what is promoted$/)]);

      // Pull request 17's preview was attested at its head, which was behind when the queue
      // merged it: its images lack main's commits, whoever offers them.
      const H17 = sha("7");
      shop.github.state.addCommit(OWNER, REPO, H17, [MAIN_SHA]);
      shop.alias(H17, COMMIT.A);
      shop.openPull(17, H17);
      await shop.attestPreview(17, H17, refs("7"));
      const M17 = sha("a7");
      shop.enqueue(17, H17, M17);
      forgeQueueRecord(M17, refs("7"));
      shop.mergeQueued(17, M17);
      const stale = production(M17);
      expect(await stale.done).toBe("failure");
      const behind = errors(stale);
      expect(behind).toHaveLength(2);
      for (const [index, name] of ["web", "api"].entries())
        expect(behind[index]).toMatch(
          new RegExp(
            `^Image '${name}' \\(${escape(refs("7")[name as "web"])}\\) is not proven: it was built from the head ${H17} of pull request #17, which was \\d+ commit\\(s\\) behind the branch when merged: only the merge queue's build of the merged commit is promoted then$`,
          ),
        );

      // Without any record of the queue's build, a behind head ends in one line saying what to do.
      const H18 = sha("8");
      shop.github.state.addCommit(OWNER, REPO, H18, [MAIN_SHA]);
      shop.alias(H18, COMMIT.A);
      shop.openPull(18, H18);
      const M18 = sha("a8");
      shop.enqueue(18, H18, M18);
      shop.mergeQueued(18, M18);
      const unrecorded = production(M18);
      expect(await unrecorded.done).toBe("failure");
      expect(errors(unrecorded)).toEqual([
        expect.stringMatching(
          /^Pull request #18 was \d+ commit\(s\) behind the branch when merged: its preview lacks them, so its images are not promoted; update the branch and preview again, and require branches to be up to date before merging, or merge through a merge queue whose merge_group run builds the merged commit \(action-docs\/examples\/preview\.yml\)$/,
        ),
      ]);
      expect(productionDeployments()).toEqual(before);
      expect(shop.images("acme/app/production")).toEqual(deployed);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "the close of a pull request never previewed comments nothing; Dependabot's are neither previewed nor cleaned up",
    async () => {
      const H = head("9");
      shop.openPull(19, H);
      const closed = shop.closePull(19, H);
      expect(await closed.done, failureLines(closed.record).join("\n")).toBe("success");
      expect(shop.github.state.commentsOf(OWNER, REPO, 19)).toEqual([]);

      const D = head("e");
      shop.openPull(20, D, "dependabot[bot]");
      const preview = shop.preview("opened", 20, D);
      expect(await preview.done).toBe("success");
      expect(jobRan(preview, "images")).toBe(false);
      expect(shop.stack("acme/app/pr-20")).toBeUndefined();
      const cleanup = shop.closePull(20, D);
      expect(await cleanup.done).toBe("success");
      expect(cleanup.record.jobs.every((job) => job.result === "skipped")).toBe(true);
      expect(shop.github.state.commentsOf(OWNER, REPO, 20)).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "a preview workflow that does not skip Dependabot: its run gets only Dependabot secrets, and the gate deploys nothing, saying why in one line",
    async () => {
      // A consumer's copy without the example's Dependabot condition.
      const path = join(shop.root, "repository", ".github", "workflows", "preview.yml");
      const document = parseDocument(readFileSync(path, "utf8"));
      document.setIn(["jobs", "images", "if"], "github.event_name == 'pull_request'");
      writeFileSync(path.replace("preview.yml", "preview-all.yml"), document.toString());
      const D = head("f");
      shop.openPull(21, D, "dependabot[bot]");
      const run = shop.runner.trigger(
        ".github/workflows/preview-all.yml",
        shop.pullRequestEvent("pull_request", "opened", 21, D),
      );
      expect(await run.done).toBe("failure");
      expect(run.record.log).toContain(
        "started by dependabot[bot] on pull_request: a read-only token by default and only Dependabot secrets",
      );
      expect(errors(run)).toEqual([
        "This run was started by dependabot[bot] on pull_request: GitHub gives it only Dependabot secrets (no environment's Pulumi token) and a read-only token by default, so nothing is deployed; skip Dependabot's pull requests in the calling workflow (github.event.pull_request.user.login != 'dependabot[bot]', as action-docs/examples/preview.yml does)",
      ]);
      expect(shop.stack("acme/app/pr-21")).toBeUndefined();
      expect(
        store()
          .deploymentsOf(OWNER, REPO)
          .filter((d) => d.environment === "preview-pr-21"),
      ).toEqual([]);
      // Nothing was planned or deployed: only the build and the gate ran (which secrets such
      // a run gets is the runner's own test, test/workflow-runner/runner.test.ts).
      expect(jobRan(run, "Preview the changes")).toBe(false);
      expect(jobRan(run, "Start the deployment")).toBe(false);
      expect(jobRan(run, "Deploy")).toBe(false);
    },
    RUN_TIMEOUT_MS,
  );
});
