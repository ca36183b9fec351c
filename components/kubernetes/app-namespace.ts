import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, labels, parseArgs, typeToken } from "../args.js";
import { PREVIEW_CLEANUP_GROUP, PREVIEW_USER_PATTERN } from "./github-identity.js";
import { podSecurity, podSecurityLabels, type NamespacePodSecurity } from "./pod-security.js";
import { explicitProvider } from "./provider.js";

const quantity = z.string().min(1);

const cidr = z
  .string()
  .regex(/^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$|^[0-9a-fA-F:]+\/[0-9]{1,3}$/, "must be a CIDR");

const egressPorts = z
  .array(
    z.strictObject({
      port: z.int().min(1).max(65535),
      protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP"),
    }),
  )
  .min(1)
  .optional();

/** @internal Typed with zod: kept out of the published declarations (stripInternal). */
export const egressRules = z.strictObject({
  allowTo: z
    .array(
      z.strictObject({
        namespace: input(z.string()),
        podLabels: labels
          .refine((l) => Object.keys(l).length > 0, "give at least one label, or omit podLabels")
          .optional(),
        ports: egressPorts,
      }),
    )
    .default([]),
  allowToCidrs: z
    .array(z.strictObject({ cidr, except: z.array(cidr).optional(), ports: egressPorts }))
    .default([]),
  dns: z
    .strictObject({
      namespace: z.string(),
      podLabels: labels.refine((l) => Object.keys(l).length > 0, "give at least one label"),
    })
    .default({ namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } }),
});

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
        egress: egressRules.optional(),
      })
      .optional(),
    podSecurity: podSecurity.optional(),
    deployer: z
      .union([
        z.strictObject({
          role: input(z.string()),
          serviceAccount: z.strictObject({ namespace: z.string(), name: z.string() }),
        }),
        z.strictObject({
          role: input(z.string()),
          user: z
            .string()
            .regex(new RegExp(PREVIEW_USER_PATTERN), "a pull request's user, preview-kit:pr:<N>"),
          cleanupRole: input(z.string()).optional(),
        }),
      ])
      .optional(),
  })
  .refine((a) => !a.deployer || a.mode === "create", {
    message: "deployer binds a preview's deployer in the namespace it creates",
    path: ["deployer"],
  })
  .refine((a) => !a.protect || a.mode === "create", {
    message:
      "protect applies only to a namespace this stack creates; an adopted or skipped namespace is never deleted",
    path: ["protect"],
  })
  .refine((a) => !a.podSecurity || a.mode !== "skip", {
    message: "podSecurity labels a namespace; a skipped one is used as it is (adopt it instead)",
    path: ["podSecurity"],
  });

/** Pod Security for a created namespace unless its args say otherwise. */
const DEFAULT_POD_SECURITY = podSecurity.parse({ level: "restricted" });

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
  /**
   * Default-deny egress too (a second policy, `default-deny-egress`): the namespace's pods
   * reach only each other, the cluster DNS and what this declares. Omit it to leave egress open.
   */
  egress?: NamespaceEgress;
}

/** Ports of an egress rule; without them every port of the peer. */
export interface EgressPort {
  /** The destination port. */
  port: number;
  /** Default `TCP`. */
  protocol?: "TCP" | "UDP" | "SCTP";
}

/** What a namespace's pods may connect to under default-deny egress, besides each other. */
export interface NamespaceEgress {
  /**
   * Pods of another namespace, e.g. a shared database:
   * `{ namespace: "preview-shared", podLabels: { "app.kubernetes.io/name": "db" }, ports: [{ port: 5432 }] }`.
   * Without `podLabels`, every pod of that namespace.
   */
  allowTo?: {
    namespace: pulumi.Input<string>;
    podLabels?: Record<string, string>;
    ports?: EgressPort[];
  }[];
  /** Address ranges (outside the cluster: an external API, a managed database), with ports. */
  allowToCidrs?: { cidr: string; except?: string[]; ports?: EgressPort[] }[];
  /**
   * The cluster DNS pods, always admitted on UDP and TCP 53; default `kube-system` pods
   * labelled `k8s-app=kube-dns` (CoreDNS on EKS, kubeadm, kind and k3s).
   */
  dns?: { namespace: string; podLabels: Record<string, string> };
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
  /**
   * Default-deny ingress, admitting only the namespace itself and what this lists; with
   * `egress`, default-deny egress as well. Enforced only where the cluster's network plugin
   * enforces NetworkPolicies (elsewhere the API server stores them and nothing happens).
   */
  networkPolicy?: NamespaceIngress;
  /**
   * The Pod Security Standard the API server's admission enforces here (and warns and audits
   * about): default `{ level: "restricted", version: "latest" }` for a namespace this stack
   * creates; an adopted namespace is labelled only when this is given; refused with `skip`.
   */
  podSecurity?: NamespacePodSecurity;
  /**
   * A preview deploying as `PreviewDeployer`: a RoleBinding `preview-deployer` here gives that
   * ServiceAccount (or, with its GitHub identity, the pull request's user) its
   * `namespacedRole`, before anything else is made in the namespace (its only rights in it).
   * Only with `create`.
   */
  deployer?:
    | {
        /** PreviewDeployer's `namespacedRole`. */
        role: pulumi.Input<string>;
        /** PreviewDeployer's `serviceAccount`. */
        serviceAccount: { namespace: string; name: string };
      }
    | {
        /** PreviewDeployer's `namespacedRole`. */
        role: pulumi.Input<string>;
        /** The pull request's user, `previewUser(N)` (`preview-kit:pr:<N>`). */
        user: string;
        /**
         * PreviewDeployer's `cleanupRole`: bound here to the kit's cleanup, so a merged pull
         * request's close and the sweep can destroy the preview.
         */
        cleanupRole?: pulumi.Input<string>;
      };
}

/** CPU and memory as Kubernetes quantities. */
export interface CpuMemoryLimit {
  /** e.g. `250m`. */
  cpu: string;
  /** e.g. `256Mi`. */
  memory: string;
}

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "preview-kit" } as const;

/**
 * Marks the kit's pods that call the Kubernetes API (the database provisioner and janitor): in
 * a namespace that denies egress, a policy admits only these to the API server.
 */
export const KUBE_API_CLIENT = { "preview-kit/kube-api-client": "true" } as const;

/**
 * Marks a preview's namespace (value: the pull request's number): the cleanup-namespace action
 * deletes only namespaces carrying it, and the shared database admits only them.
 */
export const PULL_REQUEST_LABEL = "preview-kit/pull-request";

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
    const security =
      args.podSecurity ?? (args.mode === "create" ? DEFAULT_POD_SECURITY : undefined);
    const metadata = {
      name: args.name,
      labels: {
        ...args.labels,
        ...(security ? podSecurityLabels(security) : {}),
        ...MANAGED_BY,
      },
    };

    let ready: pulumi.Resource[] = [];
    if (args.mode === "create") {
      const namespace = new k8s.core.v1.Namespace(
        name,
        { metadata },
        {
          ...child,
          protect: args.protect,
          // A preview's deployer may not delete namespaces: its stack forgets the namespace,
          // and the platform's cleanup (cleanup-namespace, stale-previews) deletes it.
          retainOnDelete: args.deployer !== undefined,
        },
      );
      ready = [namespace];
      const bind = (
        id: string,
        bindingName: string,
        role: pulumi.Input<string>,
        subject: k8s.types.input.rbac.v1.Subject,
        dependsOn: pulumi.Resource[],
      ) =>
        new k8s.rbac.v1.RoleBinding(
          `${name}-${id}`,
          {
            metadata: { name: bindingName, namespace: args.name },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
            subjects: [subject],
          },
          { ...child, dependsOn },
        );
      const deployer = args.deployer;
      // The cleanup's binding first, so that a destroy removes it last: after the deployer's.
      const cleanup =
        deployer && "cleanupRole" in deployer && deployer.cleanupRole
          ? bind(
              "cleanup",
              "preview-cleanup",
              deployer.cleanupRole as pulumi.Input<string>,
              { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: PREVIEW_CLEANUP_GROUP },
              [namespace],
            )
          : undefined;
      if (cleanup) ready.push(cleanup);
      if (deployer) {
        ready.push(
          bind(
            "deployer",
            "preview-deployer",
            deployer.role as pulumi.Input<string>,
            "user" in deployer
              ? { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: deployer.user }
              : { kind: "ServiceAccount", ...deployer.serviceAccount },
            cleanup ? [namespace, cleanup] : [namespace],
          ),
        );
      }
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
      if (policy.egress) denyEgress(name, args.name, policy.egress, inNamespace);
    }

    // Carries the dependency on the namespace (and its labels), without reading its metadata.
    this.name = pulumi.all(ready.map((r) => r.urn)).apply(() => args.name);
    this.hasQuota = args.quota !== undefined;
    this.registerOutputs({ name: this.name });
  }
}

const byName = (ns: pulumi.Input<string>) => ({
  matchLabels: { "kubernetes.io/metadata.name": ns },
});

/**
 * Default-deny egress: the namespace's own pods, the cluster DNS (UDP and TCP 53) and each
 * declared peer, each rule with its own ports.
 */
function denyEgress(
  name: string,
  namespace: string,
  egress: z.output<typeof egressRules>,
  opts: pulumi.CustomResourceOptions,
): void {
  const portsOf = (ports: z.output<typeof egressPorts>) => ports?.map((p) => ({ ...p }));
  new k8s.networking.v1.NetworkPolicy(
    `${name}-default-deny-egress`,
    {
      metadata: { name: "default-deny-egress", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: {} }] },
          {
            to: [
              {
                namespaceSelector: byName(egress.dns.namespace),
                podSelector: { matchLabels: egress.dns.podLabels },
              },
            ],
            ports: [
              { port: 53, protocol: "UDP" },
              { port: 53, protocol: "TCP" },
            ],
          },
          ...egress.allowTo.map((peer) => ({
            to: [
              {
                namespaceSelector: byName(peer.namespace as pulumi.Input<string>),
                ...(peer.podLabels ? { podSelector: { matchLabels: peer.podLabels } } : {}),
              },
            ],
            ports: portsOf(peer.ports),
          })),
          ...egress.allowToCidrs.map((range) => ({
            to: [{ ipBlock: { cidr: range.cidr, except: range.except } }],
            ports: portsOf(range.ports),
          })),
        ],
      },
    },
    opts,
  );
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
