import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checked, dnsLabel, input, parseArgs, typeToken } from "../args.js";
import { imageRef } from "../digest.js";
import { namespaceTarget, resolveNamespace, type NamespaceTarget } from "./app-namespace.js";
import { containerSpec, resources, type CpuMemory } from "./containers.js";
import { clusterFqdn } from "./dns.js";
import { JANITOR_SCRIPT } from "./janitor-script.js";
import { PREVIEW_NAMESPACE_LABEL } from "./preview-database.js";
import {
  restrictedPod,
  workloadSecurityContext,
  type WorkloadSecurityContext,
} from "./pod-security.js";
import { POSTGRES_IMAGE_USER } from "./postgres.js";
import { explicitProvider } from "./provider.js";

const TOOLS = "/janitor-tools";

/**
 * What precedes `_pr_<N>` in a preview database's name (see `previewDatabaseName`).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const databasePrefix = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,40}$/, "must be a lowercase PostgreSQL identifier prefix");

/**
 * Five-field cron; the CronJob controller rejects anything else, but only after the deploy.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const cronSchedule = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron schedule, e.g. '0 * * * *'");

const previewDatabaseJanitorArgs = z.strictObject({
  provider: explicitProvider,
  /** Where the janitor runs, usually the shared server's namespace. */
  namespace: namespaceTarget,
  jobName: dnsLabel.default("database-janitor"),
  schedule: cronSchedule.default("0 * * * *"),
  /** Databases `<prefix>_pr_<N>` are dropped once namespace `<namespacePrefix><N>` is gone. */
  databasePrefixes: z.array(databasePrefix).min(1),
  namespacePrefix: z
    .string()
    .regex(/^[a-z][-a-z0-9]{0,50}$/, "must be the start of a namespace name")
    .default("preview-pr-"),
  server: z.strictObject({
    host: input(clusterFqdn),
    port: z.int().min(1).max(65535).default(5432),
    adminUser: input(z.string()),
    adminPassword: input(z.string()),
  }),
  /** An image with bash and psql, usually the server's own. */
  image: input(imageRef),
  /** An image with `sh` and a static `kubectl` (official builds are), copied into the pod. */
  kubectlImage: input(imageRef),
  /** Both containers get these; requests and limits are required. */
  resources: z.strictObject({
    requests: resources.shape.requests.unwrap(),
    limits: resources.shape.limits.unwrap(),
  }),
  imagePullSecrets: z.array(input(z.string())).default([]),
  securityContext: workloadSecurityContext.default({ runAsUser: POSTGRES_IMAGE_USER.runAsUser }),
});

export interface PreviewDatabaseJanitorArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** Where the janitor runs, usually the shared server's namespace. */
  namespace: NamespaceTarget;
  /** The CronJob's, ServiceAccount's and Secret's name (default `database-janitor`). */
  jobName?: string;
  /** Five-field cron schedule (default hourly, `0 * * * *`). */
  schedule?: string;
  /** Databases `<prefix>_pr_<N>` are dropped once namespace `<namespacePrefix><N>` is gone. */
  databasePrefixes: string[];
  /** The start of a preview's namespace name (default `preview-pr-`). */
  namespacePrefix?: string;
  /** The shared server and its admin credentials. */
  server: {
    /** The server's cluster FQDN. */
    host: pulumi.Input<string>;
    /** Default 5432. */
    port?: number;
    adminUser: pulumi.Input<string>;
    /** Kept secret. */
    adminPassword: pulumi.Input<string>;
  };
  /** An image with bash and psql, usually the server's own, by digest. */
  image: pulumi.Input<string>;
  /** An image with `sh` and a static `kubectl` (official builds are), by digest. */
  kubectlImage: pulumi.Input<string>;
  /** Requests and limits of both containers (required). */
  resources: { requests: CpuMemory; limits: CpuMemory };
  /** Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace. */
  imagePullSecrets?: pulumi.Input<string>[];
  /**
   * The user both containers run as (never root: the pod passes the `restricted` standard);
   * default 999, the official PostgreSQL image's `postgres` user (Alpine-based: 70).
   */
  securityContext?: WorkloadSecurityContext;
}

/**
 * Drops the databases of closed previews, and their roles. A preview's database is created by
 * a Job on a shared server, and nothing can drop it on `pulumi destroy`; this CronJob drops
 * every `<prefix>_pr_<N>` (database and role) whose namespace `preview-pr-<N>` no longer
 * exists, and the creating Jobs and admin Secrets of such previews left in its own namespace
 * (a closed preview whose stack was never destroyed). Its service account may only get and
 * list namespaces, and get, list and delete Jobs and Secrets in its own namespace.
 */
export class PreviewDatabaseJanitor extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "PreviewDatabaseJanitor");

  constructor(
    name: string,
    rawArgs: PreviewDatabaseJanitorArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const args = parseArgs(PreviewDatabaseJanitor.type, name, previewDatabaseJanitorArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    super(PreviewDatabaseJanitor.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const owner = `${PreviewDatabaseJanitor.type} "${name}"`;
    const server = args.server;

    const account = new k8s.core.v1.ServiceAccount(
      name,
      { metadata: { name: args.jobName, namespace: namespace.name } },
      child,
    );
    // Cluster-scoped, so auto-named: two janitors on one cluster must not share these.
    const role = new k8s.rbac.v1.ClusterRole(
      name,
      { rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }] },
      child,
    );
    const binding = new k8s.rbac.v1.ClusterRoleBinding(
      name,
      {
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: role.metadata.name,
        },
        subjects: [
          { kind: "ServiceAccount", name: account.metadata.name, namespace: namespace.name },
        ],
      },
      child,
    );
    // Its own namespace only: the leftovers of closed previews (see PreviewDatabase).
    const leftovers = new k8s.rbac.v1.Role(
      name,
      {
        metadata: { name: args.jobName, namespace: namespace.name },
        rules: [
          { apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "list", "delete"] },
          { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "delete"] },
        ],
      },
      child,
    );
    const leftoversBinding = new k8s.rbac.v1.RoleBinding(
      name,
      {
        metadata: { name: args.jobName, namespace: namespace.name },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "Role",
          name: leftovers.metadata.name,
        },
        subjects: [
          { kind: "ServiceAccount", name: account.metadata.name, namespace: namespace.name },
        ],
      },
      child,
    );
    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { name: args.jobName, namespace: namespace.name },
        stringData: {
          PGHOST: checked(`${owner}: server.host`, clusterFqdn, server.host),
          PGPORT: String(server.port),
          PGUSER: server.adminUser as pulumi.Input<string>,
          PGPASSWORD: pulumi.secret(server.adminPassword as pulumi.Input<string>),
        },
      },
      child,
    );

    const sized = { resources: args.resources };
    const tools = { name: "tools", mountPath: TOOLS };
    new k8s.batch.v1.CronJob(
      name,
      {
        metadata: { name: args.jobName, namespace: namespace.name },
        spec: {
          schedule: args.schedule,
          concurrencyPolicy: "Forbid",
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 1,
              activeDeadlineSeconds: 600,
              template: {
                spec: {
                  // Its token is how kubectl lists namespaces; the only pod of the kit with one.
                  ...restrictedPod(args.securityContext, { serviceAccountToken: true }),
                  serviceAccountName: account.metadata.name,
                  restartPolicy: "Never",
                  imagePullSecrets: args.imagePullSecrets.map((s) => ({
                    name: s as pulumi.Input<string>,
                  })),
                  volumes: [{ name: tools.name, emptyDir: {} }],
                  // The PostgreSQL image has no TLS client for the API server: borrow kubectl.
                  initContainers: [
                    containerSpec(
                      owner,
                      {
                        name: "kubectl",
                        image: args.kubectlImage,
                        command: ["sh", "-c", `cp "$(command -v kubectl)" ${TOOLS}/kubectl`],
                        ...sized,
                      },
                      { volumeMounts: [tools] },
                    ),
                  ],
                  containers: [
                    containerSpec(
                      owner,
                      {
                        name: "sweep",
                        image: args.image,
                        command: ["bash", "-c", JANITOR_SCRIPT],
                        env: {
                          PGDATABASE: "postgres",
                          OWN_NAMESPACE: pulumi.output(namespace.name),
                          KUBECTL: `${TOOLS}/kubectl`,
                          NAMESPACE_PREFIX: args.namespacePrefix,
                          DATABASE_PREFIXES: args.databasePrefixes.join(" "),
                          PREVIEW_LABEL: PREVIEW_NAMESPACE_LABEL,
                        },
                        envFrom: [{ secret: secret.metadata.name }],
                        ...sized,
                      },
                      { volumeMounts: [tools] },
                    ),
                  ],
                },
              },
            },
          },
        },
      },
      { ...child, dependsOn: [binding, leftoversBinding] },
    );
    this.registerOutputs({});
  }
}
