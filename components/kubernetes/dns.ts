import { z } from "zod";

/**
 * A Service reached from another namespace needs its cluster FQDN (seed bug 5).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const clusterFqdn = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc\.cluster\.local$/,
    "must be a cluster FQDN like db.default.svc.cluster.local (short names do not resolve across namespaces)",
  );

export function serviceFqdn(service: string, namespace: string): string {
  return clusterFqdn.parse(`${service}.${namespace}.svc.cluster.local`);
}
