/** How the demo writes: phase headers, one line per job and step, each part named real or stand-in. */
import type { JobRecord, StepRecord } from "../../test/workflow-runner/records.js";
import { annotationLines } from "../../test/workflow-runner/records.js";

const write = (text = "") => process.stdout.write(`${text}\n`);

export function heading(title: string): void {
  write();
  write(`== ${title} ${"=".repeat(Math.max(3, 86 - title.length))}`);
}

export function line(text: string): void {
  write(text);
}

/** What ran a step, as the runner recorded it: a stand-in says so in its kind. */
function part(step: StepRecord): string {
  if (step.kind === "skipped") return "skipped ";
  return step.kind.startsWith("stand-in") || step.kind.startsWith("third-party")
    ? "stand-in"
    : "real    ";
}

const MARK = { success: "ok  ", failure: "FAIL", cancelled: "CNCL", skipped: "skip" } as const;

export function job(record: JobRecord): void {
  const seconds =
    record.startedAt && record.finishedAt
      ? `${((record.finishedAt - record.startedAt) / 1000).toFixed(1)}s`
      : "";
  write(`  ${MARK[record.result]} ${record.path}  ${seconds}`);
  for (const step of record.steps)
    write(
      `         ${part(step)} ${step.name}${step.kind === "skipped" ? "" : `  [${step.kind}]`}`,
    );
  if (record.result === "failure")
    for (const text of [...annotationLines(record), ...record.log.slice(-6)])
      write(`         | ${text}`);
}
