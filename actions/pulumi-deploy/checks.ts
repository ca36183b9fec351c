/** Checks across inputs, made before anything runs; each message completes "Input 'x' ...". */
import { statSync } from "node:fs";
import { resolve } from "node:path";
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
  if (!statSync(resolve(i.workDir), { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`Input 'work-dir' must be an existing directory, got '${i.workDir}'`);
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
