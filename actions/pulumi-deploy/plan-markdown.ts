/**
 * The plan or result as markdown for preview-comment: a table of resource changes and a
 * diff, both bounded so a huge stack cannot break a PR comment (GitHub caps them at 65,536
 * characters); whatever is cut is counted. Callers pass a Plan whose values are redacted.
 */
import { cell, code, table, text } from "../shared/markdown.js";
import type { Change, Counts, Plan } from "./plan.js";

export const LIMITS = { rows: 100, diffLines: 200, diffChars: 20_000 };

const SYMBOL: Record<string, string> = { create: "+", delete: "-", update: "~", replace: "+-" };
const VERB: Record<keyof Counts, string> = {
  create: "to create",
  update: "to update",
  delete: "to delete",
  replace: "to replace",
  same: "unchanged",
};
const DONE: Record<keyof Counts, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  same: "unchanged",
};

export function countsLine(counts: Counts, planned: boolean): string {
  const words = planned ? VERB : DONE;
  return (Object.keys(words) as (keyof Counts)[])
    .map((op) =>
      counts[op] > 0 && op !== "same"
        ? `**${counts[op]}** ${words[op]}`
        : `${counts[op]} ${words[op]}`,
    )
    .join(" · ");
}

function changeTable(changes: readonly Change[]): string {
  const shownRows = changes.slice(0, LIMITS.rows);
  const rows = shownRows.map((c) => [
    `${SYMBOL[c.op] ?? ""} ${cell(c.op)}`.trim(),
    code(c.type),
    cell(c.name),
  ]);
  const rest = changes.length - shownRows.length;
  return (
    table(["op", "type", "name"], rows) +
    (rest > 0 ? `\n_…and ${rest} more resources, not listed._\n` : "")
  );
}

/** The diff lines, cut at whichever of the line and character caps comes first. */
export function boundedDiff(changes: readonly Change[]): {
  body: string;
  cut: number;
  total: number;
} {
  const lines = changes.flatMap((c) => [
    `${SYMBOL[c.op] ?? "~"} ${c.type} ${c.name} (${c.op})`,
    ...c.diff,
  ]);
  const kept: string[] = [];
  let chars = 0;
  for (const line of lines) {
    if (kept.length >= LIMITS.diffLines || chars + line.length + 1 > LIMITS.diffChars) break;
    kept.push(line);
    chars += line.length + 1;
  }
  return { body: kept.join("\n"), cut: lines.length - kept.length, total: lines.length };
}

export function renderPlan(options: {
  command: string;
  stack: string;
  plan: Plan;
  failed?: string;
}): string {
  const { command, stack, plan } = options;
  const planned = command === "preview";
  const parts = [
    `### Pulumi ${text(command)} of ${code(stack)}${options.failed ? " failed" : ""}\n`,
  ];
  if (options.failed) parts.push(`> ${text(options.failed)}\n`);
  parts.push(`${countsLine(plan.counts, planned)}\n`);
  if (plan.changes.length === 0) {
    parts.push(planned ? "No changes.\n" : "No resources changed.\n");
    return parts.join("\n");
  }
  parts.push(changeTable(plan.changes));
  const diff = boundedDiff(plan.changes);
  // A fence longer than any backtick run inside keeps the diff from closing it early.
  const fence = "`".repeat(
    Math.max(3, ...[...diff.body.matchAll(/`+/g)].map((m) => m[0].length + 1)),
  );
  const cut = diff.cut > 0 ? `\n_Diff cut: ${diff.cut} of ${diff.total} lines not shown._\n` : "";
  // Plain markdown, no <details>: preview-comment collapses the whole plan itself and
  // escapes HTML in what it is given.
  parts.push(`#### Diff (${diff.total} lines)\n\n${fence}diff\n${diff.body}\n${fence}\n${cut}`);
  return parts.join("\n");
}
