import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { describeIssues } from "../../components/args.js";
import type { VerifiedStackReference } from "../../components/stack.js";

/** The outputs with the secret ones kept as secret Outputs: they never become plain values. */
export type KeptSecret<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: undefined extends T[P]
    ? pulumi.Output<NonNullable<T[P]>> | undefined
    : pulumi.Output<T[P]>;
};

/**
 * Reads a referenced stack's outputs and validates them, so a wrong or half-deployed stack
 * fails with its name and the offending output instead of deploying against garbage.
 *
 * Read with `getOutputDetails`: `getOutputValue` throws on every secret output of a real
 * backend. The outputs named in `secrets` come back as secret Outputs; any other output the
 * stack marks secret is refused, since a plain value would unwrap it.
 */
export async function readStackOutputs<
  S extends z.ZodObject,
  K extends keyof z.output<S> & string = never,
>(
  reference: VerifiedStackReference,
  schema: S,
  secrets: readonly K[] = [],
): Promise<KeptSecret<z.output<S>, K>> {
  const keys = Object.keys(schema.shape);
  const details = await Promise.all(keys.map((key) => reference.getOutputDetails(key)));
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  keys.forEach((key, i) => {
    const { value, secretValue } = details[i] ?? {};
    if (secretValue !== undefined && secretValue !== null) {
      if (!(secrets as readonly string[]).includes(key)) {
        throw new Error(
          `stack ${reference.stackName} output '${key}' is a secret where a plain value is expected`,
        );
      }
      secretKeys.add(key);
      raw[key] = secretValue;
    } else if (value !== undefined && value !== null) {
      raw[key] = value;
    }
  });
  const result = schema.safeParse(raw);
  if (!result.success) {
    // Issues name fields and rules; zod messages here never quote the secret values.
    throw new Error(
      `stack ${reference.stackName} has unusable outputs: ${describeIssues(result.error)}`,
    );
  }
  const values: Record<string, unknown> = { ...result.data };
  for (const key of secrets) {
    if (values[key] !== undefined) values[key] = pulumi.secret(values[key]);
  }
  return values as KeptSecret<z.output<S>, K>;
}

/** The org-qualified name of a stack in a project (this one or another) of the same org. */
export function siblingStack(project: string, stack: string): string {
  return `${pulumi.getOrganization()}/${project}/${stack}`;
}
