/** The job summary: one table per concern, names and types only (never output values). */
import { cell, code, table, text } from "../shared/markdown.js";
import type { Probe } from "./probe.js";
import type { Finding } from "./lint.js";
import type { OutputCheck } from "./required.js";

export interface Report {
  stackRef: string;
  exists: boolean;
  existingStacks?: string[];
  checks: OutputCheck[];
  kubeconfig?: { output: string; probe: Probe };
  findings: Finding[];
}

function status(check: OutputCheck): string {
  if (check.status === "present") return "✅ present";
  if (check.status === "missing") return "❌ missing";
  return `❌ wrong type: ${check.actual}`;
}

export function renderSummary(report: Report): string {
  const parts = [`### Stack reference ${code(report.stackRef)}\n`];
  if (!report.exists) {
    parts.push(`❌ The stack does not exist.`);
    if (report.existingStacks) {
      const list = report.existingStacks.map((name) => code(name)).join(", ");
      parts.push(` Stacks in this project: ${list || "none"}.`);
    }
    parts.push("\n");
  } else {
    parts.push("✅ The stack exists.\n");
  }
  if (report.checks.length > 0) {
    parts.push(
      "\n" +
        table(
          ["output", "type", "status"],
          report.checks.map((check) => [code(check.name), check.type ?? "any", status(check)]),
        ),
    );
  }
  if (report.kubeconfig) {
    const { output, probe } = report.kubeconfig;
    const result = probe.reachable
      ? `✅ reachable${probe.version ? ` (Kubernetes ${text(probe.version)})` : ""}${probe.note ? `: ${text(probe.note)}` : ""}`
      : `❌ unreachable: ${text(probe.reason)}`;
    parts.push(`\nCluster from output ${code(output)}: ${result}\n`);
  }
  if (report.findings.length > 0) {
    parts.push(
      "\n" +
        table(
          ["file", "line", "problem"],
          report.findings.map((f) => [cell(f.file), String(f.line), cell(f.message)]),
        ),
    );
  }
  return parts.join("");
}
