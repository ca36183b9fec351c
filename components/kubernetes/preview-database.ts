import { createHmac } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checked, input, parseArgs, typeToken } from "../args.js";
import { imageRef } from "../digest.js";
import { namespaceTarget, resolveNamespace, type NamespaceTarget } from "./app-namespace.js";
import { resources, type Resources } from "./containers.js";
import { clusterFqdn } from "./dns.js";
import { MigrationJob } from "./migration-job.js";
import { workloadSecurityContext, type WorkloadSecurityContext } from "./pod-security.js";
import { POSTGRES_IMAGE_USER } from "./postgres.js";
import { explicitProvider } from "./provider.js";

/**
 * Run with the admin's credentials, idempotent: the preview's role (no superuser, no CREATEDB,
 * no CREATEROLE), its password, its database owned by it, and CONNECT taken from PUBLIC so
 * that no other preview's role can reach it. psql quotes identifiers and the password itself.
 */
const CREATE_DATABASE = `set -eu
psql -X -v ON_ERROR_STOP=1 -d postgres -v db="$APP_DATABASE" -v role="$APP_USER" -v pass="$APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'pass') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \\gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'db', :'role') \\gexec
SQL
`;

const previewDatabaseArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  database: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lowercase PostgreSQL identifier"),
  server: z.strictObject({
    host: input(clusterFqdn),
    port: z.int().min(1).max(65535).default(5432),
    namespace: namespaceTarget,
    adminUser: input(z.string()),
    adminPassword: input(z.string()),
  }),
  clientImage: input(imageRef),
  clientSecurityContext: workloadSecurityContext.default({
    runAsUser: POSTGRES_IMAGE_USER.runAsUser,
  }),
  resources: resources.optional(),
  imagePullSecrets: z.array(input(z.string())).default([]),
  skipAwait: z.boolean().default(false),
});

export interface PreviewDatabaseArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** The preview's namespace: only the app's Secret (the preview role's credentials) goes there. */
  namespace: NamespaceTarget;
  /** Database and role name, e.g. `previewDatabaseName(app, N)`. */
  database: string;
  /** The shared server, reached with its admin credentials by the creating Job only. */
  server: {
    /** The server's cluster FQDN (short names do not resolve across namespaces). */
    host: pulumi.Input<string>;
    /** Default 5432. */
    port?: number;
    /**
     * The server's namespace (preview-base's `databaseNamespace`): the creating Job and the
     * Secret with the admin credentials it reads go there, never into the preview's namespace.
     */
    namespace: NamespaceTarget;
    /** The superuser's name. */
    adminUser: pulumi.Input<string>;
    /** Kept secret; it also derives the preview role's password. */
    adminPassword: pulumi.Input<string>;
  };
  /** An image with `sh` and `psql`, usually the server's own, by digest. */
  clientImage: pulumi.Input<string>;
  /**
   * The user the creating Job runs as (never root: it runs under the `restricted` standard);
   * default 999, the official PostgreSQL image's `postgres` user (Alpine-based: 70).
   */
  clientSecurityContext?: WorkloadSecurityContext;
  /** Sizes of the creating Job's container (required under a quota in the server's namespace). */
  resources?: Resources;
  /** Names of `kubernetes.io/dockerconfigjson` Secrets in the server's namespace, for the Job. */
  imagePullSecrets?: pulumi.Input<string>[];
  /** Do not wait for the creating Job (`pulumi.com/skipAwait`); see `notAwaited`. */
  skipAwait?: boolean;
}

/**
 * Set on the creating Job and its admin Secret in the server's namespace: the preview's
 * namespace, so that `PreviewDatabaseJanitor` can remove them once that namespace is gone.
 */
export const PREVIEW_NAMESPACE_LABEL = "preview-kit/preview-namespace";

/** What `previewDatabaseName` puts before `_pr_<N>`; the janitor matches on it. */
export function previewDatabasePrefix(appName: string): string {
  return appName.replaceAll("-", "_");
}

/**
 * The database (and role) of preview `pr-N` of an app. `PreviewDatabaseJanitor` drops both
 * once the preview's namespace is gone, so both must agree on this shape.
 */
export function previewDatabaseName(appName: string, prNumber: number): string {
  return `${previewDatabasePrefix(appName)}_pr_${prNumber}`;
}

/**
 * The role's password: stable across deployments (no state to keep), different per database,
 * and not computable without the admin password.
 */
function rolePassword(adminPassword: string, database: string): string {
  return createHmac("sha256", adminPassword).update(`preview-kit:${database}`).digest("hex");
}

/**
 * The creating Job's name, unique per database in the server's namespace that all previews
 * share: `create-<database with ->`, shortened with a hash of the whole name where that is not a
 * DNS label. Database names have no `-`, so distinct databases get distinct names.
 */
export function createJobName(database: string): string {
  const name = `create-${database.replaceAll("_", "-")}`;
  if (name.length <= 63 && !name.endsWith("-")) return name;
  const hash = createHmac("sha256", "preview-kit").update(database).digest("hex").slice(0, 10);
  return `${name.slice(0, 52).replace(/-+$/, "")}-${hash}`;
}

/**
 * A database of its own on a shared server, owned by a role of its own: the app's Secret
 * (`secretName`: libpq variables and DATABASE_URL, for `envFrom`) holds that role's
 * credentials, never the admin's, so a preview cannot read or drop another's database. The
 * Job that creates them, and the Secret with the admin credentials it reads, run in the
 * server's namespace: nothing in the preview's namespace holds the admin credentials.
 *
 * Destroying the stack deletes that Job and Secret; deleting only the preview's namespace
 * leaves them, and `PreviewDatabaseJanitor` removes them (by `PREVIEW_NAMESPACE_LABEL`) with
 * the database.
 */
export class PreviewDatabase extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "PreviewDatabase");
  /** The app's Secret: the preview role's credentials. */
  readonly secretName: pulumi.Output<string>;
  /** What was created without waiting for it (`skipAwait`), as `Kind name`. */
  readonly notAwaited: string[];

  constructor(name: string, rawArgs: PreviewDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(PreviewDatabase.type, name, previewDatabaseArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    const serverNamespace = resolveNamespace(args.server.namespace);
    super(PreviewDatabase.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const server = args.server;
    const host = checked(
      `${PreviewDatabase.type} "${name}": server.host`,
      clusterFqdn,
      server.host,
    );
    const role = args.database;
    const adminPassword = pulumi.secret(server.adminPassword as pulumi.Input<string>);
    const password = pulumi.secret(adminPassword.apply((p) => rolePassword(p, args.database)));
    const libpq = { PGHOST: host, PGPORT: String(server.port) };
    // The preview's namespace name, from the AppNamespace when given one: the Job then runs
    // only once that namespace exists, which the janitor relies on (see JANITOR_SCRIPT).
    const labels = { [PREVIEW_NAMESPACE_LABEL]: namespace.name };

    const admin = new k8s.core.v1.Secret(
      `${name}-admin`,
      {
        metadata: { namespace: serverNamespace.name, labels },
        stringData: {
          ...libpq,
          PGUSER: server.adminUser as pulumi.Input<string>,
          PGPASSWORD: adminPassword,
          APP_DATABASE: args.database,
          APP_USER: role,
          APP_PASSWORD: password,
        },
      },
      child,
    );
    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { namespace: namespace.name },
        stringData: {
          ...libpq,
          PGUSER: role,
          PGPASSWORD: password,
          PGDATABASE: args.database,
          DATABASE_URL: pulumi
            .all([password, host])
            .apply(
              ([p, h]) =>
                `postgres://${role}:${encodeURIComponent(p)}@${h}:${server.port}/${args.database}`,
            ),
        },
      },
      child,
    );
    this.secretName = secret.metadata.name;

    const job = new MigrationJob(
      `${name}-create`,
      {
        provider: args.provider,
        namespace: args.server.namespace,
        jobName: createJobName(args.database),
        labels,
        container: {
          name: "create-database",
          image: args.clientImage,
          command: ["sh", "-c", CREATE_DATABASE],
          // Auto-named: changed data (a rotated admin password) replaces the Secret under a
          // new name, which replaces the Job, which sets the new role password.
          envFrom: [{ secret: admin.metadata.name }],
          resources: args.resources,
        },
        imagePullSecrets: args.imagePullSecrets,
        securityContext: args.clientSecurityContext,
        skipAwait: args.skipAwait,
      },
      { parent: this },
    );
    this.notAwaited = job.notAwaited;
    this.registerOutputs({ secretName: this.secretName });
  }
}
