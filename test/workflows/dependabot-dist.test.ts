// dependabot-dist.yml's two shell steps as written, on a real git: the build's diff (made by the
// job that ran the updated dependencies) and the push job's check of that patch before it is
// committed with a token that can write. The attacker controls the patch (#19 item 3): a
// rename of a file outside dist/ into it must not pass as "touches only dist/".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findStep, loadWorkflow, runScript } from "../support/workflows.js";

const { workflow } = loadWorkflow(".github/workflows/dependabot-dist.yml");
const diffStep = findStep(workflow, "build", "Diff dist and action-docs").run!;
const pushStep = findStep(workflow, "push", "Commit and push").run!;

const gitEnv = (home: string) => ({
  HOME: home,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
});

/** Dependabot's branch in a clone with a bare origin, its head pushed. */
function branch() {
  const temp = mkdtempSync(join(tmpdir(), "dependabot-dist-"));
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync("git", args, {
      cwd,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...gitEnv(temp) },
    });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const origin = join(temp, "origin.git");
  git(temp, "init", "--quiet", "--bare", origin);
  const work = join(temp, "work");
  git(temp, "init", "--quiet", "-b", "deps", work);
  mkdirSync(join(work, "dist", "x"), { recursive: true });
  mkdirSync(join(work, "action-docs"));
  writeFileSync(join(work, "README.md"), "readme\n");
  writeFileSync(join(work, "dist", "x", "index.js"), "old bundle\n");
  writeFileSync(join(work, "dist", "x", "1.index.js"), `chunk\n${"line\n".repeat(40)}`);
  writeFileSync(join(work, "action-docs", "x.md"), "docs\n");
  git(work, "add", ".");
  git(
    work,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.com",
    "commit",
    "--quiet",
    "-m",
    "deps",
  );
  git(work, "remote", "add", "origin", origin);
  git(work, "push", "--quiet", "origin", "deps");
  mkdirSync(join(temp, "patch"));
  return { temp, work, origin, git, head: git(work, "rev-parse", "HEAD") };
}

const run = (script: string, work: string, temp: string, env: Record<string, string> = {}) =>
  runScript(`cd '${work}'\n${script}`, { ...gitEnv(temp), RUNNER_TEMP: temp, ...env });

/** The push job's step on `patch`, at the branch's head. */
async function push(patch: string) {
  const { temp, work, origin, git, head } = branch();
  writeFileSync(join(temp, "patch", "dist.patch"), patch);
  const result = await run(pushStep, work, temp, { HEAD_SHA: head, HEAD_REF: "deps" });
  return { result, origin, git, work, head };
}

/** A patch as an attacker in the build job writes it: whatever `git diff` of `change` says. */
function patchOf(change: (work: string) => void, ...diffArgs: string[]): string {
  const { work, git } = branch();
  change(work);
  git(work, "add", "--all");
  return `${git(work, "diff", "--cached", "--binary", ...diffArgs)}\n`;
}

describe("dependabot-dist.yml", () => {
  it("refuses a rename into dist/, which would delete the file outside it, and pushes nothing", async () => {
    const patch = patchOf((work) =>
      renameSync(join(work, "README.md"), join(work, "dist", "x", "README.md")),
    );
    expect(patch).toContain("rename from README.md");
    const { result, origin, git, work, head } = await push(patch);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(["the patch renames or copies files; the rebuild makes none"]);
    expect(existsSync(join(work, "README.md"))).toBe(true);
    expect(git(origin, "rev-parse", "deps")).toBe(head);
  });

  it("refuses a rename out of dist/ and a copy too", async () => {
    const out = patchOf((work) =>
      renameSync(join(work, "dist", "x", "index.js"), join(work, "index.js")),
    );
    expect((await push(out)).result.exitCode).toBe(1);
    const copy = patchOf(
      (work) => writeFileSync(join(work, "dist", "x", "copy.js"), `chunk\n${"line\n".repeat(40)}`),
      "-C",
      "--find-copies-harder",
    );
    expect(copy).toContain("copy from dist/x/1.index.js");
    expect((await push(copy)).result.errors).toEqual([
      "the patch renames or copies files; the rebuild makes none",
    ]);
  });

  it("still refuses a plain change outside dist/ and action-docs/", async () => {
    const patch = patchOf((work) => writeFileSync(join(work, "README.md"), "changed\n"));
    const { result } = await push(patch);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("README.md");
  });

  it("makes a rebuild's moved chunk a deletion and an addition, which the push job applies and pushes", async () => {
    const { temp, work } = branch();
    writeFileSync(join(work, "dist", "x", "index.js"), "new bundle\n");
    renameSync(join(work, "dist", "x", "1.index.js"), join(work, "dist", "x", "2.index.js"));
    rmSync(join(work, "action-docs", "x.md"));
    const diff = await run(diffStep, work, temp);
    expect(diff.exitCode).toBe(0);
    expect(diff.outputs.changed).toBe("true");
    const made = spawnSync("cat", [join(temp, "dist.patch")], { encoding: "utf8" }).stdout;
    expect(made).not.toContain("rename from");
    expect(made).toContain("deleted file mode");

    const pushed = await push(made);
    expect(pushed.result.exitCode).toBe(0);
    expect(pushed.git(pushed.origin, "show", "deps:dist/x/2.index.js")).toMatch(/^chunk/);
    expect(pushed.git(pushed.origin, "show", "deps:README.md")).toBe("readme");
    // Before, the diff against the index lost the deletions: a stale chunk stayed in dist/.
    expect(pushed.git(pushed.origin, "ls-tree", "-r", "--name-only", "deps")).toBe(
      ["README.md", "dist/x/2.index.js", "dist/x/index.js"].join("\n"),
    );
  });
});
