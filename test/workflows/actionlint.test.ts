/**
 * The real actionlint (v1.7.x, built from its Go module by `npm run engines`) with Debian's
 * shellcheck over every workflow and example, and shellcheck over every composite action's
 * scripts (actionlint lints workflows, not action.yml files).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../harness/paths.js";
import { allActions } from "../support/actions.js";
import {
  actionlint,
  actionlintBinary,
  shellcheck,
  type Step,
  workflowPaths,
} from "../support/workflows.js";

const tools = actionlintBinary();

describe.skipIf(!tools)("actionlint 1.7 with shellcheck", () => {
  const paths = workflowPaths();

  it("is actionlint 1.7.x", () => {
    const version = spawnSync(tools!.actionlint, ["-version"], { encoding: "utf8" }).stdout;
    expect(version).toMatch(/^v1\.7\.\d+/);
  });

  it("has the repository's workflows and the example workflows to check", () => {
    expect(paths.filter((p) => p.startsWith(".github/workflows/")).length).toBeGreaterThanOrEqual(
      9,
    );
    expect(
      paths.filter((p) => p.startsWith("action-docs/examples/")).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it.each(paths)("reports nothing on %s", async (path) => {
    expect(await actionlint(path, readFileSync(join(repoRoot, path), "utf8"))).toEqual([]);
  });

  it("does report a known mistake, and shellcheck's findings (the linters really run)", async () => {
    const bad = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.title }}",
      "      - run: echo $UNQUOTED",
      "      - run: echo hi",
      "    concurrency:",
      "      group: g",
      "      queue: max",
    ].join("\n");
    const findings = (await actionlint("bad.yml", bad)).join("\n");
    expect(findings).toContain("potentially untrusted");
    expect(findings).toContain("SC2086");
  });
});

const composites = allActions.filter(
  (name) =>
    parse(readFileSync(join(repoRoot, "actions", name, "action.yml"), "utf8")).runs.using ===
    "composite",
);
const checker = shellcheck();

describe.skipIf(!checker)("shellcheck over the composite actions", () => {
  it("has composite actions to check", () => {
    expect(composites).toEqual(expect.arrayContaining(["aws-credentials", "health-check"]));
  });

  it.each(composites)("reports nothing on actions/%s", (name) => {
    const spec = parse(readFileSync(join(repoRoot, "actions", name, "action.yml"), "utf8"));
    const steps = (spec.runs.steps as Step[]).filter((step) => step.run !== undefined);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.shell, `every run: step of actions/${name} names bash`).toBe("bash");
      const result = spawnSync(checker!, ["--shell=bash", "--format=gcc", "-"], {
        input: step.run,
        encoding: "utf8",
      });
      expect(result.stdout, `actions/${name}`).toBe("");
      expect(result.status).toBe(0);
    }
  });
});
