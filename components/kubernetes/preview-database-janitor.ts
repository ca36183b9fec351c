import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, parseArgs, typeToken } from "../args.js";
import {
  KUBE_API_CLIENT,
  namespaceTarget,
  resolveNamespace,
  type NamespaceTarget,
} from "./app-namespace.js";
import { containerSpec, type CpuMemory } from "./containers.js";
import { adminCredentials, borrowedKubectl, databaseAdminArgs } from "./database-admin.js";
import { JANITOR_SCRIPT } from "./janitor-script.js";
import { PREVIEW_NAMESPACE_LABEL } from "./preview-database.js";
import { restrictedPod, type WorkloadSecurityContext } from "./pod-security.js";
import { clusterRoleFor } from "./platform-identity.js";
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
  ...databaseAdminArgs,
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
 * Drops the databases of closed previews, and their roles. `PreviewDatabaseProvisioner` creates
 * a preview's database on a shared server, and nothing drops it on `pulumi destroy`; this CronJob
 * drops every `<prefix>_pr_<N>` (database and role) whose namespace `preview-pr-<N>` no longer
 * exists, and the creating Jobs and admin Secrets that earlier versions of the kit left in its
 * own namespace for such previews. Its service account may only get and
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

    const account = new k8s.core.v1.ServiceAccount(
      name,
      { metadata: { name: args.jobName, namespace: namespace.name } },
      child,
    );
    const subject = { name: account.metadata.name, namespace: namespace.name };
    const { binding } = clusterRoleFor(
      name,
      [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }],
      subject,
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
        subjects: [{ kind: "ServiceAccount", ...subject }],
      },
      child,
    );
    const secret = adminCredentials(
      name,
      owner,
      { name: args.jobName, namespace: namespace.name },
      args.server,
      child,
    );

    const tools = borrowedKubectl(owner, args.kubectlImage, args.resources, TOOLS);
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
                metadata: { labels: KUBE_API_CLIENT },
                spec: {
                  // Its token is how kubectl lists namespaces.
                  ...restrictedPod(args.securityContext, { serviceAccountToken: true }),
                  serviceAccountName: account.metadata.name,
                  restartPolicy: "Never",
                  imagePullSecrets: args.imagePullSecrets.map((s) => ({
                    name: s as pulumi.Input<string>,
                  })),
                  volumes: tools.volumes,
                  initContainers: tools.initContainers,
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
                          KUBECTL: tools.kubectl,
                          NAMESPACE_PREFIX: args.namespacePrefix,
                          DATABASE_PREFIXES: args.databasePrefixes.join(" "),
                          PREVIEW_LABEL: PREVIEW_NAMESPACE_LABEL,
                        },
                        envFrom: [{ secret: secret.metadata.name }],
                        resources: args.resources,
                      },
                      { volumeMounts: tools.volumeMounts },
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
