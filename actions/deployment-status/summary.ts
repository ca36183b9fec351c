/** The job summary of each step: what a reader of the run wants to see at a glance. */
import { cell, code, linkTarget, table } from "../shared/markdown.js";

export interface DeploymentReport {
  environment: string;
  deploymentId: number | bigint;
  state: string;
  ref: string;
  environmentUrl?: string;
  logUrl?: string;
  reused: boolean;
}

const link = (url: string | undefined) => (url ? `[${cell(url)}](${linkTarget(url)})` : "—");

export function deploymentSummary(report: DeploymentReport): string {
  const rows = [
    ["Environment", code(report.environment)],
    [
      "Deployment",
      `${report.deploymentId}${report.reused ? " (reused: created earlier by this run)" : ""}`,
    ],
    ["State", `**${cell(report.state)}**`],
    ["Ref", code(report.ref)],
    ["URL", link(report.environmentUrl)],
    ["Log", link(report.logUrl)],
  ];
  return `### Deployment to ${code(report.environment)}: ${cell(report.state)}\n\n${table(["", ""], rows)}`;
}

export interface DeactivationReport {
  environment: string;
  total: number;
  deactivated: number;
  environmentOutcome: "kept" | "deleted" | "absent" | "forbidden";
}

const OUTCOME: Record<DeactivationReport["environmentOutcome"], string> = {
  kept: "kept (delete-environment is false)",
  deleted: "deleted",
  absent: "already gone",
  forbidden: "kept: the token has no admin rights to delete it",
};

export function deactivationSummary(report: DeactivationReport): string {
  const rows = [
    ["Environment", code(report.environment)],
    ["Deployments", String(report.total)],
    ["Marked inactive now", String(report.deactivated)],
    ["Already inactive", String(report.total - report.deactivated)],
    ["Environment deletion", OUTCOME[report.environmentOutcome]],
  ];
  return `### Environment ${code(report.environment)} deactivated\n\n${table(["", ""], rows)}`;
}
