/**
 * What a program run under mocks (test/support/pulumi-mocks.ts) registered, as the objects the
 * Kubernetes provider would send: for suites that send them to the real API server themselves,
 * with whichever identity is under test.
 */
import type { ControlPlane } from "./control-plane.js";
import type { RecordedResource } from "./pulumi-mocks.js";

/** `kubernetes:apps/v1:Deployment` → where the API serves it, and the object to send. */
export function toObject(resource: RecordedResource): {
  path: string;
  body: Record<string, unknown>;
} {
  const [, groupVersion = "", kind = ""] = resource.type.split(":");
  const [group, version] = groupVersion.split("/");
  const lower = kind.toLowerCase();
  const plural = lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  const base = group === "core" ? `/api/${version}` : `/apis/${group}/${version}`;
  const metadata = resource.inputs.metadata as { name?: string; namespace?: string } | undefined;
  const namespace = metadata?.namespace;
  return {
    path: namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`,
    body: {
      ...resource.inputs,
      apiVersion: group === "core" ? version : groupVersion,
      kind,
      // Auto-named objects get the mocks' name, which the others' references use.
      metadata: { ...metadata, name: metadata?.name ?? `${resource.name}-abc123` },
    },
  };
}

/** Namespaces first, RoleBindings next (the deployer's rights), then the rest, as Pulumi orders them. */
export function ordered(resources: RecordedResource[]): RecordedResource[] {
  const rank = (r: RecordedResource) =>
    r.type.endsWith(":Namespace") ? 0 : r.type.endsWith(":RoleBinding") ? 1 : 2;
  return resources
    .filter((r) => r.type.startsWith("kubernetes:") && !r.readId)
    .sort((a, b) => rank(a) - rank(b));
}

/** Sends `method path body` as the cluster admin; throws unless the API server accepts it. */
export async function mustAdmin(
  plane: ControlPlane,
  method: string,
  path: string,
  body: object,
): Promise<void> {
  const response = await plane.admin<{ message?: string }>(method, path, body);
  if (response.status >= 300)
    throw new Error(`${method} ${path}: HTTP ${response.status} ${response.body?.message}`);
}

/**
 * The platform as the admin installs it: the base program's objects, and what no preview
 * identity may reach, a ConfigMap in kube-system and the database admin's Secret in `shared`.
 */
export async function installPlatform(
  plane: ControlPlane,
  base: RecordedResource[],
  shared: string,
): Promise<void> {
  for (const resource of ordered(base)) {
    const { path, body } = toObject(resource);
    await mustAdmin(plane, "POST", path, body);
  }
  await mustAdmin(plane, "POST", "/api/v1/namespaces/kube-system/configmaps", {
    metadata: { name: "platform" },
  });
  await mustAdmin(plane, "POST", `/api/v1/namespaces/${shared}/secrets`, {
    metadata: { name: "postgres-admin" },
    stringData: { PGPASSWORD: "the-admin-password" },
  });
}
