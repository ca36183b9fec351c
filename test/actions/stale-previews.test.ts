/**
 * The bundled stale-previews action against the GitHub emulator: which `preview-pr-N`
 * environments outlived their pull request, and that it only reads.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { runAction } from "../harness/run-action.js";

const OWNER = "octo-org";
const REPO = "octo-repo";
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

let gh: GitHubEmulator;
beforeEach(async () => {
  gh = await createGitHubEmulator();
  const store = deploymentStore(gh.state);
  for (const name of ["preview-pr-3", "preview-pr-5", "preview-pr-8", "preview-pr-13"])
    store.ensureEnvironment(OWNER, REPO, name);
  // Named like neither a preview nor its own pull request: never touched.
  for (const name of ["production", "dev", "preview-pr-007", "preview-pr-21"])
    store.ensureEnvironment(OWNER, REPO, name);
  gh.state.addPull(OWNER, REPO, 3, { state: "closed", mergeCommitSha: "c".repeat(40) });
  gh.state.addPull(OWNER, REPO, 5, { state: "closed" });
  gh.state.addPull(OWNER, REPO, 8, { updatedAt: daysAgo(30) });
  gh.state.addPull(OWNER, REPO, 13, { updatedAt: daysAgo(1) });
});
afterEach(() => gh.close());

const sweep = (inputs: Record<string, string> = {}) =>
  runAction("stale-previews", { inputs, env: { GITHUB_API_URL: gh.url } });

it("finds the previews of closed pull requests, and reads only", async () => {
  const run = await sweep();
  expect(run.exitCode, run.stderr).toBe(0);
  expect(JSON.parse(run.outputs["pr-numbers"]!)).toEqual([3, 5]);
  expect(run.outputs.count).toBe("2");
  expect(gh.requests.all().every((r) => r.method === "GET")).toBe(true);
  expect(run.summary).toMatch(/#3 \| swept \| pull request is closed/);
  expect(run.summary).toMatch(/#13 \| kept \| open/);
  // preview-pr-21 has no pull request: a warning, and it stays.
  expect(run.annotations.map((a) => a.message)).toEqual([
    "environment preview-pr-21 names no pull request: left alone",
  ]);
});

it("with idle-days, also open pull requests untouched for longer", async () => {
  const run = await sweep({ "idle-days": "14" });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(JSON.parse(run.outputs["pr-numbers"]!)).toEqual([3, 5, 8]);
  expect(run.summary).toMatch(/#8 \| swept \| open, idle for 30 days \(more than 14\)/);
});

it("refuses a bad idle-days with one line, before any request", async () => {
  const run = await sweep({ "idle-days": "two weeks" });
  expect(run.exitCode).toBe(1);
  expect(run.annotations.map((a) => a.message)).toEqual([
    "Input 'idle-days' must be an integer from 0 to 365, got 'two weeks'",
  ]);
  expect(gh.requests.length).toBe(0);
  expect(run.outputs).toEqual({});
});

it("fails, outputting nothing, when the environments cannot be read", async () => {
  const run = await sweep({ "github-token": "ghs_nobody" });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toEqual({});
  expect(run.annotations[0]?.message).toMatch(
    /^Could not list the environments of octo-org\/octo-repo: HTTP 401/,
  );
});
