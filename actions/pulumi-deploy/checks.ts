/** Checks across inputs, made before anything runs; each message completes "Input 'x' ...". */
import { resolve } from "node:path";
import { confinedPath } from "../shared/paths.js";
import { qualifiedStack } from "../shared/schemas.js";
import type { Inputs } from "../shared/inputs.js";
import type { inputs } from "./inputs.js";

export type DeployInputs = Inputs<typeof inputs>;

/** The backend the CLI will use: `cloud-url`, else the job's PULUMI_BACKEND_URL, else Pulumi Cloud. */
export function backendOf(cloudUrl: string | undefined): string | undefined {
  return cloudUrl ?? (process.env.PULUMI_BACKEND_URL || undefined);
}

/** Pulumi Cloud: the default, or an http(s) URL (self-hosted Pulumi Cloud). */
function isPulumiCloud(backend: string | undefined): boolean {
  return backend === undefined || /^https?:\/\//.test(backend);
}

export function crossInputProblems(i: DeployInputs): string[] {
  const problems: string[] = [];
  if (isPulumiCloud(backendOf(i.cloudUrl)) && !qualifiedStack.test(i.stackName)) {
    problems.push(
      `Input 'stack-name' must be ORG/PROJECT/STACK for Pulumi Cloud (a bare name resolves in whichever org the token defaults to), got '${i.stackName}'`,
    );
  }
  // Folders of the checkout: never a symbolic link, never outside the workspace.
  const workDir = confinedPath(i.workDir, "directory");
  if ("problem" in workDir)
    problems.push(`Input 'work-dir' ${workDir.problem}, got '${i.workDir}'`);
  for (const [index, pack] of i.policyPacks.entries()) {
    const checked = confinedPath(resolve(i.workDir, pack), "directory");
    if ("problem" in checked) {
      problems.push(`Input 'policy-packs' line ${index + 1} ${checked.problem}, got '${pack}'`);
    }
  }
  if (i.removeStack && i.command !== "destroy") {
    problems.push(
      `Input 'remove-stack' only applies to command 'destroy', got command '${i.command}'`,
    );
  }
  return problems;
}
