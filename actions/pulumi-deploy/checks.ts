/** Checks across inputs, made before anything runs; each message completes "Input 'x' ...". */
import { statSync } from "node:fs";
import { resolve } from "node:path";
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
  if (!statSync(resolve(i.workDir), { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`Input 'work-dir' must be an existing directory, got '${i.workDir}'`);
  }
  if (i.removeStack && i.command !== "destroy") {
    problems.push(
      `Input 'remove-stack' only applies to command 'destroy', got command '${i.command}'`,
    );
  }
  return problems;
}
