/**
 * The emulator's own behaviour (tokens, permissions, pagination, faults, the request log),
 * and proof that the shared client rides out every fault it can inject.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../actions/shared/github.js";
import { createGitHubEmulator, TOKENS } from "./server.js";
import type { GitHubEmulator } from "./server.js";
import type { FaultKind } from "./faults.js";

let gh: GitHubEmulator;
beforeAll(async () => {
  gh = await createGitHubEmulator();
  gh.state.seedComments("octo-org", "octo-repo", 1, 250);
});
afterAll(() => gh.close());
beforeEach(() => {
  gh.requests.reset();
  gh.faults.clear();
});

const call = async (method: string, path: string, token: string | undefined, body?: object) => {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: token ? { authorization: `token ${token}` } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
};

describe("GitHub emulator", () => {
  it("maps tokens to identities and permissions", async () => {
    const comment = { body: "hi" };
    expect(
      (await call("POST", "/repos/octo-org/octo-repo/issues/1/comments", TOKENS.workflow, comment))
        .status,
    ).toBe(201);
    const readOnly = await call(
      "POST",
      "/repos/octo-org/octo-repo/issues/1/comments",
      TOKENS.readOnly,
      comment,
    );
    expect(readOnly).toMatchObject({
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    expect((await call("GET", "/user", "nope")).body?.message).toBe("Bad credentials");
    expect((await call("GET", "/user", undefined)).status).toBe(401);
    expect((await call("GET", "/user", TOKENS.nonAdmin)).body?.login).toBe("octo-developer");
    expect((await call("GET", "/repos/octo-org/octo-repo/pulls/404", TOKENS.pat)).status).toBe(404);
  });

  it("paginates 100 at most and records every request", async () => {
    const page = await call(
      "GET",
      "/repos/octo-org/octo-repo/issues/1/comments?per_page=500&page=3",
      TOKENS.pat,
    );
    expect((page.body as unknown as unknown[]).length).toBe(51); // 250 seeded + 1 created above
    expect(page.headers.get("link")).toMatch(/rel="prev".*rel="first"/);
    expect(page.headers.get("link")).not.toContain('rel="next"');
    const first = await call("GET", "/repos/octo-org/octo-repo/issues/1/comments", TOKENS.pat);
    expect((first.body as unknown as unknown[]).length).toBe(30);
    expect(gh.requests.all()).toMatchObject([
      {
        method: "GET",
        route: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
        query: { per_page: "500", page: "3" },
        token: TOKENS.pat,
        status: 200,
      },
      { query: {}, status: 200 },
    ]);
  });

  it("serves queued faults per route, N times, then the real answer", async () => {
    gh.faults.inject("service-unavailable", { route: "GET /user", times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("GET", "/user", TOKENS.pat)).status);
    expect((await call("GET", "/repos/octo-org/octo-repo/pulls/1", TOKENS.pat)).status).toBe(200);
    expect(statuses).toEqual([503, 503, 200]);
    expect(gh.requests.served()).toHaveLength(2);
    gh.faults.inject("primary-rate-limit");
    const limited = await call("GET", "/repos/octo-org/octo-repo/pulls/1", TOKENS.pat);
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(limited.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  });

  const retried: FaultKind[] = [
    "secondary-rate-limit",
    "primary-rate-limit",
    "primary-rate-limit-429",
    "too-many-requests",
    "bad-gateway",
    "service-unavailable",
  ];
  it.each(retried)("the shared client retries a %s fault and succeeds", async (kind) => {
    process.env.GITHUB_API_URL = gh.url;
    const client = createGitHubClient(TOKENS.pat);
    gh.faults.inject(kind, {
      route: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      retryAfter: 1,
    });
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: "octo-org",
      repo: "octo-repo",
      pull_number: 1,
    });
    expect(data.number).toBe(1);
    expect(gh.requests.all().map((r) => r.fault ?? r.status)).toEqual([kind, 200]);
  });
});
