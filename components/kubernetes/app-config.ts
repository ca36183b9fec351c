import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { input, parseArgs, typeToken } from "../args.js";
import { explicitProvider } from "./provider.js";

const key = z.string().regex(/^[-._a-zA-Z0-9]+$/, "must be a valid ConfigMap/Secret key");

const appConfigArgs = z
  .strictObject({
    provider: explicitProvider,
    namespace: input(z.string()),
    data: z.record(key, z.string()).default({}),
    secrets: z.record(key, input(z.string())).default({}),
  })
  .refine((a) => Object.keys(a.data).length + Object.keys(a.secrets).length > 0, {
    message: "give at least one entry in data or secrets",
  });

export interface AppConfigArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** The namespace's name, e.g. `AppNamespace.name`. */
  namespace: pulumi.Input<string>;
  /** Plain values: a ConfigMap. */
  data?: Record<string, string>;
  /** Secret values: a Secret, kept secret in the state. */
  secrets?: Record<string, pulumi.Input<string>>;
}

/**
 * A ConfigMap from plain values and a Secret from secret ones. Both are auto-named: a change
 * replaces them under a new name, so the workloads using `configMapName` / `secretName` roll
 * (a fixed name would change in place and leave the running pods on the old values).
 */
export class AppConfig extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "AppConfig");
  readonly configMapName?: pulumi.Output<string>;
  readonly secretName?: pulumi.Output<string>;

  constructor(name: string, rawArgs: AppConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(AppConfig.type, name, appConfigArgs, rawArgs);
    super(AppConfig.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const metadata = { namespace: args.namespace as pulumi.Input<string> };
    if (Object.keys(args.data).length > 0) {
      this.configMapName = new k8s.core.v1.ConfigMap(
        name,
        { metadata, data: args.data },
        child,
      ).metadata.name;
    }
    if (Object.keys(args.secrets).length > 0) {
      const stringData = pulumi.secret(args.secrets as Record<string, pulumi.Input<string>>);
      this.secretName = new k8s.core.v1.Secret(
        name,
        { metadata, type: "Opaque", stringData },
        child,
      ).metadata.name;
    }
    this.registerOutputs({ configMapName: this.configMapName, secretName: this.secretName });
  }
}
