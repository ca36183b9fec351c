import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** The four kinds of stack a program is run as, derived from the stack name. */
export type StackKind =
  | { kind: "local" | "dev" | "production"; stack: string }
  | { kind: "preview"; stack: string; prNumber: number };

const PREVIEW = /^pr-([1-9][0-9]*)$/;

export function parseStackName(stack: string): StackKind {
  if (stack === "local" || stack === "dev" || stack === "production") return { kind: stack, stack };
  const match = PREVIEW.exec(stack);
  if (match?.[1] !== undefined) return { kind: "preview", stack, prNumber: Number(match[1]) };
  throw new Error(
    `stack '${stack}' is not a known stack kind: use local, dev, production or pr-<N> (N a pull request number)`,
  );
}

/**
 * `org/project/stack`: a bare stack name silently resolves against the wrong org (seed bug 8).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const qualifiedStackName = z
  .string()
  .regex(
    /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    "must be an org-qualified stack reference: <org>/<project>/<stack>",
  );

/** A StackReference whose name is validated up front and whose outputs must exist. */
export class VerifiedStackReference extends pulumi.StackReference {
  /** The validated `org/project/stack`. */
  readonly stackName: string;

  constructor(name: string, reference: string, opts?: pulumi.CustomResourceOptions) {
    const result = qualifiedStackName.safeParse(reference);
    if (!result.success) {
      throw new Error(
        `stack reference '${reference}' ${result.error.issues[0]?.message ?? "is invalid"}`,
      );
    }
    super(name, { name: result.data }, opts);
    this.stackName = result.data;
  }

  /** Like requireOutput, with a message naming the referenced stack. */
  need<T>(key: string): pulumi.Output<T> {
    return this.getOutput(key).apply((value: unknown) => {
      if (value === undefined || value === null) {
        throw new Error(`stack '${this.stackName}' has no output '${key}'; deploy it first`);
      }
      return value as T;
    }) as pulumi.Output<T>;
  }
}
