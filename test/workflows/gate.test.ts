/**
 * deploy.yml's gate (the deploy-gate action) through the local runner, on the example
 * workflows of the shop: what an environment open to any branch and a stack with nothing to
 * health-check do to a real run. Each failed on the workflows before deploy-gate: dev
 * deployed from an environment any branch could reach, and a preview with no URL output was
 * marked a success and commented "Ready" without any check.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { annotationLines, failureLines } from "../workflow-runner/records.js";
import { OWNER, REPO, startShop, WORK_DIR, type Shop } from "../workflow-runner/shop.js";
import { RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

const NO_URL = "d".repeat(40);
const DEV_AT = "e".repeat(40);

withDocker("deploy.yml's gate through the local runner", () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
    shop.commit(DEV_AT, "web for dev");
    // A commit whose Pulumi program outputs no URL at all.
    shop.commit(NO_URL, "web without a URL");
    const program = join(shop.root, "trees", NO_URL, WORK_DIR, ".pulumi-double.json");
    const parsed = JSON.parse(readFileSync(program, "utf8")) as { outputs: object };
    writeFileSync(program, JSON.stringify({ ...parsed, outputs: { note: "no URL here" } }));
  });
  afterAll(() => shop?.close());

  it(
    "deploys nothing to a dev environment any branch may deploy to, and says what to set",
    async () => {
      deploymentStore(shop.github.state).ensureEnvironment(OWNER, REPO, "dev").branchPolicy =
        undefined;
      const dev = shop.runner.trigger(".github/workflows/dev.yml", shop.pushEvent(DEV_AT));
      expect(await dev.done).toBe("failure");
      const gate = dev.record.jobs.find((job) => job.path.endsWith("Check inputs and author"));
      expect(gate?.result).toBe("failure");
      expect(annotationLines(gate!).filter((line) => line.startsWith("error"))).toEqual([
        "error: Unprotected environment: Environment 'dev' lets any branch deploy to it: in Settings > Environments > dev > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch rule 'main'",
      ]);
      expect(shop.stack("acme/app/dev")).toBeUndefined();
      expect(deploymentStore(shop.github.state).activeIn(OWNER, REPO, "dev")).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "fails a preview with no URL to check: neither its Deployment nor its comment says ready",
    async () => {
      shop.openPull(30, NO_URL);
      const opened = shop.preview("opened", 30, NO_URL);
      expect(await opened.done).toBe("failure");
      expect(failureLines(opened.record).join("\n")).toContain(
        "No stack output among url-outputs (url, webUrl, apiUrl) holds an http(s) URL",
      );
      const store = deploymentStore(shop.github.state);
      const deployments = store
        .deploymentsOf(OWNER, REPO)
        .filter((d) => d.environment === "preview-pr-30");
      expect(deployments).toHaveLength(1);
      expect(store.latest(deployments[0]!.id)?.state).toBe("failure");
      const comment = shop.github.state.commentsOf(OWNER, REPO, 30).at(-1)?.body ?? "";
      expect(comment).not.toContain("Ready");
      expect(comment).toContain("Failed");
    },
    RUN_TIMEOUT_MS,
  );
});
