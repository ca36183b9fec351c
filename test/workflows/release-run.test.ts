/**
 * release.yml and ci.yml run by the local runner as GitHub would run them in the kit's own
 * repository (acme/kit here): a real git origin holding this checkout's files, a fresh HOME,
 * CI=true, the runner's Actions cache empty, every step real but these, each named in the log:
 *
 * - third-party actions by their stand-ins (checkout copies a clone of the origin at the
 *   run's commit; setup-node, setup-go and cache model their action.yml, see stand-ins.ts);
 * - `npm test` by one suite that needs an engine under CI=true (actionlint.test.ts): the
 *   whole suite takes far longer than this test may (it runs in CI itself);
 * - the engines: their cache folder in the fresh HOME is a link to this machine's engines
 *   cache, so `npm run engines` finds them built instead of building Kubernetes and Pulumi
 *   from source for an hour; the cache stand-in saves the link, not 1 GB;
 * - `npm ci --no-audit --no-fund --ignore-scripts` by test/support/linked-install.mjs, which
 *   links this checkout's node_modules after checking the job's package-lock.json locks the
 *   same packages: a real install takes 2-3 minutes a job here (measured 2m24s from a warm npm
 *   cache on this 2-core machine), four jobs in all;
 * - GitHub (the emulator), its OIDC token service (oidc.ts), `gh` and `sudo` (runner bin/);
 * - the npm registry's publishing side (test/emulators/npm/registry.ts, with npm's trusted
 *   publishing token exchange) and Sigstore (test/emulators/npm/sigstore-stand-in.mjs: npm's
 *   provenance statement, unsigned): `npm view` and `npm publish` go to the stand-in.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import {
  type DeploymentStore,
  deploymentStore,
  type StoredEnvironment,
} from "../emulators/github/routes/deployments.js";
import { releaseStore } from "../emulators/github/routes/releases.js";
import { TOKENS } from "../emulators/github/state.js";
import { type NpmRegistryStandIn, startNpmRegistry } from "../emulators/npm/registry.js";
import { repoRoot } from "../harness/paths.js";
import { engines } from "../support/engines.js";
import { type Git, gitIn, kitRepository } from "../support/kit-repository.js";
import { startOidcStandIn, type OidcStandIn } from "../workflow-runner/oidc.js";
import { createRunner, type Runner } from "../workflow-runner/runner.js";

const bin = engines("actionlint");
const REPOSITORY = "acme/kit";
const REVIEWER = "octo-maintainer";
const VERSION = "v0.2.0";
const MINUTE = 60_000;
const SIGSTORE_STAND_IN = join(repoRoot, "test", "emulators", "npm", "sigstore-stand-in.mjs");
const TEST_STAND_IN = "npx vitest run test/workflows/actionlint.test.ts";
const RELEASE_RULES: Partial<StoredEnvironment> = {
  reviewers: [REVIEWER],
  branchPolicy: [{ name: "main", type: "branch" }],
};
const NPM_RULES: Partial<StoredEnvironment> = { branchPolicy: [{ name: "v*", type: "tag" }] };

describe.skipIf(!bin)("release.yml and ci.yml through the local runner", () => {
  let temp: string;
  let origin: string;
  let github: GitHubEmulator;
  let oidc: OidcStandIn;
  let registry: NpmRegistryStandIn;
  let runner: Runner;
  let makeRunner: (name: string) => Runner;
  const lines: string[] = [];

  let git: Git;
  let deployments: DeploymentStore;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "release-run-"));
    git = gitIn(temp);
    // The kit's repository: this checkout's files, pushed to a bare origin.
    origin = join(temp, "origin.git");
    git(temp, "init", "--quiet", "--bare", "-b", "main", origin);
    const work = join(temp, "work");
    kitRepository(work, git);
    git(work, "remote", "add", "origin", origin);
    git(work, "push", "--quiet", "origin", "main");

    // A fresh HOME; its engines cache is this machine's (see the header).
    const home = join(temp, "home");
    mkdirSync(join(home, ".cache", "pulumi-preview-kit"), { recursive: true });
    symlinkSync(dirname(bin as string), join(home, ".cache", "pulumi-preview-kit", "engines"));

    github = await createGitHubEmulator();
    const [owner, repo] = REPOSITORY.split("/") as [string, string];
    github.state.setPermission(owner, repo, REVIEWER, "admin");
    deployments = deploymentStore(github.state);
    // As workflows.md's "Releasing" asks for them (the tag and npm jobs check it).
    Object.assign(deployments.ensureEnvironment(owner, repo, "release"), RELEASE_RULES);
    Object.assign(deployments.ensureEnvironment(owner, repo, "npm"), NPM_RULES);
    oidc = await startOidcStandIn((line) => lines.push(line));
    registry = await startNpmRegistry({
      oidc,
      log: (line) => lines.push(line),
      trusted: {
        "pulumi-preview-kit": {
          repository: REPOSITORY,
          workflow: "release.yml",
          environment: "npm",
        },
      },
    });

    let clones = 0;
    // Each runner has its own Actions cache, empty when it starts.
    makeRunner = (name) =>
      createRunner({
        github,
        consumerRoot: work,
        repository: REPOSITORY,
        packageRepositories: [REPOSITORY],
        // The checkout: a clone of the origin (all branches and tags) at the commit.
        source: (sha) => {
          const dir = join(temp, "clones", String(++clones));
          git(temp, "clone", "--quiet", origin, dir);
          git(dir, "checkout", "--quiet", "--detach", sha);
          return dir;
        },
        environmentSecrets: { release: { RELEASE_TOKEN: TOKENS.app } },
        approve: async ({ environment }) => environment === "release",
        oidc,
        replaceRuns: {
          "npm ci --no-audit --no-fund --ignore-scripts": {
            run: `node ${join(repoRoot, "test", "support", "linked-install.mjs")} ${repoRoot}`,
            because:
              "an install takes minutes a job; the same lockfile's install is linked instead",
          },
          "npm test": {
            run: TEST_STAND_IN,
            because:
              "the whole suite takes longer than this test may; this suite fails under CI=true without its engine",
          },
        },
        env: {
          HOME: home,
          npm_config_registry: registry.url,
          npm_config_update_notifier: "false",
          NODE_OPTIONS: `--import ${SIGSTORE_STAND_IN}`,
        },
        root: join(temp, name),
        stepTimeoutMs: 10 * MINUTE,
        log: (line) => lines.push(line),
      });
    runner = makeRunner("release");
  }, 5 * MINUTE);

  afterAll(async () => {
    await registry?.close();
    await oidc?.close();
    await github?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }, 5 * MINUTE);

  const failedLog = () => lines.slice(-80).join("\n");
  const steps = (
    run: {
      record: {
        jobs: { name: string; steps: { name: string; conclusion: string; kind: string }[] }[];
      };
    },
    job: string,
  ) => run.record.jobs.find((j) => j.name.startsWith(job))?.steps ?? [];

  const dispatch = (on: Runner) =>
    on.trigger(".github/workflows/release.yml", {
      name: "workflow_dispatch",
      sha: git(origin, "rev-parse", "main"),
      ref: "refs/heads/main",
      actor: "octo-developer",
      payload: {
        inputs: { version: VERSION },
        ref: "refs/heads/main",
        repository: { full_name: REPOSITORY, default_branch: "main" },
        sender: { login: "octo-developer" },
      },
    });
  const tagPush = () => {
    const tagged = git(origin, "rev-parse", `${VERSION}^{commit}`);
    return runner.trigger(".github/workflows/release.yml", {
      name: "push",
      sha: tagged,
      ref: `refs/tags/${VERSION}`,
      actor: "github-actions[bot]",
      payload: {
        ref: `refs/tags/${VERSION}`,
        after: tagged,
        repository: { full_name: REPOSITORY, default_branch: "main" },
        sender: { login: "github-actions[bot]" },
      },
    });
  };
  const errorsSaid = () => lines.filter((l) => l.includes("::error") || l.includes("Unprotected"));

  // Issue #19 item 5: an environment without its branch rule is one reviewer click (or none)
  // from any branch's copy of release.yml. The jobs refuse to go on in it.
  it(
    "the tag job refuses a release environment any branch may use: nothing pushed, no GitHub release",
    async () => {
      const before = git(origin, "rev-parse", "main");
      const release = deployments.environment("acme", "kit", "release")!;
      release.branchPolicy = undefined;
      lines.length = 0;
      try {
        // A runner of its own: its verify job must not fill the Actions cache the release's
        // own run below starts without.
        const run = dispatch(makeRunner("refused"));
        expect(await run.done).toBe("failure");
        const tag = steps(run, "Tag");
        expect(tag[0]).toMatchObject({
          name: "Check the environment's rules",
          conclusion: "failure",
        });
        expect(tag.slice(1).every((s) => s.conclusion === "skipped")).toBe(true);
        expect(errorsSaid().join("\n")).toContain(
          "Environment 'release' lets any branch deploy to it: in Settings > Environments > release > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch rule 'main'",
        );
      } finally {
        Object.assign(release, RELEASE_RULES);
      }
      expect(git(origin, "rev-parse", "main")).toBe(before);
      expect(git(origin, "tag", "--list")).toBe("");
      expect(releaseStore(github.state).of("acme", "kit", VERSION)).toBeUndefined();
    },
    20 * MINUTE,
  );

  it(
    "release.yml by hand: verify (cache empty, engines, the test stand-in), then tag pushes main and the tags and publishes the GitHub release",
    async () => {
      const main = git(origin, "rev-parse", "main");
      const run = runner.trigger(".github/workflows/release.yml", {
        name: "workflow_dispatch",
        sha: main,
        ref: "refs/heads/main",
        actor: "octo-developer",
        payload: {
          inputs: { version: VERSION },
          ref: "refs/heads/main",
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: "octo-developer" },
        },
      });
      const result = await run.done;
      if (result !== "success") throw new Error(failedLog());
      const verify = steps(run, "Verify");
      expect(verify.every((s) => s.conclusion === "success")).toBe(true);
      // In the workflow's order, the cache saved by its post step once the job succeeded.
      expect(verify.map((s) => s.name)).toEqual([
        "Check the version",
        "Run actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8",
        "Check that the tag is new",
        "Run actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444",
        "Check the changelog",
        "Run actions/setup-go@b7ad1dad31e06c5925ef5d2fc7ad053ef454303e",
        "Restore the engines",
        "Docker engine and registry",
        "shellcheck",
        "Run npm ci --no-audit --no-fund --ignore-scripts",
        "Build the engines",
        "Run npm test",
        "Post actions/cache",
        "Post actions/setup-go",
      ]);
      expect(lines.some((l) => l.includes("Cache saved with key: engines-Linux-X64-"))).toBe(true);
      // Each job's token as GitHub computed it: read-only; the tag job writes with its secret
      // and reads its environment's rules.
      const granted = (name: string) =>
        Object.entries(run.record.jobs.find((j) => j.name.startsWith(name))?.permissions ?? {})
          .filter(([, level]) => level !== "none")
          .sort();
      expect(granted("Verify")).toEqual([["contents", "read"]]);
      expect(granted("Tag")).toEqual([
        ["actions", "read"],
        ["contents", "read"],
      ]);
      expect(steps(run, "Tag")[0]).toMatchObject({
        name: "Check the environment's rules",
        conclusion: "success",
      });
      expect(verify.map((s) => s.kind)).toContain(
        "stand-in for actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae",
      );
      expect(
        lines.some((l) => l.includes("Cache not found for input keys: engines-Linux-X64-")),
      ).toBe(true);
      expect(lines.some((l) => l.includes("[stand-in run] 'npm test' replaced"))).toBe(true);
      // The tag job: the release commit on main, the three tags on it, the GitHub release.
      const released = git(origin, "rev-parse", "main");
      expect(git(origin, "rev-parse", `${released}^`)).toBe(main);
      for (const tag of [VERSION, "v0.2", "v0"])
        expect(git(origin, "rev-parse", `${tag}^{commit}`), tag).toBe(released);
      expect(JSON.parse(git(origin, "show", "main:package.json")).version).toBe("0.2.0");
      expect(git(origin, "show", "main:CHANGELOG.md")).toMatch(
        /## \[0\.2\.0\] - \d{4}-\d{2}-\d{2}/,
      );
      const release = releaseStore(github.state).of("acme", "kit", VERSION);
      expect(release?.body.length).toBeGreaterThan(10);
      expect(run.record.jobs.find((j) => j.name.startsWith("Publish"))?.result ?? "skipped").toBe(
        "skipped",
      );
    },
    20 * MINUTE,
  );

  it(
    "the npm job refuses an npm environment that also accepts a branch: nothing published",
    async () => {
      const npm = deployments.environment("acme", "kit", "npm")!;
      npm.branchPolicy = [
        { name: "v*", type: "tag" },
        { name: "*", type: "branch" },
      ];
      lines.length = 0;
      try {
        const run = tagPush();
        expect(await run.done).toBe("failure");
        const job = steps(run, "Publish");
        expect(job[0]).toMatchObject({
          name: "Check the environment's rules",
          conclusion: "failure",
        });
        expect(job.slice(1).every((s) => s.conclusion === "skipped")).toBe(true);
        expect(errorsSaid().join("\n")).toContain(
          "Environment 'npm' lets branch '*' deploy to it: in Settings > Environments > npm > Deployment branches and tags, choose 'Selected branches and tags' and add only the tag rule 'v*'",
        );
      } finally {
        Object.assign(npm, NPM_RULES);
      }
      expect(registry.published).toEqual([]);
      expect(oidc.issued).toEqual([]);
    },
    20 * MINUTE,
  );

  it(
    "the tag's push: the npm job alone publishes the tagged commit through trusted publishing (OIDC, no npm token), with its provenance statement",
    async () => {
      const tagged = git(origin, "rev-parse", `${VERSION}^{commit}`);
      const run = runner.trigger(".github/workflows/release.yml", {
        name: "push",
        sha: tagged,
        ref: `refs/tags/${VERSION}`,
        actor: "github-actions[bot]",
        payload: {
          ref: `refs/tags/${VERSION}`,
          after: tagged,
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: "github-actions[bot]" },
        },
      });
      const result = await run.done;
      if (result !== "success") throw new Error(failedLog());
      // Nothing from a job that ran dependencies: the run's only job is the npm one.
      const npmJob = run.record.jobs.find((j) => j.name.startsWith("Publish"));
      expect(
        Object.entries(npmJob?.permissions ?? {})
          .filter(([, level]) => level !== "none")
          .sort(),
      ).toEqual([
        ["actions", "read"],
        ["contents", "read"],
        ["id-token", "write"],
      ]);
      expect(run.record.jobs.filter((j) => j.result !== "skipped").map((j) => j.name)).toEqual([
        `Publish ${VERSION} to npm`,
      ]);
      expect(registry.published.map((p) => `${p.name}@${p.version}`)).toEqual([
        "pulumi-preview-kit@0.2.0",
      ]);
      const [published] = registry.published;
      expect(published!.publishedBy).toMatchObject({
        repository: REPOSITORY,
        environment: "npm",
        ref: `refs/tags/${VERSION}`,
        sha: tagged,
        aud: "npm:127.0.0.1",
      });
      // The statement npm wrote: the tarball's digest, the tagged commit, release.yml at the tag.
      const statement = JSON.parse(
        Buffer.from(published!.provenance!.dsseEnvelope!.payload, "base64").toString("utf8"),
      ) as {
        subject: { name: string; digest: { sha512: string } }[];
        predicate: {
          buildDefinition: {
            externalParameters: { workflow: { ref: string; path: string } };
            resolvedDependencies: { digest: { gitCommit: string } }[];
          };
        };
      };
      expect(statement.subject[0]?.name).toBe("pkg:npm/pulumi-preview-kit@0.2.0");
      expect(statement.subject[0]?.digest.sha512).toBe(
        (await import("node:crypto")).createHash("sha512").update(published!.tarball).digest("hex"),
      );
      expect(statement.predicate.buildDefinition.externalParameters.workflow).toEqual({
        ref: `refs/tags/${VERSION}`,
        repository: `https://github.com/${REPOSITORY}`,
        path: ".github/workflows/release.yml",
      });
      expect(statement.predicate.buildDefinition.resolvedDependencies[0]?.digest.gitCommit).toBe(
        tagged,
      );
      // The published tarball: the docs, the compiled library, no tests.
      const files = execFileSync("tar", ["-tz"], { input: published!.tarball, encoding: "utf8" })
        .split("\n")
        .map((f) => f.replace(/^package\//, ""));
      for (const file of [
        "README.md",
        "components/README.md",
        "lib/components/index.js",
        "lib/components/index.d.ts",
      ])
        expect(files, file).toContain(file);
      expect(files.filter((f) => f.startsWith("test/"))).toEqual([]);
      // Only the exchanged token published: the registry saw no other credential.
      expect(registry.requests).toContain(
        "POST /-/npm/v1/oidc/token/exchange/package/pulumi-preview-kit -> 201",
      );
      expect(oidc.issued.map((i) => i.audience).sort()).toEqual(["npm:127.0.0.1", "sigstore"]);
      // Each stand-in said what it did in the run's log.
      for (const said of [
        "[stand-in oidc] a token for acme/kit/.github/workflows/release.yml@refs/tags/v0.2.0, audience npm:127.0.0.1",
        "[stand-in sigstore] provenance statement wrapped, not signed",
        "[stand-in npm registry] published pulumi-preview-kit@0.2.0",
      ])
        expect(
          lines.some((line) => line.includes(said)),
          said,
        ).toBe(true);
    },
    20 * MINUTE,
  );

  it(
    "ci.yml on a push to main: format, lint, types, and the tests job from an empty cache",
    async () => {
      const main = git(origin, "rev-parse", "main");
      lines.length = 0;
      const run = makeRunner("ci").trigger(".github/workflows/ci.yml", {
        name: "push",
        sha: main,
        ref: "refs/heads/main",
        payload: {
          ref: "refs/heads/main",
          after: main,
          repository: { full_name: REPOSITORY, default_branch: "main" },
          sender: { login: "octo-developer" },
        },
      });
      const result = await run.done;
      if (result !== "success") throw new Error(failedLog());
      expect(run.record.jobs.map((j) => `${j.name}: ${j.result}`).sort()).toEqual([
        "Format, lint, types: success",
        "Tests: success",
      ]);
      expect(
        lines.some((l) => l.includes("Cache not found for input keys: engines-Linux-X64-")),
      ).toBe(true);
      expect(lines.some((l) => l.includes("Cache saved with key: engines-Linux-X64-"))).toBe(true);
    },
    20 * MINUTE,
  );
});
