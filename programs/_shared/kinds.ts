import * as pulumi from "@pulumi/pulumi";
import { parseStackName, type StackKind } from "../../components/stack.js";

/** The current stack's kind, refused with a clear message if this program does not run as it. */
export function currentStack(program: string, allowed: readonly StackKind["kind"][]): StackKind {
  const kind = parseStackName(pulumi.getStack());
  if (!allowed.includes(kind.kind)) {
    throw new Error(
      `program ${program} does not run as a ${kind.kind} stack ('${kind.stack}'); use one of: ${allowed.join(", ")}`,
    );
  }
  return kind;
}
