import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, labels, parseArgs, typeToken } from "../args.js";
import { explicitProvider } from "./provider.js";

const quantity = z.string().min(1);

const appNamespaceArgs = z
  .strictObject({
    provider: explicitProvider,
    name: dnsLabel,
    labels: labels.default({}),
    mode: z.enum(["create", "adopt", "skip"]).default("create"),
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
    limitRange: z
      .strictObject({
        defaultRequest: z.strictObject({ cpu: quantity, memory: quantity }),
        default: z.strictObject({ cpu: quantity, memory: quantity }),
      })
      .optional(),
    networkPolicy: z
      .strictObject({
        allowFromNamespaces: z.array(input(z.string())).default([]),
        allowFromPods: z
          .array(
            z.strictObject({
              namespace: input(z.string()),
              podLabels: labels.refine((l) => Object.keys(l).length > 0, "give at least one label"),
            }),
          )
          .default([]),
        allowFromCidrs: z.array(z.string()).default([]),
      })
      .optional(),
  })
  .refine((a) => !a.protect || a.mode === "create", {
    message:
      "protect applies only to a namespace this stack creates; an adopted or skipped namespace is never deleted",
    path: ["protect"],
  });

/** Hard limits of a namespace's ResourceQuota. */
export interface NamespaceQuota {
  /** Sum of CPU requests, e.g. `1`. */
  "requests.cpu": string;
  /** Sum of memory requests, e.g. `2Gi`. */
  "requests.memory": string;
  /** Sum of CPU limits. */
  "limits.cpu": string;
  /** Sum of memory limits. */
  "limits.memory": string;
  /** Most pods at once. */
  pods?: number;
}

/** Ingress admitted by the default-deny policy, besides the namespace's own pods. */
export interface NamespaceIngress {
  /** Namespaces all of whose pods may connect. */
  allowFromNamespaces?: pulumi.Input<string>[];
  /**
   * Pods by namespace and labels, e.g. a gateway's proxy pods: they run where the gateway
   * controller puts them (NGINX Gateway Fabric, Envoy Gateway and Cilium differ).
   */
  allowFromPods?: { namespace: pulumi.Input<string>; podLabels: Record<string, string> }[];
  /** Source ranges, e.g. the VPC's for ALB targets of type ip. */
  allowFromCidrs?: string[];
}

export interface AppNamespaceArgs {
  /** The cluster; every child goes to this provider, never to the ambient kubeconfig. */
  provider: k8s.Provider;
  /** The namespace's name (a DNS label). */
  name: string;
  /** Extra labels; `app.kubernetes.io/managed-by=preview-kit` is always set. */
  labels?: Record<string, string>;
  /**
   * `create` (default) makes the namespace. `adopt` reads an existing one and adds the labels
   * (the gateway admits routes only from namespaces labelled managed-by); it is never deleted.
   * `skip` uses it as it is, unread and unlabelled.
   */
  mode?: "create" | "adopt" | "skip";
  /** Refuse to delete the created namespace, and everything in it, on destroy. */
  protect?: boolean;
  /** Adds a ResourceQuota; workloads placed here must then size every container. */
  quota?: NamespaceQuota;
  /** Defaults the API server gives containers that set no resources. */
  limitRange?: { defaultRequest: CpuMemoryLimit; default: CpuMemoryLimit };
  /** Default-deny ingress, admitting only the namespace itself and what this lists. */
  networkPolicy?: NamespaceIngress;
}

/** CPU and memory as Kubernetes quantities. */
export interface CpuMemoryLimit {
  /** e.g. `250m`. */
  cpu: string;
  /** e.g. `256Mi`. */
  memory: string;
}

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "preview-kit" } as const;

// A brand instead of `instanceof`: a program may load two copies of this package.
const APP_NAMESPACE = Symbol.for("preview-kit:kubernetes:AppNamespace");

/** A namespace owned by the application stack, with optional quota, limits and isolation. */
export class AppNamespace extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "AppNamespace");
  readonly [APP_NAMESPACE] = true;
  readonly name: pulumi.Output<string>;
  /** Whether a ResourceQuota applies: workloads placed here must then size every container. */
  readonly hasQuota: boolean;

  static override isInstance(value: unknown): value is AppNamespace {
    return (value as Partial<Record<symbol, unknown>> | null)?.[APP_NAMESPACE] === true;
  }

  constructor(name: string, rawArgs: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(AppNamespace.type, name, appNamespaceArgs, rawArgs);
    super(AppNamespace.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const metadata = { name: args.name, labels: { ...args.labels, ...MANAGED_BY } };

    let ready: pulumi.Resource[] = [];
    if (args.mode === "create") {
      ready = [new k8s.core.v1.Namespace(name, { metadata }, { ...child, protect: args.protect })];
    } else if (args.mode === "adopt") {
      const existing = k8s.core.v1.Namespace.get(name, args.name, child);
      // Server-side apply of the labels only; destroying the stack removes just them.
      ready = [
        existing,
        new k8s.core.v1.NamespacePatch(name, { metadata }, { ...child, dependsOn: [existing] }),
      ];
    }
    const inNamespace = { ...child, dependsOn: ready };

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
      const policy = args.networkPolicy;
      const byName = (ns: pulumi.Input<string>) => ({
        matchLabels: { "kubernetes.io/metadata.name": ns },
      });
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
                  { podSelector: {} },
                  ...policy.allowFromNamespaces.map((ns) => ({
                    namespaceSelector: byName(ns as pulumi.Input<string>),
                  })),
                  ...policy.allowFromPods.map((pods) => ({
                    namespaceSelector: byName(pods.namespace as pulumi.Input<string>),
                    podSelector: { matchLabels: pods.podLabels },
                  })),
                  ...policy.allowFromCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ],
              },
            ],
          },
        },
        inNamespace,
      );
    }

    // Carries the dependency on the namespace (and its labels), without reading its metadata.
    this.name = pulumi.all(ready.map((r) => r.urn)).apply(() => args.name);
    this.hasQuota = args.quota !== undefined;
    this.registerOutputs({ name: this.name });
  }
}

/**
 * Where a workload goes: an AppNamespace, or a namespace name with its quota status stated.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const namespaceTarget = z.union([
  z.custom<AppNamespace>((value) => AppNamespace.isInstance(value), {
    message: "expected an AppNamespace",
  }),
  z.strictObject({ name: input(z.string()), hasQuota: z.boolean() }),
]);

/** An AppNamespace, or a namespace made elsewhere with whether a ResourceQuota applies. */
export type NamespaceTarget =
  | AppNamespace
  | {
      /** The namespace's name. */
      name: pulumi.Input<string>;
      /** Whether it has a ResourceQuota (every container must then be sized). */
      hasQuota: boolean;
    };

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export function resolveNamespace(target: z.output<typeof namespaceTarget>): {
  name: pulumi.Input<string>;
  hasQuota: boolean;
} {
  return AppNamespace.isInstance(target)
    ? { name: target.name, hasQuota: target.hasQuota }
    : { name: target.name as pulumi.Input<string>, hasQuota: target.hasQuota };
}
