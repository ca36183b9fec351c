/**
 * Asks the API server, before anything is deleted, whether the kubeconfig's user may do
 * what the cleanup will need (SelfSubjectAccessReview, which every authenticated user may
 * create): a token that could delete but not finalize would otherwise leave the namespace
 * half-done, Terminating and stuck.
 */
import { ActionError } from "../shared/errors.js";
import type { KubeClient } from "../shared/kube/client.js";
import { info } from "../shared/runner.js";

export interface Permission {
  verb: string;
  resource: string;
  subresource?: string;
  /** What it allows, completing "Forbidden to ... namespace 'x'". */
  task: string;
}

interface AccessReview {
  status?: { allowed?: boolean; denied?: boolean; reason?: string };
}

const shown = (p: Permission) => (p.subresource ? `${p.resource}/${p.subresource}` : p.resource);

/** The RBAC rule that grants `permission`, for the one-line message. */
export function rbacRule(permission: Permission): string {
  return `verbs ["${permission.verb}"] on resources ["${shown(permission)}"] in apiGroups [""] (cluster scope, e.g. a ClusterRole)`;
}

/**
 * Throws, naming the first permission the user lacks and the rule that grants it. An API
 * server that cannot answer the review (an old or locked-down one) is not a refusal: the
 * calls themselves then say what is missing.
 */
export async function requirePermissions(
  client: KubeClient,
  namespace: string,
  permissions: readonly Permission[],
): Promise<void> {
  for (const permission of permissions) {
    const response = await client.request<AccessReview>(
      "POST",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      {
        kind: "SelfSubjectAccessReview",
        apiVersion: "authorization.k8s.io/v1",
        spec: {
          resourceAttributes: {
            verb: permission.verb,
            group: "",
            resource: permission.resource,
            ...(permission.subresource ? { subresource: permission.subresource } : {}),
            name: namespace,
          },
        },
      },
    );
    if (response.status !== 201 && response.status !== 200) {
      info(`Could not check permissions in advance (HTTP ${response.status}); going on`);
      return;
    }
    if (response.body.status?.allowed !== true) {
      throw new ActionError(
        `Forbidden to ${permission.task} namespace '${namespace}': the kubeconfig's user needs the RBAC permission ${rbacRule(permission)}. Nothing was deleted.`,
        { title: "Kubernetes RBAC" },
      );
    }
  }
}
