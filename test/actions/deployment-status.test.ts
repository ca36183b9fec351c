/**
 * The bundled deployment-status action as the runner starts it, against the GitHub
 * emulator: start / finish / deactivate, reruns, faults, and inputs refused before any call.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { leakedSecrets, runAction, TEST_TOKEN, type RunOptions } from "../harness/run-action.js";
import { deploymentStore, type DeploymentStore } from "../emulators/github/routes/deployments.js";
import { createGitHubEmulator, TOKENS, type GitHubEmulator } from "../emulators/github/server.js";

const HEAD = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
const ENV = "preview-pr-42";
const DIGEST = `sha256:${"a".repeat(64)}`;
const RUN_URL = "https://github.com/octo-org/octo-repo/actions/runs/4242/attempts/1";
const prEvent = {
  pull_request: {
    number: 42,
    head: { sha: HEAD, repo: { full_name: "octo-org/octo-repo" } },
    base: { repo: { full_name: "octo-org/octo-repo" } },
  },
};

const DEPLOYMENTS = "POST /repos/{owner}/{repo}/deployments";
const STATUSES = "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses";
const GRAPHQL = "POST /graphql";

let gh: GitHubEmulator;
let store: DeploymentStore;
beforeEach(async () => {
  gh = await createGitHubEmulator();
  store = deploymentStore(gh.state);
});
afterEach(() => gh.close());

function step(inputs: Record<string, string>, options: RunOptions = {}) {
  return runAction("deployment-status", {
    event: prEvent,
    eventName: "pull_request",
    ...options,
    inputs: { environment: ENV, ...inputs },
    env: { GITHUB_API_URL: gh.url, GITHUB_JOB: "deploy", ...options.env },
  });
}

const errors = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);
const deploymentsIn = (environment: string) =>
  store.deploymentsOf("octo-org", "octo-repo").filter((d) => d.environment === environment);

describe("inputs refused before any API call", () => {
  it("refuses a pull request merge ref with one line", async () => {
    const run = await step({ step: "start", ref: "refs/pull/42/merge" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'ref' must be a branch, tag or commit SHA (never a pull request merge ref such as refs/pull/42/merge), got 'refs/pull/42/merge'",
    ]);
    expect(gh.requests.length).toBe(0);
    expect(run.outputs).toEqual({});
  });

  it("refuses a 12-character digest anywhere in the payload", async () => {
    const run = await step({
      step: "start",
      payload: JSON.stringify({ pr: 42, digests: { web: DIGEST, api: "sha256:0123456789ab" } }),
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'payload' must hold whole digests (sha256: followed by 64 lowercase hex characters), got 'sha256:0123456789ab' at digests.api",
    ]);
    expect(gh.requests.length).toBe(0);
  });

  it("needs a status for finish and names every bad input at once", async () => {
    const run = await step({
      step: "finish",
      "environment-url": "not a url",
      "delete-environment": "true",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'environment-url' must be an http(s) URL without credentials",
    ]);
    const second = await step({ step: "finish", "delete-environment": "true" });
    expect(errors(second)).toEqual([
      "Input 'delete-environment' is only used by step deactivate, got step 'finish'",
      "Input 'status' is required by step finish (e.g. status: ${{ job.status }})",
    ]);
    expect(gh.requests.length).toBe(0);
  });
});

describe("start and finish", () => {
  it("creates a transient deployment of the PR head, in progress, with the run as log", async () => {
    const run = await step({
      step: "start",
      "environment-url": "https://pr-42.preview.example.com",
      payload: JSON.stringify({ digests: { web: DIGEST } }),
    });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    const [deployment] = deploymentsIn(ENV);
    expect(deployment).toMatchObject({
      sha: HEAD,
      ref: HEAD,
      transient: true,
      production: false,
      creator: "github-actions[bot]",
    });
    expect(deployment?.payload).toEqual({
      pr: 42,
      digests: { web: DIGEST },
      preview_kit: { run_id: "4242", run_attempt: "1", job: "deploy" },
    });
    const created = gh.requests.all().find((r) => r.route === DEPLOYMENTS)?.body;
    expect(created).toMatchObject({
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
      production_environment: false,
    });
    expect(store.latest(deployment!.id)).toMatchObject({
      state: "in_progress",
      environmentUrl: "https://pr-42.preview.example.com",
      logUrl: RUN_URL,
      description: "Deploying abcdefa",
    });
    expect(run.outputs["deployment-id"]).toBe(String(deployment!.id));
    expect(run.outputs["status-id"]).toBe(String(store.latest(deployment!.id)!.id));
    expect(run.summary).toContain(`| Environment | \`${ENV}\` |`);
    expect(run.summary).toContain(`| Deployment | ${deployment!.id} |`);
    expect(run.summary).toContain("| State | **in_progress** |");
    expect(run.summary).toContain("https://pr-42.preview.example.com");
    expect(leakedSecrets(run, [TEST_TOKEN])).toEqual([]);
  });

  it("reuses on a rerun the deployment this run already created", async () => {
    const first = await step({ step: "start" });
    const rerun = await step({ step: "start" }, { env: { GITHUB_RUN_ATTEMPT: "2" } });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs["deployment-id"]).toBe(first.outputs["deployment-id"]);
    expect(rerun.log).toContain("Reusing deployment");
    expect(deploymentsIn(ENV)).toHaveLength(1);
    expect(gh.requests.count(DEPLOYMENTS)).toBe(1);
    // Still in progress: no second in_progress status either.
    expect(gh.requests.count(STATUSES)).toBe(1);
    // Another run deploys anew.
    await step({ step: "start" }, { env: { GITHUB_RUN_ID: "4343" } });
    expect(deploymentsIn(ENV)).toHaveLength(2);
  });

  it("finish keeps the environment URL of start, also from another job by deployment-id", async () => {
    const started = await step({
      step: "start",
      "environment-url": "https://pr-42.preview.example.com",
    });
    const id = started.outputs["deployment-id"] as string;
    const finished = await step(
      { step: "finish", "deployment-id": id, status: "success" },
      { env: { GITHUB_JOB: "verify" } },
    );
    expect(errors(finished)).toEqual([]);
    const status = store.latest(Number(id));
    expect(status).toMatchObject({
      state: "success",
      environmentUrl: "https://pr-42.preview.example.com",
      logUrl: RUN_URL,
      description: "Deployed abcdefa",
    });
    expect(finished.outputs).toEqual({ "deployment-id": id, "status-id": String(status!.id) });
    expect(finished.summary).toContain("| State | **success** |");
    // Rerunning finish adds nothing.
    await step({ step: "finish", "deployment-id": id, status: "success" });
    expect(store.statuses.get(Number(id))).toHaveLength(2);
  });

  it("finish without deployment-id finds what this run started; cancelled becomes inactive", async () => {
    await step({ step: "start", "environment-url": "https://pr-42.preview.example.com" });
    const run = await step({ step: "finish", status: "cancelled" });
    expect(errors(run)).toEqual([]);
    const [deployment] = deploymentsIn(ENV);
    expect(store.latest(deployment!.id)).toMatchObject({
      state: "inactive",
      environmentUrl: "https://pr-42.preview.example.com",
    });
  });

  it("a preview's success retires the deployment it replaces, which auto_inactive skips", async () => {
    for (const runId of ["100", "101"]) {
      await step({ step: "start" }, { env: { GITHUB_RUN_ID: runId } });
      await step({ step: "finish", status: "success" }, { env: { GITHUB_RUN_ID: runId } });
    }
    const [newest, replaced] = deploymentsIn(ENV);
    expect(store.latest(newest!.id)?.state).toBe("success");
    expect(store.latest(replaced!.id)).toMatchObject({
      state: "inactive",
      description: `Replaced by deployment ${newest!.id}`,
    });
  });

  it("finish with nothing started by this run fails with one line", async () => {
    await step({ step: "start" }, { env: { GITHUB_RUN_ID: "1" } });
    const run = await step({ step: "finish", status: "success" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "No deployment of abcdefa in 'preview-pr-42' was started by this run (4242): run step start first, or pass deployment-id",
    ]);
  });

  it("finish refuses a deployment of another environment", async () => {
    const other = store.addDeployment("octo-org", "octo-repo", {
      sha: HEAD,
      environment: "staging",
    });
    const run = await step({
      step: "finish",
      status: "failure",
      "deployment-id": String(other.id),
    });
    expect(errors(run)).toEqual([
      `Deployment ${other.id} belongs to environment 'staging', not 'preview-pr-42'`,
    ]);
    expect(gh.requests.count(STATUSES)).toBe(0);
  });

  it("a ref GitHub does not know fails with GitHub's 422 in one line", async () => {
    const run = await step({ step: "start", ref: "no-such-branch" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Could not create a deployment of no-such-branch in 'preview-pr-42': HTTP 422: No ref found for: no-such-branch - https://docs.github.com/rest",
    ]);
    expect(run.outputs).toEqual({});
  });

  it("a read-only token fails with one line that names the permission", async () => {
    const run = await step({ step: "start", "github-token": TOKENS.readOnly });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(
      /HTTP 403: Resource not accessible by integration .*permissions/,
    );
  });
});

describe("retries", () => {
  it("retries a secondary rate limit (retry-after) and a 502, and succeeds", async () => {
    gh.faults.inject("secondary-rate-limit", { route: STATUSES, retryAfter: 1 });
    gh.faults.inject("bad-gateway", { route: "GET /repos/{owner}/{repo}/deployments" });
    gh.faults.inject("bad-gateway", { route: DEPLOYMENTS });
    const run = await step({ step: "start" });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(gh.faults.pending()).toBe(0);
    expect(deploymentsIn(ENV)).toHaveLength(1);
    expect(store.latest(deploymentsIn(ENV)[0]!.id)?.state).toBe("in_progress");

    gh.faults.inject("too-many-requests", {
      route: "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    });
    const finished = await step({ step: "finish", status: "success" });
    expect(errors(finished)).toEqual([]);
    expect(gh.faults.pending()).toBe(0);
    expect(store.latest(deploymentsIn(ENV)[0]!.id)?.state).toBe("success");
  });
});

describe("#23 items 5 and 8: statuses retried, GitHub's production flag", () => {
  it("a 502 (before or after GitHub recorded it) or a reset on a status POST is tried again", async () => {
    gh.faults.inject("bad-gateway", { route: STATUSES });
    const started = await step({ step: "start" });
    expect(errors(started)).toEqual([]);
    const id = deploymentsIn(ENV)[0]!.id;
    expect(store.latest(id)?.state).toBe("in_progress");

    gh.faults.inject("bad-gateway", { route: STATUSES, afterHandling: true });
    gh.faults.inject("reset", { route: STATUSES, afterHandling: true });
    const finished = await step({ step: "finish", status: "success" });
    expect(errors(finished)).toEqual([]);
    expect(gh.faults.pending()).toBe(0);
    expect(store.latest(id)?.state).toBe("success");
  });

  it("#23 item 11: connections reset on every try read as a network error, never as an HTTP status", async () => {
    gh.faults.inject("reset", { route: DEPLOYMENTS, times: 10 });
    const run = await step({ step: "start" }, { env: { PREVIEW_KIT_RETRY_BASE_MS: "1" } });
    expect(run.exitCode).toBe(1);
    const [message, ...more] = errors(run);
    expect(more).toEqual([]);
    expect(message).not.toMatch(/HTTP \d{3}|socket hang up/);
    expect(message).toMatch(
      /^Could not .+: GitHub did not answer: the connection was reset \(ECONNRESET\)$/,
    );
    expect(run.annotations.find((a) => a.level === "error")).toMatchObject({
      properties: { title: "GitHub unreachable" },
    });
  });

  it("deactivate of 30 with one 502 leaves none active", async () => {
    for (let i = 0; i < 30; i++) {
      const deployment = store.addDeployment("octo-org", "octo-repo", {
        sha: HEAD,
        environment: ENV,
        transient: true,
      });
      store.addStatus(deployment, { state: "success" });
    }
    gh.faults.inject("bad-gateway", { route: STATUSES });
    const run = await step(
      { step: "deactivate" },
      { env: { PREVIEW_KIT_WRITE_INTERVAL_MS: "20" }, timeoutMs: 120_000 },
    );
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({ deactivated: "30" });
    expect(store.activeIn("octo-org", "octo-repo", ENV)).toEqual([]);
  }, 120_000);

  it("deactivate refuses an environment GitHub marks production, whatever its name", async () => {
    const deployment = store.addDeployment("octo-org", "octo-repo", {
      sha: HEAD,
      environment: "customers",
      production: true,
    });
    store.addStatus(deployment, { state: "success" });
    const run = await step({ step: "deactivate", environment: "customers" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Environment 'customers' is a production environment on GitHub (its newest deployment has production_environment): step deactivate refuses it unless allow-production is true",
    ]);
    expect(gh.requests.count(STATUSES)).toBe(0);
    expect(store.latest(deployment.id)?.state).toBe("success");
    const allowed = await step({
      step: "deactivate",
      environment: "customers",
      "allow-production": "true",
    });
    expect(errors(allowed)).toEqual([]);
    expect(store.latest(deployment.id)?.state).toBe("inactive");
  });

  it("start on production sends production_environment: true; production: false says otherwise", async () => {
    await step({ step: "start", environment: "production" });
    expect(deploymentsIn("production")[0]?.production).toBe(true);
    await step({ step: "start", environment: "staging" });
    expect(deploymentsIn("staging")[0]?.production).toBe(false);
    await step({ step: "start", environment: "eu-prod", production: "false" });
    expect(deploymentsIn("eu-prod")[0]?.production).toBe(false);
  });
});

describe("deactivate", () => {
  it("start, finish, deactivate over 150 existing deployments leaves none active", async () => {
    // 150 earlier deployments over two pages: most already inactive, a few transient
    // successes that GitHub's auto_inactive never touches, oldest ones on page 2.
    const seeded = Array.from({ length: 150 }, () =>
      store.addDeployment("octo-org", "octo-repo", {
        sha: HEAD,
        environment: ENV,
        transient: true,
      }),
    );
    for (const [i, deployment] of seeded.entries()) {
      store.addStatus(deployment, { state: "success" });
      if (![0, 1, 2, 75, 149].includes(i)) store.addStatus(deployment, { state: "inactive" });
    }
    store.addDeployment("octo-org", "octo-repo", { sha: HEAD, environment: "staging" });

    const started = await step({
      step: "start",
      "environment-url": "https://pr-42.preview.example.com",
    });
    await step({
      step: "finish",
      status: "success",
      "deployment-id": started.outputs["deployment-id"] as string,
    });
    // finish retired the newest earlier success; the older ones are deactivate's job.
    expect(store.latest(seeded[149]!.id)?.state).toBe("inactive");
    expect(store.activeIn("octo-org", "octo-repo", ENV)).toHaveLength(5);

    gh.requests.reset();
    const run = await step(
      { step: "deactivate" },
      { eventName: "pull_request", event: { ...prEvent, action: "closed" } },
    );
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({ deactivated: "5" });
    expect(store.activeIn("octo-org", "octo-repo", ENV)).toEqual([]);
    expect(store.activeIn("octo-org", "octo-repo", "staging")).toHaveLength(1);
    // The 151 deployments and their states in two GraphQL pages; a write only for the active.
    expect(gh.requests.count(GRAPHQL)).toBe(2);
    expect(gh.requests.count(STATUSES)).toBe(5);
    // ...and one read of the newest deployment for GitHub's production flag.
    expect(gh.requests.count()).toBe(8);
    expect(run.summary).toContain("| Marked inactive now | 5 |");

    // A rerun finds nothing left to do.
    const rerun = await step({ step: "deactivate" });
    expect(rerun.outputs).toEqual({ deactivated: "0" });
  }, 120_000);

  const seedActive = (count: number) => {
    for (let i = 0; i < count; i++) {
      const deployment = store.addDeployment("octo-org", "octo-repo", {
        sha: HEAD,
        environment: ENV,
        transient: true,
      });
      store.addStatus(deployment, { state: "success" });
    }
  };
  // The gap is proven below at its real second; here it is shortened so that 150 writes,
  // enough for two GraphQL pages, take seconds instead of minutes.
  const SHORT_GAPS = { PREVIEW_KIT_WRITE_INTERVAL_MS: "20" };

  it("deactivates 150 active deployments in at most 153 requests", async () => {
    seedActive(150);
    const run = await step({ step: "deactivate" }, { env: SHORT_GAPS, timeoutMs: 120_000 });
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({ deactivated: "150" });
    expect(store.activeIn("octo-org", "octo-repo", ENV)).toEqual([]);
    expect(gh.requests.count()).toBeLessThanOrEqual(153);
    expect(gh.requests.count(GRAPHQL)).toBe(2);
  }, 150_000);

  it("leaves a second between writes", async () => {
    seedActive(4);
    const run = await step({ step: "deactivate" });
    expect(run.outputs).toEqual({ deactivated: "4" });
    const writes = gh.requests.all().filter((r) => r.route === STATUSES);
    expect(writes).toHaveLength(4);
    const gaps = writes.slice(1).map((w, i) => (w.at ?? 0) - (writes[i]?.at ?? 0));
    // GitHub asks integrations to leave at least a second between writes (a little slack
    // for timer granularity: the gap is measured where the requests arrived).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
  });

  it("refuses a production environment unless allow-production is true", async () => {
    for (const environment of ["production", "eu-prod", "live"]) {
      const run = await step({ step: "deactivate", environment });
      expect(run.exitCode).toBe(1);
      expect(errors(run)).toEqual([
        `Input 'environment' is '${environment}', a production environment: step deactivate refuses it unless allow-production is true`,
      ]);
    }
    expect(gh.requests.length).toBe(0);
    const flagged = await step({ step: "deactivate", environment: "blue", production: "true" });
    expect(flagged.exitCode).toBe(1);
    const deployment = store.addDeployment("octo-org", "octo-repo", {
      sha: HEAD,
      environment: "production",
    });
    const allowed = await step({
      step: "deactivate",
      environment: "production",
      "allow-production": "true",
    });
    expect(errors(allowed)).toEqual([]);
    expect(store.latest(deployment.id)?.state).toBe("inactive");
  });

  it("refuses an environment name longer than GitHub's 255 characters", async () => {
    const name = `preview-pr-1-${"x".repeat(243)}`;
    expect(name).toHaveLength(256);
    const run = await step({ step: "start", environment: name });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]).toMatch(/^Input 'environment' must be an environment name/);
    expect(gh.requests.length).toBe(0);
  });

  it("delete-environment without admin rights warns and succeeds; with them it deletes", async () => {
    await step({ step: "start" });
    const run = await step({ step: "deactivate", "delete-environment": "true" });
    expect(run.exitCode).toBe(0);
    expect(errors(run)).toEqual([]);
    expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
      "Environment 'preview-pr-42' was kept: deleting it needs a token with repository administration rights (the workflow token has none); its deployments are inactive",
    ]);
    expect(run.outputs).toEqual({ deactivated: "1" });
    expect(store.environment("octo-org", "octo-repo", ENV)).toBeDefined();

    const admin = await step({
      step: "deactivate",
      "delete-environment": "true",
      "github-token": TOKENS.pat,
    });
    expect(admin.annotations).toEqual([]);
    expect(admin.outputs).toEqual({ deactivated: "0" });
    expect(store.environment("octo-org", "octo-repo", ENV)).toBeUndefined();
    expect(admin.summary).toContain("| Environment deletion | deleted |");
  });
});
