import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type DeployInputs,
  crossInputProblems,
  versionFromFile,
} from "../../../actions/pulumi-deploy/checks.js";
import { backendFor } from "../../../actions/shared/pulumi/backend.js";

const base: DeployInputs = {
  command: "up",
  stackName: "acme/app/dev",
  workDir: ".",
  cloudUrl: undefined,
  upsert: undefined,
  config: undefined,
  images: {},
  refresh: false,
  expectNoChanges: false,
  target: [],
  targetDependents: false,
  exclude: [],
  excludeDependents: false,
  excludeProtected: false,
  replace: [],
  diff: false,
  parallel: 0,
  suppressOutputs: false,
  suppressProgress: false,
  continueOnError: false,
  clearPendingCreates: false,
  debug: false,
  plan: undefined,
  retries: 3,
  destroyOnFailure: false,
  removeStack: false,
  message: undefined,
  policyPacks: [],
  policyPackConfigs: [],
  secretsProvider: undefined,
  allowEmptyPassphrase: false,
  pulumiVersion: undefined,
  pulumiVersionFile: undefined,
  isolatePlugins: false,
  oidcOrganization: undefined,
  oidcScope: "",
  oidcTokenExpiration: 0,
  timeoutMinutes: 120,
};

afterEach(() => vi.unstubAllEnvs());

/** The checks as run() makes them: with the backend the CLI will use. */
async function problemsOf(i: DeployInputs): Promise<string[]> {
  return crossInputProblems(i, await backendFor(i.cloudUrl, resolve(i.workDir)));
}

describe("crossInputProblems", () => {
  it("accepts an org-qualified stack on Pulumi Cloud", async () => {
    vi.stubEnv("PULUMI_BACKEND_URL", "");
    expect(await problemsOf(base)).toEqual([]);
  });

  it("requires ORG/PROJECT/STACK on Pulumi Cloud, the default or an https backend", async () => {
    vi.stubEnv("PULUMI_BACKEND_URL", "");
    expect((await problemsOf({ ...base, stackName: "dev" }))[0]).toMatch(
      /^Input 'stack-name' must be ORG\/PROJECT\/STACK for Pulumi Cloud/,
    );
    expect(
      await problemsOf({ ...base, stackName: "dev", cloudUrl: "https://pulumi.example.com" }),
    ).toHaveLength(1);
  });

  it("allows a bare name on file and S3 backends, given as input or by the job's PULUMI_BACKEND_URL", async () => {
    expect(await problemsOf({ ...base, stackName: "dev", cloudUrl: "s3://bucket/state" })).toEqual(
      [],
    );
    vi.stubEnv("PULUMI_BACKEND_URL", "file:///tmp/state");
    expect(await problemsOf({ ...base, stackName: "dev" })).toEqual([]);
  });

  it("honours backend.url in the project's Pulumi.yaml, as the real CLI does", async () => {
    vi.stubEnv("PULUMI_BACKEND_URL", "");
    const dir = mkdtempSync(join(tmpdir(), "checks-"));
    vi.stubEnv("GITHUB_WORKSPACE", dir); // work-dir must be inside the workspace
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      "name: app\nruntime: nodejs\nbackend:\n  url: s3://bucket/state\n",
    );
    expect(await problemsOf({ ...base, workDir: dir, stackName: "dev" })).toEqual([]);
  });

  it("rejects a missing work-dir and remove-stack without destroy", async () => {
    expect(await problemsOf({ ...base, workDir: "no/such/dir", removeStack: true })).toEqual([
      "Input 'work-dir' must be an existing directory, got 'no/such/dir'",
      "Input 'remove-stack' only applies to command 'destroy', got command 'up'",
    ]);
    expect(await problemsOf({ ...base, command: "destroy", removeStack: true })).toEqual([]);
  });

  it("rejects remove-stack with target: the real CLI keeps the stack then", async () => {
    const urn = "urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::t1";
    expect(
      await problemsOf({ ...base, command: "destroy", removeStack: true, target: [urn] }),
    ).toEqual([
      "Input 'remove-stack' cannot be combined with 'target': `pulumi destroy --remove --target` keeps the stack",
    ]);
  });

  it("refuses the pulumi/actions flags on commands that do not take them", async () => {
    const urn = "urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::t1";
    expect(
      await problemsOf({
        ...base,
        command: "refresh",
        excludeProtected: true,
        replace: [urn],
        continueOnError: true,
        targetDependents: true,
        excludeDependents: true,
      }),
    ).toEqual([
      "Input 'exclude-protected' only applies to command destroy, got command 'refresh'",
      "Input 'replace' only applies to command preview, up, got command 'refresh'",
      "Input 'continue-on-error' only applies to command up, destroy, got command 'refresh'",
      "Input 'target-dependents' needs 'target'",
      "Input 'exclude-dependents' needs 'exclude'",
    ]);
    expect(await problemsOf({ ...base, command: "output", diff: true, parallel: 4 })).toEqual([
      "Input 'diff' only applies to command preview, up, refresh, destroy, got command 'output'",
      "Input 'parallel' only applies to command preview, up, refresh, destroy, got command 'output'",
    ]);
    expect(
      await problemsOf({ ...base, command: "destroy", excludeProtected: true, parallel: 2 }),
    ).toEqual([]);
    expect(
      await problemsOf({
        ...base,
        command: "destroy",
        target: [urn],
        exclude: [urn],
        excludeDependents: true,
      }),
    ).toEqual([
      "Input 'exclude-dependents' only applies to command preview, up, refresh, got command 'destroy'",
      "Input 'exclude' cannot be combined with 'target': the CLI takes one or the other",
    ]);
  });

  it("plan: a folder in the workspace for preview, an existing file for up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "checks-"));
    vi.stubEnv("GITHUB_WORKSPACE", dir);
    expect(
      await problemsOf({ ...base, workDir: dir, command: "preview", plan: "plan.json" }),
    ).toEqual([]);
    expect(await problemsOf({ ...base, workDir: dir, command: "up", plan: "plan.json" })).toEqual([
      "Input 'plan' must be an existing file, got 'plan.json'",
    ]);
    writeFileSync(join(dir, "plan.json"), "{}");
    expect(await problemsOf({ ...base, workDir: dir, command: "up", plan: "plan.json" })).toEqual(
      [],
    );
    expect(
      await problemsOf({ ...base, workDir: dir, command: "destroy", plan: "plan.json" }),
    ).toEqual(["Input 'plan' only applies to command preview, up, got command 'destroy'"]);
  });

  it("pairs policy-pack-configs with policy-packs, and reads pulumi-version-file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "checks-"));
    vi.stubEnv("GITHUB_WORKSPACE", dir);
    writeFileSync(join(dir, "a.json"), "{}");
    expect(
      await problemsOf({ ...base, workDir: dir, policyPackConfigs: ["a.json", "b.json"] }),
    ).toEqual([
      "Input 'policy-pack-configs' line 2 must be an existing file, got 'b.json'",
      "Input 'policy-pack-configs' has 2 line(s) for 0 policy pack(s): one config file per pack, in the same order",
    ]);
    writeFileSync(join(dir, ".pulumi.version"), "v3.274.1\n");
    expect(versionFromFile(join(dir, ".pulumi.version"))).toEqual({ version: "v3.274.1" });
    // As pulumi/actions v7 reads the file: a range or `latest` too.
    writeFileSync(join(dir, "range.version"), "^3.200.0\n");
    expect(versionFromFile(join(dir, "range.version"))).toEqual({ version: "^3.200.0" });
    writeFileSync(join(dir, "bad.version"), "newest\n");
    expect(versionFromFile(join(dir, "bad.version"))).toEqual({
      problem:
        "Input 'pulumi-version-file' must name a file holding a Pulumi CLI version such as 3.140.0, a range such as ^3.200.0, or latest, got a file holding 'newest'",
    });
  });
});

// Issue #23 item 11: these reached the CLI positionally (`pulumi stack select --help`).
describe("stack names that read as flags or paths", () => {
  it("are refused by the stack-name rule; names starting with a letter, digit or _ pass", async () => {
    const { bareStack, qualifiedStack } = await import("../../../actions/shared/schemas.js");
    for (const name of ["--help", "-h", ".", ".."]) expect(bareStack.test(name), name).toBe(false);
    for (const name of ["-h/app/pr", "org/../x", "org/app/--help", "./app/dev"])
      expect(qualifiedStack.test(name), name).toBe(false);
    for (const name of ["dev", "pr-12", "_x", "v1.2"])
      expect(bareStack.test(name), name).toBe(true);
    expect(qualifiedStack.test("acme/app.web/pr-12")).toBe(true);
  });
});
