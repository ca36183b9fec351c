/**
 * What to do with this key's comments, decided from what is there: pure, so every rule
 * (oldest kept, newer run wins, unchanged body makes no call) is tested without a server.
 */
import type { Mode } from "./inputs.js";
import { isNewer, parseMarker, type Marker } from "./marker.js";

export type Result = "created" | "updated" | "unchanged" | "deleted" | "skipped";

/** Who wrote a comment, or whose token this is. */
export interface Identity {
  login: string;
  /** The account id (GraphQL `databaseId`, REST `user.id`). */
  id?: number;
}

/**
 * The same account? By id when both have one; else by login, where GraphQL writes a bot's
 * login as `my-app` in a comment's `author` but `my-app[bot]` in `viewer`, and REST always
 * adds `[bot]` (a user login can hold no brackets, so the suffix names no one else).
 */
export function sameIdentity(a: Identity, b: Identity): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  const name = (i: Identity) => i.login.toLowerCase().replace(/\[bot\]$/, "");
  return name(a) === name(b);
}

export interface ExistingComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: Identity | null;
}

export type Step =
  { kind: "create" } | { kind: "update"; id: number } | { kind: "delete"; id: number };

export interface Plan {
  steps: Step[];
  /** The result when every step succeeds. */
  result: Result;
  /** The comment left in place, when no step writes a new one. */
  kept?: ExistingComment;
  /** Why nothing is written, for the log. */
  reason?: string;
}

/** This key's comments written by `viewer`, oldest first (ids grow with time). */
export function ownComments(
  comments: readonly ExistingComment[],
  key: string,
  viewer: Identity,
): ExistingComment[] {
  return comments
    .filter((c) => parseMarker(c.body)?.key === key && c.user && sameIdentity(c.user, viewer))
    .sort((a, b) => a.id - b.id);
}

/** Markers of `mine` that claim a later run than ours: to be confirmed before they win. */
export function newerClaims(mine: readonly ExistingComment[], ours: Marker): Marker[] {
  return mine
    .map((c) => parseMarker(c.body))
    .filter((m): m is Marker => m !== undefined && isNewer(m, ours));
}

/**
 * `confirmed` says whether a marker claiming a later run names a run that really exists
 * (anyone writing as the same bot can put any run id in a marker): only confirmed claims
 * make this run leave the comment alone.
 */
export function planComment(
  mode: Mode,
  mine: readonly ExistingComment[],
  body: string | undefined,
  ours: Marker,
  confirmed: (claim: Marker) => boolean = () => true,
): Plan {
  const remove = (comments: readonly ExistingComment[]): Step[] =>
    comments.map((c) => ({ kind: "delete", id: c.id }));
  if (mode === "delete")
    return { steps: remove(mine), result: mine.length > 0 ? "deleted" : "unchanged" };

  const [kept, ...duplicates] = mine;
  if (!kept) return { steps: [{ kind: "create" }], result: "created" };

  const newer = newerClaims(mine, ours).find(confirmed);
  if (newer) {
    const reason = `run ${newer.runId} (attempt ${newer.runAttempt}, commit ${newer.sha || "unknown"}) is newer than this one`;
    return { steps: remove(duplicates), result: "skipped", kept, reason };
  }
  if (mode === "recreate")
    return { steps: [{ kind: "create" }, ...remove(mine)], result: "created" };
  if (kept.body === body) return { steps: remove(duplicates), result: "unchanged", kept };
  return {
    steps: [{ kind: "update", id: kept.id }, ...remove(duplicates)],
    result: "updated",
    kept,
  };
}
