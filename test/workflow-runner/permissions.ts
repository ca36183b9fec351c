/**
 * A job's GITHUB_TOKEN permissions as GitHub computes them: the job's `permissions:`, else
 * the workflow's, else the caller's (in a called workflow), else the repository default
 * (restricted: contents and packages read). A called workflow can only keep or lower what
 * its caller job was given; asking for more fails the run, as on GitHub.
 */
import { isMapping, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { SCOPES, type JobScopes, type Scope, type ScopeLevel } from "../emulators/github/scopes.js";

export const REPOSITORY_DEFAULT: JobScopes = { contents: "read", packages: "read" };
/** Read on every scope but id-token: `permissions: read-all`. */
export const READ_ONLY: JobScopes = Object.fromEntries(
  SCOPES.filter((scope) => scope !== "id-token").map((scope) => [scope, "read"]),
);
const RANK: Record<ScopeLevel, number> = { none: 0, read: 1, write: 2 };

export function parsePermissions(token: TemplateToken | undefined): JobScopes | undefined {
  if (!token) return undefined;
  if (isString(token)) {
    const level: ScopeLevel | undefined =
      token.value === "read-all" ? "read" : token.value === "write-all" ? "write" : undefined;
    if (!level) throw new Error(`permissions: '${token.value}' is not read-all or write-all`);
    return Object.fromEntries(
      SCOPES.map((scope) => [scope, scope === "id-token" && level === "read" ? "none" : level]),
    );
  }
  if (!isMapping(token)) throw new Error("permissions: must be a mapping");
  const scopes: JobScopes = {};
  for (const pair of token) {
    const scope = pair.key.toString() as Scope;
    if (!SCOPES.includes(scope)) throw new Error(`permissions: unknown scope '${scope}'`);
    scopes[scope] = pair.value.toString() as ScopeLevel;
  }
  return scopes;
}

/** The first scope a job asks for above its ceiling, as GitHub's startup error words it. */
export function exceeding(jobId: string, asked: JobScopes, ceiling: JobScopes): string | undefined {
  for (const [scope, level] of Object.entries(asked) as [Scope, ScopeLevel][]) {
    const allowed = ceiling[scope] ?? "none";
    if (RANK[level] > RANK[allowed])
      return `The nested job '${jobId}' is requesting '${scope}: ${level}', but is only allowed '${scope}: ${allowed}'.`;
  }
  return undefined;
}
