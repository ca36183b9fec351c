/**
 * The bundled deploy-gate action as the runner starts it, against the GitHub emulator. Each
 * refusal is played by the actor it stops: an author without write access, a pull request
 * closed or pushed to meanwhile, an environment without reviewers or open to any branch, a
 * stack without a URL to check. A refusal is one line,
 * sets no output and (when inputs are at fault) asks GitHub nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runAction, type ActionRun, type RunOptions } from "../harness/run-action.js";
import {
  deploymentStore,
  type DeploymentStore,
  type StoredEnvironment,
} from "../emulators/github/routes/deployments.js";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { loadWorkflow } from "../support/workflows.js";

const OWNER = "octo-org";
const REPO = "octo-repo";
const HEAD = "b".repeat(40);
const NEWER = "c".repeat(40);
const D = `sha256:${"a".repeat(64)}`;
const PULL = "GET /repos/{owner}/{repo}/pulls/{pull_number}";
const PERMISSION = "GET /repos/{owner}/{repo}/collaborators/{username}/permission";

let gh: GitHubEmulator;
let store: DeploymentStore;
beforeEach(async () => {
  gh = await createGitHubEmulator();
  store = deploymentStore(gh.state);
  gh.state.addPull(OWNER, REPO, 7, { author: "alice", headSha: HEAD });
  gh.state.setPermission(OWNER, REPO, "alice", "write");
});
afterEach(() => gh.close());

const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);
const notices = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === "notice").map((a) => a.message);

function step(inputs: Record<string, string>, options: RunOptions = {}) {
  return runAction("deploy-gate", {
    ...options,
    inputs,
    env: { GITHUB_API_URL: gh.url, ...options.env },
  });
}

/** The gate step as deploy.yml calls it, for a preview of pull request #7 by default. */
function gate(inputs: Record<string, string> = {}, options: RunOptions = {}) {
  return step(
    {
      step: "gate",
      "environment-kind": "preview",
      stack: "acme/shop/pr-7",
      "pr-number": "7",
      "image-refs": JSON.stringify({ web: `ghcr.io/acme/shop-web@${D}` }),
      ...inputs,
    },
    options,
  );
}

function environment(name: string, fields: Partial<StoredEnvironment>): void {
  Object.assign(store.ensureEnvironment(OWNER, REPO, name), fields);
}

/** Production as the docs ask for it: reviewers, Prevent self-review, main only. */
function protectedProduction(fields: Partial<StoredEnvironment> = {}): void {
  environment("production", {
    reviewers: ["rita"],
    preventSelfReview: true,
    branchPolicy: [{ name: "main", type: "branch" }],
    ...fields,
  });
}

const production = (inputs: Record<string, string> = {}) =>
  gate({
    "environment-kind": "production",
    stack: "acme/shop/production",
    "pr-number": "0",
    "require-reviewers": "true",
    ...inputs,
  });

describe("gate: inputs refused before any API call", () => {
  it("reports every bad input, one line each, asks GitHub nothing and outputs nothing", async () => {
    const run = await gate({ "environment-kind": "staging", stack: "" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'environment-kind' must be one of dev, preview, production, got 'staging'",
    ]);
    const second = await gate({ stack: "", "pr-number": "0" });
    expect(errors(second)).toEqual([
      "Input 'pr-number' is required for a preview (step gate): the pull request's number",
      "Input 'stack' is required by step gate",
    ]);
    expect(gh.requests.length).toBe(0);
    expect(run.outputs).toEqual({});
    expect(second.outputs).toEqual({});
  });

  it("refuses destroy-on-failure outside a preview: a failed up must not destroy dev or production", async () => {
    for (const kind of ["dev", "production"]) {
      const run = await gate({
        "environment-kind": kind,
        stack: `acme/shop/${kind}`,
        "pr-number": "0",
        "destroy-on-failure": "true",
      });
      expect(errors(run)).toEqual([
        `Input 'destroy-on-failure' is only for previews, not for environment-kind '${kind}'`,
      ]);
      expect(run.outputs).toEqual({});
    }
    expect(gh.requests.length).toBe(0);
  });

  it("refuses a preview config that sets prNumber itself", async () => {
    for (const line of ["prNumber: 8", '"prNumber": "8"', "prNumber : 8", "'prNumber':8"]) {
      const run = await gate({ config: `a: 1\n${line}` });
      expect(run.exitCode, line).toBe(1);
      expect(errors(run)).toEqual([
        "Input 'config' sets prNumber: a preview's is its pull request number, which the deploy adds; remove that line",
      ]);
      expect(run.outputs).toEqual({});
    }
    expect(gh.requests.length).toBe(0);
  });

  it("refuses a preview stack that is not the pull request's own", async () => {
    for (const stack of ["acme/shop/pr-8", "acme/shop/production", "pr-70"]) {
      const run = await gate({ stack });
      expect(errors(run), stack).toEqual([
        `Input 'stack' must be the preview's stack pr-7 or ORG/PROJECT/pr-7, got '${stack}'`,
      ]);
    }
    expect(gh.requests.length).toBe(0);
  });

  it("checks the images with check-images' rule, and production needs at least one", async () => {
    const bad = await gate({
      "image-refs": JSON.stringify({ Web: "ghcr.io/acme/web@sha256:abc" }),
    });
    expect(errors(bad)).toEqual([
      "Input 'image-refs' names image 'Web', which must be one lowercase path component: letters and digits, separated by '.', '_', '__' or dashes",
    ]);
    const none = await production({ "image-refs": "{}" });
    expect(errors(none)).toEqual([
      "Input 'image-refs' holds no image, and require-images is set: this deploy takes exactly the images it is given",
    ]);
    expect(gh.requests.length).toBe(0);
  });
});

describe("gate: a preview", () => {
  it("names it once, adds prNumber to its config and hands on the images of a trusted author", async () => {
    const given = 'domain: "pr.example.com"\nreplicas:\n  web: 2';
    const run = await gate({ config: given });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      environment: "preview",
      trusted: "true",
      open: "true",
      "deployment-environment": "preview-pr-7",
      stack: "acme/shop/pr-7",
      namespace: "preview-pr-7",
      config: `${given}\nprNumber: "7"`,
      images: `web=ghcr.io/acme/shop-web@${D}`,
      "image-refs": JSON.stringify({ web: `ghcr.io/acme/shop-web@${D}` }),
    });
    expect(parse(run.outputs.config!)).toEqual({
      domain: "pr.example.com",
      replicas: { web: 2 },
      prNumber: "7",
    });
    // Trusted: no approval environment to check.
    expect(gh.requests.count("GET /repos/{owner}/{repo}/environments/{environment_name}")).toBe(0);
  });

  it.each([
    ["admin", "true"],
    ["write", "true"],
    ["read", "false"],
  ] as const)("an author with %s access gets trusted=%s", async (permission, trusted) => {
    gh.state.setPermission(OWNER, REPO, "alice", permission);
    environment("preview-approval", { reviewers: ["rita"] });
    const run = await gate();
    expect(errors(run)).toEqual([]);
    expect(run.outputs.trusted).toBe(trusted);
    expect(run.outputs.environment).toBe(trusted === "true" ? "preview" : "preview-approval");
  });

  it("sends an author without write access to the approval environment, with a notice", async () => {
    gh.state.addPull(OWNER, REPO, 7, { author: "mallory", headSha: HEAD });
    environment("preview-approval", { reviewers: ["rita"] });
    const run = await gate();
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ trusted: "false", environment: "preview-approval" });
    expect(notices(run)).toEqual([
      "mallory has no write access: the deploy waits for a reviewer of environment 'preview-approval'",
    ]);
  });

  it("treats any failure to read the author's permission as untrusted, never the other way", async () => {
    environment("preview-approval", { reviewers: ["rita"] });
    gh.faults.inject("service-unavailable", { route: PERMISSION, times: 10 });
    const run = await gate();
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ trusted: "false", environment: "preview-approval" });
  }, 60_000);

  it("refuses an untrusted author's preview when the approval environment has no reviewers", async () => {
    gh.state.addPull(OWNER, REPO, 7, { author: "mallory", headSha: HEAD });
    // GitHub would create it on first use, without reviewers: the preview would deploy unreviewed.
    const missing = await gate();
    expect(missing.exitCode).toBe(1);
    expect(errors(missing)).toEqual([
      "Environment 'preview-approval' has no required reviewers; add them in Settings > Environments > preview-approval (a private repository needs GitHub Enterprise for them)",
    ]);
    expect(missing.outputs).toEqual({});
    environment("preview-approval", {});
    expect(errors(await gate())).toHaveLength(1);
  });

  it("plans nothing once the pull request is closed, with a notice", async () => {
    gh.state.pull(OWNER, REPO, 7)!.state = "closed";
    const run = await gate();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.open).toBe("false");
    expect(notices(run)).toEqual(["pull request #7 is closed: its cleanup removes the preview"]);
  });

  it("fails, rather than decides, when the pull request cannot be read", async () => {
    const run = await gate({ "pr-number": "8", stack: "acme/shop/pr-8" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]).toMatch(/^Could not read pull request #8: HTTP 404/);
    expect(run.outputs).toEqual({});
  });
});

describe("gate: dev and production environments", () => {
  it("passes production with reviewers, Prevent self-review and the default branch only", async () => {
    protectedProduction();
    const run = await production();
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({
      environment: "production",
      trusted: "true",
      open: "true",
      "deployment-environment": "production",
      config: "",
    });
    expect(run.outputs.namespace).toBeUndefined();
    // Dev and production are not gated by author.
    expect(gh.requests.count(PULL) + gh.requests.count(PERMISSION)).toBe(0);
  });

  it("refuses production without required reviewers", async () => {
    protectedProduction({ reviewers: [] });
    const run = await production();
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Environment 'production' has no required reviewers; add them in Settings > Environments > production (a private repository needs GitHub Enterprise for them)",
    ]);
    expect(run.outputs).toEqual({});
  });

  it("refuses production whose reviewers may approve their own run, unless allow-self-review", async () => {
    protectedProduction({ preventSelfReview: false });
    const run = await production();
    expect(errors(run)).toEqual([
      "Environment 'production' lets the person who started the run approve it: turn on 'Prevent self-review' in Settings > Environments > production, or set allow-self-review",
    ]);
    expect(run.outputs).toEqual({});
    expect(errors(await production({ "allow-self-review": "true" }))).toEqual([]);
  });

  it.each([
    ["no restriction", undefined, "lets any branch deploy to it"],
    [
      "protected branches only",
      "protected" as const,
      "lets every protected branch deploy to it, not only 'main'",
    ],
    [
      "a second branch rule",
      [
        { name: "main", type: "branch" as const },
        { name: "release/*", type: "branch" as const },
      ],
      "lets branch 'release/*' deploy to it",
    ],
    ["a wildcard", [{ name: "*", type: "branch" as const }], "lets branch '*' deploy to it"],
    ["a tag rule", [{ name: "main", type: "tag" as const }], "lets tag 'main' deploy to it"],
  ])("refuses production whose deployment branches allow %s", async (_case, branchPolicy, what) => {
    protectedProduction({ branchPolicy });
    const run = await production();
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      `Environment 'production' ${what}: in Settings > Environments > production > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch rule 'main'`,
    ]);
    expect(run.outputs).toEqual({});
  });

  it("refuses dev open to any branch (its secrets would be one push away), and passes it on main only", async () => {
    const dev = () => gate({ "environment-kind": "dev", stack: "acme/shop/dev", "pr-number": "0" });
    const open = await dev();
    expect(errors(open)).toEqual([
      "Environment 'dev' lets any branch deploy to it: in Settings > Environments > dev > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch rule 'main'",
    ]);
    expect(open.outputs).toEqual({});
    // Dev needs no reviewers: only its branch rule.
    environment("dev", { branchPolicy: [{ name: "main", type: "branch" }] });
    const bound = await dev();
    expect(errors(bound)).toEqual([]);
    expect(bound.outputs).toMatchObject({ environment: "dev", "deployment-environment": "dev" });
  });

  it("checks the environment the deploy job runs in, when the workflow names another", async () => {
    protectedProduction();
    const run = await production({ environment: "prod-eu" });
    expect(errors(run)[0]).toMatch(/^Environment 'prod-eu' has no required reviewers/);
    environment("prod-eu", {
      reviewers: ["rita"],
      preventSelfReview: true,
      branchPolicy: [{ name: "main", type: "branch" }],
    });
    const named = await production({ environment: "prod-eu" });
    expect(errors(named)).toEqual([]);
    expect(named.outputs).toMatchObject({
      environment: "prod-eu",
      "deployment-environment": "prod-eu",
    });
  });
});

describe("protection: the release's environments (a job holding their credentials, no deploy)", () => {
  const protection = (inputs: Record<string, string>) => step({ step: "protection", ...inputs });
  const release = () =>
    protection({
      environment: "release",
      "require-reviewers": "true",
      "allow-self-review": "true",
    });
  const npm = () => protection({ environment: "npm", "tag-rule": "v*" });
  const FIX_MAIN =
    "in Settings > Environments > release > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch rule 'main'";
  const FIX_TAGS =
    "in Settings > Environments > npm > Deployment branches and tags, choose 'Selected branches and tags' and add only the tag rule 'v*'";

  it("refuses a release environment any branch may use, or without reviewers; passes it on main only", async () => {
    environment("release", { reviewers: ["rita"] });
    const open = await release();
    expect(open.exitCode).toBe(1);
    expect(errors(open)).toEqual([
      `Environment 'release' lets any branch deploy to it: ${FIX_MAIN}`,
    ]);
    environment("release", { reviewers: [], branchPolicy: [{ name: "main", type: "branch" }] });
    expect(errors(await release())[0]).toMatch(/^Environment 'release' has no required reviewers/);
    environment("release", {
      reviewers: ["rita"],
      branchPolicy: [
        { name: "main", type: "branch" },
        { name: "v*", type: "tag" },
      ],
    });
    expect(errors(await release())).toEqual([
      `Environment 'release' lets tag 'v*' deploy to it: ${FIX_MAIN}`,
    ]);
    environment("release", {
      reviewers: ["rita"],
      branchPolicy: [{ name: "main", type: "branch" }],
    });
    const bound = await release();
    expect(errors(bound)).toEqual([]);
    expect(bound.exitCode).toBe(0);
    expect(bound.outputs).toEqual({});
  });

  it.each([
    ["no restriction", undefined, "lets any branch deploy to it"],
    [
      "protected branches only",
      "protected" as const,
      "lets every protected branch deploy to it, not only tags 'v*'",
    ],
    [
      "the default branch",
      [{ name: "main", type: "branch" as const }],
      "lets branch 'main' deploy to it",
    ],
    [
      "a second tag rule",
      [
        { name: "v*", type: "tag" as const },
        { name: "*", type: "tag" as const },
      ],
      "lets tag '*' deploy to it",
    ],
    [
      "a branch named like the tags",
      [{ name: "v*", type: "branch" as const }],
      "lets branch 'v*' deploy to it",
    ],
  ])("refuses an npm environment that allows %s", async (_case, branchPolicy, what) => {
    environment("npm", { branchPolicy });
    const run = await npm();
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([`Environment 'npm' ${what}: ${FIX_TAGS}`]);
    expect(run.outputs).toEqual({});
  });

  it("passes an npm environment bound to the release tags alone (no reviewers asked for)", async () => {
    environment("npm", { branchPolicy: [{ name: "v*", type: "tag" }] });
    const run = await npm();
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  it("refuses a missing environment, a bad tag rule and another step's inputs before any request", async () => {
    const run = await protection({ environment: "npm", "tag-rule": "v* ; rm" });
    expect(errors(run)).toEqual([
      "Input 'tag-rule' must be a tag name pattern such as v*, got 'v* ; rm'",
    ]);
    const other = await protection({ environment: "npm", "environment-kind": "dev" });
    expect(errors(other)).toEqual([
      "Input 'environment-kind' is only used by step gate and current, got step 'protection'",
    ]);
    const missing = await protection({});
    expect(errors(missing)).toEqual([
      "Input 'environment' is required by step protection: the job's environment",
    ]);
    expect(gh.requests.length).toBe(0);
  });
});

describe("current: still the run to deploy", () => {
  const current = (inputs: Record<string, string> = {}, options: RunOptions = {}) =>
    step(
      {
        step: "current",
        "environment-kind": "preview",
        "pr-number": "7",
        "head-sha": HEAD,
        ...inputs,
      },
      options,
    );

  it("deploys a preview while its pull request is open at the head it built", async () => {
    const run = await current();
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({ deploy: "true" });
  });

  it("does not recreate the preview of a pull request closed meanwhile", async () => {
    gh.state.pull(OWNER, REPO, 7)!.state = "closed";
    const run = await current();
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ deploy: "false" });
    expect(notices(run)).toEqual(["pull request #7 is closed: its cleanup removes the preview"]);
  });

  it("does not ship an older push's images over a newer one", async () => {
    gh.state.pull(OWNER, REPO, 7)!.headSha = NEWER;
    const run = await current();
    expect(run.outputs).toEqual({ deploy: "false" });
    expect(notices(run)).toEqual([
      `pull request #7 moved on to ${NEWER} since this run built ${HEAD}: that run deploys`,
    ]);
  });

  it("takes the built head from the event when it is about this pull request", async () => {
    gh.state.pull(OWNER, REPO, 7)!.headSha = NEWER;
    const event = { pull_request: { number: 7, head: { sha: HEAD } } };
    const run = await current({ "head-sha": "" }, { event, eventName: "pull_request" });
    expect(run.outputs).toEqual({ deploy: "false" });
  });

  it("skips a dev or production run whose commit is no longer the branch's head", async () => {
    const main = "2".repeat(40);
    gh.state.addCommit(OWNER, REPO, main, [], "main");
    const branch = (sha: string) =>
      current(
        { "environment-kind": "dev", "pr-number": "0", "head-sha": "" },
        { env: { GITHUB_REF: "refs/heads/main", GITHUB_SHA: sha } },
      );
    expect((await branch(main)).outputs).toEqual({ deploy: "true" });
    const stale = await branch("9".repeat(40));
    expect(stale.outputs).toEqual({ deploy: "false" });
    expect(notices(stale)[0]).toBe(
      `main moved on to ${main} since this run's ${"9".repeat(40)}: that run deploys`,
    );
  });

  it("fails, rather than deploys, when GitHub cannot be asked", async () => {
    gh.faults.inject("service-unavailable", { route: PULL, times: 10 });
    const run = await current();
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({});
  }, 60_000);
});

describe("urls: what to health-check", () => {
  const urls = (inputs: Record<string, string>) => step({ step: "urls", ...inputs });

  it("takes the named outputs that hold http(s) URLs, single or in a list", async () => {
    const outputs = {
      url: "https://a.example",
      urls: ["https://b.example", "http://c.example"],
      other: "x",
      bad: "ftp://d",
    };
    const run = await urls({
      outputs: JSON.stringify(outputs),
      "url-outputs": "url\n urls \nbad\nmissing",
    });
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({
      urls: "https://a.example\nhttps://b.example\nhttp://c.example",
      named: "url=https://a.example\nurls-1=https://b.example\nurls-2=http://c.example",
      first: "https://a.example",
      "health-check": "true",
    });
    expect(gh.requests.length).toBe(0);
  });

  it("fails a deploy with no URL to check: unchecked is never healthy", async () => {
    for (const outputs of ["", JSON.stringify({ url: "not a url", web: "https://x.example" })]) {
      const run = await urls({ outputs, "url-outputs": "url\nwebUrl" });
      expect(run.exitCode).toBe(1);
      expect(errors(run)).toEqual([
        "No stack output among url-outputs (url, webUrl) holds an http(s) URL, so the deploy cannot be health-checked: name the outputs that hold its URLs in url-outputs, or set health-check: false to deploy without a check",
      ]);
      expect(run.outputs).toEqual({});
    }
  });

  it("deploys without a check only when the workflow says so, and says it", async () => {
    const run = await urls({ outputs: "{}", "url-outputs": "url", "health-check": "false" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ urls: "", named: "", first: "", "health-check": "false" });
    expect(notices(run)).toEqual(["health-check is false: the deploy is not health-checked"]);
  });

  it("refuses outputs that are not a JSON object, and inputs of another step", async () => {
    const run = await urls({ outputs: "[1]", "url-outputs": "url", stack: "acme/shop/dev" });
    expect(errors(run)).toEqual([
      "Input 'outputs' must be a JSON object of stack outputs (the outputs output of pulumi-deploy)",
    ]);
    const other = await urls({ outputs: "{}", "url-outputs": "url", stack: "acme/shop/dev" });
    expect(errors(other)).toEqual(["Input 'stack' is only used by step gate, got step 'urls'"]);
  });
});

describe("names: a preview's names from its number (the cleanup)", () => {
  const names = (inputs: Record<string, string>) => step({ step: "names", ...inputs });

  it("names the stack, namespace and Deployment environment as the gate does", async () => {
    const bare = await names({ "pr-number": "7" });
    expect(errors(bare)).toEqual([]);
    expect(bare.outputs).toEqual({
      stack: "pr-7",
      namespace: "preview-pr-7",
      "deployment-environment": "preview-pr-7",
    });
    const cloud = await names({ "pr-number": "7", "stack-project": "acme/shop" });
    expect(cloud.outputs.stack).toBe("acme/shop/pr-7");
    const own = await names({
      "pr-number": "7",
      namespace: "shop-pr-7",
      "deployment-environment": "review-7",
    });
    expect(own.outputs).toMatchObject({
      namespace: "shop-pr-7",
      "deployment-environment": "review-7",
    });
    expect(gh.requests.length).toBe(0);
  });

  it("refuses a missing number and a namespace the API server would refuse", async () => {
    expect(errors(await names({ "pr-number": "0" }))).toEqual([
      "Input 'pr-number' is required by step names: the pull request's number",
    ]);
    const bad = await names({ "pr-number": "7", namespace: "Preview_7" });
    expect(errors(bad)).toEqual([
      "Input 'namespace' must be a namespace name (lowercase letters, digits and '-', at most 63 characters), got 'Preview_7'",
    ]);
    expect(bad.outputs).toEqual({});
  });
});

describe("deploy.yml runs these decisions, not bash", () => {
  const { workflow } = loadWorkflow(".github/workflows/deploy.yml");
  const steps = (job: string) => workflow.jobs[job]!.steps ?? [];
  const byId = (job: string, id: string) => steps(job).find((s) => s.id === id);

  it("decides the gate job with one deploy-gate step and no run: at all", () => {
    expect(steps("gate").filter((s) => s.run !== undefined)).toEqual([]);
    const gateStep = byId("gate", "gate");
    expect(gateStep?.uses).toBe("$/actions/deploy-gate");
    expect(gateStep?.with).toMatchObject({ step: "gate" });
    for (const output of ["images", "environment", "trusted", "open", "config"])
      expect(workflow.jobs.gate!.outputs?.[output]).toBe(`\${{ steps.gate.outputs.${output} }}`);
  });

  it("names the cleanup's preview with deploy-gate too", () => {
    const cleanup = loadWorkflow(".github/workflows/cleanup-preview.yml").workflow;
    const named = (cleanup.jobs.destroy!.steps ?? []).find((s) => s.id === "names");
    expect(named?.uses).toBe("$/actions/deploy-gate");
    expect(named?.with?.step).toBe("names");
  });

  it("asks deploy-gate whether to deploy and what to check, and checks health only when it says so", () => {
    // `start` (no pull request code) decides whether to deploy; the deploy job, which has the
    // stack's outputs, which URLs to check; `finish` (no pull request code) checks them.
    expect(byId("start", "current")?.with?.step).toBe("current");
    expect(byId("deploy", "urls")?.with).toMatchObject({
      step: "urls",
      "health-check": "${{ inputs.health-check }}",
    });
    expect(workflow.jobs.deploy!.outputs?.["health-check"]).toBe(
      "${{ steps.urls.outputs.health-check }}",
    );
    const health = steps("finish").find((s) => s.name === "Health check");
    expect(health?.if).toBe("env.DEPLOY_RESULT == 'success' && env.HEALTH_CHECK == 'true'");
  });
});
