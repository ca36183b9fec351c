/**
 * Keeps the emulator honest: the objects it returns have the keys and value types of
 * responses recorded from the real API (@octokit/fixtures for REST, the webhook
 * examples GitHub publishes for objects the fixtures do not record: a webhook's
 * `comment` and `pull_request` are the REST objects).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { createGitHubEmulator, TOKENS } from "./server.js";
import type { GitHubEmulator } from "./server.js";

const require = createRequire(import.meta.url);

interface Recorded {
  method: string;
  path: string;
  status: number;
  response: unknown;
  headers: Record<string, string>;
}
const fixture = (scenario: string) =>
  require(
    `@octokit/fixtures/scenarios/api.github.com/${scenario}/normalized-fixture.json`,
  ) as Recorded[];
const webhooks = require("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const webhookExamples = (name: string) => webhooks.find((w) => w.name === name)?.examples ?? [];

type Json = Record<string, unknown>;

/** The richest recorded object (most keys): older recordings lack newer fields. */
const richest = (objects: Json[]): Json =>
  [...objects].sort((a, b) => Object.keys(b).length - Object.keys(a).length)[0] as Json;

const kind = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

/**
 * Differences in keys and value types, `depth` levels down. A null on either side
 * matches anything: the field is nullable and the recording or the emulator left it empty.
 */
function shapeDiff(real: Json, ours: Json, depth: number, path = ""): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(real)) {
    if (!(key in ours)) {
      problems.push(`missing ${path}${key}`);
      continue;
    }
    const [a, b] = [real[key], ours[key]];
    if (a === null || b === null) continue;
    if (kind(a) !== kind(b))
      problems.push(`${path}${key}: ${kind(a)} recorded, ${kind(b)} emulated`);
    else if (depth > 0 && kind(a) === "object")
      problems.push(...shapeDiff(a as Json, b as Json, depth - 1, `${path}${key}.`));
  }
  for (const key of Object.keys(ours)) if (!(key in real)) problems.push(`extra ${path}${key}`);
  return problems;
}

let gh: GitHubEmulator;
const get = async (path: string, token: string = TOKENS.pat) => {
  const response = await fetch(`${gh.url}${path}`, {
    headers: { authorization: `token ${token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Json,
  };
};

beforeAll(async () => {
  gh = await createGitHubEmulator();
  gh.state.seedComments("octo-org", "octo-repo", 7, 3);
});
afterAll(() => gh.close());

describe("GitHub emulator shapes against recorded responses", () => {
  it("a simple user has the recorded keys (plus user_view_type, added after the recording)", async () => {
    const real = fixture("add-labels-to-issue")[0]?.response as { user: Json };
    const { body } = await get(
      "/repos/octo-org/octo-repo/issues/comments/" +
        gh.state.commentsOf("octo-org", "octo-repo", 7)[0]?.id,
    );
    expect(shapeDiff(real.user, body.user as Json, 0)).toEqual(["extra user_view_type"]);
  });

  it("an issue comment has the recorded keys and types, its user included", async () => {
    const real = richest(webhookExamples("issue_comment").map((e) => e.comment as Json));
    const { body } = await get("/repos/octo-org/octo-repo/issues/7/comments");
    const comments = body as unknown as Json[];
    expect(comments).toHaveLength(3);
    expect(shapeDiff(real, comments[0] as Json, 1)).toEqual(["extra user.user_view_type"]);
  });

  it("a pull request has the recorded keys and types, head and base included", async () => {
    const real = richest(webhookExamples("pull_request").map((e) => e.pull_request as Json));
    const { body } = await get("/repos/octo-org/octo-repo/pulls/7");
    const problems = shapeDiff(real, body, 2).filter(
      (p) => !/^(missing|extra) (head|base)\.repo\./.test(p),
    );
    expect(problems.filter((p) => !p.endsWith("user_view_type"))).toEqual([]);
    // The emulated repository is a subset of the real one: whatever it has, it has rightly.
    const realRepo = (real.head as Json).repo as Json;
    const ourRepo = (body.head as { repo: Json }).repo;
    expect(shapeDiff(realRepo, ourRepo, 0).filter((p) => !p.startsWith("missing "))).toEqual([]);
  });

  it("GET /user answers a PAT with the user, an installation token with the real 403", async () => {
    const user = await get("/user");
    expect(user.body).toMatchObject({ login: "octo-maintainer", type: "User" });
    const bot = await get("/user", TOKENS.workflow);
    expect(bot.status).toBe(403);
    expect(bot.body.message).toBe("Resource not accessible by integration");
  });

  it("errors have GitHub's shape and unknown tokens get 401 Bad credentials", async () => {
    const real = fixture("errors")[0] as Recorded;
    const response = await fetch(`${gh.url}/repos/octo-org/octo-repo/issues/7/comments`, {
      method: "POST",
      headers: { authorization: `token ${TOKENS.pat}` },
      body: JSON.stringify({ body: "x".repeat(65_537) }),
    });
    const ours = (await response.json()) as Json;
    expect(response.status).toBe(real.status);
    expect(Object.keys(ours).sort()).toEqual(
      Object.keys(real.response as Json)
        .concat("status")
        .sort(),
    );
    expect(Object.keys((ours.errors as Json[])[0] as Json).sort()).toEqual(
      Object.keys(((real.response as Json).errors as Json[])[0] as Json)
        .concat("message")
        .sort(),
    );
    const bad = await get("/user", "ghp_unknown");
    expect(bad).toMatchObject({ status: 401, body: { message: "Bad credentials" } });
  });

  it("a workflow run has the keys of the one GitHub's workflow_run webhook carries", async () => {
    const real = richest(webhookExamples("workflow_run").map((e) => e.workflow_run as Json));
    gh.state.addRun("octo-org", "octo-repo", 4242, "b".repeat(40));
    const { status, body } = await get("/repos/octo-org/octo-repo/actions/runs/4242");
    expect(status).toBe(200);
    expect(shapeDiff(real, body, 0)).toEqual([]);
    // The repository objects are the emulator's short ones (as in pull requests): no extra key.
    const problems = shapeDiff(real.repository as Json, body.repository as Json, 0);
    expect(problems.filter((p) => !p.startsWith("missing "))).toEqual([]);
  });

  // No recording of a REST commit or comparison is at hand (@octokit/fixtures has none):
  // these follow GitHub's documented examples; here their behaviour is checked.
  it("resolves a commit by SHA or heads/BRANCH and counts ahead_by / behind_by", async () => {
    gh.state.addCommit("octo-org", "octo-repo", "2".repeat(40), []);
    gh.state.addCommit("octo-org", "octo-repo", "d".repeat(40), ["2".repeat(40)]);
    const commit = await get(`/repos/octo-org/octo-repo/commits/${"d".repeat(40)}`);
    expect(commit.status).toBe(200);
    expect(commit.body.parents).toMatchObject([{ sha: "2".repeat(40) }]);
    const heads = await get("/repos/octo-org/octo-repo/commits/heads/main");
    expect(heads.body.sha).toBe("2".repeat(40));
    const compare = await get(`/repos/octo-org/octo-repo/compare/main...${"d".repeat(40)}`);
    expect(compare.body).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0 });
    const back = await get(`/repos/octo-org/octo-repo/compare/${"d".repeat(40)}...main`);
    expect(back.body).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 1 });
  });

  it("every response carries the recorded rate-limit and request-id headers", async () => {
    const real = fixture("paginate-issues")[0] as Recorded;
    const { headers } = await get("/repos/octo-org/octo-repo/pulls/7");
    for (const name of Object.keys(real.headers).filter((h) =>
      /^x-(ratelimit|github-(request-id|media-type))/.test(h),
    )) {
      expect(headers.get(name), name).toMatch(/\S/);
    }
    expect(headers.get("content-type")).toBe(real.headers["content-type"]);
  });

  it("paginates with a Link header like the recorded one", async () => {
    const real = fixture("paginate-issues")[1] as Recorded;
    gh.state.seedComments("octo-org", "octo-repo", 8, 7);
    const page2 = await fetch(
      `${gh.url}/repos/octo-org/octo-repo/issues/8/comments?per_page=3&page=2`,
      {
        headers: { authorization: `token ${TOKENS.pat}` },
      },
    );
    const rels = (link: string) => [...link.matchAll(/rel="(\w+)"/g)].map((m) => m[1]);
    expect(rels(page2.headers.get("link") ?? "")).toEqual(rels(real.headers.link ?? ""));
    expect(page2.headers.get("link")).toContain("per_page=3&page=3");
  });
});
