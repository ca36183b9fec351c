import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type DeployInputs, crossInputProblems } from "../../../actions/pulumi-deploy/checks.js";
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
  retries: 3,
  destroyOnFailure: false,
  removeStack: false,
  message: undefined,
  policyPacks: [],
  secretsProvider: undefined,
  allowEmptyPassphrase: false,
  pulumiVersion: undefined,
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
});
