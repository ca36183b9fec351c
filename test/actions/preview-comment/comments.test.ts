/** listComments against GraphQL answers GitHub can give (issue #23 item 11). */
import { describe, expect, it } from "vitest";
import { listComments } from "../../../actions/preview-comment/comments.js";
import type { GitHubClient } from "../../../actions/shared/github.js";

const target = { owner: "acme", repo: "app", issue_number: 7 };
const page = (viewer: unknown) => ({
  viewer,
  repository: {
    pullRequest: { comments: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } },
  },
});
const client = (answer: unknown) =>
  ({ graphql: () => Promise.resolve(answer) }) as unknown as GitHubClient;

describe("listComments", () => {
  it("viewer: null fails in one actionable line, not with a TypeError", async () => {
    await expect(listComments(client(page(null)), target)).rejects.toMatchObject({
      name: "ActionError",
      title: "Token identity unknown",
      message: expect.stringMatching(/^GitHub's GraphQL API did not say whose token this is/),
    });
  });

  it("a viewer is the token's identity", async () => {
    const listing = await listComments(client(page({ login: "bot", databaseId: 5 })), target);
    expect(listing).toEqual({ viewer: { login: "bot", id: 5 }, comments: [] });
  });
});
