import { parseStackName } from "./stack.js";

/** The tags on every AWS resource; previews also carry what the nightly reaper looks for. */
export interface StandardTagsArgs {
  project: string;
  /** The stack name: local, dev, production or pr-<N>. */
  stack: string;
  costCenter?: string;
}

export function standardTags(args: StandardTagsArgs): Record<string, string> {
  const kind = parseStackName(args.stack);
  const tags: Record<string, string> = {
    Project: args.project,
    ManagedBy: "Pulumi",
    Environment: args.stack,
    DeploymentType: kind.kind,
    CostCenter: args.costCenter ?? (kind.kind === "preview" ? "previews" : args.stack),
  };
  if (kind.kind === "preview") {
    tags.AutoShutdown = "true";
    tags.PullRequest = String(kind.prNumber);
  }
  return tags;
}
