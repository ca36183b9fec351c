// Proves how the package's workflows reach their own actions and workflows, at any ref: every
// one is named with GitHub's self-repository syntax, `$/actions/<name>` and
// `$/.github/workflows/<file>` (GitHub changelog 2026-07-30: the workflow file's own
// repository at the commit that is running, everywhere `./` works, reusable workflow calls
// included). A caller at a tag, a branch or a full SHA therefore runs that commit's workflows
// and actions all the way down, with no checkout of the kit and no release-time rewrite.
// A bare `./actions/<name>` or `./.github/workflows/<file>` would resolve in the caller's
// workspace or repository instead.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import { allActions } from "../support/actions.js";
import {
  loadWorkflow,
  loadWorkflows,
  ownAction,
  ownWorkflow,
  stepsOf,
  usesLines,
  workflowCall,
  type WorkflowFile,
} from "../support/workflows.js";

const workflows = loadWorkflows(repoRoot, [".github/workflows"]);
const reusable = workflows.filter((file) => workflowCall(file.workflow));

/** Every `uses:` a run of `file` reaches: its steps, its called workflows', their composites'. */
function reachableUses(file: WorkflowFile, seen = new Set<string>()): string[] {
  if (seen.has(file.path)) return [];
  seen.add(file.path);
  return Object.values(file.workflow.jobs).flatMap((job) => {
    if (job.uses) {
      const callee = ownWorkflow(job.uses);
      const nested = callee ? reachableUses(loadWorkflow(`.github/workflows/${callee}`), seen) : [];
      return [job.uses, ...nested];
    }
    return (job.steps ?? []).flatMap((step) => {
      if (!step.uses) return [];
      const action = ownAction(step.uses);
      const spec = action
        ? parse(readFileSync(join(repoRoot, "actions", action, "action.yml"), "utf8"))
        : undefined;
      const inner =
        spec?.runs?.using === "composite"
          ? spec.runs.steps.flatMap((s: { uses?: string }) => s.uses ?? [])
          : [];
      return [step.uses, ...inner];
    });
  });
}

describe("the package's workflows name their own actions and workflows with $/", () => {
  it("are the seven reusable workflows", () => {
    expect(reusable.map((f) => f.path).sort()).toEqual(
      [
        "build-images.yml",
        "cleanup-preview.yml",
        "deploy-dev.yml",
        "deploy-preview.yml",
        "deploy-production.yml",
        "deploy.yml",
        "sweep-previews.yml",
      ].map((name) => `.github/workflows/${name}`),
    );
  });

  it("never as ./actions/ or ./.github/workflows/ (the caller's files), nor from a checkout of the kit", () => {
    for (const file of reusable) {
      const refs = usesLines(file.text).map((u) => u.ref);
      expect(
        refs.filter((ref) => ref.startsWith("./")),
        file.path,
      ).toEqual([]);
      expect(file.text, file.path).not.toContain(".preview-kit");
      expect(file.text, file.path).not.toMatch(/job\.workflow_(sha|ref)/);
      // The kit's repository names only the signer production trusts, never what runs.
      for (const line of file.text.split("\n").filter((l) => l.includes("job.workflow_repository")))
        expect(line.trim(), file.path).toBe("signer-repository: ${{ job.workflow_repository }}");
    }
  });

  it("every reference to the kit, at any nesting, is $/ and names an action or workflow that exists", () => {
    const kitRefs = reusable.flatMap((file) =>
      usesLines(file.text)
        .map((u) => u.ref)
        .filter((ref) => ownAction(ref) || ownWorkflow(ref) || ref.startsWith("$/"))
        .map((ref) => ({ file: file.path, ref })),
    );
    expect(kitRefs.length).toBeGreaterThan(15);
    for (const { file, ref } of kitRefs) {
      expect(ref, file).toMatch(/^\$\/(actions\/[\w-]+|\.github\/workflows\/[\w-]+\.yml)$/);
      expect(existsSync(join(repoRoot, ref.slice(2))), `${file}: ${ref}`).toBe(true);
    }
  });

  it("calls the nested deploy.yml from each of the three wrappers, and cleanup-preview.yml from the sweep, as $/", () => {
    const nested = reusable.flatMap((file) =>
      Object.values(file.workflow.jobs).flatMap((job) =>
        job.uses ? [`${file.path}: ${job.uses}`] : [],
      ),
    );
    expect(nested.sort()).toEqual([
      ...["deploy-dev.yml", "deploy-preview.yml", "deploy-production.yml"].map(
        (name) => `.github/workflows/${name}: $/.github/workflows/deploy.yml`,
      ),
      ".github/workflows/sweep-previews.yml: $/.github/workflows/cleanup-preview.yml",
    ]);
  });

  it("checks out only the caller's repository at the event's commit, never the kit", () => {
    for (const file of reusable)
      for (const { jobId, step } of stepsOf(file.workflow)) {
        if (!step.uses?.startsWith("actions/checkout@")) continue;
        expect(step.with?.repository, `${file.path}#${jobId}`).toBeUndefined();
        expect(step.with?.path, `${file.path}#${jobId}`).toBeUndefined();
      }
  });

  it("reaches every action of the package, each with its bundle, and third-party ones only by commit", () => {
    const seen = new Set<string>();
    for (const file of reusable)
      for (const ref of reachableUses(file)) {
        const action = ownAction(ref);
        if (action) {
          expect(ref).toBe(`$/actions/${action}`);
          seen.add(action);
          const spec = parse(readFileSync(join(repoRoot, "actions", action, "action.yml"), "utf8"));
          if (spec.runs.using !== "composite") {
            const bundle = join(repoRoot, "actions", action, spec.runs.main);
            expect(existsSync(bundle), `${action}: ${spec.runs.main}`).toBe(true);
          }
        } else if (!ownWorkflow(ref)) {
          expect(ref, `${file.path}: third party, pinned by commit`).toMatch(
            /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/,
          );
        }
      }
    expect([...seen].sort()).toEqual([...allActions].sort());
  });
});

describe("the release", () => {
  const { workflow } = loadWorkflow(".github/workflows/release.yml");

  it("rewrites no uses: line: every ref already carries through", () => {
    expect(JSON.stringify(workflow.jobs)).not.toContain("pin-release");
    expect(existsSync(join(repoRoot, "scripts", "pin-release.mjs"))).toBe(false);
  });
});
