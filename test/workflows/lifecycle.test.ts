/**
 * A pull request's life through the example workflows, run by the local runner
 * (test/workflow-runner) as GitHub would run them: open, build, deploy, push, approve, close,
 * merge to dev and production. Real: GitHub's workflow parser and expression language,
 * bash with the runner's command lines, the bundled actions, the Docker engine and the
 * registry on 127.0.0.1:5000 (images FROM scratch). Stand-ins: the GitHub API (emulator),
 * the third-party actions and `gh` (named in the runner's log), and for now the Pulumi CLI
 * double (ShopOptions.engines deploys on the real engines instead, as the demo does).
 *
 * Scenarios for issue 13's findings (each failed on the workflows before the fix): finding 1
 * is here; 2 and 8 in lifecycle-cancel.test.ts; 3 in lifecycle-races.test.ts.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { createSigstoreStandIn, type SigstoreStandIn } from "../support/sigstore.js";
import { failureLines } from "../workflow-runner/records.js";
import type { ApprovalRequest } from "../workflow-runner/run-state.js";
import { OWNER, REPO, startShop, type Shop } from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

const { A, B, MERGE } = COMMIT;
const digest = (ref: string | undefined) => ref?.split("@")[1];

withDocker("the example workflows through the local runner", () => {
  let shop: Shop;
  const approvals: ApprovalRequest[] = [];
  /** The web image the merged head's preview ran: what production must deploy. */
  let previewed: string | undefined;
  let previewedImages: Record<string, string> | undefined;
  let sigstore: SigstoreStandIn;
  beforeAll(async () => {
    sigstore = await createSigstoreStandIn();
    shop = await startShop({
      sigstore,
      runner: {
        approve: async (request) => {
          approvals.push(request);
          return true;
        },
      },
    });
    shop.commit(A, "web at A");
    shop.commit(B, "web at B");
  });
  afterAll(async () => {
    sigstore?.close();
    await shop?.close();
  });

  it(
    "opens, pushes, waits for approval, closes and merges to dev",
    async () => {
      shop.openPull(7, A);
      const opened = shop.preview("opened", 7, A);
      expect(await opened.done, failureLines(opened.record).join("\n")).toBe("success");
      const atA = shop.images("acme/app/pr-7");
      expect(atA?.web).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(atA?.web?.split("@")[0]).toBe(`${shop.imagePrefix}web`);
      const store = deploymentStore(shop.github.state);
      const [deployment] = store.activeIn(OWNER, REPO, "preview-pr-7");
      expect(store.latest(deployment?.id ?? 0)?.state).toBe("success");
      // Every package action ran as $/actions/<name>: the package at the running commit.
      const kitSteps = opened.record.jobs
        .flatMap((job) => job.log)
        .filter((line) => line.startsWith("$/actions/"));
      expect(kitSteps.length).toBeGreaterThan(5);
      for (const line of kitSteps)
        expect(line).toMatch(/^\$\/actions\/[\w-]+: this package at the running commit$/);
      const comment = shop.github.state.commentsOf(OWNER, REPO, 7).at(-1)?.body ?? "";
      expect(comment).toContain(digest(atA?.web) ?? "no digest");

      // A push: web changes (api too, by its revision label).
      shop.push(7, B);
      const pushed = shop.preview("synchronize", 7, B);
      expect(await pushed.done, failureLines(pushed.record).join("\n")).toBe("success");
      const atB = shop.images("acme/app/pr-7");
      expect(atB?.web).not.toBe(atA?.web);
      previewed = atB?.web;
      previewedImages = atB;
      // The preview's images job attested them itself (the runner's attest stand-in).

      // An author without write access: the deploy waits for a reviewer of preview-approval.
      shop.openPull(8, A, "octo-contributor");
      const untrusted = shop.preview("opened", 8, A);
      expect(await untrusted.done, failureLines(untrusted.record).join("\n")).toBe("success");
      expect(approvals.map((a) => a.environment)).toContain("preview-approval");
      expect(shop.stack("acme/app/pr-8")?.deployed).toBe(true);

      // Merged: the close cleans up, the push to main deploys dev.
      const closed = shop.closePull(7, B, MERGE);
      const dev = shop.runner.trigger(".github/workflows/dev.yml", shop.pushEvent(MERGE));
      expect(await closed.done, failureLines(closed.record).join("\n")).toBe("success");
      expect(await dev.done, failureLines(dev.record).join("\n")).toBe("success");
      expect(shop.stack("acme/app/pr-7")).toBeUndefined();
      expect(store.activeIn(OWNER, REPO, "preview-pr-7")).toEqual([]);
      // Built again on main (its labels name the merge commit), so its own digest.
      const devWeb = shop.images("acme/app/dev")?.web;
      expect(devWeb).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(devWeb?.split("@")[0]).toBe(`${shop.imagePrefix}web`);
    },
    RUN_TIMEOUT_MS,
  );

  // Finding 1: the payload deployment-status stores has pr and preview_kit besides the
  // images, and the gate in deploy.yml wants every value a string.
  it(
    "deploys to production what the merged pull request's preview ran, after approval, whatever Deployments an insider forged",
    async () => {
      // An insider with deployments: write records newer "previews" of the merged head: their
      // own image's digest, and an extra image. Production passes over both: no attestation.
      const store = deploymentStore(shop.github.state);
      const insider = `${shop.imagePrefix}web@sha256:${"6".repeat(64)}`;
      for (const images of [
        { web: insider, api: previewedImages?.api },
        { web: previewed, api: insider.replace("/web@", "/api@"), worker: insider },
      ])
        store.addDeployment(OWNER, REPO, {
          sha: B,
          environment: "preview-pr-7",
          creator: "github-actions[bot]",
          payload: { images, pr: 7, preview_kit: { run_id: 1 } },
        });
      const production = shop.runner.trigger(
        ".github/workflows/production.yml",
        shop.pushEvent(MERGE),
      );
      expect(await production.done, failureLines(production.record).join("\n")).toBe("success");
      // The promote job decided, from the attestations: both images verified.
      const promote = production.record.jobs.find((job) =>
        job.path.endsWith("Verify what is promoted"),
      );
      expect(promote?.outputs["image-refs"]).toBeDefined();
      expect(JSON.parse(promote?.outputs["image-refs"] ?? "{}")).toEqual(previewedImages);
      expect(approvals.map((a) => a.environment)).toContain("production");
      expect(digest(shop.images("acme/app/production")?.web)).toBe(digest(previewed));
    },
    RUN_TIMEOUT_MS,
  );
});
