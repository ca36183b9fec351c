/**
 * The job summary: command, stack, change counts, duration, policy violations, outputs with
 * secrets hidden.
 */
import { cell, code, table, text } from "../shared/markdown.js";
import type { PolicyViolation } from "../shared/pulumi/engine-facts.js";
import type { Counts } from "./plan.js";
import { countsLine } from "./plan-markdown.js";
import type { Outputs } from "./stack-outputs.js";

export interface SummaryFacts {
  command: string;
  stack: string;
  counts?: Counts;
  durationSeconds: number;
  /** Outputs with secrets already replaced by "[secret]". */
  outputs?: Outputs;
  failure?: string;
  note?: string;
  /** Messages already redacted. */
  policyViolations?: PolicyViolation[];
}

const VALUE_CHARS = 120;

function shownValue(value: unknown): string {
  const json = typeof value === "string" ? value : JSON.stringify(value);
  return json.length > VALUE_CHARS ? `${json.slice(0, VALUE_CHARS - 1)}…` : json;
}

export function renderSummary(facts: SummaryFacts): string {
  const status = facts.failure ? "failed" : "succeeded";
  const parts = [
    `## Pulumi ${text(facts.command)} of ${code(facts.stack)} ${status} in ${facts.durationSeconds}s\n`,
  ];
  if (facts.failure) parts.push(`> ${text(facts.failure)}\n`);
  if (facts.note) parts.push(`${text(facts.note)}\n`);
  if (facts.counts) parts.push(`${countsLine(facts.counts, facts.command === "preview")}\n`);
  const violations = facts.policyViolations ?? [];
  if (violations.length > 0) {
    parts.push(
      table(
        ["policy pack", "policy", "level", "resource", "message", "excepted by"],
        violations.map((v) => [
          cell(v.policyPack),
          cell(v.policy),
          cell(v.enforcementLevel),
          cell(v.urn?.split("::").pop() ?? ""),
          cell(v.message),
          cell(v.exceptions.join(", ")),
        ]),
      ),
    );
  }
  const entries = Object.entries(facts.outputs ?? {});
  if (entries.length > 0) {
    parts.push(
      table(
        ["output", "value"],
        entries.map(([k, v]) => [code(k), cell(shownValue(v))]),
      ),
    );
  }
  return parts.join("\n");
}
