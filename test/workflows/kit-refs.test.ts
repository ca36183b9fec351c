/**
 * A consumer repository built from the examples (the shop, test/workflow-runner/shop.ts)
 * calling the kit at a tag, at a branch and at a full SHA, as `uses:
 * OWNER/REPO/.github/workflows/<name>.yml@<ref>`: a pull request's preview, its merge, and
 * production promoting what the preview ran, through the local runner. The kit is a git
 * repository of this checkout's files with three sibling commits, one per ref kind, each of
 * whose bundles prints its own mark (`kit build: <kind>`) when it starts: the runner fetches
 * the kit at the ref the consumer named (RunnerOptions.packageAt, as GitHub fetches a
 * reusable workflow's repository at its ref) and resolves every nested `$/` in that checkout,
 * so every kit action that ran printing that ref's mark, and no other, proves the nested
 * workflows and actions ran from exactly that commit.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigstoreStandIn, type SigstoreStandIn } from "../support/sigstore.js";
import { type Git, gitIn, kitRepository } from "../support/kit-repository.js";
import { failureLines } from "../workflow-runner/records.js";
import type { WorkflowRun } from "../workflow-runner/runner.js";
import { startShop, type Shop } from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";
import type { PackageCheckout } from "../workflow-runner/uses.js";

const { A, MERGE } = COMMIT;
const KINDS = ["tag", "branch", "sha"] as const;
type Kind = (typeof KINDS)[number];

withDocker("a consumer calling the kit at a tag, a branch and a full SHA", () => {
  let temp: string;
  let git: Git;
  let kit: string;
  let sigstore: SigstoreStandIn;
  const commits = {} as Record<Kind, string>;
  const checkouts = new Map<string, PackageCheckout>();

  const hasRef = (ref: string) => {
    try {
      git(kit, "show-ref", "--verify", "--quiet", ref);
      return true;
    } catch {
      return false;
    }
  };
  /** The kit at a ref as GitHub fetches it: the commit the ref names, its tree. */
  const packageAt = (ref: string): PackageCheckout => {
    const full = /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : hasRef(`refs/tags/${ref}`)
        ? `refs/tags/${ref}`
        : `refs/heads/${ref}`;
    const sha = git(kit, "rev-parse", "--verify", `${full}^{commit}`);
    const key = `${full}@${sha}`;
    const known = checkouts.get(key);
    if (known) return known;
    const root = join(temp, "kit-at", sha);
    if (!existsSync(root)) git(kit, "worktree", "add", "--quiet", "--detach", root, sha);
    const checkout = { root, sha, ref: full };
    checkouts.set(key, checkout);
    return checkout;
  };

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "kit-refs-"));
    git = gitIn(temp);
    kit = join(temp, "kit");
    const base = kitRepository(kit, git);
    // One commit per ref kind, each on the base: its bundles print its mark first.
    for (const kind of KINDS) {
      git(kit, "checkout", "--quiet", "--detach", base);
      for (const name of readdirSync(join(kit, "dist")))
        if (existsSync(join(kit, "dist", name, "index.js")))
          appendFileSync(
            join(kit, "dist", name, "index.js"),
            `\nprocess.stdout.write("kit build: ${kind}\\n");\n`,
          );
      git(kit, "commit", "--quiet", "--no-verify", "-am", `kit build: ${kind}`);
      commits[kind] = git(kit, "rev-parse", "HEAD");
    }
    git(kit, "tag", "v1", commits.tag);
    git(kit, "branch", "next", commits.branch);
    git(kit, "checkout", "--quiet", "main");
    sigstore = await createSigstoreStandIn();
  }, 5 * 60_000);

  afterAll(async () => {
    sigstore?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  const refOf = (kind: Kind) => (kind === "tag" ? "v1" : kind === "branch" ? "next" : commits.sha);

  /** Every kit bundle that ran in the run printed this mark (and the count of them). */
  const marks = (run: WorkflowRun) =>
    run.record.jobs.flatMap((job) => job.log).filter((line) => line.startsWith("kit build: "));

  describe.each(KINDS)("at a %s", (kind) => {
    let shop: Shop;
    afterAll(async () => {
      await shop?.close();
    });

    it(
      "deploys the pull request's preview and promotes it to production, every nested workflow and action from that ref's commit",
      async () => {
        shop = await startShop({
          sigstore,
          kitRef: refOf(kind),
          runner: { packageAt, approve: async () => true },
        });
        shop.commit(A, "web at A");
        shop.openPull(7, A);
        const preview = shop.preview("opened", 7, A);
        expect(await preview.done, failureLines(preview.record).join("\n")).toBe("success");
        const previewed = shop.images("acme/app/pr-7");
        expect(previewed?.web).toMatch(/@sha256:[0-9a-f]{64}$/);

        const closed = shop.closePull(7, A, MERGE);
        expect(await closed.done, failureLines(closed.record).join("\n")).toBe("success");
        const production = shop.runner.trigger(
          ".github/workflows/production.yml",
          shop.pushEvent(MERGE),
        );
        expect(await production.done, failureLines(production.record).join("\n")).toBe("success");
        expect(shop.images("acme/app/production")).toEqual(previewed);

        const expected = packageAt(refOf(kind));
        expect(expected.sha).toBe(commits[kind]);
        for (const run of [preview, closed, production]) {
          const seen = marks(run);
          expect(seen.length, run.record.workflow).toBeGreaterThan(2);
          expect(new Set(seen), run.record.workflow).toEqual(new Set([`kit build: ${kind}`]));
          // Each reusable workflow, at every depth, was read from that commit's tree.
          const calls = run.record.log
            .map((line) => / calls (\S+) \((\S+)\)$/.exec(line))
            .filter((match): match is RegExpExecArray => match !== null);
          expect(calls.length, run.record.workflow).toBeGreaterThan(0);
          for (const [, uses, path] of calls)
            expect(path, `${run.record.workflow}: ${uses}`).toMatch(
              new RegExp(`^${expected.root}/\\.github/workflows/`),
            );
          if (run === preview)
            expect(calls.map(([, uses]) => uses)).toContain("$/.github/workflows/deploy.yml");
        }
      },
      RUN_TIMEOUT_MS,
    );
  });
});
