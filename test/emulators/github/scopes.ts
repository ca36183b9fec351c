/**
 * The `permissions:` a workflow job's GITHUB_TOKEN carries, and which of them each route
 * needs, so the emulator refuses what the job did not ask for as GitHub does: 403
 * "Resource not accessible by integration". Only job tokens have scopes; other tokens are
 * checked by their repository permission alone.
 */

export const SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
] as const;
export type Scope = (typeof SCOPES)[number];
export type ScopeLevel = "read" | "write" | "none";
export type JobScopes = Partial<Record<Scope, ScopeLevel>>;

/**
 * The scopes that allow a route, any one of them sufficing; `metadata` (always readable by
 * a job token) and `none` (an account route) need nothing; `administration` no job token has.
 */
export function scopesOf(route: string): Scope[] | "metadata" | "administration" | "none" {
  const path = route.slice(route.indexOf(" ") + 1);
  if (!path.startsWith("/repos/")) return "none";
  // The repository itself is metadata, which every job token may read.
  if (/^\/repos\/[^/]+\/[^/]+$/.test(path)) return "metadata";
  if (route.startsWith("DELETE ") && path.includes("/environments/")) return "administration";
  if (path.includes("/attestations")) return ["attestations"];
  if (path.includes("/deployments")) return ["deployments"];
  if (path.includes("/environments")) return ["actions"];
  if (path.includes("/issues")) return ["issues", "pull-requests"];
  if (path.includes("/commits/") && path.endsWith("/pulls")) return ["contents", "pull-requests"];
  if (path.includes("/pulls")) return ["pull-requests"];
  if (path.includes("/actions/")) return ["actions"];
  if (path.includes("/collaborators/")) return "metadata";
  return ["contents"];
}

const RANK = { none: 0, read: 1, write: 2 } as const;

/** Whether a job token with these scopes may call the route with this access. */
export function scopesAllow(
  scopes: JobScopes,
  route: string,
  access: "read" | "write" | "admin",
): boolean {
  const needed = scopesOf(route);
  if (needed === "none" || needed === "metadata") return access === "read" || needed === "none";
  if (needed === "administration") return false;
  const level = access === "read" ? 1 : 2;
  return needed.some((scope) => RANK[scopes[scope] ?? "none"] >= level);
}
