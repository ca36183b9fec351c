import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, parseArgs, typeToken } from "../args.js";
import {
  KUBE_API_CLIENT,
  MANAGED_BY,
  namespaceTarget,
  PULL_REQUEST_LABEL,
  resolveNamespace,
  type NamespaceTarget,
} from "./app-namespace.js";
import { awaitAnnotations, notAwaitedList } from "./await.js";
import { containerSpec, type CpuMemory } from "./containers.js";
import { adminCredentials, borrowedKubectl, databaseAdminArgs } from "./database-admin.js";
import { restrictedPod, type WorkloadSecurityContext } from "./pod-security.js";
import { clusterRoleFor, confineUser } from "./platform-identity.js";
import { databasePrefix } from "./preview-database-janitor.js";
import { DATABASE_REQUEST_LABEL } from "./preview-database.js";
import { PREVIEW_NAMESPACE, PREVIEW_NAMESPACE_PREFIX } from "./preview-deployer.js";
import { PROVISIONER_SCRIPT } from "./provisioner-script.js";
import { explicitProvider } from "./provider.js";

const TOOLS = "/provisioner-tools";

const previewDatabaseProvisionerArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  name: dnsLabel.default("database-provisioner"),
  databasePrefixes: z.array(databasePrefix).min(1),
  ...databaseAdminArgs,
  pullSecret: dnsLabel.optional(),
  intervalSeconds: z.int().min(1).max(3600).default(5),
  skipAwait: z.boolean().default(false),
});

export interface PreviewDatabaseProvisionerArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** Where it runs with the admin's credentials: the shared server's namespace. */
  namespace: NamespaceTarget;
  /** The Deployment's, ServiceAccount's and Secret's name (default `database-provisioner`). */
  name?: string;
  /** The apps' database prefixes (`previewDatabasePrefix`) it answers requests for. */
  databasePrefixes: string[];
  /** The shared server and its admin credentials. */
  server: {
    /** The server's cluster FQDN (also what previews' Secrets name as PGHOST). */
    host: pulumi.Input<string>;
    /** Default 5432. */
    port?: number;
    adminUser: pulumi.Input<string>;
    /** Kept secret; it also derives each preview role's password. */
    adminPassword: pulumi.Input<string>;
  };
  /** An image with bash, od and psql, usually the server's own, by digest. */
  image: pulumi.Input<string>;
  /** An image with `sh` and a static `kubectl`, by digest, copied into the pod. */
  kubectlImage: pulumi.Input<string>;
  /** Requests and limits of both containers (required). */
  resources: { requests: CpuMemory; limits: CpuMemory };
  /** Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace, for its own pod. */
  imagePullSecrets?: pulumi.Input<string>[];
  /** A `kubernetes.io/dockerconfigjson` Secret in the namespace copied into every preview's. */
  pullSecret?: string;
  /** Seconds between sweeps (default 5). */
  intervalSeconds?: number;
  /** The user both containers run as (never root), default 999. */
  securityContext?: WorkloadSecurityContext;
  /** Do not wait for its Deployment (`pulumi.com/skipAwait`); see `notAwaited`. */
  skipAwait?: boolean;
}

/**
 * Gives previews their databases from the platform's side: a Deployment in the server's
 * namespace, with the admin's credentials in a Secret there, answers each `PreviewDatabase`
 * request (a labelled ConfigMap in a `preview-pr-<N>` namespace the kit labelled) with database
 * and role `<prefix>_pr_<N>` and a Secret of the request's name holding that role's
 * credentials; with `pullSecret`, each preview's namespace also gets a copy of it. A preview's
 * program thus holds no admin credential and cannot name another preview's database.
 *
 * Its service account may list namespaces and ConfigMaps, read `pullSecret`, and create and
 * patch Secrets, and a ValidatingAdmissionPolicy lets it write Secrets only in previews'
 * namespaces. Databases of closed previews are `PreviewDatabaseJanitor`'s.
 */
export class PreviewDatabaseProvisioner extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "PreviewDatabaseProvisioner");
  /** What was created without waiting for it (`skipAwait`), as `Kind name`. */
  readonly notAwaited: string[];

  constructor(
    name: string,
    rawArgs: PreviewDatabaseProvisionerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const args = parseArgs(
      PreviewDatabaseProvisioner.type,
      name,
      previewDatabaseProvisionerArgs,
      rawArgs,
    );
    const namespace = resolveNamespace(args.namespace);
    super(PreviewDatabaseProvisioner.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const owner = `${PreviewDatabaseProvisioner.type} "${name}"`;

    const account = new k8s.core.v1.ServiceAccount(
      name,
      { metadata: { name: args.name, namespace: namespace.name } },
      child,
    );
    const username = pulumi.interpolate`system:serviceaccount:${namespace.name}:${args.name}`;
    const subject = { name: account.metadata.name, namespace: namespace.name };
    const { binding } = clusterRoleFor(
      name,
      [
        { apiGroups: [""], resources: ["namespaces", "configmaps"], verbs: ["list"] },
        // Server-side apply: the Secret is written whole, never read back.
        { apiGroups: [""], resources: ["secrets"], verbs: ["create", "patch"] },
      ],
      subject,
      child,
    );
    const ready: pulumi.Resource[] = [binding];
    if (args.pullSecret) {
      const reader = new k8s.rbac.v1.Role(
        `${name}-pull-secret`,
        {
          metadata: { name: `${args.name}-pull-secret`, namespace: namespace.name },
          rules: [
            {
              apiGroups: [""],
              resources: ["secrets"],
              verbs: ["get"],
              resourceNames: [args.pullSecret],
            },
          ],
        },
        child,
      );
      ready.push(
        new k8s.rbac.v1.RoleBinding(
          `${name}-pull-secret`,
          {
            metadata: { name: `${args.name}-pull-secret`, namespace: namespace.name },
            roleRef: {
              apiGroup: "rbac.authorization.k8s.io",
              kind: "Role",
              name: reader.metadata.name,
            },
            subjects: [{ kind: "ServiceAccount", ...subject }],
          },
          child,
        ),
      );
    }
    ready.push(
      confineUser(
        name,
        { condition: "provisioner", username },
        [
          {
            expression: `request.resource.resource == 'secrets' && namespaceObject != null && ${PREVIEW_NAMESPACE("namespaceObject")}`,
            message: `the database provisioner writes only Secrets in previews' namespaces (${PREVIEW_NAMESPACE_PREFIX}<N>, labelled by the kit)`,
            reason: "Forbidden",
          },
        ],
        child,
      ),
    );
    const secret = adminCredentials(
      name,
      owner,
      { name: args.name, namespace: namespace.name },
      args.server,
      child,
    );

    const tools = borrowedKubectl(owner, args.kubectlImage, args.resources, TOOLS);
    const labels = { "app.kubernetes.io/name": args.name, ...MANAGED_BY };
    new k8s.apps.v1.Deployment(
      name,
      {
        metadata: {
          name: args.name,
          namespace: namespace.name,
          annotations: awaitAnnotations(args.skipAwait),
        },
        spec: {
          replicas: 1,
          // Never two at once: both would write the same Secrets.
          strategy: { type: "Recreate" },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels: { ...labels, ...KUBE_API_CLIENT } },
            spec: {
              // Its token is how kubectl lists requests and writes the answers.
              ...restrictedPod(args.securityContext, { serviceAccountToken: true }),
              serviceAccountName: account.metadata.name,
              imagePullSecrets: args.imagePullSecrets.map((s) => ({
                name: s as pulumi.Input<string>,
              })),
              volumes: tools.volumes,
              initContainers: tools.initContainers,
              containers: [
                containerSpec(
                  owner,
                  {
                    name: "provision",
                    image: args.image,
                    command: ["bash", "-c", PROVISIONER_SCRIPT],
                    env: {
                      PGDATABASE: "postgres",
                      KUBECTL: tools.kubectl,
                      NAMESPACE_PREFIX: PREVIEW_NAMESPACE_PREFIX,
                      // The namespaces the deployer may make (PREVIEW_NAMESPACE), by label.
                      PREVIEW_SELECTOR: [
                        ...Object.entries(MANAGED_BY).map(([k, v]) => `${k}=${v}`),
                        "pod-security.kubernetes.io/enforce=restricted",
                        PULL_REQUEST_LABEL,
                      ].join(","),
                      PULL_REQUEST_LABEL,
                      REQUEST_LABEL: DATABASE_REQUEST_LABEL,
                      DATABASE_PREFIXES: args.databasePrefixes.join(" "),
                      INTERVAL: String(args.intervalSeconds),
                      OWN_NAMESPACE: pulumi.output(namespace.name),
                      ...(args.pullSecret ? { PULL_SECRET: args.pullSecret } : {}),
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
      { ...child, dependsOn: ready },
    );
    this.notAwaited = notAwaitedList(args.skipAwait, [`Deployment ${args.name}`]);
    this.registerOutputs({});
  }
}
