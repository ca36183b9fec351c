import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, parseArgs, typeToken } from "../args.js";
import { explicitProvider } from "./provider.js";

const key = z.string().regex(/^[-._a-zA-Z0-9]+$/, "must be a valid ConfigMap/Secret key");

const appConfigArgs = z
  .strictObject({
    provider: explicitProvider,
    namespace: input(z.string()),
    configName: dnsLabel,
    data: z.record(key, z.string()).default({}),
    secrets: z.record(key, input(z.string())).default({}),
  })
  .refine((a) => Object.keys(a.data).length + Object.keys(a.secrets).length > 0, {
    message: "give at least one entry in data or secrets",
  });

export type AppConfigArgs = z.input<typeof appConfigArgs>;

/** A ConfigMap from plain values and a Secret from secret ones, both named `configName`. */
export class AppConfig extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "AppConfig");
  readonly configMapName?: pulumi.Output<string>;
  readonly secretName?: pulumi.Output<string>;

  constructor(name: string, rawArgs: AppConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(AppConfig.type, name, appConfigArgs, rawArgs);
    super(AppConfig.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const metadata = { name: args.configName, namespace: args.namespace };

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
