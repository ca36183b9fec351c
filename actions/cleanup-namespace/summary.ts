/** The job summary: namespace, result, duration, and what was left when forcing. */
import { cell, code, details, table, text } from "../shared/markdown.js";
import type { LeftoverReport } from "./leftovers.js";
import type { NamespaceCondition } from "./namespace-api.js";

export type Result = "deleted" | "already-absent" | "forced" | "dry-run";

/** What the summary can show: a result, or a namespace left Terminating with force off. */
export type Shown = Result | "still-terminating";

export interface CleanupReport {
  namespace: string;
  result: Shown;
  durationSeconds: number;
  leftovers?: LeftoverReport;
  /** The controller's conditions that were True when forcing. */
  conditions?: NamespaceCondition[];
}

const DESCRIPTION: Record<Shown, string> = {
  deleted: "deleted",
  "already-absent": "already absent",
  forced: "forced (finalizers cleared)",
  "dry-run": "dry run: nothing deleted",
  "still-terminating": "still Terminating (force is off)",
};

export function renderSummary(report: CleanupReport): string {
  const items = report.leftovers?.items ?? [];
  const parts = [
    `### Namespace cleanup\n\n`,
    table(
      ["Namespace", "Result", "Duration", "Leftovers"],
      [
        [
          code(report.namespace),
          cell(DESCRIPTION[report.result]),
          `${report.durationSeconds} s`,
          String(items.length + (report.leftovers?.omitted ?? 0)),
        ],
      ],
    ),
  ];
  if (report.conditions?.length) {
    parts.push(
      "\n",
      ...report.conditions.map(
        (c) => `- **${text(c.type)}**: ${text(c.message ?? c.reason ?? "")}\n`,
      ),
    );
  }
  if (items.length > 0) {
    const rows = items.map((i) => [
      cell(i.kind),
      code(i.name),
      cell(i.apiVersion),
      cell((i.finalizers ?? []).join(", ")),
    ]);
    const more = report.leftovers?.omitted ? `\n…and ${report.leftovers.omitted} more.\n` : "";
    parts.push(
      "\n",
      details(
        `Left in the namespace when forcing (${items.length})`,
        table(["Kind", "Name", "API version", "Finalizers"], rows) + more,
      ),
    );
  }
  if (report.leftovers?.unreadable.length) {
    parts.push(`\nCould not list: ${report.leftovers.unreadable.map(text).join(", ")}\n`);
  }
  return parts.join("");
}
