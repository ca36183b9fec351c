/** Checks across inputs, made before anything runs; each message completes "Input 'x' ...". */
import { resolve } from "node:path";
import { confinedPath } from "../shared/paths.js";
import { isPulumiCloud } from "../shared/pulumi/backend.js";
import { qualifiedStack } from "../shared/schemas.js";
import type { Inputs } from "../shared/inputs.js";
import type { inputs } from "./inputs.js";

export type DeployInputs = Inputs<typeof inputs>;

/** `backend`: what the CLI will use (see shared/pulumi/backend.ts), undefined for Pulumi Cloud. */
export function crossInputProblems(i: DeployInputs, backend: string | undefined): string[] {
  const problems: string[] = [];
  if (isPulumiCloud(backend) && !qualifiedStack.test(i.stackName)) {
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
  // The real CLI destroys only the targets and then keeps the stack, exiting 0.
  if (i.removeStack && i.target.length > 0) {
    problems.push(
      "Input 'remove-stack' cannot be combined with 'target': `pulumi destroy --remove --target` keeps the stack",
    );
  }
  return problems;
}
