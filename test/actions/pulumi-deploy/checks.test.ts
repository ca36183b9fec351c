import { afterEach, describe, expect, it, vi } from "vitest";
import { type DeployInputs, crossInputProblems } from "../../../actions/pulumi-deploy/checks.js";

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
  pulumiVersion: undefined,
  timeoutMinutes: 120,
};

afterEach(() => vi.unstubAllEnvs());

describe("crossInputProblems", () => {
  it("accepts an org-qualified stack on Pulumi Cloud", () => {
    vi.stubEnv("PULUMI_BACKEND_URL", "");
    expect(crossInputProblems(base)).toEqual([]);
  });

  it("requires ORG/PROJECT/STACK on Pulumi Cloud, the default or an https backend", () => {
    vi.stubEnv("PULUMI_BACKEND_URL", "");
    expect(crossInputProblems({ ...base, stackName: "dev" })[0]).toMatch(
      /^Input 'stack-name' must be ORG\/PROJECT\/STACK for Pulumi Cloud/,
    );
    expect(
      crossInputProblems({ ...base, stackName: "dev", cloudUrl: "https://pulumi.example.com" }),
    ).toHaveLength(1);
  });

  it("allows a bare name on file and S3 backends, given as input or by the job's PULUMI_BACKEND_URL", () => {
    expect(
      crossInputProblems({ ...base, stackName: "dev", cloudUrl: "s3://bucket/state" }),
    ).toEqual([]);
    vi.stubEnv("PULUMI_BACKEND_URL", "file:///tmp/state");
    expect(crossInputProblems({ ...base, stackName: "dev" })).toEqual([]);
  });

  it("rejects a missing work-dir and remove-stack without destroy", () => {
    expect(crossInputProblems({ ...base, workDir: "no/such/dir", removeStack: true })).toEqual([
      "Input 'work-dir' must be an existing directory, got 'no/such/dir'",
      "Input 'remove-stack' only applies to command 'destroy', got command 'up'",
    ]);
    expect(crossInputProblems({ ...base, command: "destroy", removeStack: true })).toEqual([]);
  });
});
