/**
 * Keeps the deployment routes honest: the deployment and deployment-status objects the
 * emulator returns have the keys and value types of real ones. @octokit/fixtures records
 * no deployment scenario, so the reference is the `deployment` / `deployment_status`
 * webhook deliveries in @octokit/webhooks-examples, whose `deployment` and
 * `deployment_status` are the REST objects.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentStore } from "./routes/deployments.js";
import { createGitHubEmulator, TOKENS } from "./server.js";
import type { GitHubEmulator } from "./server.js";

const require = createRequire(import.meta.url);
type Json = Record<string, unknown>;

const webhooks = require("@octokit/webhooks-examples") as { name: string; examples: Json[] }[];
const recorded = (event: string, field: string): Json[] =>
  (webhooks.find((w) => w.name === event)?.examples ?? []).map((e) => e[field] as Json);

/** The most recent recording has the most keys: older ones predate newer fields. */
const richest = (objects: Json[]): Json =>
  [...objects].sort((a, b) => Object.keys(b).length - Object.keys(a).length)[0] as Json;

const kind = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

/** Missing or extra keys and type mismatches at the top level; users are the core's `shapes.test.ts`. */
function shapeDiff(real: Json, ours: Json, path = ""): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(real)) {
    if (!(key in ours)) problems.push(`missing ${path}${key}`);
    else if (real[key] !== null && ours[key] !== null && kind(real[key]) !== kind(ours[key])) {
      problems.push(`${path}${key}: ${kind(real[key])} recorded, ${kind(ours[key])} emulated`);
    }
  }
  for (const key of Object.keys(ours)) if (!(key in real)) problems.push(`extra ${path}${key}`);
  return problems;
}

let gh: GitHubEmulator;
const repo = "/repos/octo-org/octo-repo";
const call = async (method: string, path: string, body?: object) => {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${TOKENS.workflow}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as Json,
    headers: response.headers,
  };
};

beforeAll(async () => {
  gh = await createGitHubEmulator();
});
afterAll(() => gh.close());

describe("deployment objects match recorded real ones", () => {
  it("a created deployment has the keys and types of a real deployment", async () => {
    const { status, body } = await call("POST", `${repo}/deployments`, {
      ref: "main",
      environment: "preview-pr-1",
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
      payload: { pr: 1 },
    });
    expect(status).toBe(201);
    const real = richest(recorded("deployment", "deployment"));
    expect(shapeDiff(real, body)).toEqual([]);
  });

  it("a deployment status has the keys and types of a real status", async () => {
    const deployment = (
      await call("POST", `${repo}/deployments`, { ref: "main", required_contexts: [] })
    ).body;
    const { status, body } = await call(
      "POST",
      `${repo}/deployments/${String(deployment.id)}/statuses`,
      {
        state: "in_progress",
        log_url: "https://github.com/octo-org/octo-repo/actions/runs/1",
        environment_url: "https://pr-1.example.com",
      },
    );
    expect(status).toBe(201);
    const real = richest(recorded("deployment_status", "deployment_status"));
    expect(shapeDiff(real, body)).toEqual([]);
    // GitHub copies log_url into the legacy target_url, as in the recording.
    expect(body.target_url).toBe(body.log_url);
  });
});

describe("deployment routes answer like GitHub", () => {
  it("refuses an unknown ref (422) and a failing required context (409)", async () => {
    expect((await call("POST", `${repo}/deployments`, { ref: "no-such-branch" })).status).toBe(422);
    const store = deploymentStore(gh.state);
    store.setCommitStatus("4444444444444444444444444444444444444444", "ci/test", "failure");
    const conflict = await call("POST", `${repo}/deployments`, {
      ref: "4444444444444444444444444444444444444444",
    });
    expect(conflict.status).toBe(409);
    const skipped = await call("POST", `${repo}/deployments`, {
      ref: "4444444444444444444444444444444444444444",
      required_contexts: [],
    });
    expect(skipped.status).toBe(201);
  });

  it("auto-merges a branch that is behind (202, no deployment) unless auto_merge is false", async () => {
    const store = deploymentStore(gh.state);
    store.addBranch("octo-org", "octo-repo", "behind", {
      sha: "5555555555555555555555555555555555555555",
      behind: true,
    });
    const before = store.deployments.size;
    const merged = await call("POST", `${repo}/deployments`, {
      ref: "behind",
      required_contexts: [],
    });
    expect(merged.status).toBe(202);
    expect(merged.body.message).toMatch(/Auto-merged main into behind/);
    expect(store.deployments.size).toBe(before);
    store.addBranch("octo-org", "octo-repo", "conflicted", {
      sha: "6666666666666666666666666666666666666666",
      conflicts: true,
    });
    expect((await call("POST", `${repo}/deployments`, { ref: "conflicted" })).status).toBe(409);
    expect(
      (await call("POST", `${repo}/deployments`, { ref: "conflicted", auto_merge: false })).status,
    ).toBe(201);
  });

  it("auto_inactive marks earlier non-transient successes inactive, never transient ones", async () => {
    const store = deploymentStore(gh.state);
    const sha = "7777777777777777777777777777777777777777";
    const kept = store.addDeployment("octo-org", "octo-repo", {
      sha,
      environment: "staging",
      transient: false,
    });
    const transient = store.addDeployment("octo-org", "octo-repo", {
      sha,
      environment: "staging",
      transient: true,
    });
    const failed = store.addDeployment("octo-org", "octo-repo", { sha, environment: "staging" });
    store.addStatus(kept, { state: "success" });
    store.addStatus(transient, { state: "success" });
    store.addStatus(failed, { state: "failure" });
    const newest = store.addDeployment("octo-org", "octo-repo", { sha, environment: "staging" });
    await call("POST", `${repo}/deployments/${newest.id}/statuses`, { state: "success" });
    expect(store.latest(kept.id)?.state).toBe("inactive");
    expect(store.latest(transient.id)?.state).toBe("success");
    expect(store.latest(failed.id)?.state).toBe("failure");
  });

  it("lists newest first with Link pagination and the four filters", async () => {
    const store = deploymentStore(gh.state);
    for (let i = 0; i < 5; i++) {
      store.addDeployment("octo-org", "octo-repo", {
        sha: "8888888888888888888888888888888888888888",
        ref: "feature",
        environment: "paged",
        task: i % 2 ? "deploy:migrations" : "deploy",
      });
    }
    const first = await call("GET", `${repo}/deployments?environment=paged&per_page=2`);
    expect((first.body as unknown as Json[]).length).toBe(2);
    expect(first.headers.get("link")).toMatch(/page=2>; rel="next".*page=3>; rel="last"/);
    const ids = (first.body as unknown as { id: number }[]).map((d) => d.id);
    expect(ids[0]).toBeGreaterThan(ids[1] as number);
    const tasks = await call("GET", `${repo}/deployments?environment=paged&task=deploy:migrations`);
    expect((tasks.body as unknown as Json[]).length).toBe(2);
    const none = await call("GET", `${repo}/deployments?environment=paged&ref=other`);
    expect(none.body).toEqual([]);
  });

  it("deletes an environment only with admin rights, and 404s when it is absent", async () => {
    await call("POST", `${repo}/deployments`, {
      ref: "main",
      environment: "doomed",
      required_contexts: [],
    });
    expect((await call("GET", `${repo}/environments/doomed`)).status).toBe(200);
    const forbidden = await call("DELETE", `${repo}/environments/doomed`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toBe("Resource not accessible by integration");
    const asAdmin = (method: string) =>
      fetch(`${gh.url}${repo}/environments/doomed`, {
        method,
        headers: { authorization: `token ${TOKENS.pat}` },
      });
    expect((await asAdmin("DELETE")).status).toBe(204);
    expect((await asAdmin("DELETE")).status).toBe(404);
    expect((await asAdmin("GET")).status).toBe(404);
  });

  // https://docs.github.com/en/rest/deployments/environments#get-an-environment and
  // https://docs.github.com/en/rest/deployments/branch-policies#list-deployment-branch-policies
  it("reports deployment branch policies as GitHub does: null, protected branches, or custom rules listed by page", async () => {
    const store = deploymentStore(gh.state);
    store.ensureEnvironment("octo-org", "octo-repo", "open-env");
    store.ensureEnvironment("octo-org", "octo-repo", "protected-env").branchPolicy = "protected";
    store.ensureEnvironment("octo-org", "octo-repo", "custom-env").branchPolicy = [
      { name: "main", type: "branch" },
      { name: "v*", type: "tag" },
    ];
    const policy = async (name: string) =>
      (await call("GET", `${repo}/environments/${name}`)).body.deployment_branch_policy;
    expect(await policy("open-env")).toBeNull();
    expect(await policy("protected-env")).toEqual({
      protected_branches: true,
      custom_branch_policies: false,
    });
    expect(await policy("custom-env")).toEqual({
      protected_branches: false,
      custom_branch_policies: true,
    });
    const list = `${repo}/environments/custom-env/deployment-branch-policies`;
    const first = await call("GET", `${list}?per_page=1`);
    expect(first.body).toMatchObject({
      total_count: 2,
      branch_policies: [{ name: "main", type: "branch" }],
    });
    expect(Object.keys((first.body.branch_policies as Json[])[0]!).sort()).toEqual([
      "id",
      "name",
      "node_id",
      "type",
    ]);
    expect(first.headers.get("link")).toMatch(/page=2>; rel="next"/);
    const second = await call("GET", `${list}?per_page=1&page=2`);
    expect(second.body.branch_policies).toMatchObject([{ name: "v*", type: "tag" }]);
    expect(
      (await call("GET", `${repo}/environments/absent/deployment-branch-policies`)).status,
    ).toBe(404);
    // The repository itself (its default branch) is metadata any job token reads.
    expect((await call("GET", repo)).body.default_branch).toBe("main");
  });
});
