/**
 * The GitHub client is @actions/github's Octokit; what is ours is its transport (each try
 * bounded, http-transport.ts) and the `request` hook that paces and retries
 * (github-requests.ts). These tests send requests through the typed endpoint methods of the
 * client the actions use, to a local server that answers as GitHub does when it fails, and
 * check what the hook does with each answer. Why the hook and not @octokit/plugin-retry:
 * action-docs/toolkit.md.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, gitHubError } from "../../../actions/shared/github.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  at: number;
}

type Answer = (request: Seen, response: ServerResponse) => void;

let server: Server;
let seen: Seen[];
let answers: Answer[];
const saved = { ...process.env };

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
};
const ok = json(200, { id: 1 });
const badGateway = json(502, { message: "Bad Gateway" });

beforeEach(async () => {
  seen = [];
  answers = [];
  server = createServer((request, response) => {
    const entry = {
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      at: Date.now(),
    };
    seen.push(entry);
    request.resume();
    request.on("end", () => (answers.shift() ?? ok)(entry, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  process.env.GITHUB_API_URL = `http://127.0.0.1:${port}`;
  process.env.PREVIEW_KIT_RETRY_BASE_MS = "0";
});

afterEach(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = () => createGitHubClient("ghs_testtoken", { writeIntervalMs: 200 });
const repo = { owner: "octo-org", repo: "octo-repo" };

describe("@actions/github's Octokit with our hooks", () => {
  it("sends through our transport, with our user agent and the token", async () => {
    const { data } = await client().rest.repos.get(repo);
    expect(data).toEqual({ id: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe("/repos/octo-org/octo-repo");
    expect(seen[0]?.headers.authorization).toBe("token ghs_testtoken");
    expect(seen[0]?.headers["user-agent"]).toMatch(/^pulumi-preview-kit /);
  });

  it("tries a read again after a 502", async () => {
    answers.push(badGateway, badGateway);
    const { data } = await client().rest.repos.get(repo);
    expect(data).toEqual({ id: 1 });
    expect(seen.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
  });

  it("never repeats a POST that may have created something: a 502 fails at once", async () => {
    answers.push(badGateway);
    const error = await client()
      .rest.issues.createComment({ ...repo, issue_number: 7, body: "hello" })
      .catch((e: unknown) => e);
    expect(seen.map((r) => r.method)).toEqual(["POST"]);
    expect(gitHubError("comment", error).message).toMatch(/^Could not comment: HTTP 502/);
  });

  it("repeats a POST that GitHub refused unread: a secondary rate limit, after its retry-after", async () => {
    answers.push(
      json(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "0" }),
    );
    await client().rest.issues.createComment({ ...repo, issue_number: 7, body: "hello" });
    expect(seen.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  it("repeats a GraphQL query but not a mutation", async () => {
    answers.push(badGateway);
    await client().graphql("query { viewer { login } }");
    expect(seen).toHaveLength(2);
    seen = [];
    answers.push(badGateway);
    await expect(
      client().graphql("mutation { addStar(input: {}) { clientMutationId } }"),
    ).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });

  it("sends writes one at a time, a write interval apart; reads are not held", async () => {
    const github = client();
    await Promise.all([
      github.rest.issues.updateComment({ ...repo, comment_id: 1, body: "a" }),
      github.rest.issues.updateComment({ ...repo, comment_id: 2, body: "b" }),
      github.rest.repos.get(repo),
    ]);
    const writes = seen.filter((r) => r.method === "PATCH");
    expect(writes).toHaveLength(2);
    expect((writes[1]?.at ?? 0) - (writes[0]?.at ?? 0)).toBeGreaterThanOrEqual(190);
    // The read went out with the first write, not after the interval.
    const read = seen.find((r) => r.method === "GET");
    expect((read?.at ?? Infinity) - (writes[0]?.at ?? 0)).toBeLessThan(190);
  });

  it("gives up on a request that never answers after one more try, and says it had no answer", async () => {
    process.env.PREVIEW_KIT_REQUEST_TIMEOUT_MS = "300";
    answers.push(
      () => {},
      () => {},
    );
    const error = await client()
      .rest.repos.get(repo)
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(gitHubError("read the repository", error).message).toMatch(
      /^Could not read the repository: (?!HTTP).*got no answer within 0\.3 s/,
    );
  });
});
