/**
 * pulumi-deploy's Pulumi Cloud login by OIDC, as the runner runs the bundle: the job's GitHub
 * OIDC token exchanged for a short-lived Pulumi token (stand-in for both ends:
 * test/emulators/pulumi/token-exchange.ts), which the CLI double then accepts as its only
 * valid token. Per-environment trust is the organization's policy: a job whose subject no
 * policy names gets nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type PulumiDouble, createPulumiDouble } from "../emulators/pulumi/double.js";
import { startTokenExchange } from "../emulators/pulumi/token-exchange.js";
import { leakedSecrets, runAction } from "../harness/run-action.js";

type Exchange = Awaited<ReturnType<typeof startTokenExchange>>;
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

const PRODUCTION = "repo:acme/app:environment:production";
const PREVIEW = "repo:acme/app:environment:preview";
const policies = [
  { sub: PRODUCTION, tokenType: "organization" as const },
  { sub: "repo:acme/app:environment:preview*", tokenType: "team" as const, scope: "team:previews" },
];

const ISSUED = "pul-oidc-0123456789abcdef0123456789abcdef";

async function setUp(subject: string, outages: number[] = []) {
  const exchange = await startTokenExchange({
    organization: "acme",
    policies,
    subject,
    outages,
    token: ISSUED,
  });
  const double: PulumiDouble = createPulumiDouble({ backend: "cloud", org: "acme" });
  open.push(exchange, double);
  return { exchange, double };
}

function deploy(
  setup: { exchange: Exchange; double: PulumiDouble },
  inputs: Record<string, string>,
  env: Record<string, string> = {},
) {
  const { exchange, double } = setup;
  return runAction("pulumi-deploy", {
    inputs: {
      command: "preview",
      "stack-name": "acme/app/pr-7",
      "cloud-url": exchange.url,
      ...inputs,
    },
    env: {
      ...double.env,
      // No stored token: the exchanged one is the only one the CLI double accepts.
      PULUMI_ACCESS_TOKEN: "",
      PULUMI_DOUBLE_VALID_TOKEN: ISSUED,
      ...exchange.jobEnv,
      PREVIEW_KIT_RETRY_BASE_MS: "1",
      ...env,
    },
    path: [double.binDir],
    cwd: double.workDir,
  });
}

const errors = (run: Awaited<ReturnType<typeof runAction>>) =>
  run.annotations.filter((a) => a.level === "error");

describe("pulumi-deploy: Pulumi Cloud by OIDC", () => {
  it("exchanges the job's OIDC token exactly as Pulumi documents it; the CLI runs on the short-lived token, masked and never exported", async () => {
    const setup = await setUp(PREVIEW);
    const run = await deploy(setup, {
      "oidc-organization": "acme",
      "oidc-scope": "team:previews",
      "oidc-token-expiration": "1800",
    });
    // The CLI double accepts the issued token only (any other is its 401).
    expect(run.exitCode, run.log).toBe(0);
    expect(setup.double.calls().length).toBeGreaterThan(0);
    const [request] = setup.exchange.requests;
    expect(request?.headers).toEqual({
      accept: "application/vnd.pulumi+8",
      "content-type": "application/json",
    });
    expect(Object.keys(request?.body ?? {}).sort()).toEqual([
      "audience",
      "expiration",
      "grant_type",
      "requested_token_type",
      "scope",
      "subject_token",
      "subject_token_type",
    ]);
    expect(request?.body).toMatchObject({
      audience: "urn:pulumi:org:acme",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:pulumi:token-type:access_token:team",
      scope: "team:previews",
      expiration: 1800,
    });
    // GitHub's token was asked for Pulumi's audience, the one the exchange names.
    expect(request?.claims.aud).toBe("urn:pulumi:org:acme");
    expect(setup.exchange.issued).toEqual([ISSUED]);
    expect(run.masks).toContain(ISSUED);
    expect(leakedSecrets(run, [ISSUED])).toEqual([]);
    expect(Object.keys(run.exportedEnv)).not.toContain("PULUMI_ACCESS_TOKEN");
    expect(run.log).toContain("Logged in to Pulumi Cloud by OIDC: a team token of acme");
  });

  it("production's subject gets an organization token (no scope sent), and the CLI runs on it", async () => {
    const setup = await setUp(PRODUCTION);
    const run = await deploy(setup, { "oidc-organization": "acme" });
    expect(run.exitCode, run.log).toBe(0);
    expect(setup.exchange.issued).toHaveLength(1);
    expect(setup.exchange.requests[0]?.body).not.toHaveProperty("scope");
    expect(setup.exchange.requests[0]?.body).not.toHaveProperty("expiration");
    expect(setup.exchange.requests[0]?.body.requested_token_type).toBe(
      "urn:pulumi:token-type:access_token:organization",
    );
  });

  it("a job whose subject no policy trusts (a pull request's run asking for production's token) gets nothing and starts no CLI", async () => {
    const setup = await setUp("repo:acme/app:pull_request");
    const run = await deploy(setup, { "oidc-organization": "acme" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toMatch(
      /refused to exchange the job's OIDC token for an organization token of organization acme \(HTTP 401: invalid_grant/,
    );
    expect(setup.exchange.issued).toEqual([]);
    expect(setup.double.calls()).toEqual([]);
    expect(run.outputs).toEqual({});
  });

  it("the preview environment's subject cannot get the production (organization) token", async () => {
    const setup = await setUp(PREVIEW);
    const run = await deploy(setup, { "oidc-organization": "acme" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain("HTTP 401");
    expect(setup.double.calls()).toEqual([]);
  });

  it("a 503 from Pulumi Cloud is tried again", async () => {
    const setup = await setUp(PRODUCTION, [503]);
    const run = await deploy(setup, { "oidc-organization": "acme" });
    expect(run.exitCode, run.log).toBe(0);
    expect(setup.exchange.issued).toHaveLength(1);
    expect(setup.exchange.requests).toHaveLength(1);
  });

  it("without id-token: write (no OIDC request variables) fails in one line before any request", async () => {
    const setup = await setUp(PRODUCTION);
    const run = await deploy(
      setup,
      { "oidc-organization": "acme" },
      { ACTIONS_ID_TOKEN_REQUEST_URL: "", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "" },
    );
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toContain("needs `permissions: id-token: write`");
    expect(setup.exchange.requests).toEqual([]);
    expect(setup.double.calls()).toEqual([]);
  });

  it.each([
    [
      { "oidc-organization": "acme", "oidc-scope": "team" },
      "Input 'oidc-scope' must be empty or admin",
    ],
    [{ "oidc-scope": "team:previews" }, "need 'oidc-organization'"],
    [
      { "oidc-organization": "acme/app" },
      "Input 'oidc-organization' must be a Pulumi organization name",
    ],
    [
      { "oidc-organization": "acme", "oidc-token-expiration": "-5" },
      "Input 'oidc-token-expiration' must be",
    ],
  ])("bad input %j fails in one line, requesting nothing", async (inputs, message) => {
    const setup = await setUp(PRODUCTION);
    const run = await deploy(setup, inputs);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toContain(message);
    expect(setup.exchange.requests).toEqual([]);
    expect(setup.double.calls()).toEqual([]);
  });

  it("a stored PULUMI_ACCESS_TOKEN next to oidc-organization is refused, quoting no token", async () => {
    const setup = await setUp(PRODUCTION);
    const stored = "pul-stored0000000000000000000000000000000";
    const run = await deploy(
      setup,
      { "oidc-organization": "acme" },
      { PULUMI_ACCESS_TOKEN: stored },
    );
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain("PULUMI_ACCESS_TOKEN is set too");
    expect(leakedSecrets(run, [stored])).toEqual([]);
    expect(setup.exchange.requests).toEqual([]);
  });

  it("a file:// backend with oidc-organization is refused", async () => {
    const setup = await setUp(PRODUCTION);
    const run = await deploy(setup, {
      "oidc-organization": "acme",
      "cloud-url": "file:///tmp/state",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain("the backend is not Pulumi Cloud");
  });
});

describe("verify-stack-ref: Pulumi Cloud by OIDC (the plan job's check of the base stack)", () => {
  it("reads the base stack with the plan's exchanged read token", async () => {
    const exchange = await startTokenExchange({
      organization: "acme",
      policies: [{ sub: PREVIEW, tokenType: "team", scope: "team:readers" }],
      subject: PREVIEW,
      token: ISSUED,
    });
    const double = createPulumiDouble({ backend: "cloud", org: "acme", project: "infra" });
    open.push(exchange, double);
    double.addStack("dev", { outputs: { vpcId: "vpc-0abc" } });
    const { PULUMI_BACKEND_URL: _, ...env } = double.env;
    const run = await runAction("verify-stack-ref", {
      inputs: {
        "stack-ref": "acme/infra/dev",
        "required-outputs": "vpcId",
        "cloud-url": exchange.url,
        "oidc-organization": "acme",
        "oidc-scope": "team:readers",
      },
      env: {
        ...env,
        PULUMI_ACCESS_TOKEN: "",
        PULUMI_DOUBLE_VALID_TOKEN: ISSUED,
        ...exchange.jobEnv,
        PREVIEW_KIT_RETRY_BASE_MS: "1",
      },
      path: [double.binDir],
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(exchange.grants).toEqual([{ token: ISSUED, sub: PREVIEW, scope: "team:readers" }]);
    expect(leakedSecrets(run, [ISSUED])).toEqual([]);
    expect(Object.keys(run.exportedEnv)).not.toContain("PULUMI_ACCESS_TOKEN");
  });
});
