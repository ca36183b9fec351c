import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, labels, parseArgs, typeToken } from "../args.js";
import { explicitProvider } from "./provider.js";

const quantity = z.string().min(1);

const appNamespaceArgs = z.strictObject({
  provider: explicitProvider,
  name: dnsLabel,
  labels: labels.default({}),
  /** Use a namespace that already exists instead of creating it (it is never deleted). */
  adopt: z.boolean().default(false),
  /** Refuse to delete the namespace, and everything in it, on destroy. */
  protect: z.boolean().default(false),
  quota: z
    .strictObject({
      "requests.cpu": quantity,
      "requests.memory": quantity,
      "limits.cpu": quantity,
      "limits.memory": quantity,
      pods: z.int().positive().optional(),
    })
    .optional(),
  /** Defaults applied by the API server to containers that set no resources. */
  limitRange: z
    .strictObject({
      defaultRequest: z.strictObject({ cpu: quantity, memory: quantity }),
      default: z.strictObject({ cpu: quantity, memory: quantity }),
    })
    .optional(),
  /** Default-deny ingress, admitting only this namespace, these namespaces and CIDRs. */
  networkPolicy: z
    .strictObject({
      allowFromNamespaces: z.array(input(z.string())).default([]),
      allowFromCidrs: z.array(z.string()).default([]),
    })
    .optional(),
});

export type AppNamespaceArgs = z.input<typeof appNamespaceArgs>;

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "preview-kit" } as const;

/** A namespace owned by the application stack, with optional quota, limits and isolation. */
export class AppNamespace extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "AppNamespace");
  readonly name: pulumi.Output<string>;
  /** Whether a ResourceQuota applies: workloads placed here must then size every container. */
  readonly hasQuota: boolean;

  constructor(name: string, rawArgs: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(AppNamespace.type, name, appNamespaceArgs, rawArgs);
    super(AppNamespace.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };

    const namespace = args.adopt
      ? k8s.core.v1.Namespace.get(name, args.name, { ...child, protect: args.protect })
      : new k8s.core.v1.Namespace(
          name,
          { metadata: { name: args.name, labels: { ...args.labels, ...MANAGED_BY } } },
          { ...child, protect: args.protect },
        );
    const inNamespace = { ...child, dependsOn: [namespace] };

    if (args.quota) {
      new k8s.core.v1.ResourceQuota(
        `${name}-quota`,
        {
          metadata: { name: "quota", namespace: args.name },
          spec: {
            hard: Object.fromEntries(
              Object.entries(args.quota).map(([resource, value]) => [resource, String(value)]),
            ),
          },
        },
        inNamespace,
      );
    }
    if (args.limitRange) {
      new k8s.core.v1.LimitRange(
        `${name}-limits`,
        {
          metadata: { name: "limits", namespace: args.name },
          spec: { limits: [{ type: "Container", ...args.limitRange }] },
        },
        inNamespace,
      );
    }
    if (args.networkPolicy) {
      const namespaces = [args.name, ...args.networkPolicy.allowFromNamespaces];
      new k8s.networking.v1.NetworkPolicy(
        `${name}-default-deny`,
        {
          metadata: { name: "default-deny-ingress", namespace: args.name },
          spec: {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [
                  ...namespaces.map((ns) => ({
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
                  })),
                  ...args.networkPolicy.allowFromCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ],
              },
            ],
          },
        },
        inNamespace,
      );
    }

    // Carries the dependency on the namespace, and works for adopted ones (no metadata read).
    this.name = namespace.id.apply(() => args.name);
    this.hasQuota = args.quota !== undefined;
    this.registerOutputs({ name: this.name });
  }
}

/** Where a workload goes: an AppNamespace, or a namespace name with its quota status stated. */
export const namespaceTarget = z.union([
  z.instanceof(AppNamespace),
  z.strictObject({ name: input(z.string()), hasQuota: z.boolean() }),
]);

export function resolveNamespace(target: z.infer<typeof namespaceTarget>): {
  name: pulumi.Input<string>;
  hasQuota: boolean;
} {
  return target instanceof AppNamespace
    ? { name: target.name, hasQuota: target.hasQuota }
    : { name: target.name as pulumi.Input<string>, hasQuota: target.hasQuota };
}
