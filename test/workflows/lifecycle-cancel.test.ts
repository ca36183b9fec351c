/**
 * Issue 13, findings 2 and 8, through the local runner. Finding 2: the preview's deploy is
 * cancel-in-progress, the runner's SIGINT reaches only the action's node process, and the
 * `pulumi up` it started dies with the job, leaving its lock. Finding 8: no step names a
 * shell, so every step runs as `bash -e {0}` and a failed `curl | jq` writes an empty OIDC
 * token and succeeds (the run itself is in lifecycle-races.test.ts, whose Pulumi is quick).
 * Both failed on the workflows before the fix.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../harness/paths.js";
import { failureLines } from "../workflow-runner/records.js";
import { shellCommandLine } from "../workflow-runner/shell.js";
import { startShop, type Shop } from "../workflow-runner/shop.js";
import { COMMIT, RUN_TIMEOUT_MS, withDocker } from "../workflow-runner/suite.js";

const { A, B } = COMMIT;

withDocker("a newer push while `pulumi up` runs", () => {
  let shop: Shop;
  beforeAll(async () => {
    // Long enough that the job's end, not the up itself, ends it unless SIGINT reaches it.
    shop = await startShop({ upMs: 60_000 });
    shop.commit(A, "web at A");
    shop.commit(B, "web at B");
  });
  afterAll(() => shop?.close());

  it(
    "leaves no lock: the newer run deploys and the cleanup destroys",
    async () => {
      shop.openPull(9, A);
      const first = shop.preview("opened", 9, A);
      // Until `pulumi up` holds the stack's lock (the double's lock file).
      const lock = join(shop.pulumi.stateDir, "locks", "acme", "shop", "pr-9.json");
      const began = Date.now();
      while (!existsSync(lock) && Date.now() - began < RUN_TIMEOUT_MS)
        await new Promise((resolve) => setTimeout(resolve, 100));
      shop.push(9, B);
      const second = shop.preview("synchronize", 9, B);
      await first.done;
      expect(await second.done, failureLines(second.record).join("\n")).toBe("success");
      const closed = shop.closePull(9, B);
      expect(await closed.done, failureLines(closed.record).join("\n")).toBe("success");
      expect(shop.stack("acme/shop/pr-9")).toBeUndefined();
    },
    RUN_TIMEOUT_MS,
  );
});

interface ShellSpec {
  defaults?: { run?: { shell?: string } };
}
interface StepSpec {
  run?: string;
  shell?: string;
  name?: string;
}
interface FileSpec extends ShellSpec {
  jobs?: Record<string, ShellSpec & { steps?: StepSpec[] }>;
  runs?: { steps?: StepSpec[] };
}

describe("the shell every run: step gets", () => {
  it("is bash with pipefail, in the package's workflows, the examples and composite actions", () => {
    const yamlIn = (dir: string) =>
      readdirSync(join(repoRoot, dir))
        .filter((file) => /\.ya?ml$/.test(file))
        .map((file) => `${dir}/${file}`);
    const composites = readdirSync(join(repoRoot, "actions"))
      .map((name) => `actions/${name}/action.yml`)
      // actions/shared and actions/tsconfig.json are no actions.
      .filter((file) => existsSync(join(repoRoot, file)))
      .filter(
        (file) =>
          (parse(readFileSync(join(repoRoot, file), "utf8")) as FileSpec | null)?.runs?.steps,
      );
    const weak: string[] = [];
    for (const file of [
      ...yamlIn(".github/workflows"),
      ...yamlIn("action-docs/examples"),
      ...composites,
    ]) {
      const spec = parse(readFileSync(join(repoRoot, file), "utf8")) as FileSpec;
      const jobs = Object.entries(spec.jobs ?? {}).map(([id, job]) => ({
        id,
        steps: job.steps ?? [],
        shell: job.defaults?.run?.shell ?? spec.defaults?.run?.shell,
      }));
      if (spec.runs?.steps)
        jobs.push({ id: "composite", steps: spec.runs.steps, shell: undefined });
      for (const job of jobs)
        for (const step of job.steps) {
          if (step.run === undefined) continue;
          const { line } = shellCommandLine(step.shell ?? job.shell);
          if (line !== "bash --noprofile --norc -eo pipefail {0}")
            weak.push(`${file} ${job.id} '${step.name ?? step.run.split("\n")[0]}': ${line}`);
        }
    }
    expect(weak).toEqual([]);
  });
});
