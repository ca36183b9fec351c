/**
 * The namespace operations the cleanup needs, with the API's answers turned into
 * outcomes (absent, already terminating) or into one ActionError that says what to do.
 */
import { ActionError } from "../shared/errors.js";
import { info } from "../shared/runner.js";
import type { KubeClient, KubeResponse, KubeStatus } from "../shared/kube/client.js";
import { rbacRule, type Permission } from "./permissions.js";

export interface NamespaceCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Namespace {
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
  };
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

const path = (name: string) => `/api/v1/namespaces/${encodeURIComponent(name)}`;

function statusMessage(response: KubeResponse): string {
  const body = response.body as KubeStatus | string | undefined;
  if (typeof body === "object" && body?.message) return body.message;
  if (typeof body === "string" && body.trim()) return body.trim().split("\n")[0]!.slice(0, 200);
  return `HTTP ${response.status}`;
}

/** 401/403 and anything unexpected, as an error that names the fix. */
function apiError(response: KubeResponse, what: string, permission: Permission): ActionError {
  if (response.status === 403) {
    // The API's own words name the user; the annotation stays the one line with the fix.
    info(`Kubernetes API: ${statusMessage(response)}`);
    return new ActionError(
      `Forbidden to ${what}: the kubeconfig's user needs the RBAC permission ${rbacRule(permission)}`,
      { title: "Kubernetes RBAC" },
    );
  }
  if (response.status === 401) {
    return new ActionError(
      `The Kubernetes API rejected the kubeconfig's credentials (401 Unauthorized) when trying to ${what}: the token is invalid or expired`,
      {
        title: "Kubernetes credentials",
      },
    );
  }
  return new ActionError(`Failed to ${what}: ${statusMessage(response)}`, {
    title: "Kubernetes API error",
  });
}

export async function getNamespace(
  client: KubeClient,
  name: string,
): Promise<Namespace | undefined> {
  const response = await client.request<Namespace>("GET", path(name));
  if (response.status === 404) return undefined;
  if (response.status !== 200)
    throw apiError(response, `read namespace '${name}'`, {
      verb: "get",
      resource: "namespaces",
      task: "read",
    });
  return response.body;
}

/** One namespace, the one the guards checked: same name and same uid. */
export interface Checked {
  name: string;
  uid: string;
}

/** Absent, or replaced by a namespace of the same name (a new uid): either way, ours is gone. */
export const isGone = (namespace: Namespace | undefined, checked: Checked) =>
  namespace === undefined || namespace.metadata.uid !== checked.uid;

/** A namespace that appeared under the checked name is never touched. */
function replaced(checked: Checked): ActionError {
  return new ActionError(
    `Namespace '${checked.name}' was replaced by a new one (its uid changed) after it was checked: the new namespace is left alone`,
    { title: "Namespace replaced" },
  );
}

/**
 * `deleted`: deletion started now; `terminating`: it already was; `absent`: nothing to
 * delete. The uid precondition makes the API server refuse (409) to delete a namespace
 * recreated since the check, and a 409 is believed only with a deletionTimestamp: an
 * Active namespace answering 409 (a webhook, a proxy) is reported, never forced.
 */
export async function deleteNamespace(
  client: KubeClient,
  checked: Checked,
): Promise<"deleted" | "terminating" | "absent"> {
  const { name } = checked;
  const response = await client.request("DELETE", path(name), {
    kind: "DeleteOptions",
    apiVersion: "v1",
    propagationPolicy: "Background",
    preconditions: { uid: checked.uid },
  });
  if (response.status === 200 || response.status === 202) return "deleted";
  if (response.status === 404) return "absent";
  if (response.status === 409) {
    const current = await getNamespace(client, name);
    if (current === undefined) return "absent";
    if (current.metadata.uid !== checked.uid) throw replaced(checked);
    if (current.metadata.deletionTimestamp) return "terminating";
    throw new ActionError(
      `Deleting namespace '${name}' answered 409 Conflict (${statusMessage(response)}) but the namespace is not being deleted (no deletionTimestamp): nothing was forced`,
      { title: "Namespace not deleted" },
    );
  }
  throw apiError(response, `delete namespace '${name}'`, {
    verb: "delete",
    resource: "namespaces",
    task: "delete",
  });
}

/**
 * Clears `spec.finalizers` through the `finalize` subresource, based on the latest read
 * so a concurrent status update (409 Conflict) is retried rather than overwritten. Only
 * the checked namespace, and only once it is being deleted. Returns false when it was
 * already gone.
 */
export async function finalizeNamespace(client: KubeClient, checked: Checked): Promise<boolean> {
  const { name } = checked;
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getNamespace(client, name);
    if (current === undefined) return false;
    if (current.metadata.uid !== checked.uid) throw replaced(checked);
    if (!current.metadata.deletionTimestamp) {
      throw new ActionError(
        `Namespace '${name}' is not being deleted (no deletionTimestamp): its finalizers are left alone`,
        { title: "Namespace not deleted" },
      );
    }
    const response = await client.request("PUT", `${path(name)}/finalize`, {
      kind: "Namespace",
      apiVersion: "v1",
      // The uid too: the API server refuses an update whose uid is not the stored one.
      metadata: { name, uid: checked.uid, resourceVersion: current.metadata.resourceVersion },
      spec: { finalizers: [] },
    });
    if (response.status === 200 || response.status === 201) return true;
    if (response.status === 404) return false;
    if (response.status === 409) continue;
    throw apiError(response, `clear the finalizers of namespace '${name}'`, {
      verb: "update",
      resource: "namespaces",
      subresource: "finalize",
      task: "clear the finalizers of",
    });
  }
  throw new ActionError(
    `Could not clear the finalizers of namespace '${name}': it kept changing (409 Conflict five times)`,
    { title: "Kubernetes API error" },
  );
}
