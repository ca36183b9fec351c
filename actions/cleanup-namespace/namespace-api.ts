/**
 * The namespace operations the cleanup needs, with the API's answers turned into
 * outcomes (absent, already terminating) or into one ActionError that says what to do.
 */
import { ActionError } from "../shared/errors.js";
import { info } from "../shared/runner.js";
import type { KubeClient, KubeResponse, KubeStatus } from "../shared/kube/client.js";

export interface NamespaceCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Namespace {
  metadata: {
    name: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
  };
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

/** What RBAC must allow for each call, for the one-line 403 message. */
interface Permission {
  verb: string;
  resource: string;
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
      `Forbidden to ${what}: the kubeconfig's user needs the RBAC permission verbs ["${permission.verb}"] on resources ["${permission.resource}"] in apiGroups [""] (cluster scope, e.g. a ClusterRole)`,
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
    throw apiError(response, `read namespace '${name}'`, { verb: "get", resource: "namespaces" });
  return response.body;
}

/** `deleted`: deletion started now; `terminating`: it already was; `absent`: nothing to delete. */
export async function deleteNamespace(
  client: KubeClient,
  name: string,
): Promise<"deleted" | "terminating" | "absent"> {
  const response = await client.request("DELETE", path(name), {
    kind: "DeleteOptions",
    apiVersion: "v1",
    propagationPolicy: "Background",
  });
  if (response.status === 200 || response.status === 202) return "deleted";
  if (response.status === 404) return "absent";
  // 409 is what the API server answers while a namespace is already being purged.
  if (response.status === 409) return "terminating";
  throw apiError(response, `delete namespace '${name}'`, {
    verb: "delete",
    resource: "namespaces",
  });
}

/**
 * Clears `spec.finalizers` through the `finalize` subresource, based on the latest read
 * so a concurrent status update (409 Conflict) is retried rather than overwritten.
 * Returns false when the namespace was already gone.
 */
export async function finalizeNamespace(client: KubeClient, name: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getNamespace(client, name);
    if (!current) return false;
    const response = await client.request("PUT", `${path(name)}/finalize`, {
      kind: "Namespace",
      apiVersion: "v1",
      metadata: { name, resourceVersion: current.metadata.resourceVersion },
      spec: { finalizers: [] },
    });
    if (response.status === 200 || response.status === 201) return true;
    if (response.status === 404) return false;
    if (response.status === 409) continue;
    throw apiError(response, `clear the finalizers of namespace '${name}'`, {
      verb: "update",
      resource: "namespaces/finalize",
    });
  }
  throw new ActionError(
    `Could not clear the finalizers of namespace '${name}': it kept changing (409 Conflict five times)`,
    {
      title: "Kubernetes API error",
    },
  );
}
