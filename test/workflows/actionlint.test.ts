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
  asActionlintSees,
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

  // The one exception for GitHub's self-repository syntax (see asActionlintSees).
  it("rejects $/ as is, and is clean once $/ reads as ./, which names the same files here", async () => {
    const text = readFileSync(join(repoRoot, ".github/workflows/deploy-preview.yml"), "utf8");
    const raw = await actionlint("deploy-preview.yml", text, repoRoot, { selfSyntax: "as is" });
    expect(raw).toEqual([
      expect.stringMatching(
        /reusable workflow call "\$\/\.github\/workflows\/deploy\.yml" at "uses" is not following the format/,
      ),
    ]);
    expect(await actionlint("deploy-preview.yml", text)).toEqual([]);
    const deploy = readFileSync(join(repoRoot, ".github/workflows/deploy.yml"), "utf8");
    const rawSteps = await actionlint("deploy.yml", deploy, repoRoot, { selfSyntax: "as is" });
    expect(rawSteps.length).toBeGreaterThan(5);
    for (const finding of rawSteps)
      expect(finding).toMatch(/specifying action "\$\/actions\/[\w-]+" in invalid format/);
  });

  it("reads $/ as ./ only in uses: values, keeping every line and column", () => {
    const text = [
      "    uses: $/.github/workflows/deploy.yml",
      "      - uses: $/actions/health-check",
      "      - uses: '$/actions/health-check'",
      "        run: echo $/actions/x",
      "        with: { path: $/actions }",
    ].join("\n");
    expect(asActionlintSees(text)).toBe(
      [
        "    uses: ./.github/workflows/deploy.yml",
        "      - uses: ./actions/health-check",
        "      - uses: './actions/health-check'",
        "        run: echo $/actions/x",
        "        with: { path: $/actions }",
      ].join("\n"),
    );
  });

  it("still checks a $/ step's inputs against that action's action.yml", async () => {
    const text = [
      "on: push",
      "permissions: {}",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    timeout-minutes: 5",
      "    steps:",
      "      - uses: $/actions/health-check",
      "        with:",
      "          no-such-input: x",
    ].join("\n");
    expect((await actionlint("self.yml", text)).join("\n")).toContain(
      'input "no-such-input" is not defined in action "Health check"',
    );
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
    expect(composites).toEqual(expect.arrayContaining(["aws-credentials"]));
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
