/**
 * Issue 13, findings 2 and 8, through the local runner. Finding 2: the preview's deploy was
 * cancel-in-progress, the runner's SIGINT reaches only the action's node process, and the
 * `pulumi up` it started dies with the job, leaving its lock. The fixed workflows no longer
 * cancel a deploy (a newer push waits its turn); a cancel by hand still SIGINTs the step.
 * Finding 8: no step named a shell, so every step ran as `bash -e {0}` and a failed
 * `curl | jq` wrote an empty OIDC token and succeeded (the run itself is in
 * lifecycle-races.test.ts, whose Pulumi is quick). Both failed on the workflows before the fix.
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
    // Long enough that a push lands while `up` holds the lock, and that the runner's SIGTERM
    // (7.5 s) and kill (2.5 s later) come before the up ends by itself; short enough that
    // three of them (two ups, the cleanup's destroy) fit in one RUN_TIMEOUT_MS.
    shop = await startShop({ upMs: 20_000 });
    shop.commit(A, "web at A");
    shop.commit(B, "web at B");
  });
  afterAll(() => shop?.close());

  /** The double's lock file of a preview stack, once `pulumi up` holds it. */
  async function locked(pr: number): Promise<string> {
    const lock = join(shop.pulumi.stateDir, "locks", "acme", "app", `pr-${pr}.json`);
    const began = Date.now();
    while (!existsSync(lock) && Date.now() - began < RUN_TIMEOUT_MS)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return lock;
  }

  it(
    "leaves no lock: the newer run deploys and the cleanup destroys",
    async () => {
      shop.openPull(9, A);
      const first = shop.preview("opened", 9, A);
      await locked(9);
      shop.push(9, B);
      const second = shop.preview("synchronize", 9, B);
      await first.done;
      expect(await second.done, failureLines(second.record).join("\n")).toBe("success");
      const closed = shop.closePull(9, B);
      expect(await closed.done, failureLines(closed.record).join("\n")).toBe("success");
      expect(shop.stack("acme/app/pr-9")).toBeUndefined();
    },
    RUN_TIMEOUT_MS,
  );

  // Cancelled by hand mid-`up`: the runner's SIGINT reaches only the action's node process.
  // Leaving no lock needs pulumi-deploy to forward SIGINT to its `pulumi` child and wait for
  // it (actions/shared/exec.ts, from h/signals); without that the orphaned up is SIGKILLed
  // at the job's end and its lock stays.
  it(
    "a run cancelled while `pulumi up` runs leaves no lock",
    async () => {
      shop.openPull(13, A);
      const run = shop.preview("opened", 13, A);
      const lock = await locked(13);
      expect(existsSync(lock)).toBe(true);
      run.cancel();
      expect(await run.done).toBe("cancelled");
      expect(existsSync(lock)).toBe(false);
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
