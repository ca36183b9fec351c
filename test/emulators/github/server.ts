/**
 * A stateful GitHub REST API on 127.0.0.1 for process tests: the bundled actions reach
 * it through `GITHUB_API_URL`. Tokens map to identities and permissions, every request
 * is recorded, and faults (rate limits, 5xx) can be queued per route.
 *
 *   const gh = await createGitHubEmulator();
 *   gh.state.seedComments("octo-org", "octo-repo", 7, 250);
 *   gh.faults.inject("secondary-rate-limit", { route: "GET /user" });
 *   ... runAction(name, { env: { GITHUB_API_URL: gh.url } }) ...
 *   gh.requests.count("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { FaultQueue, faultReply } from "./faults.js";
import { RequestLog } from "./requests.js";
import { HttpError, Router, errorBody } from "./router.js";
import type { Access, Handler, Reply, RouteRequest } from "./router.js";
import { scopesAllow } from "./scopes.js";
import { GitHubState } from "./state.js";
import type { TokenGrant } from "./state.js";
import { registerAttestationRoutes } from "./routes/attestations.js";
import { registerCollaboratorRoutes } from "./routes/collaborators.js";
import { registerCommentRoutes } from "./routes/comments.js";
import { registerCommitRoutes } from "./routes/commits.js";
import { registerDeploymentRoutes } from "./routes/deployments.js";
import { registerGraphqlRoutes } from "./routes/graphql.js";
import { registerPullRoutes } from "./routes/pulls.js";
import { registerReleaseRoutes } from "./routes/releases.js";
import { registerRunRoutes } from "./routes/runs.js";
import { registerUserRoutes } from "./routes/users.js";

/** What a route module gets to register its handlers and reach the shared state. */
export interface RouteRegistry {
  route(spec: string, access: Access, handler: Handler): void;
  state: GitHubState;
}

export type RegisterRoutes = (registry: RouteRegistry) => void;

export interface GitHubEmulator {
  /** Base URL for `GITHUB_API_URL`, without a trailing slash. */
  url: string;
  state: GitHubState;
  requests: RequestLog;
  faults: FaultQueue;
  /**
   * Holds the next `count` requests of `route` until all of them have arrived, then lets
   * them through together: two runs' writes then race as closely as they can.
   */
  holdUntil(route: string, count: number): void;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  /** Starting state, e.g. one shared by several emulators; a fresh one by default. */
  state?: GitHubState;
}

const ALL_ROUTES: RegisterRoutes[] = [
  registerUserRoutes,
  registerCommentRoutes,
  registerPullRoutes,
  registerCollaboratorRoutes,
  registerDeploymentRoutes,
  registerGraphqlRoutes,
  registerRunRoutes,
  registerAttestationRoutes,
  registerReleaseRoutes,
  // After the pull routes: `commits/{ref}` takes slashes, `commits/{sha}/pulls` comes first.
  registerCommitRoutes,
];

const RATE_LIMIT = 5000;
const INTEGRATION_403 = "Resource not accessible by integration";

function requestId(): string {
  const hex = (n: number) => randomBytes(n).toString("hex").toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}

function tokenOf(request: IncomingMessage): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}

/** Throws the answer GitHub gives when the token may not do what the route needs. */
export function checkAccess(access: Access, grant: TokenGrant, route: string): void {
  const rank = { read: 1, write: 2, admin: 3 } as const;
  if (grant.scopes && access !== "authenticated" && !scopesAllow(grant.scopes, route, access))
    throw new HttpError(403, INTEGRATION_403);
  if (access === "authenticated" || rank[grant.permission] >= rank[access]) return;
  if (grant.installation) throw new HttpError(403, INTEGRATION_403);
  if (access === "admin") throw new HttpError(403, "Must have admin rights to Repository.");
  throw new HttpError(404, "Not Found");
}

export async function createGitHubEmulator(options: EmulatorOptions = {}): Promise<GitHubEmulator> {
  const state = options.state ?? new GitHubState();
  const router = new Router();
  const requests = new RequestLog();
  const faults = new FaultQueue();
  const used = new Map<string, number>();
  const resetAt = Math.ceil(Date.now() / 1000) + 3600;
  const holds = new Map<string, { waiting: (() => void)[]; count: number }>();
  const passHold = async (route: string | undefined) => {
    const hold = route === undefined ? undefined : holds.get(route);
    if (!hold) return;
    await new Promise<void>((resolve) => {
      hold.waiting.push(resolve);
      if (hold.waiting.length < hold.count) return;
      holds.delete(route as string);
      for (const release of hold.waiting) release();
    });
  };
  for (const register of ALL_ROUTES)
    register({ route: (spec, access, handler) => router.add(spec, access, handler), state });

  let baseUrl = "";

  async function answer(request: IncomingMessage, url: URL, token: string | undefined, id: string) {
    const method = request.method ?? "GET";
    const match = router.match(method, url.pathname);
    const record = {
      method,
      route: match?.route.route,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      token,
    };
    let body: unknown;
    try {
      body = await readBody(request);
      const fault = faults.take(match?.route.route);
      if (fault && !fault.afterHandling)
        return {
          record: { ...record, body, fault: fault.kind },
          reply: faultReply(fault, id),
          fault,
        };
      if (!token) throw new HttpError(401, "Requires authentication");
      const grant = state.tokens.get(token);
      if (!grant) throw new HttpError(401, "Bad credentials");
      if (!match) throw new HttpError(404, "Not Found");
      checkAccess(match.route.access, grant, match.route.route);
      await passHold(match.route.route);
      const routeRequest: RouteRequest = {
        method,
        route: match.route.route,
        params: match.params,
        query: url.searchParams,
        body,
        token,
        grant,
        baseUrl,
        url,
        state,
      };
      const handled = await match.route.handler(routeRequest);
      if (fault)
        return {
          record: { ...record, body, fault: fault.kind },
          reply: faultReply(fault, id),
          fault,
        };
      return { record: { ...record, body }, reply: handled };
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const reply: Reply = {
        status: error.status,
        body: errorBody(error.status, error.message, error.extra),
        headers: error.headers,
      };
      return { record: { ...record, body }, reply };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const arrivedAt = Date.now();
    const url = new URL(request.url ?? "/", baseUrl);
    const token = tokenOf(request);
    const id = requestId();
    const { record, reply, fault } = await answer(request, url, token, id);
    requests.record({ ...record, status: reply.status, at: arrivedAt });
    if (fault?.kind === "reset") {
      response.socket?.destroy();
      return;
    }

    const count = (used.get(token ?? "") ?? 0) + 1;
    used.set(token ?? "", count);
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": id,
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "x-ratelimit-limit": String(RATE_LIMIT),
      "x-ratelimit-remaining": String(Math.max(RATE_LIMIT - count, 0)),
      "x-ratelimit-reset": String(resetAt),
      "x-ratelimit-used": String(count),
      "x-ratelimit-resource": "core",
      ...reply.headers,
    };
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    if (reply.status === 204) delete headers["content-type"];
    response.writeHead(reply.status, {
      ...headers,
      "content-length": String(Buffer.byteLength(text)),
    });
    response.end(text);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in a handler: answer like GitHub's 500 and keep the message for the test's log.
      const text = JSON.stringify(errorBody(500, `emulator error: ${String(error)}`));
      response.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    state,
    requests,
    faults,
    holdUntil: (route, count) => holds.set(route, { waiting: [], count }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export { TOKENS, GITHUB_ACTIONS_BOT, APP_BOT } from "./state.js";
