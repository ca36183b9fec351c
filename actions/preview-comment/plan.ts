/**
 * What to do with this key's comments, decided from what is there: pure, so every rule
 * (oldest kept, newer run wins, unchanged body makes no call) is tested without a server.
 */
import type { Mode } from "./inputs.js";
import { isNewer, parseMarker, type Marker } from "./marker.js";

export type Result = "created" | "updated" | "unchanged" | "deleted" | "skipped";

export interface ExistingComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: { login: string } | null;
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

/** This key's comments written by `login`, oldest first (ids grow with time). */
export function ownComments(
  comments: readonly ExistingComment[],
  key: string,
  login: string,
): ExistingComment[] {
  return comments
    .filter(
      (c) =>
        parseMarker(c.body)?.key === key && c.user?.login.toLowerCase() === login.toLowerCase(),
    )
    .sort((a, b) => a.id - b.id);
}

export function planComment(
  mode: Mode,
  mine: readonly ExistingComment[],
  body: string | undefined,
  ours: Marker,
): Plan {
  const remove = (comments: readonly ExistingComment[]): Step[] =>
    comments.map((c) => ({ kind: "delete", id: c.id }));
  if (mode === "delete")
    return { steps: remove(mine), result: mine.length > 0 ? "deleted" : "unchanged" };

  const [kept, ...duplicates] = mine;
  if (!kept) return { steps: [{ kind: "create" }], result: "created" };

  const newer = mine
    .map((c) => parseMarker(c.body))
    .find((m) => m !== undefined && isNewer(m, ours));
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
