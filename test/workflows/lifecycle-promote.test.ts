/**
 * Production's promotion on the paths that are not the everyday one, through the local runner
 * and the consumer's copies of the examples (test/workflow-runner/shop.ts), each as its actor
 * plays it: a digest the kit's build attested for ANOTHER pull request offered through a
 * forged Deployment; the dispatch path (a `workflow_dispatch` preview with typed image inputs,
 * then the merge); a merge whose head was never previewed; a merge queue. A refusal is one
 * line naming what and why (and what to do), and deploys nothing. Also the close of a pull
 * request that was never previewed, and Dependabot's pull requests. No image is built here:
 * the references are the kit's build's in form, signed as its attest job signs them
 * (shop.attestPreview), and the Pulumi double deploys them without pulling.
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
  IMAGE_PREFIX,
  OWNER,
  REPO,
  REPOSITORY,
  startShop,
  type Shop,
} from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

/** A commit id: `c` repeated to 40 hex characters. */
const sha = (c: string) => c.repeat(40 / c.length);
const refs = (c: string) => ({
  web: `${IMAGE_PREFIX}web@sha256:${c.repeat(64)}`,
  api: `${IMAGE_PREFIX}api@sha256:${c.repeat(64).replace(/^./, "0")}`,
});
/** The error annotations' lines: one per refused image, or the one line of a refusal. */
const errors = (run: WorkflowRun) =>
  run.record.jobs.flatMap((job) =>
    job.annotations.filter((a) => a.level === "error").flatMap((a) => a.message.split("\n")),
  );
const jobRan = (run: WorkflowRun, name: string) =>
  run.record.jobs.some((job) => job.path.includes(name) && job.result !== "skipped");
/** Only production's promote job ran: nothing was planned, approved or deployed. */
const onlyPromoteRan = (run: WorkflowRun) =>
  run.record.jobs.filter((job) => job.result !== "skipped").map((job) => job.path);

withDocker("promotion paths through the local runner", () => {
  let shop: Shop;
  let sigstore: SigstoreStandIn;
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

  beforeAll(async () => {
    sigstore = await createSigstoreStandIn();
    shop = await startShop({ sigstore, runner: { approve: async () => true } });
    shop.commit(COMMIT.A, "web at A");
    // The consumer's copy of the dispatch path's deploy workflow (images in the local registry).
    const example = readFileSync(
      join(process.cwd(), "action-docs", "examples", "preview-dispatch-deploy.yml"),
      "utf8",
    ).replaceAll("ghcr.io/acme/shop/", IMAGE_PREFIX);
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
    "refuses a merge queue with one line: its merge_group run, and the push of a head it merged behind",
    async () => {
      // A repository that turns the queue on adds merge_group to its workflows.
      const path = join(shop.root, "repository", ".github", "workflows", "production.yml");
      const document = parseDocument(readFileSync(path, "utf8"));
      document.setIn(["on", "merge_group"], null);
      writeFileSync(path.replace("production.yml", "production-queue.yml"), document.toString());
      const H = head("5");
      shop.openPull(14, H);
      const queued = sha("a4");
      shop.github.state.addCommit(OWNER, REPO, queued, [shop.mainHead(), H]);
      const group = shop.runner.trigger(".github/workflows/production-queue.yml", {
        name: "merge_group",
        sha: queued,
        ref: `refs/heads/gh-readonly-queue/main/pr-14-${H}`,
        payload: {
          action: "checks_requested",
          merge_group: {
            head_sha: queued,
            head_ref: `refs/heads/gh-readonly-queue/main/pr-14-${H}`,
            base_sha: shop.mainHead(),
            base_ref: "refs/heads/main",
          },
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: "octo-developer" },
        },
      });
      expect(await group.done).toBe("failure");
      expect(errors(group)).toEqual([
        "Merge queues are not supported yet: production promotes a pull request's previewed head, and a merge group builds a commit no preview attested; merge without the queue (or turn it off for this branch)",
      ]);
      // The queue merged a head that was behind main (pull request 15 branched off before 14
      // merged): the push's promotion says so, and what to do.
      const old = shop.mainHead();
      merge(14, H, sha("a5"));
      const H15 = sha("6");
      shop.github.state.addCommit(OWNER, REPO, H15, [old]);
      shop.alias(H15, COMMIT.A);
      shop.openPull(15, H15);
      await shop.attestPreview(15, H15, refs("6"));
      merge(15, H15, sha("a6"));
      const behind = production(sha("a6"));
      expect(await behind.done).toBe("failure");
      expect(errors(behind)).toEqual([
        "Pull request #15 was 2 commit(s) behind the branch when merged: its preview lacks them, so its images are not promoted; update the branch and preview again, and require branches to be up to date before merging (a merge queue merges heads that are behind: production does not support merge queues)",
      ]);
      expect(shop.images("acme/app/production")).toEqual(refs("1"));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "the close of a pull request never previewed comments nothing; Dependabot's are neither previewed nor cleaned up",
    async () => {
      const H = head("7");
      shop.openPull(16, H);
      const closed = shop.closePull(16, H);
      expect(await closed.done, failureLines(closed.record).join("\n")).toBe("success");
      expect(shop.github.state.commentsOf(OWNER, REPO, 16)).toEqual([]);

      const D = head("8");
      shop.openPull(17, D, "dependabot[bot]");
      const preview = shop.preview("opened", 17, D);
      expect(await preview.done).toBe("success");
      expect(jobRan(preview, "images")).toBe(false);
      expect(shop.stack("acme/app/pr-17")).toBeUndefined();
      const cleanup = shop.closePull(17, D);
      expect(await cleanup.done).toBe("success");
      expect(cleanup.record.jobs.every((job) => job.result === "skipped")).toBe(true);
      expect(shop.github.state.commentsOf(OWNER, REPO, 17)).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );
});
