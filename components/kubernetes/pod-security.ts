import type * as k8s from "@pulumi/kubernetes";
import { z } from "zod";

/**
 * The Pod Security Standards levels the API server's built-in admission enforces per namespace
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** @internal Typed with zod: kept out of the published declarations (stripInternal). */
export const podSecurityLevel = z.enum(["restricted", "baseline", "privileged"]);

/** @internal Typed with zod: kept out of the published declarations (stripInternal). */
export const podSecurity = z.strictObject({
  level: podSecurityLevel,
  /** `latest`, or the Kubernetes minor version whose rules to apply, e.g. `v1.33`. */
  version: z
    .string()
    .regex(/^(latest|v1\.[0-9]+)$/, "must be 'latest' or a version such as 'v1.33'")
    .default("latest"),
});

/** Which Pod Security Standard a namespace enforces, warns about and audits. */
export interface NamespacePodSecurity {
  /**
   * `restricted` (the default for namespaces AppNamespace creates): the kit's workloads pass it.
   * `baseline` blocks known privilege escalations but lets containers run as root (what a
   * controller's pods or a database image may need); `privileged` enforces nothing.
   */
  level: PodSecurityLevel;
  /** The rules of which Kubernetes version: `latest` (default) or e.g. `v1.33`, to pin them. */
  version?: string;
}

/**
 * The labels the Pod Security admission reads: enforce refuses a pod that breaks the level;
 * warn (shown to the client, e.g. in `pulumi up`) and audit (the audit log) at the same level
 * name the workload templates (Deployments, Jobs) that would, before their pods are refused.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function podSecurityLabels(policy: z.output<typeof podSecurity>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "warn", "audit"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = policy.level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = policy.version;
  }
  return labels;
}

/** @internal Typed with zod: kept out of the published declarations (stripInternal). */
export const workloadSecurityContext = z.strictObject({
  // 0 is root, which `restricted` refuses (runAsNonRoot would stop it at the kubelet anyway).
  runAsUser: z.int().min(1).optional(),
  runAsGroup: z.int().min(0).optional(),
  fsGroup: z.int().min(0).optional(),
});

/** The user and groups a workload's pods run as; the image decides wherever unset. */
export interface WorkloadSecurityContext {
  /**
   * A numeric user other than 0. Needed where the image's `USER` is root or a name (the kubelet
   * cannot check that a name is not root, so it refuses to start the container).
   */
  runAsUser?: number;
  /** The primary group. */
  runAsGroup?: number;
  /** The group that owns mounted volumes, so a non-root user can write to them. */
  fsGroup?: number;
}

/**
 * A pod that passes the `restricted` standard: never root, the runtime's default seccomp
 * profile, and no service-account token mounted (the app's pods do not call the API server;
 * a token would let code running in a preview act as its ServiceAccount).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function restrictedPod(
  identity: z.output<typeof workloadSecurityContext> = {},
  options: { serviceAccountToken?: boolean } = {},
): Pick<k8s.types.input.core.v1.PodSpec, "automountServiceAccountToken" | "securityContext"> {
  return {
    automountServiceAccountToken: options.serviceAccountToken ?? false,
    securityContext: {
      runAsNonRoot: true,
      ...identity,
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/**
 * Each container of a restricted pod: no privilege escalation (setuid binaries) and no Linux
 * capabilities at all.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const RESTRICTED_CONTAINER: k8s.types.input.core.v1.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
};
