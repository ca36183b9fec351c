/**
 * `POST /graphql`: queries are parsed, validated and executed by graphql-js against
 * GitHub's own published schema (@octokit/graphql-schema), so a query the real API would
 * refuse (a wrong field, a missing argument) is refused here too. Only the fields the
 * actions read have data behind them:
 * - `viewer { login databaseId }`: for an installation token GitHub answers with the app's
 *   bot (`my-app[bot]`), unlike REST `GET /user`, which refuses installation tokens;
 * - `repository.pullRequest(number).comments`: issue comments, oldest first, 100 a page at
 *   most; an author is an `Actor` whose bot login has no `[bot]` suffix, as in GitHub's
 *   GraphQL (REST writes `github-actions[bot]`, GraphQL `github-actions`);
 * - `repository.deployments(environments)`: with `databaseId`, `environment`, `state` and
 *   `latestStatus { state }`, in the schema's default order (created, ascending);
 * - `mutation updateIssueComment(input: {id, body})`, with the access REST's PATCH of the
 *   comment needs: what sticky-pull-request-comment, the peer `npm run bench` measures us
 *   against, writes with.
 * Errors are answered as GitHub does: HTTP 200 with an `errors` array.
 */
import { buildClientSchema, graphql, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { schema as published } from "@octokit/graphql-schema";
import { ok, HttpError } from "../router.js";
import { checkAccess, type RouteRegistry } from "../server.js";
import type { Account, GitHubState, StoredComment, TokenGrant } from "../state.js";
import { COMMENT_NODE, nodeId, WEB } from "../objects.js";
import { deploymentStore, type StoredDeployment } from "./deployments.js";

let built: GraphQLSchema | undefined;
/** Built once per process: the schema is large. */
function gitHubSchema(): GraphQLSchema {
  built ??= buildClientSchema(published.json as unknown as IntrospectionQuery);
  return built;
}

/** GitHub refuses a connection page of more than 100 nodes. */
const PAGE_LIMIT = 100;

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString("base64");
const indexOf = (cursor: string) =>
  Number(/^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString())?.[1] ?? -1);

function connection<T, N>(items: readonly T[], args: PageArgs, node: (item: T) => N) {
  if (args.first == null)
    throw new Error(
      "You must provide a `first` or `last` value to properly paginate the connection.",
    );
  if (args.first > PAGE_LIMIT)
    throw new Error(
      `Requesting ${args.first} records on the connection exceeds the \`first\` limit of ${PAGE_LIMIT} records.`,
    );
  const start = args.after ? indexOf(args.after) + 1 : 0;
  const page = items.slice(start, start + args.first);
  return {
    totalCount: items.length,
    nodes: page.map(node),
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursorOf(start) : null,
      endCursor: page.length > 0 ? cursorOf(start + page.length - 1) : null,
    },
  };
}

/** An `Actor` as GraphQL shows it: bots without the `[bot]` suffix REST gives them. */
function actor(account: Account) {
  return account.type === "Bot"
    ? { __typename: "Bot", login: account.login.replace(/\[bot\]$/, ""), databaseId: account.id }
    : { __typename: "User", login: account.login, databaseId: account.id };
}

function comment(state: GitHubState, c: StoredComment) {
  return {
    id: nodeId(COMMENT_NODE, c.id),
    databaseId: c.id,
    isMinimized: false,
    body: c.body,
    url: `${WEB}/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    author: actor(state.account(c.author)),
  };
}

function deployment(state: GitHubState, d: StoredDeployment) {
  const latest = deploymentStore(state).latest(d.id);
  return {
    databaseId: d.id,
    environment: d.environment,
    // GitHub's Deployment.state: ACTIVE for a live success, else the newest status' state.
    state: latest
      ? latest.state === "success"
        ? "ACTIVE"
        : latest.state.toUpperCase()
      : "PENDING",
    latestStatus: latest ? { state: latest.state.toUpperCase() } : null,
  };
}

function repository(state: GitHubState, owner: string, name: string) {
  return {
    pullRequest: ({ number }: { number: number }) => {
      if (!state.pull(owner, name, number)) return null;
      return {
        number,
        comments: (args: PageArgs) =>
          connection(state.commentsOf(owner, name, number), args, (c) => comment(state, c)),
      };
    },
    deployments: (args: PageArgs & { environments?: string[] | null }) => {
      const all = deploymentStore(state)
        .deploymentsOf(owner, name)
        .filter((d) => !args.environments || args.environments.includes(d.environment))
        .reverse();
      return connection(all, args, (d) => deployment(state, d));
    },
  };
}

function updateIssueComment(state: GitHubState, grant: TokenGrant) {
  return ({ input }: { input: { id: string; body: string } }) => {
    const id = /^012:IssueComment(\d+)$/.exec(Buffer.from(input.id, "base64").toString())?.[1];
    const stored = id === undefined ? undefined : state.comments.get(Number(id));
    if (!stored) throw new Error(`Could not resolve to a node with the global id of '${input.id}'`);
    checkAccess(
      "write",
      grant,
      `PATCH /repos/${stored.owner}/${stored.repo}/issues/comments/${stored.id}`,
    );
    stored.body = input.body;
    stored.updatedAt = state.now();
    return { issueComment: comment(state, stored) };
  };
}

export function registerGraphqlRoutes({ route }: RouteRegistry): void {
  route("POST /graphql", "authenticated", async (request) => {
    const body = request.body as { query?: unknown; variables?: unknown } | undefined;
    if (typeof body?.query !== "string") throw new HttpError(400, "Problems parsing JSON");
    const { account, installation } = request.grant;
    const result = await graphql({
      schema: gitHubSchema(),
      source: body.query,
      variableValues: (body.variables ?? {}) as Record<string, unknown>,
      rootValue: {
        viewer: { login: account.login, databaseId: account.id, installation },
        repository: ({ owner, name }: { owner: string; name: string }) =>
          repository(request.state, owner, name),
        updateIssueComment: updateIssueComment(request.state, request.grant),
      },
    });
    return ok({
      ...(result.data === undefined ? {} : { data: result.data }),
      ...(result.errors
        ? {
            errors: result.errors.map((e) => ({
              message: e.message,
              locations: e.locations,
              path: e.path,
            })),
          }
        : {}),
    });
  });
}
