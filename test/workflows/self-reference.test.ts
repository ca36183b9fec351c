// Proves how the package's workflows reach their own actions and workflows, at any ref:
// - every job that runs one of the package's actions first checks the package out at its own
//   workflow's commit (job.workflow_repository, job.workflow_sha) into .preview-kit/ and runs
//   ./.preview-kit/actions/<name>, so a caller at a tag, a branch or a SHA runs that ref's
//   actions; a bare ./actions/<name> would resolve in the caller's checkout;
// - a release (scripts/pin-release.mjs, run here on a copy as the release workflow runs it)
//   names the wrappers' nested deploy.yml by the released commit's full SHA, the one thing a
//   caller's ref cannot carry (a job's `uses:` takes no expression), and changes nothing else.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { KIT_DIR } from "../../scripts/pin-release.mjs";
import { repoRoot } from "../harness/paths.js";
import {
  actionlint,
  loadWorkflow,
  loadWorkflows,
  ownAction,
  ownWorkflow,
  usesLines,
  workflowCall,
  type WorkflowFile,
} from "../support/workflows.js";

const REPOSITORY = "acme/preview-kit";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const OWN_DIRS = [".github/workflows"];
const KIT_CHECKOUT = "Check out the preview kit";

function copyOfRepository(): string {
  const root = mkdtempSync(join(tmpdir(), "pin-release-"));
  for (const dir of [".github", "actions", "dist", "scripts"])
    cpSync(join(repoRoot, dir), join(root, dir), { recursive: true });
  return root;
}

function pin(root: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, "scripts", "pin-release.mjs"), ...args, "--root", root],
    { encoding: "utf8" },
  );
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

const snapshot = (root: string) =>
  Object.fromEntries(loadWorkflows(root, OWN_DIRS).map((file) => [file.path, file.text]));

/** Every `uses:` a run of `file` reaches: its steps, its called workflows', their composites'. */
function reachableUses(root: string, file: WorkflowFile, seen = new Set<string>()): string[] {
  if (seen.has(file.path)) return [];
  seen.add(file.path);
  return Object.values(file.workflow.jobs).flatMap((job) => {
    if (job.uses) {
      const callee = ownWorkflow(job.uses, root);
      const nested = callee
        ? reachableUses(root, loadWorkflow(`.github/workflows/${callee}`, root), seen)
        : [];
      return [job.uses, ...nested];
    }
    return (job.steps ?? []).flatMap((step) => {
      if (!step.uses) return [];
      const action = ownAction(step.uses, root);
      const spec = action
        ? parse(readFileSync(join(root, "actions", action, "action.yml"), "utf8"))
        : undefined;
      const inner =
        spec?.runs?.using === "composite"
          ? spec.runs.steps.flatMap((s: { uses?: string }) => s.uses ?? [])
          : [];
      return [step.uses, ...inner];
    });
  });
}

const workflows = loadWorkflows(repoRoot, OWN_DIRS);

describe("the package's jobs run its actions from their own checkout of the package", () => {
  const kitJobs = workflows.flatMap((file) =>
    Object.entries(file.workflow.jobs)
      .filter(([, job]) => (job.steps ?? []).some((s) => ownAction(s.uses ?? "")))
      .map(([id, job]) => ({ name: `${file.path} ${id}`, steps: job.steps ?? [] })),
  );

  it("never as ./actions/<name>, which resolves in the caller's checkout", () => {
    const refs = workflows.flatMap((f) => usesLines(f.text).map((u) => `${f.path}: ${u.ref}`));
    expect(refs.filter((ref) => / \.\/actions\//.test(ref))).toEqual([]);
    const own = refs.filter((ref) => ownAction(ref.split(": ")[1]!));
    expect(own.length).toBeGreaterThan(10);
    for (const ref of own) expect(ref).toMatch(/: \.\/\.preview-kit\/actions\/[\w-]+$/);
  });

  it.each(kitJobs.map((job) => [job.name, job]))(
    "%s checks the package out at job.workflow_sha before its first action, and nothing replaces it",
    (_name, { steps }) => {
      const kit = steps.findIndex((s) => s.name === KIT_CHECKOUT);
      const first = steps.findIndex((s) => ownAction(s.uses ?? ""));
      expect(kit).toBeGreaterThanOrEqual(0);
      expect(kit).toBeLessThan(first);
      expect(steps[kit]!.uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
      expect(steps[kit]!.with).toMatchObject({
        repository: "${{ job.workflow_repository }}",
        ref: "${{ job.workflow_sha }}",
        path: KIT_DIR,
        "persist-credentials": false,
      });
      // A checkout into the workspace root after it would delete .preview-kit/.
      const later = steps.slice(kit + 1).filter((s) => s.uses?.startsWith("actions/checkout@"));
      for (const step of later) expect(step.with?.path, "a later checkout").toBeTruthy();
    },
  );
});

describe(`a release of ${REPOSITORY} at ${COMMIT.slice(0, 12)}`, () => {
  let root: string;
  let pinned: WorkflowFile[];
  const original = snapshot(repoRoot);

  beforeAll(() => {
    root = copyOfRepository();
    const run = pin(root, REPOSITORY, COMMIT);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    pinned = loadWorkflows(root, OWN_DIRS);
  });

  it("names every nested workflow by the released commit's full SHA", () => {
    const nested = pinned.flatMap((file) =>
      Object.values(file.workflow.jobs).flatMap((job) => (job.uses ? [job.uses] : [])),
    );
    expect(nested.length).toBe(3);
    for (const ref of nested)
      expect(ref).toBe(`${REPOSITORY}/.github/workflows/deploy.yml@${COMMIT}`);
  });

  it("runs only this package's actions from the kit's checkout and third-party ones by commit, through every nesting", () => {
    const reusable = pinned.filter((file) => workflowCall(file.workflow));
    expect(reusable.map((f) => f.path).sort()).toEqual(
      [
        "build-images.yml",
        "cleanup-preview.yml",
        "deploy-dev.yml",
        "deploy-preview.yml",
        "deploy-production.yml",
        "deploy.yml",
      ].map((name) => `.github/workflows/${name}`),
    );
    const seenActions = new Set<string>();
    for (const file of reusable) {
      for (const ref of reachableUses(root, file)) {
        const action = ownAction(ref, root);
        if (action) {
          expect(ref).toBe(`./${KIT_DIR}/actions/${action}`);
          seenActions.add(action);
        } else if (!ownWorkflow(ref, root)) {
          expect(ref, `${file.path}: third party, pinned by commit`).toMatch(
            /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/,
          );
        }
      }
    }
    expect([...seenActions].sort()).toEqual(
      [
        "attest-images",
        "aws-credentials",
        "build-image",
        "check-images",
        "cleanup-namespace",
        "deployment-status",
        "health-check",
        "preview-comment",
        "pulumi-deploy",
        "verify-provenance",
        "verify-stack-ref",
      ].sort(),
    );
  });

  it("carries the bundle of every JavaScript action the workflows run", () => {
    const actions = new Set(
      pinned.flatMap((f) =>
        usesLines(f.text).flatMap((u) => (ownAction(u.ref, root) ? [ownAction(u.ref, root)!] : [])),
      ),
    );
    for (const action of actions) {
      const spec = parse(readFileSync(join(root, "actions", action, "action.yml"), "utf8"));
      if (spec.runs.using === "composite") continue;
      const bundle = join(root, "actions", action, spec.runs.main);
      expect(existsSync(bundle), `${action}: ${spec.runs.main}`).toBe(true);
      expect(readFileSync(bundle, "utf8").length, `${action}: bundle is not empty`).toBeGreaterThan(
        0,
      );
    }
  });

  it("changes nothing but the nested workflows' uses: lines, and still passes actionlint", async () => {
    for (const file of pinned) {
      const before = original[file.path]!.split("\n");
      const after = file.text.split("\n");
      expect(after.length).toBe(before.length);
      const changed = after.filter((line, i) => line !== before[i]);
      for (const line of changed)
        expect(line, file.path).toMatch(/^ {4}uses: acme\/preview-kit\/\.github\/workflows\//);
      expect(await actionlint(file.path, file.text)).toEqual([]);
    }
  });

  it("is idempotent: pinning the pinned tree again changes nothing", () => {
    const before = snapshot(root);
    expect(pin(root, REPOSITORY, COMMIT).exitCode).toBe(0);
    expect(snapshot(root)).toEqual(before);
  });
});

describe("scripts/pin-release.mjs refuses", () => {
  it.each([
    ["a repository that is not OWNER/REPO", ["acme", COMMIT], "repository must be OWNER/REPO"],
    [
      "a tag instead of a commit",
      [REPOSITORY, "v1.2.3"],
      "commit must be the released commit's full SHA",
    ],
    [
      "a short SHA",
      [REPOSITORY, COMMIT.slice(0, 12)],
      "commit must be the released commit's full SHA",
    ],
  ])("%s", (_case, args, message) => {
    const root = copyOfRepository();
    const run = pin(root, ...args);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message);
    expect(snapshot(root)).toEqual(snapshot(repoRoot));
  });

  it.each([
    [
      "a bare ./actions/ reference, which would run the caller's files",
      "./actions/health-check",
      /deploy\.yml: line \d+: '\.\/actions\/health-check' resolves in the caller's checkout: check the kit out into \.preview-kit and use \.\/\.preview-kit\/actions\/health-check/,
    ],
    [
      "an action the package does not have",
      "./.preview-kit/actions/no-such-action",
      /deploy\.yml: line \d+: '\.\/\.preview-kit\/actions\/no-such-action' names no action of this package/,
    ],
  ])("%s, and writes nothing", (_case, replacement, message) => {
    const root = copyOfRepository();
    const path = join(root, ".github", "workflows", "deploy.yml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(
        "uses: ./.preview-kit/actions/health-check",
        `uses: ${replacement}`,
      ),
    );
    const before = snapshot(root);
    const run = pin(root, REPOSITORY, COMMIT);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(snapshot(root)).toEqual(before);
  });

  it("a release whose workflows run an action without its bundle, and writes nothing", () => {
    const root = copyOfRepository();
    rmSync(join(root, "dist", "pulumi-deploy"), { recursive: true, force: true });
    const run = pin(root, REPOSITORY, COMMIT);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("dist/pulumi-deploy/index.js, which does not exist");
    expect(snapshot(root)).toEqual(snapshot(repoRoot));
  });
});

describe("the release workflow (finding 4)", () => {
  const { workflow } = loadWorkflow(".github/workflows/release.yml");
  const scriptOf = (job: string) =>
    (workflow.jobs[job]?.steps ?? []).map((s) => s.run ?? "").join("\n");
  const verify = scriptOf("verify");
  const publish = scriptOf("publish");

  it("verifies without any secret: checks dist/, tests, then pins with the script", () => {
    const order = [
      "npm run bundle",
      "npx vitest run test/workflows",
      "node scripts/pin-release.mjs",
    ];
    const at = order.map((text) => verify.indexOf(text));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(JSON.stringify(workflow.jobs.verify)).not.toMatch(/secrets\./);
    expect(workflow.jobs.verify?.permissions).toEqual({ contents: "read" });
  });

  it("publishes in a protected environment running only git and gh, never the dependencies' code", () => {
    const job = workflow.jobs.publish!;
    expect(job.needs).toBe("verify");
    expect(job.environment).toBe("release");
    expect(publish).not.toMatch(/\bnpm\b|\bnpx\b|\bnode\b/);
    expect((job.steps ?? []).filter((s) => s.uses?.startsWith("actions/setup-node"))).toEqual([]);
    expect(publish).toContain("git apply --numstat");
    expect(publish).toContain('git tag --force "$MINOR"');
    expect(publish).toContain('git tag --force "$MAJOR"');
    expect(publish).toContain("gh release create");
  });

  it("gives git an identity for the annotated tag as well as for the commit", () => {
    expect(publish).toMatch(/git "\$\{identity\[@\]\}" commit /);
    expect(publish).toMatch(/git "\$\{identity\[@\]\}" tag --annotate /);
    expect(publish).toContain("-c user.name=");
    expect(publish).toContain("-c user.email=");
  });
});
