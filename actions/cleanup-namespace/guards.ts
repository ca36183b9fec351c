/**
 * The checks that run before anything is deleted: namespaces this action may never delete,
 * whatever the pattern says, the name pattern, and the label the namespace must carry.
 */
import { ActionError } from "../shared/errors.js";
import type { RequiredLabel } from "./inputs.js";
import type { NamePattern } from "./name-pattern.js";

/**
 * What a cluster or its platform cannot live without: `default`, every `kube-*` (the API
 * server's and add-ons' own, kube-system, kube-public, kube-node-lease...) and OpenShift's
 * reserved `openshift` and `openshift-*`. Everything else shared (ingress-nginx,
 * cert-manager, a preview-shared database) is kept out by required-label.
 */
function isSystemNamespace(name: string): boolean {
  return (
    name === "default" ||
    name === "openshift" ||
    name.startsWith("kube-") ||
    name.startsWith("openshift-")
  );
}

function refused(namespace: string, why: string): ActionError {
  return new ActionError(
    `Refusing to delete namespace '${namespace}': ${why}. Nothing was deleted.`,
    { title: "Namespace refused" },
  );
}

export function checkName(namespace: string, allowed: NamePattern): void {
  if (isSystemNamespace(namespace)) throw refused(namespace, "it is a system namespace");
  if (!allowed.matches(namespace))
    throw refused(namespace, `the name does not match allowed-pattern '${allowed.source}'`);
}

export function checkLabel(
  namespace: string,
  labels: Record<string, string> | undefined,
  required: RequiredLabel,
): void {
  const actual = labels?.[required.key];
  if (actual !== undefined && (required.value === undefined || actual === required.value)) return;
  const wanted = required.value === undefined ? required.key : `${required.key}=${required.value}`;
  const found = actual === undefined ? "it has no such label" : `it has ${required.key}=${actual}`;
  throw refused(namespace, `required-label ${wanted} is not on the namespace (${found})`);
}
