import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, parseArgs, typeToken } from "../args.js";
import { namespaceTarget, resolveNamespace, type NamespaceTarget } from "./app-namespace.js";
import { explicitProvider } from "./provider.js";

/**
 * On a ConfigMap in a preview's namespace, value the app's database prefix: a request that
 * `PreviewDatabaseProvisioner` answers with a database and a Secret of the ConfigMap's name.
 */
export const DATABASE_REQUEST_LABEL = "preview-kit/database-request";

/**
 * Set, by earlier versions of the kit, on the database-creating Job and its admin Secret in the
 * server's namespace: `PreviewDatabaseJanitor` still removes such leftovers once the preview's
 * namespace is gone.
 */
export const PREVIEW_NAMESPACE_LABEL = "preview-kit/preview-namespace";

/** What `previewDatabaseName` puts before `_pr_<N>`; the janitor matches on it. */
export function previewDatabasePrefix(appName: string): string {
  return appName.replaceAll("-", "_");
}

/**
 * The database (and role) of preview `pr-N` of an app. The provisioner creates it, and
 * `PreviewDatabaseJanitor` drops both once the preview's namespace is gone, so all agree on
 * this shape.
 */
export function previewDatabaseName(appName: string, prNumber: number): string {
  return `${previewDatabasePrefix(appName)}_pr_${prNumber}`;
}

const previewDatabaseArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  appName: dnsLabel,
  secretName: dnsLabel.default("database"),
});

export interface PreviewDatabaseArgs {
  /** The cluster; the request goes to this provider. */
  provider: k8s.Provider;
  /** The preview's namespace (`preview-pr-<N>`): the request and the answer's Secret are there. */
  namespace: NamespaceTarget;
  /** The app; its database is `previewDatabaseName(appName, N)` (listed in the base's `appNames`). */
  appName: string;
  /** The Secret the provisioner writes (and the request's name), default `database`. */
  secretName?: string;
}

/**
 * A preview's request for a database of its own on the shared server: a ConfigMap, nothing
 * more. `PreviewDatabaseProvisioner`, which the platform runs with the server's admin
 * credentials, creates the database `<app>_pr_<N>` (N from the namespace's name, never from the
 * request) owned by a role of the same name, and writes that role's credentials (libpq
 * variables and `DATABASE_URL`, for `envFrom`) into Secret `secretName` here. The preview's
 * program never holds the admin's credentials, nor any other preview's.
 *
 * Pods using `secretName` start once the provisioner has written it (the kubelet retries).
 */
export class PreviewDatabase extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "PreviewDatabase");
  /** The Secret the provisioner writes: the preview role's credentials. */
  readonly secretName: pulumi.Output<string>;

  constructor(name: string, rawArgs: PreviewDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(PreviewDatabase.type, name, previewDatabaseArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    super(PreviewDatabase.type, name, {}, opts);
    const request = new k8s.core.v1.ConfigMap(
      name,
      {
        metadata: {
          name: args.secretName,
          namespace: namespace.name,
          labels: { [DATABASE_REQUEST_LABEL]: previewDatabasePrefix(args.appName) },
        },
      },
      { parent: this, provider: args.provider },
    );
    this.secretName = request.metadata.name;
    this.registerOutputs({ secretName: this.secretName });
  }
}
