/**
 * What a command changed (or, for preview, would change), read from the CLI's machine
 * output: the one JSON document of `preview --json`, or the engine events (one JSON object
 * a line) of `up/refresh/destroy --json` and `--event-log`. Both shapes come down to one Plan.
 */
import type { Redact } from "../shared/redact.js";

const COUNTED = ["create", "update", "delete", "replace", "same"] as const;
export type Counts = Record<(typeof COUNTED)[number], number>;

export interface Change {
  op: string;
  urn: string;
  type: string;
  name: string;
  /** Property-level lines of the diff, without the resource header. */
  diff: string[];
}

export interface Plan {
  counts: Counts;
  changes: Change[];
  durationSeconds?: number;
  /** URNs whose operation failed (resOpFailedEvent). */
  failed: string[];
  /** Error diagnostics the engine reported, e.g. a program's exception. */
  errors: string[];
}

/** Pulumi marks a secret in serialised state with this signature key. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const HIDDEN_KEYS = new Set(["__defaults", "__provider", "__meta", "__inputs"]);
const VALUE_CHARS = 160;

interface StepMetadata {
  op?: string;
  urn?: string;
  type?: string;
  old?: { type?: string; inputs?: Record<string, unknown> } | null;
  new?: { type?: string; inputs?: Record<string, unknown> } | null;
  oldState?: { type?: string; inputs?: Record<string, unknown> } | null;
  newState?: { type?: string; inputs?: Record<string, unknown> } | null;
  detailedDiff?: Record<string, { kind?: string }> | null;
  diffs?: string[] | null;
}

export function emptyCounts(): Counts {
  return { create: 0, update: 0, delete: 0, replace: 0, same: 0 };
}

export function hasChanges(counts: Counts): boolean {
  return counts.create + counts.update + counts.delete + counts.replace > 0;
}

function countsFrom(summary: Record<string, unknown> | undefined): Counts {
  const counts = emptyCounts();
  for (const key of COUNTED) {
    const n = summary?.[key];
    if (typeof n === "number") counts[key] = n;
  }
  return counts;
}

/** `urn:pulumi:STACK::PROJECT::PARENT$TYPE::NAME` -> its type and name. */
function typeAndName(urn: string, type?: string): { type: string; name: string } {
  const parts = urn.split("::");
  const name = parts.length >= 4 ? parts.slice(3).join("::") : urn;
  const qualified = type ?? parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name };
}

function shown(value: unknown, redact: Redact): string {
  if (value !== null && typeof value === "object" && SECRET_SIG in value) return "[secret]";
  const json = redact(JSON.stringify(value) ?? "undefined");
  return json.length > VALUE_CHARS ? `${json.slice(0, VALUE_CHARS - 1)}…` : json;
}

function propertyDiff(step: StepMetadata, redact: Redact): string[] {
  const before = (step.old ?? step.oldState)?.inputs ?? {};
  const after = (step.new ?? step.newState)?.inputs ?? {};
  const keys = step.detailedDiff
    ? Object.keys(step.detailedDiff).map((path) => path.split(/[.[]/)[0] ?? path)
    : (step.diffs ?? [...new Set([...Object.keys(before), ...Object.keys(after)])]);
  const lines: string[] = [];
  for (const key of [...new Set(keys)].sort()) {
    if (HIDDEN_KEYS.has(key)) continue;
    const had = Object.hasOwn(before, key);
    const has = Object.hasOwn(after, key);
    if (step.op === "delete" || !has) {
      if (had && step.op !== "delete") lines.push(`    - ${key}: ${shown(before[key], redact)}`);
    } else if (!had || step.op === "create") {
      lines.push(`    + ${key}: ${shown(after[key], redact)}`);
    } else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      lines.push(`    ~ ${key}: ${shown(before[key], redact)} => ${shown(after[key], redact)}`);
    }
  }
  return lines;
}

function toChange(step: StepMetadata, redact: Redact): Change | undefined {
  const op = step.op ?? "same";
  // Replacement sub-steps belong to their `replace` step; `same` and reads change nothing.
  if (["same", "read", "create-replacement", "delete-replaced", "refresh"].includes(op))
    return undefined;
  const urn = step.urn ?? "";
  const { type, name } = typeAndName(
    urn,
    step.type ?? (step.new ?? step.newState ?? step.old ?? step.oldState)?.type,
  );
  return { op, urn, type, name, diff: propertyDiff(step, redact) };
}

const identity: Redact = (text) => text;

/** `pulumi preview --json`: `{steps, changeSummary, duration}` (duration in nanoseconds). */
export function planFromPreview(document: unknown, redact: Redact = identity): Plan {
  const doc = (document ?? {}) as {
    steps?: StepMetadata[];
    changeSummary?: Record<string, unknown>;
    duration?: number;
    diagnostics?: { severity?: string; message?: string }[];
  };
  const changes = (doc.steps ?? [])
    .map((s) => toChange(s, redact))
    .filter((c): c is Change => c !== undefined);
  const counts = doc.changeSummary ? countsFrom(doc.changeSummary) : countOps(doc.steps ?? []);
  const errors = (doc.diagnostics ?? [])
    .filter((d) => d.severity === "error" && d.message)
    .map((d) => redact((d.message ?? "").trim()));
  return {
    counts,
    changes,
    durationSeconds: typeof doc.duration === "number" ? Math.round(doc.duration / 1e9) : undefined,
    failed: [],
    errors,
  };
}

function countOps(steps: readonly StepMetadata[]): Counts {
  const counts = emptyCounts();
  for (const step of steps) {
    const op = step.op ?? "same";
    if ((COUNTED as readonly string[]).includes(op)) counts[op as keyof Counts] += 1;
  }
  return counts;
}

interface EngineEvent {
  resourcePreEvent?: { metadata?: StepMetadata };
  resOpFailedEvent?: { metadata?: StepMetadata };
  diagnosticEvent?: { severity?: string; message?: string; urn?: string };
  summaryEvent?: { resourceChanges?: Record<string, unknown>; durationSeconds?: number };
}

/** Engine events, one JSON object a line; lines that are not JSON objects are skipped. */
export function planFromEvents(ndjson: string, redact: Redact = identity): Plan {
  const steps: StepMetadata[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  let summary: EngineEvent["summaryEvent"];
  for (const line of ndjson.split(/\r?\n/)) {
    if (!line.startsWith("{")) continue;
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      continue;
    }
    if (event.resourcePreEvent?.metadata) steps.push(event.resourcePreEvent.metadata);
    if (event.resOpFailedEvent?.metadata?.urn) failed.push(event.resOpFailedEvent.metadata.urn);
    if (event.diagnosticEvent?.severity === "error" && event.diagnosticEvent.message) {
      // Diagnostics carry terminal colour codes like `<{%reset%}>`.
      errors.push(redact(event.diagnosticEvent.message.replace(/<\{%[a-z]+%\}>/g, "").trim()));
    }
    if (event.summaryEvent) summary = event.summaryEvent;
  }
  return {
    counts: summary?.resourceChanges ? countsFrom(summary.resourceChanges) : countOps(steps),
    changes: steps.map((s) => toChange(s, redact)).filter((c): c is Change => c !== undefined),
    durationSeconds: summary?.durationSeconds,
    failed,
    errors,
  };
}
