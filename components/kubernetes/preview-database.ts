import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checked, input, parseArgs, typeToken } from "../args.js";
import { imageRef } from "../digest.js";
import { namespaceTarget, resolveNamespace } from "./app-namespace.js";
import { resources } from "./containers.js";
import { clusterFqdn } from "./dns.js";
import { MigrationJob } from "./migration-job.js";
import { explicitProvider } from "./provider.js";

const CREATE_DATABASE = [
  `psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PGDATABASE'" | grep -q 1`,
  `|| psql -d postgres -c "CREATE DATABASE \\"$PGDATABASE\\""`,
].join(" ");

const previewDatabaseArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  database: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lowercase PostgreSQL identifier"),
  server: z.strictObject({
    host: input(clusterFqdn),
    port: z.int().min(1).max(65535).default(5432),
    adminUser: input(z.string()),
    adminPassword: input(z.string()),
  }),
  /** An image with `psql`, usually the server's own. */
  clientImage: input(imageRef),
  resources: resources.optional(),
  imagePullSecrets: z.array(input(z.string())).default([]),
});

export type PreviewDatabaseArgs = z.input<typeof previewDatabaseArgs>;

/** What `previewDatabaseName` puts before `_pr_<N>`; the janitor matches on it. */
export function previewDatabasePrefix(appName: string): string {
  return appName.replaceAll("-", "_");
}

/**
 * The database of preview `pr-N` of an app. `PreviewDatabaseJanitor` drops it once the
 * preview's namespace is gone, so both must agree on this shape.
 */
export function previewDatabaseName(appName: string, prNumber: number): string {
  return `${previewDatabasePrefix(appName)}_pr_${prNumber}`;
}

/**
 * A database of its own on a shared server, and a Secret `database` holding libpq variables and
 * DATABASE_URL for the app (use it with `envFrom`).
 */
export class PreviewDatabase extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "PreviewDatabase");
  readonly secretName: pulumi.Output<string>;

  constructor(name: string, rawArgs: PreviewDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(PreviewDatabase.type, name, previewDatabaseArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    super(PreviewDatabase.type, name, {}, opts);
    const server = args.server;
    const host = checked(
      `${PreviewDatabase.type} "${name}": server.host`,
      clusterFqdn,
      server.host,
    );
    const user = pulumi.output(server.adminUser as pulumi.Input<string>);
    const password = pulumi.secret(server.adminPassword as pulumi.Input<string>);

    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { name: "database", namespace: namespace.name },
        stringData: {
          PGHOST: host,
          PGPORT: String(server.port),
          PGUSER: user,
          PGPASSWORD: password,
          PGDATABASE: args.database,
          DATABASE_URL: pulumi
            .all([user, password, host])
            .apply(
              ([u, p, h]) =>
                `postgres://${encodeURIComponent(u)}:${encodeURIComponent(p)}@${h}:${server.port}/${args.database}`,
            ),
        },
      },
      { parent: this, provider: args.provider },
    );
    this.secretName = secret.metadata.name;

    new MigrationJob(
      `${name}-create`,
      {
        provider: args.provider,
        namespace: args.namespace,
        jobName: "create-database",
        container: {
          name: "create-database",
          image: args.clientImage,
          command: ["sh", "-c", CREATE_DATABASE],
          envFrom: [{ secret: this.secretName }],
          resources: args.resources,
        },
        imagePullSecrets: args.imagePullSecrets,
      },
      { parent: this },
    );
    this.registerOutputs({ secretName: this.secretName });
  }
}
