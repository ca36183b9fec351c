import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, hostname, input, parseArgs, typeToken } from "../args.js";
import { explicitProvider } from "./provider.js";

const routeVia = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("gateway"),
    gatewayName: input(z.string()),
    gatewayNamespace: input(z.string()),
    /** The Gateway listener to attach to, e.g. the HTTPS one. */
    sectionName: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal("alb-ingress"),
    /** Ingresses sharing a group share one ALB (one per cluster instead of one per preview). */
    groupName: dnsLabel,
    certificateArn: input(z.string()).optional(),
    scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
  }),
]);

const routeArgs = z.strictObject({
  provider: explicitProvider,
  namespace: input(z.string()),
  host: hostname,
  service: z.strictObject({ name: input(z.string()), port: z.int().min(1).max(65535) }),
  via: routeVia,
});

export type RouteArgs = z.input<typeof routeArgs>;

/** One host to one Service: a Gateway API HTTPRoute, or an Ingress for the AWS LB Controller. */
export class Route extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "Route");
  readonly url: string;

  constructor(name: string, rawArgs: RouteArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(Route.type, name, routeArgs, rawArgs);
    super(Route.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const metadata = { name, namespace: args.namespace };
    const backend = { name: args.service.name, port: args.service.port };

    if (args.via.kind === "gateway") {
      new k8s.apiextensions.CustomResource(
        name,
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata,
          spec: {
            parentRefs: [
              {
                name: args.via.gatewayName,
                namespace: args.via.gatewayNamespace,
                sectionName: args.via.sectionName,
              },
            ],
            hostnames: [args.host],
            rules: [{ backendRefs: [backend] }],
          },
        },
        child,
      );
    } else {
      const annotations: Record<string, pulumi.Input<string>> = {
        "alb.ingress.kubernetes.io/group.name": args.via.groupName,
        "alb.ingress.kubernetes.io/scheme": args.via.scheme,
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
      };
      if (args.via.certificateArn !== undefined) {
        annotations["alb.ingress.kubernetes.io/certificate-arn"] = args.via
          .certificateArn as pulumi.Input<string>;
      }
      new k8s.networking.v1.Ingress(
        name,
        {
          metadata: { ...metadata, annotations },
          spec: {
            ingressClassName: "alb",
            rules: [
              {
                host: args.host,
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: backend.name, port: { number: backend.port } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        child,
      );
    }

    this.url = `https://${args.host}`;
    this.registerOutputs({ url: this.url });
  }
}
