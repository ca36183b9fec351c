// The release (.github/workflows/release.yml) as GitHub would run it, in three parts:
// - its shape, read by GitHub's own parser through the local runner's loader
//   (test/workflow-runner/load.ts): which job runs on which event, what each may do, and that
//   the jobs holding the release token or the npm OIDC token take nothing from a job that ran
//   the dependencies' code (#19 item 3: a patch made by such a job was published);
// - the tag job's git steps, run as written against a real bare origin;
// - scripts/release.mjs, the release's decisions (version, changelog entry, npm CLI).
// Not run here: the verify job itself (the whole suite on a cold engines cache) and the npm
// publish against a registry.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkflowJob } from "@actions/workflow-parser/model/workflow-template";
import { describe, expect, it } from "vitest";
import {
  checkChangelog,
  checkNpm,
  checkTag,
  parseTag,
  prepare,
  releaseChangelog,
  releasedNotes,
  setVersion,
} from "../../scripts/release.mjs";
import { repoRoot } from "../harness/paths.js";
import { findStep, loadWorkflow as loadPlain, runScript } from "../support/workflows.js";
import { evaluateExpression, truthy } from "../workflow-runner/expressions.js";
import { loadWorkflow, member, rawJob, type LoadedWorkflow } from "../workflow-runner/load.js";
import { parsePermissions } from "../workflow-runner/permissions.js";

const RELEASE = join(repoRoot, ".github", "workflows", "release.yml");
const resolver = { packageRoot: repoRoot, consumerRoot: repoRoot, packageRepositories: [] };
const loaded: LoadedWorkflow = await loadWorkflow(RELEASE, "package", resolver);
const jobs = new Map(loaded.template.jobs.map((job) => [job.id.value, job]));
const job = (id: string) => jobs.get(id)!;
/** The job's own text in the file: every expression, `uses:` and script it holds. */
const textOf = (id: string) => JSON.stringify(rawJob(loaded.file, job(id)));
const permissionsOf = (id: string) =>
  parsePermissions(member(rawJob(loaded.file, job(id)), "permissions"));
const stepsOf = (id: string) => {
  const found = job(id);
  return found.type === "job" ? found.steps : [];
};
const runs = (id: string) =>
  stepsOf(id)
    .map((step) => ("run" in step ? step.run.toString() : ""))
    .join("\n");
const uses = (id: string) =>
  stepsOf(id).flatMap((step) => ("uses" in step ? [step.uses.value] : []));

/** Which jobs' `if:` holds on an event, evaluated by the runner's expression engine. */
function jobsOn(github: Record<string, unknown>): string[] {
  const status = { success: true, failure: false, cancelled: false };
  return [...jobs.values()]
    .filter((j: WorkflowJob) => truthy(evaluateExpression(j.if.expression, { github }, status)))
    .map((j) => j.id.value);
}

describe("release.yml, through GitHub's parser", () => {
  it("verifies and tags on a dispatch from main; publishes to npm only on the push of the tag", () => {
    expect([...jobs.keys()].sort()).toEqual(["npm", "tag", "verify"]);
    expect(Object.keys(loaded.template.events).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(loaded.template.events.push?.tags).toEqual(["v*.*.*"]);
    expect(
      jobsOn({ event_name: "workflow_dispatch", ref: "refs/heads/main", ref_name: "main" }),
    ).toEqual(["verify", "tag"]);
    expect(
      jobsOn({ event_name: "push", ref: "refs/tags/v1.2.3", ref_name: "v1.2.3" }).sort(),
    ).toEqual(["npm"]);
    expect(job("tag").needs?.map((n) => n.value)).toEqual(["verify"]);
  });

  it("gives the OIDC token only to the npm job, and write access to no job's GITHUB_TOKEN", () => {
    expect(permissionsOf("verify")).toEqual({ contents: "read" });
    // actions: read for the environment's rules (deploy-gate's protection step).
    expect(permissionsOf("tag")).toEqual({ contents: "read", actions: "read" });
    expect(permissionsOf("npm")).toEqual({
      contents: "read",
      actions: "read",
      "id-token": "write",
    });
    expect(parsePermissions(member(loaded.file.root, "permissions"))).toEqual({});
  });

  it("puts the jobs holding a credential in their own environments: release (RELEASE_TOKEN) and npm (the trusted publisher)", () => {
    const environment = (id: string) => {
      const found = job(id);
      return found.type === "job" ? found.environment?.toString() : undefined;
    };
    expect(environment("verify")).toBeUndefined();
    expect(environment("tag")).toBe("release");
    expect(environment("npm")).toBe("npm");
    expect(textOf("verify")).not.toMatch(/secrets\./);
    expect([...textOf("tag").matchAll(/secrets\.(\w+)/g)].map((m) => m[1])).toEqual([
      "RELEASE_TOKEN",
      "RELEASE_TOKEN",
    ]);
    // No stored npm token anywhere: npm exchanges the job's OIDC token.
    expect(textOf("npm")).not.toMatch(/secrets\.|NODE_AUTH_TOKEN|NPM_TOKEN/);
  });

  it("lets the tag and npm jobs take nothing from a job that ran dependency code: no outputs, artifacts or caches", () => {
    const text = readFileSync(RELEASE, "utf8");
    expect(text).not.toMatch(/upload-artifact|download-artifact/);
    for (const id of ["tag", "npm"]) {
      expect(textOf(id), id).not.toMatch(/needs\./);
      // First the environment's rules, by this commit's own bundle; then checkout and node.
      expect(
        uses(id).map((ref) => ref.split("@")[0]),
        id,
      ).toEqual(["$/actions/deploy-gate", "actions/checkout", "actions/setup-node"]);
      // setup-node's own cache would restore what another job saved.
      for (const step of stepsOf(id))
        if ("uses" in step) expect(JSON.stringify(step), id).not.toMatch(/"cache"/);
    }
    expect(job("npm").needs ?? []).toEqual([]);
  });

  it("runs no dependency in the tag job, and in the npm job only tsc, after an install without scripts", () => {
    const tag = runs("tag");
    expect(tag).not.toMatch(/\bnpm\b|\bnpx\b/);
    expect([...tag.matchAll(/\bnode (\S+)/g)].map((m) => m[1])).toEqual([
      "scripts/release.mjs",
      "scripts/release.mjs",
    ]);
    const npm = runs("npm");
    expect(npm).not.toMatch(/\bnpx\b/);
    const installs = [...npm.matchAll(/npm (ci|install)\b[^\n]*/g)].map((m) => m[0]);
    expect(installs).toEqual(["npm ci --no-audit --no-fund --ignore-scripts"]);
    expect(npm).toContain("npm run build:lib");
    expect(npm).toContain("npm publish --provenance --access public --ignore-scripts");
    expect(npm.indexOf("check-tag")).toBeLessThan(npm.indexOf("npm ci"));
    // What `npm run build:lib` and the release script run: node's own modules, and tsc.
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts["build:lib"]).toBe("node scripts/build-lib.mjs");
    for (const script of ["build-lib.mjs", "release.mjs"]) {
      const source = readFileSync(join(repoRoot, "scripts", script), "utf8");
      const imports = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
      expect(
        imports.every((name) => name?.startsWith("node:")),
        script,
      ).toBe(true);
    }
  });

  it("verifies with every suite as CI runs it: engines built with a pinned setup-go and cached by their go.sum, installs without scripts", () => {
    const ci = loadPlain(".github/workflows/ci.yml").workflow.jobs.test!.steps!;
    const verify = loadPlain(".github/workflows/release.yml").workflow.jobs.verify!.steps!;
    const from = (steps: typeof ci) =>
      steps.slice(
        steps.findIndex((s) => s.uses?.startsWith("actions/setup-go@")),
        steps.findIndex((s) => s.run === "npm test") + 1,
      );
    expect(from(ci).length).toBeGreaterThan(5);
    expect(from(verify)).toEqual(from(ci));
    const goSetup = from(ci)[0]!;
    expect(goSetup.uses).toMatch(/^actions\/setup-go@[0-9a-f]{40}$/);
    const cache = from(ci).find((s) => s.uses?.startsWith("actions/cache@"))!;
    expect(cache.uses).toMatch(/^actions\/cache@[0-9a-f]{40}$/);
    expect(String(cache.with?.key)).toContain("hashFiles('test/engines/**/go.sum')");
    for (const file of ["ci.yml", "release.yml", "dependabot-dist.yml"]) {
      const text = readFileSync(join(repoRoot, ".github", "workflows", file), "utf8");
      const installs = text.split("\n").filter((l) => /^\s*(- )?(run: )?npm ci\b/.test(l));
      expect(installs.length, file).toBeGreaterThan(0);
      for (const line of installs) expect(line, file).toContain("--ignore-scripts");
    }
  });
});

/** A clone at main's head (the run's commit) with the kit's release files and a bare origin. */
function clone() {
  const temp = mkdtempSync(join(tmpdir(), "release-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: temp,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync("git", args, { cwd, encoding: "utf8", env });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const commitAs = ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet"];
  const origin = join(temp, "origin.git");
  git(temp, "init", "--quiet", "--bare", "-b", "main", origin);
  const work = join(temp, "work");
  git(temp, "init", "--quiet", "-b", "main", work);
  mkdirSync(join(work, "scripts"));
  cpSync(join(repoRoot, "scripts", "release.mjs"), join(work, "scripts", "release.mjs"));
  writeFileSync(join(work, "package.json"), '{\n  "name": "kit",\n  "version": "0.1.0"\n}\n');
  writeFileSync(
    join(work, "package-lock.json"),
    '{\n  "name": "kit",\n  "version": "0.1.0",\n  "packages": {\n    "": { "name": "kit", "version": "0.1.0" }\n  }\n}\n',
  );
  writeFileSync(join(work, "CHANGELOG.md"), "# Changelog\n\n## [Unreleased]\n\n- A feature.\n");
  git(work, "add", ".");
  git(work, ...commitAs, "-m", "main");
  git(work, "remote", "add", "origin", origin);
  git(work, "push", "--quiet", "origin", "main");
  // A `gh` that only answers `auth setup-git` and `release view` (none yet).
  const bin = join(temp, "bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "gh"),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>'${join(temp, "gh.log")}'\n[[ $1 == auth ]]\n`,
  );
  chmodSync(join(bin, "gh"), 0o755);
  return { temp, work, origin, git, env, bin, commitAs };
}

const tagJob = loadPlain(".github/workflows/release.yml").workflow;
const step = (name: string) => findStep(tagJob, "tag", name).run!;
async function tagStep(
  name: string,
  work: string,
  temp: string,
  env: Record<string, string>,
  extra: Record<string, string> = {},
  path: string[] = [],
) {
  // runScript puts `path` before the test's PATH itself.
  const { PATH: _path, ...rest } = env;
  return runScript(
    `cd '${work}'\n${step(name)}`,
    { ...rest, RUNNER_TEMP: temp, VERSION: "v1.2.3", GITHUB_REPOSITORY: "acme/kit", ...extra },
    path,
  );
}

describe("release.yml's tag job, on a real git", () => {
  it("commits the version and the changelog entry, tags with the bot's identity, and pushes main and the tags at once", async () => {
    const { temp, work, origin, git, env, bin } = clone();
    const base = git(work, "rev-parse", "HEAD");
    const commit = await tagStep("Commit and tag the release", work, temp, env);
    expect(commit.stderr).not.toContain("tell me who you are");
    expect(commit.exitCode).toBe(0);
    expect(readFileSync(join(temp, "notes.md"), "utf8")).toBe("- A feature.\n");
    const push = await tagStep(
      "Push main and the tags",
      work,
      temp,
      env,
      { GH_TOKEN: "release-token" },
      [bin],
    );
    expect(push.exitCode).toBe(0);
    expect(git(origin, "rev-parse", "main^")).toBe(base);
    expect(git(origin, "tag", "--list").split("\n").sort()).toEqual(["v1", "v1.2", "v1.2.3"]);
    for (const tag of ["v1", "v1.2", "v1.2.3"])
      expect(git(origin, "rev-parse", `${tag}^{commit}`), tag).toBe(
        git(origin, "rev-parse", "main"),
      );
    expect(git(origin, "for-each-ref", "--format=%(taggername)", "refs/tags/v1.2.3")).toBe(
      "github-actions[bot]",
    );
    expect(git(origin, "diff", "--name-only", "main^", "main").split("\n")).toEqual([
      "CHANGELOG.md",
      "package-lock.json",
      "package.json",
    ]);
    expect(JSON.parse(git(origin, "show", "main:package.json"))).toEqual({
      name: "kit",
      version: "1.2.3",
      repository: { type: "git", url: "git+https://github.com/acme/kit.git" },
    });
    expect(git(origin, "show", "main:CHANGELOG.md")).toMatch(
      /## \[Unreleased\]\n\n## \[1\.2\.3\] - \d{4}-\d{2}-\d{2}\n\n- A feature\./,
    );
  });

  it("pushes nothing at all when main moved since the run started", async () => {
    const { temp, work, origin, git, env, bin, commitAs } = clone();
    // Someone merges meanwhile.
    const other = join(temp, "other");
    git(temp, "clone", "--quiet", origin, other);
    writeFileSync(join(other, "README.md"), "merged\n");
    git(other, "add", ".");
    git(other, ...commitAs, "-m", "merged");
    git(other, "push", "--quiet", "origin", "main");
    const moved = git(origin, "rev-parse", "main");
    expect((await tagStep("Commit and tag the release", work, temp, env)).exitCode).toBe(0);
    const push = await tagStep(
      "Push main and the tags",
      work,
      temp,
      env,
      { GH_TOKEN: "release-token" },
      [bin],
    );
    expect(push.exitCode).not.toBe(0);
    expect(git(origin, "rev-parse", "main")).toBe(moved);
    expect(git(origin, "tag", "--list")).toBe("");
  });

  it("on a re-run after the push went through, pushes nothing new and takes the notes from the tag", async () => {
    const { temp, work, origin, git, env, bin } = clone();
    await tagStep("Commit and tag the release", work, temp, env);
    await tagStep("Push main and the tags", work, temp, env, { GH_TOKEN: "release-token" }, [bin]);
    // The re-run's checkout: the run's commit, with the tags fetched.
    const again = join(temp, "again");
    git(temp, "clone", "--quiet", origin, again);
    git(again, "checkout", "--quiet", git(origin, "rev-parse", "main^"));
    const rerunTemp = mkdtempSync(join(temp, "rerun-"));
    const rerun = await tagStep("Commit and tag the release", again, rerunTemp, env);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.pushed).toBe("true");
    expect(readFileSync(join(rerunTemp, "notes.md"), "utf8")).toBe("- A feature.\n");
  });

  it("refuses an empty release token before pushing", async () => {
    const { temp, work, origin, git, env, bin } = clone();
    await tagStep("Commit and tag the release", work, temp, env);
    const push = await tagStep("Push main and the tags", work, temp, env, { GH_TOKEN: "" }, [bin]);
    expect(push.exitCode).toBe(1);
    expect(push.errors).toEqual(["the secret RELEASE_TOKEN of the environment 'release' is empty"]);
    expect(git(origin, "tag", "--list")).toBe("");
  });
});

describe("release.yml's npm job: Check the tag, on a real git", () => {
  const check = findStep(tagJob, "npm", "Check the tag").run!;
  const checkAt = async (tag: string) => {
    const { temp, work, origin, git, env, bin, commitAs } = clone();
    await tagStep("Commit and tag the release", work, temp, env);
    await tagStep("Push main and the tags", work, temp, env, { GH_TOKEN: "t" }, [bin]);
    // A tag someone made on a commit that is not on main, which otherwise looks released.
    git(work, "checkout", "--quiet", "-b", "side");
    const changelog = readFileSync(join(work, "CHANGELOG.md"), "utf8");
    writeFileSync(
      join(work, "CHANGELOG.md"),
      changelog.replace("## [Unreleased]\n", "## [Unreleased]\n\n- A backdoor.\n"),
    );
    prepare(work, "v1.2.4", join(temp, "side-notes.md"), "2026-12-07");
    git(work, "add", ".");
    git(work, ...commitAs, "-m", "side");
    git(work, "tag", "v1.2.4");
    git(work, "push", "--quiet", "origin", "refs/tags/v1.2.4");
    // The job's checkout: the tag, with the branches fetched (fetch-depth 0).
    const checkout = join(temp, "checkout");
    git(temp, "clone", "--quiet", origin, checkout);
    git(checkout, "checkout", "--quiet", tag);
    const { PATH: _path, ...rest } = env;
    return runScript(`cd '${checkout}'\n${check}`, { ...rest, TAG: tag });
  };

  it("passes the release's own tag: on main, its version in package.json", async () => {
    const result = await checkAt("v1.2.3");
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it("refuses a tag whose commit is not on main, though it says the tag's version", async () => {
    const result = await checkAt("v1.2.4");
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "v1.2.4 is not on main: only the release workflow's tag job makes release tags",
    ]);
  });

  it("refuses a checkout that says another version than its tag", async () => {
    const dir = mkdtempSync(join(tmpdir(), "release-check-"));
    cpSync(join(repoRoot, "scripts"), join(dir, "scripts"), { recursive: true });
    for (const file of ["package.json", "package-lock.json"])
      writeFileSync(join(dir, file), '{"version":"1.2.3","packages":{"":{"version":"1.2.3"}}}');
    writeFileSync(join(dir, "CHANGELOG.md"), "## [1.2.3] - 2026-12-07\n\n- x\n");
    const result = await runScript(`cd '${dir}'\n${check}`, { TAG: "v1.2.5" });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(["package.json says version 1.2.3, the tag v1.2.5"]);
  });
});

describe("scripts/release.mjs", () => {
  const changelog =
    "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- x\n\n## [0.9.0] - 2026-01-01\n\n- old\n";

  it("takes only vX.Y.Z", () => {
    expect(parseTag("v1.20.3").version).toBe("1.20.3");
    for (const bad of ["1.2.3", "v1.2", "v01.2.3", "v1.2.3-rc.1", "v1.2.3\n"])
      expect(() => parseTag(bad), bad).toThrow("version must be vX.Y.Z");
  });

  it("writes the changelog entry: the unreleased section under the version and date, a new empty one above", () => {
    const { text, notes } = releaseChangelog(changelog, "1.0.0", "2026-12-07");
    expect(text).toBe(
      "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-12-07\n\n### Added\n\n- x\n\n## [0.9.0] - 2026-01-01\n\n- old\n",
    );
    expect(notes).toBe("### Added\n\n- x\n");
    expect(releasedNotes(text, "1.0.0")).toBe(notes);
    expect(() => releaseChangelog(changelog, "1.0.0", "7.12.2026")).toThrow(
      "date must be YYYY-MM-DD",
    );
  });

  it("refuses a release with nothing unreleased, or one already in the changelog", () => {
    expect(() =>
      checkChangelog("# C\n\n## [Unreleased]\n\n## [0.9.0]\n\n- old\n", "1.0.0"),
    ).toThrow("is empty");
    expect(() => checkChangelog(changelog, "0.9.0")).toThrow("already has a section for 0.9.0");
    expect(() => checkChangelog("# C\n", "1.0.0")).toThrow("no '## [Unreleased]' section");
  });

  it("sets the version in package.json and the lockfile's root, nothing else", () => {
    const pkg = '{\n  "name": "kit",\n  "version": "0.1.0",\n  "files": ["lib"]\n}\n';
    expect(JSON.parse(setVersion(pkg, "1.2.3"))).toEqual({
      name: "kit",
      version: "1.2.3",
      files: ["lib"],
    });
    const lock = JSON.parse(
      setVersion(
        '{"version":"0.1.0","packages":{"":{"version":"0.1.0"},"node_modules/x":{"version":"0.1.0"}}}',
        "1.2.3",
      ),
    );
    expect(lock.packages[""].version).toBe("1.2.3");
    expect(lock.packages["node_modules/x"].version).toBe("0.1.0");
    expect(JSON.parse(setVersion(pkg, "1.2.3", "acme/kit")).repository).toEqual({
      type: "git",
      url: "git+https://github.com/acme/kit.git",
    });
    expect(() => setVersion(pkg, "1.2.3", "acme/kit; rm")).toThrow("repository must be OWNER/REPO");
  });

  it("checks that a tag's checkout says the tag's version (the npm job)", () => {
    const dir = mkdtempSync(join(tmpdir(), "release-tag-"));
    writeFileSync(join(dir, "package.json"), '{"version":"1.2.3"}');
    writeFileSync(
      join(dir, "package-lock.json"),
      '{"version":"1.2.3","packages":{"":{"version":"1.2.3"}}}',
    );
    writeFileSync(join(dir, "CHANGELOG.md"), "## [1.2.3] - 2026-12-07\n\n- x\n");
    expect(checkTag(dir, "v1.2.3")).toBe("1.2.3");
    expect(() => checkTag(dir, "v1.2.4")).toThrow(
      "package.json says version 1.2.3, the tag v1.2.4",
    );
  });

  it("accepts only an npm CLI that can publish by OIDC (11.5.1 or newer)", () => {
    for (const ok of ["11.5.1", "11.19.1\n", "12.0.0"])
      expect(() => checkNpm(ok), ok).not.toThrow();
    for (const old of ["11.5.0", "10.9.2", "9.99.99", "garbage"])
      expect(() => checkNpm(old), old).toThrow("cannot publish by OIDC");
  });
});
