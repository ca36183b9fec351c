/**
 * The checks that run before anything touches the cluster: a namespace this action may
 * never delete, whatever the pattern says, and the name pattern itself.
 */
import { ActionError } from "../shared/errors.js";
import type { RequiredLabel } from "./inputs.js";

/** Namespaces a cluster cannot live without. */
const PROTECTED_NAMESPACES: readonly string[] = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
];

function refused(namespace: string, why: string): ActionError {
  return new ActionError(
    `Refusing to delete namespace '${namespace}': ${why}. Nothing was deleted.`,
    {
      title: "Namespace refused",
    },
  );
}

export function checkName(namespace: string, allowed: RegExp): void {
  if (PROTECTED_NAMESPACES.includes(namespace)) {
    throw refused(namespace, "it is a system namespace");
  }
  // The input wraps the pattern as ^(?:...)$; show the user's own text.
  const pattern = allowed.source.slice(4, -2);
  if (!allowed.test(namespace)) {
    throw refused(namespace, `the name does not match allowed-pattern '${pattern}'`);
  }
}

export function checkLabel(
  namespace: string,
  labels: Record<string, string> | undefined,
  required: RequiredLabel | undefined,
): void {
  if (!required) return;
  const actual = labels?.[required.key];
  if (actual === required.value) return;
  const found = actual === undefined ? "it has no such label" : `it has ${required.key}=${actual}`;
  throw refused(
    namespace,
    `required-label ${required.key}=${required.value} is not on the namespace (${found})`,
  );
}
