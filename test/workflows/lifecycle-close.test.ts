/**
 * Issue 24, item 4: a close always wins. A pull request's preview runs and its cleanup take
 * turns in the concurrency group preview-kit-pr-N. With GitHub's default (`queue: single`) a
 * group keeps one pending holder, and a newcomer cancels it: a cleanup waiting behind a deploy
 * in progress was cancelled by the next preview run of the same pull request (a push's, or a
 * re-run of an old run), which then found the pull request closed and deployed nothing, so
 * the first deploy's preview stayed up with nothing left to remove it. The runner models
 * `queue:` (test/workflow-runner/concurrency.ts); each scenario holds the first run's deploy
 * job (Shop.hold) to order the race, and ends with nothing deployed.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { failureLines } from "../workflow-runner/records.js";
import type { WorkflowRun } from "../workflow-runner/runner.js";
import { OWNER, REPO, startShop, type Shop } from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

const { A, B } = COMMIT;
const DEPLOY = "preview / preview / Deploy";
const COLLECT = "images / Collect the digests";

withDocker("a close racing the preview runs of its pull request", () => {
  let shop: Shop;
  const lines: string[] = [];
  beforeAll(async () => {
    shop = await startShop({ log: (line) => lines.push(line) });
    shop.commit(A, "web at A");
    shop.commit(B, "web at B");
  });
  afterAll(() => shop?.close());

  /** Until a log line matches (the runner's concurrency decisions are logged, not recorded). */
  async function logged(pattern: RegExp): Promise<void> {
    const began = Date.now();
    while (!lines.some((line) => pattern.test(line))) {
      if (Date.now() - began > RUN_TIMEOUT_MS) throw new Error(`never logged: ${pattern}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Until the run's `start` job has finished: its deploy job is then held (Shop.hold). */
  async function reached(run: WorkflowRun): Promise<void> {
    const began = Date.now();
    const started = () =>
      run.record.jobs.find((job) => job.path === "preview / preview / Start the deployment");
    while (!started()?.finishedAt) {
      if (Date.now() - began > RUN_TIMEOUT_MS) throw new Error(`run ${run.id} never started`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(started()?.result, failureLines(run.record).join("\n")).toBe("success");
  }

  function nothingLeft(pr: number, cleanup: WorkflowRun) {
    expect(cleanup.record.jobs.map((job) => `${job.path}: ${job.result}`)).toContain(
      "cleanup / Destroy the preview: success",
    );
    expect(shop.stack(`acme/app/pr-${pr}`)).toBeUndefined();
    expect(deploymentStore(shop.github.state).activeIn(OWNER, REPO, `preview-pr-${pr}`)).toEqual(
      [],
    );
    expect(shop.github.state.commentsOf(OWNER, REPO, pr).at(-1)?.body).toContain("Destroyed");
  }

  it(
    "push, then close while the previous deploy runs: the cleanup is not cancelled, nothing stays",
    async () => {
      shop.openPull(51, A);
      const first = shop.preview("opened", 51, A);
      const releaseDeploy = shop.hold(first.id, DEPLOY);
      await reached(first);
      // A push: its build runs (outside the group); held before its preview job enters it.
      shop.push(51, B);
      const pushed = shop.preview("synchronize", 51, B);
      const releasePushed = shop.hold(pushed.id, COLLECT);
      // The close: its cleanup waits behind the first run's deploy.
      const cleanup = shop.closePull(51, B);
      await logged(new RegExp(`concurrency preview-kit-pr-51: run ${cleanup.id} .* waits for`));
      // The push's preview job enters the group after the cleanup.
      releasePushed();
      await logged(new RegExp(`concurrency preview-kit-pr-51: run ${pushed.id} .* waits for`));
      releaseDeploy();
      expect(await first.done, failureLines(first.record).join("\n")).toBe("success");
      expect(await cleanup.done, failureLines(cleanup.record).join("\n")).toBe("success");
      expect(await pushed.done, failureLines(pushed.record).join("\n")).toBe("success");
      nothingLeft(51, cleanup);
      // The push's run came after the cleanup: it found the pull request closed.
      expect(lines.join("\n")).not.toContain(
        `run ${cleanup.id} cleanup / Destroy the preview: Canceling`,
      );
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    "a re-run of an old preview run after the close neither cancels the cleanup nor deploys",
    async () => {
      shop.openPull(52, A);
      const event = shop.pullRequestEvent("pull_request", "opened", 52, A);
      const first = shop.runner.trigger(".github/workflows/preview.yml", event);
      const releaseDeploy = shop.hold(first.id, DEPLOY);
      await reached(first);
      const cleanup = shop.closePull(52, A);
      await logged(new RegExp(`concurrency preview-kit-pr-52: run ${cleanup.id} .* waits for`));
      // "Re-run all jobs" of the first run: the same event (its payload says open).
      const rerun = shop.runner.trigger(".github/workflows/preview.yml", event);
      await logged(new RegExp(`concurrency preview-kit-pr-52: run ${rerun.id} .* waits for`));
      releaseDeploy();
      expect(await first.done, failureLines(first.record).join("\n")).toBe("success");
      expect(await cleanup.done, failureLines(cleanup.record).join("\n")).toBe("success");
      expect(await rerun.done, failureLines(rerun.record).join("\n")).toBe("success");
      nothingLeft(52, cleanup);
      // And a re-run once the cleanup is done deploys nothing either.
      const late = shop.runner.trigger(".github/workflows/preview.yml", event);
      expect(await late.done, failureLines(late.record).join("\n")).toBe("success");
      nothingLeft(52, cleanup);
    },
    2 * RUN_TIMEOUT_MS,
  );
});
