/**
 * The emulator's GraphQL comment fields and `updateIssueComment`, which the bench's peer
 * (sticky-pull-request-comment) reads and writes with: ids as REST's node_id, and the
 * access REST's PATCH needs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubEmulator, GITHUB_ACTIONS_BOT, TOKENS } from "./server.js";
import type { GitHubEmulator } from "./server.js";

let gh: GitHubEmulator;
beforeAll(async () => {
  gh = await createGitHubEmulator();
});
afterAll(() => gh.close());

async function graphql(token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${gh.url}/graphql`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: unknown; errors?: { message: string }[] };
}

const LIST = `query($number: Int!) { repository(owner: "octo-org", name: "octo-repo") {
  pullRequest(number: $number) { comments(first: 10) { nodes { id databaseId isMinimized } } } } }`;
const UPDATE = `mutation($input: UpdateIssueCommentInput!) {
  updateIssueComment(input: $input) { issueComment { id body } } }`;

describe("GraphQL comments", () => {
  it("gives each comment REST's node_id as its id, and updates it with a writing token only", async () => {
    gh.state.addPull("octo-org", "octo-repo", 1, { headSha: "a".repeat(40) });
    const stored = gh.state.addComment("octo-org", "octo-repo", 1, "old", GITHUB_ACTIONS_BOT.login);
    const listed = await graphql(TOKENS.workflow, LIST, { number: 1 });
    const [node] = (
      listed.data as {
        repository: {
          pullRequest: { comments: { nodes: { id: string; isMinimized: boolean }[] } };
        };
      }
    ).repository.pullRequest.comments.nodes;
    const rest = await fetch(`${gh.url}/repos/octo-org/octo-repo/issues/comments/${stored.id}`, {
      headers: { authorization: `token ${TOKENS.workflow}` },
    });
    expect(node?.id).toBe(((await rest.json()) as { node_id: string }).node_id);
    expect(node?.isMinimized).toBe(false);

    const refused = await graphql(TOKENS.readOnly, UPDATE, { input: { id: node?.id, body: "x" } });
    expect(refused.errors?.[0]?.message).toBe("Resource not accessible by integration");
    expect(gh.state.comments.get(stored.id)?.body).toBe("old");

    const updated = await graphql(TOKENS.workflow, UPDATE, {
      input: { id: node?.id, body: "new" },
    });
    expect(updated.errors).toBeUndefined();
    expect(gh.state.comments.get(stored.id)?.body).toBe("new");
  });
});
