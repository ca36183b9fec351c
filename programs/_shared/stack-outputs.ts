import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { describeIssues } from "../../components/args.js";
import type { VerifiedStackReference } from "../../components/stack.js";

/**
 * Reads a referenced stack's outputs and validates them, so a wrong or half-deployed stack
 * fails with its name and the offending output instead of deploying against garbage.
 * Values are read as plain data: callers re-wrap secrets with `pulumi.secret`.
 */
export async function readStackOutputs<S extends z.ZodObject>(
  reference: VerifiedStackReference,
  schema: S,
): Promise<z.output<S>> {
  const keys = Object.keys(schema.shape);
  const values = await Promise.all(keys.map((key) => reference.getOutputValue(key)));
  const raw = Object.fromEntries(
    keys.map((key, i) => [key, values[i] ?? undefined]).filter(([, v]) => v !== undefined),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new Error(
      `stack ${reference.stackName} has unusable outputs: ${describeIssues(result.error)}`,
    );
  }
  return result.data;
}

/** The org-qualified name of a stack in a project (this one or another) of the same org. */
export function siblingStack(project: string, stack: string): string {
  return `${pulumi.getOrganization()}/${project}/${stack}`;
}
