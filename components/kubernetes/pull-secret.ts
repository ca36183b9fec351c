import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, parseArgs, typeToken } from "../args.js";
import { explicitProvider } from "./provider.js";

/** The `.dockerconfigjson` document for one registry, kept secret. */
export function dockerConfigJson(
  registry: string,
  username: pulumi.Input<string>,
  password: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([username, password]).apply(([user, pass]) =>
      JSON.stringify({
        auths: {
          [registry]: {
            username: user,
            password: pass,
            auth: Buffer.from(`${user}:${pass}`).toString("base64"),
          },
        },
      }),
    ),
  );
}

const imagePullSecretArgs = z.strictObject({
  provider: explicitProvider,
  namespace: input(z.string()),
  secretName: dnsLabel,
  credentials: z.union([
    z.strictObject({
      registry: z.string().min(1),
      username: input(z.string()),
      password: input(z.string()),
    }),
    /** A ready document, e.g. `dockerConfigJson()`'s from a stack's secret config. */
    z.strictObject({ dockerConfigJson: input(z.string()) }),
  ]),
});

export interface ImagePullSecretArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** The namespace's name; pull secrets are per namespace, so each needs its own. */
  namespace: pulumi.Input<string>;
  /** The Secret's name, for `imagePullSecrets`. */
  secretName: string;
  /**
   * One registry's `{ registry, username, password }`, or a ready `{ dockerConfigJson }`
   * (e.g. `dockerConfigJson()`'s from a stack's secret config). Kept secret.
   */
  credentials:
    | { registry: string; username: pulumi.Input<string>; password: pulumi.Input<string> }
    | { dockerConfigJson: pulumi.Input<string> };
}

/** A `kubernetes.io/dockerconfigjson` Secret; secrets are per namespace, so each needs one. */
export class ImagePullSecret extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "ImagePullSecret");
  readonly secretName: pulumi.Output<string>;

  constructor(name: string, rawArgs: ImagePullSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(ImagePullSecret.type, name, imagePullSecretArgs, rawArgs);
    super(ImagePullSecret.type, name, {}, opts);
    const creds = args.credentials;
    const document =
      "dockerConfigJson" in creds
        ? pulumi.secret(creds.dockerConfigJson as pulumi.Input<string>)
        : dockerConfigJson(
            creds.registry,
            creds.username as pulumi.Input<string>,
            creds.password as pulumi.Input<string>,
          );
    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { name: args.secretName, namespace: args.namespace },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": document },
      },
      { parent: this, provider: args.provider },
    );
    this.secretName = secret.metadata.name;
    this.registerOutputs({ secretName: this.secretName });
  }
}
