import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, labels, parseArgs, typeToken } from "../args.js";
import { imageRef } from "../digest.js";
import { namespaceTarget, resolveNamespace, type NamespaceTarget } from "./app-namespace.js";
import { awaitAnnotations, notAwaitedList } from "./await.js";
import { assertQuotaResources, containerSpec, resources, type Resources } from "./containers.js";
import { serviceFqdn } from "./dns.js";
import {
  restrictedPod,
  workloadSecurityContext,
  type WorkloadSecurityContext,
} from "./pod-security.js";
import { explicitProvider } from "./provider.js";

const POSTGRES_PORT = 5432;

/**
 * The `postgres` user of the official image's Debian variants (the Alpine ones use 70). The
 * image runs as it without root: initdb then needs a data directory it may write, which
 * `fsGroup` gives it on the volume.
 */
export const POSTGRES_IMAGE_USER = { runAsUser: 999, runAsGroup: 999, fsGroup: 999 } as const;

const sharedPostgresArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  serviceName: dnsLabel.default("db"),
  image: imageRef,
  storage: z.string().default("10Gi"),
  storageClassName: z.string().optional(),
  adminUser: z.string().min(1).default("postgres"),
  adminPassword: input(z.string().min(12)),
  resources: resources.optional(),
  imagePullSecrets: z.array(input(z.string())).default([]),
  securityContext: workloadSecurityContext.default(POSTGRES_IMAGE_USER),
  clientNamespaces: z
    .strictObject({
      labels: labels.default({}),
      withLabels: z.array(z.string().min(1)).default([]),
    })
    .refine(
      (c) => Object.keys(c.labels).length + c.withLabels.length > 0,
      "give labels or withLabels: an empty selector would admit every namespace",
    )
    .optional(),
  skipAwait: z.boolean().default(false),
});

export interface SharedPostgresArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** An AppNamespace, or `{ name, hasQuota }` for one made elsewhere. */
  namespace: NamespaceTarget;
  /** The Service's and StatefulSet's name (default `db`). */
  serviceName?: string;
  /** A PostgreSQL image by digest. */
  image: string;
  /** The data volume's size (default `10Gi`). */
  storage?: string;
  /**
   * The volume claim's StorageClass; default the cluster's default class, which must exist
   * and provision (on EKS: the EBS CSI driver, which the cluster program installs).
   */
  storageClassName?: string;
  /** The superuser's name (default `postgres`). */
  adminUser?: string;
  /** The superuser's password, at least 12 characters; kept secret. */
  adminPassword: pulumi.Input<string>;
  /** Requests and limits of the server container. */
  resources?: Resources;
  /** Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace. */
  imagePullSecrets?: pulumi.Input<string>[];
  /**
   * The server runs as this user, never root, under the `restricted` Pod Security Standard
   * (no capabilities, runtime seccomp profile, no service-account token); default
   * `POSTGRES_IMAGE_USER` (999, the official Debian-based image's; Alpine-based: 70).
   */
  securityContext?: WorkloadSecurityContext;
  /**
   * A NetworkPolicy (`<serviceName>-clients`) admitting to the server's port the pods of
   * namespaces carrying all of `labels` and having every key of `withLabels`, e.g. the
   * kit's previews: `{ labels: MANAGED_BY, withLabels: [PULL_REQUEST_LABEL] }`. It only adds
   * to a default-deny policy of the namespace (AppNamespace `networkPolicy`).
   */
  clientNamespaces?: { labels?: Record<string, string>; withLabels?: string[] };
  /** Do not wait for the StatefulSet and Service to be ready; see `notAwaited`. */
  skipAwait?: boolean;
}

/** One PostgreSQL per cluster that previews share, each with its own database. */
export class SharedPostgres extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "SharedPostgres");
  /** The cluster FQDN, so pods in other namespaces resolve it (seed bug 5). */
  readonly host: pulumi.Output<string>;
  readonly port = POSTGRES_PORT;
  readonly adminUser: string;
  /** The server pods' labels, for NetworkPolicies admitting clients to them. */
  readonly podLabels: Record<string, string>;
  /** What was created without waiting for readiness (`skipAwait`), as `Kind name`. */
  readonly notAwaited: string[];

  constructor(name: string, rawArgs: SharedPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(SharedPostgres.type, name, sharedPostgresArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    const main = { name: "postgres", image: args.image, resources: args.resources };
    const owner = `${SharedPostgres.type} "${name}"`;
    if (namespace.hasQuota) assertQuotaResources(owner, [main]);
    super(SharedPostgres.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const selector = { "app.kubernetes.io/name": args.serviceName };
    const annotations = awaitAnnotations(args.skipAwait);

    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { name: `${args.serviceName}-admin`, namespace: namespace.name },
        stringData: {
          POSTGRES_USER: args.adminUser,
          POSTGRES_PASSWORD: pulumi.secret(args.adminPassword as pulumi.Input<string>),
        },
      },
      child,
    );
    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: {
          name: args.serviceName,
          namespace: namespace.name,
          labels: selector,
          annotations,
        },
        spec: { selector, ports: [{ name: "postgres", port: POSTGRES_PORT }] },
      },
      child,
    );
    new k8s.apps.v1.StatefulSet(
      name,
      {
        metadata: {
          name: args.serviceName,
          namespace: namespace.name,
          labels: selector,
          annotations,
        },
        spec: {
          serviceName: args.serviceName,
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: selector },
            spec: {
              ...restrictedPod(args.securityContext),
              imagePullSecrets: args.imagePullSecrets.map((s) => ({
                name: s as pulumi.Input<string>,
              })),
              containers: [
                containerSpec(owner, main, {
                  ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
                  envFrom: [{ secretRef: { name: secret.metadata.name } }],
                  // The volume root holds lost+found, which initdb refuses.
                  env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
                  volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
                  readinessProbe: { exec: { command: ["pg_isready", "-U", args.adminUser] } },
                }),
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storageClassName,
                resources: { requests: { storage: args.storage } },
              },
            },
          ],
        },
      },
      { ...child, dependsOn: [service] },
    );

    if (args.clientNamespaces) {
      const clients = args.clientNamespaces;
      new k8s.networking.v1.NetworkPolicy(
        `${name}-clients`,
        {
          metadata: { name: `${args.serviceName}-clients`, namespace: namespace.name },
          spec: {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: {
                      matchLabels: clients.labels,
                      matchExpressions: clients.withLabels.map((key) => ({
                        key,
                        operator: "Exists",
                      })),
                    },
                  },
                ],
                ports: [{ port: POSTGRES_PORT, protocol: "TCP" }],
              },
            ],
          },
        },
        child,
      );
    }

    this.host = pulumi
      .all([service.metadata.name, namespace.name])
      .apply(([svc, ns]) => serviceFqdn(svc, ns));
    this.adminUser = args.adminUser;
    this.podLabels = selector;
    this.notAwaited = notAwaitedList(args.skipAwait, [
      `StatefulSet ${args.serviceName}`,
      `Service ${args.serviceName}`,
    ]);
    this.registerOutputs({ host: this.host });
  }
}
