/**
 * The hidden first line that names a comment's key and the run that wrote it. Which run
 * is newer is decided by run id, then run attempt: GitHub gives every new run a higher
 * id, and a re-run keeps its id with a higher attempt. So a late run for an older commit
 * (lower id), or an older attempt, never overwrites what a newer one wrote.
 */

export interface Marker {
  key: string;
  sha: string;
  runId: number;
  runAttempt: number;
}

const PREFIX = "<!-- pulumi-preview-kit:preview-comment";
const PATTERN =
  /^<!-- pulumi-preview-kit:preview-comment key="([A-Za-z0-9_.-]+)" sha="([0-9a-f]*)" run="(\d+)" attempt="(\d+)" -->/;

export function formatMarker(marker: Marker): string {
  return `${PREFIX} key="${marker.key}" sha="${marker.sha}" run="${marker.runId}" attempt="${marker.runAttempt}" -->`;
}

/** The marker a body starts with, if any. */
export function parseMarker(body: string | undefined | null): Marker | undefined {
  const found = PATTERN.exec(body ?? "");
  if (!found) return undefined;
  const [, key = "", sha = "", runId = "0", runAttempt = "0"] = found;
  return { key, sha, runId: Number(runId), runAttempt: Number(runAttempt) };
}

/** True when `recorded` was written by a later run (or a later attempt of the same run). */
export function isNewer(recorded: Marker, ours: Marker): boolean {
  return recorded.runId !== ours.runId
    ? recorded.runId > ours.runId
    : recorded.runAttempt > ours.runAttempt;
}
