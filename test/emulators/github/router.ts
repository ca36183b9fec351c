/**
 * The emulator's router: routes are written the way Octokit names them
 * (`GET /repos/{owner}/{repo}/pulls/{pull_number}`), so a test can count requests by the
 * same string the action passes to `client.request(...)`.
 */
import type { GitHubState, TokenGrant } from "./state.js";

/** What a route needs from the token's repository permission. */
export type Access = "authenticated" | "read" | "write" | "admin";

export interface RouteRequest {
  method: string;
  /** The matched route, e.g. `GET /repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  token: string;
  grant: TokenGrant;
  /** The emulator's base URL, for `url` fields and `Link` headers. */
  baseUrl: string;
  url: URL;
  state: GitHubState;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: RouteRequest) => Reply | Promise<Reply>;

/** Thrown by handlers for an error response in GitHub's shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const DOCS = "https://docs.github.com/rest";

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  return { message, documentation_url: DOCS, ...extra, status: String(status) };
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({
  status: 200,
  body,
  headers,
});
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });
export const notFound = (): never => {
  throw new HttpError(404, "Not Found");
};

/** A 422 as GitHub words validation failures. */
export function validationFailed(resource: string, field: string, message: string): never {
  throw new HttpError(422, "Validation Failed", {
    errors: [{ resource, code: "custom", field, message }],
  });
}

/** Parameters GitHub takes with slashes in them (`commits/heads/main`). */
const SLASHED = new Set(["ref", "basehead"]);

interface Route {
  method: string;
  route: string;
  access: Access;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `spec` is `METHOD /path/{param}`; `access` is checked before the handler runs. */
  add(spec: string, access: Access, handler: Handler): void {
    const [method, path] = spec.split(" ") as [string, string];
    const names: string[] = [];
    const source = path
      .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return SLASHED.has(name) ? "(.+)" : "([^/]+)";
      });
    if (this.routes.some((r) => r.method === method && r.route === spec)) {
      throw new Error(`route ${spec} is registered twice`);
    }
    this.routes.push({
      method,
      route: spec,
      access,
      pattern: new RegExp(`^${source}/?$`),
      names,
      handler,
    });
  }

  match(method: string, pathname: string): Match | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const params = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] as string)]),
      );
      return { route, params };
    }
    return undefined;
  }
}
