/**
 * Issue 13, finding 3, through the local runner: the images job runs outside the preview's
 * concurrency group and nothing checks the pull request before `up`, so a close during the
 * build is followed by a deploy, and an older run whose build finishes later ships older
 * images. The runner holds a job before it starts (Shop.hold) to order the race.
 * Also finding 8 with an AWS role whose OIDC token cannot be had.
 * Each failed on the workflows before the fix.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseDocument } from "yaml";
import type { WorkflowRun } from "../workflow-runner/runner.js";
import { startShop, type Shop } from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

const { A, B } = COMMIT;
const COLLECT = "images / Collect the digests";

/** Until both build legs of a run have finished (pushed their images). */
async function built(run: WorkflowRun): Promise<void> {
  const began = Date.now();
  const legs = () =>
    run.record.jobs.filter((j) => j.path.startsWith("images / Build") && j.finishedAt);
  while (legs().length < 2 && Date.now() - began < RUN_TIMEOUT_MS)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

withDocker("preview runs racing a close or each other", () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
    shop.commit(A, "web at A");
    shop.commit(B, "web at B");
  });
  afterAll(() => shop?.close());

  it(
    "deploys nothing after a close that came during the build",
    async () => {
      shop.openPull(10, A);
      const opened = shop.preview("opened", 10, A);
      const release = shop.hold(opened.id, COLLECT);
      const closed = shop.closePull(10, A);
      expect(await closed.done).toBe("success");
      release();
      await opened.done;
      expect(shop.stack("acme/app/pr-10")).toBeUndefined();
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "never lets an older run's images overwrite a newer run's",
    async () => {
      shop.openPull(11, A);
      const older = shop.preview("opened", 11, A);
      const release = shop.hold(older.id, COLLECT);
      await built(older);
      shop.push(11, B);
      const newer = shop.preview("synchronize", 11, B);
      expect(await newer.done).toBe("success");
      const atB = shop.images("acme/app/pr-11");
      release();
      await older.done;
      expect(shop.images("acme/app/pr-11")).toEqual(atB);
    },
    RUN_TIMEOUT_MS,
  );

  // Finding 8: without pipefail a failed `curl | jq` writes an empty OIDC token and succeeds.
  it(
    "stops before Pulumi when the OIDC token cannot be had",
    async () => {
      // The consumer's preview with AWS roles (the deploy's, and the plan's read-only one: without
      // it the plan has no AWS credentials by design): the emulator has no OIDC issuer.
      const workflows = join(shop.root, "repository", ".github", "workflows");
      const document = parseDocument(readFileSync(join(workflows, "preview.yml"), "utf8"));
      document.setIn(
        ["jobs", "preview", "with", "aws-role-arn"],
        "arn:aws:iam::123456789012:role/previews",
      );
      document.setIn(
        ["jobs", "preview", "with", "aws-plan-role-arn"],
        "arn:aws:iam::123456789012:role/previews-read-only",
      );
      writeFileSync(join(workflows, "preview-aws.yml"), document.toString());
      shop.openPull(12, A);
      const event = shop.pullRequestEvent("pull_request", "opened", 12, A);
      const run = shop.runner.trigger(".github/workflows/preview-aws.yml", event);
      expect(await run.done).toBe("failure");
      const engine = shop.pulumi
        .calls()
        .filter(
          (c) => c.argv.includes("acme/app/pr-12") && ["up", "preview"].includes(c.argv[0] ?? ""),
        );
      expect(engine).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );
});
