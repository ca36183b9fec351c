/**
 * The stale-preview sweep through the local runner: a preview whose pull request closed
 * without its cleanup running (a missed event) is destroyed by the scheduled sweep example,
 * through the same cleanup-preview.yml a close runs; an open one stays.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { failureLines } from "../workflow-runner/records.js";
import { MAIN_SHA, OWNER, REPO, startShop, type Shop } from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

const schedule = {
  name: "schedule",
  sha: MAIN_SHA,
  ref: "refs/heads/main",
  payload: { schedule: "17 3 * * *", repository: { full_name: `${OWNER}/${REPO}` } },
};

withDocker("the stale-preview sweep through the local runner", () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
    shop.commit(COMMIT.A, "web at A");
  });
  afterAll(() => shop?.close());

  it(
    "destroys the preview of a pull request closed without its cleanup, and keeps an open one",
    async () => {
      shop.openPull(9, COMMIT.A);
      const opened = shop.preview("opened", 9, COMMIT.A);
      expect(await opened.done, failureLines(opened.record).join("\n")).toBe("success");
      expect(shop.stack("acme/app/pr-9")?.deployed).toBe(true);
      // #9 closes, but no cleanup runs (the event was missed). #10 is open and was active
      // today: its environment is all the sweep reads of it.
      shop.github.state.pull(OWNER, REPO, 9)!.state = "closed";
      shop.openPull(10, COMMIT.A);
      shop.github.state.pull(OWNER, REPO, 10)!.updatedAt = new Date().toISOString();
      const store = deploymentStore(shop.github.state);
      store.ensureEnvironment(OWNER, REPO, "preview-pr-10");

      const swept = shop.runner.trigger(".github/workflows/sweep.yml", schedule);
      expect(await swept.done, failureLines(swept.record).join("\n")).toBe("success");
      expect(shop.stack("acme/app/pr-9")).toBeUndefined();
      expect(store.activeIn(OWNER, REPO, "preview-pr-9")).toEqual([]);
      expect(shop.github.state.commentsOf(OWNER, REPO, 9).at(-1)?.body).toMatch(/destroyed/i);
      // #9 alone was found stale, and one cleanup ran.
      const find = swept.record.jobs.find((job) => job.path === "sweep / Find the stale previews");
      expect(find?.outputs["pr-numbers"]).toBe("[9]");
      const destroys = swept.record.jobs.filter((job) => job.path.endsWith("Destroy the preview"));
      expect(destroys.map((job) => job.result)).toEqual(["success"]);
    },
    RUN_TIMEOUT_MS,
  );
});
