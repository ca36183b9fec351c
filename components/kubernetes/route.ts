import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, hostname, input, parseArgs, typeToken } from "../args.js";
import { awaitAnnotations, notAwaitedList } from "./await.js";
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
  healthCheckPath: z.string().startsWith("/").optional(),
  skipAwait: z.boolean().default(false),
});

/** Attach to a Gateway API Gateway with an HTTPRoute. */
export interface GatewayRoute {
  kind: "gateway";
  /** The Gateway's name. */
  gatewayName: pulumi.Input<string>;
  /** The Gateway's namespace. */
  gatewayNamespace: pulumi.Input<string>;
  /** The Gateway listener to attach to, e.g. `https`. */
  sectionName?: string;
}

/** An Ingress for the AWS Load Balancer Controller. */
export interface AlbIngressRoute {
  kind: "alb-ingress";
  /** Ingresses sharing a group share one ALB (one per cluster instead of one per preview). */
  groupName: string;
  /** The ACM certificate of the HTTPS listener; the controller discovers one when omitted. */
  certificateArn?: pulumi.Input<string>;
  /** `internet-facing` (default) or `internal`. */
  scheme?: "internet-facing" | "internal";
}

export interface RouteArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** The namespace of the route and its Service. */
  namespace: pulumi.Input<string>;
  /** The host served, e.g. `42.pr.example.com`. */
  host: string;
  /** The Service traffic goes to, e.g. `WebService.serviceName` and `.port`. */
  service: { name: pulumi.Input<string>; port: number };
  /** A Gateway's HTTPRoute, or an ALB Ingress. */
  via: GatewayRoute | AlbIngressRoute;
  /** For ALB Ingresses: the target group's health check path (default the controller's `/`). */
  healthCheckPath?: string;
  /**
   * Do not wait for the route to be accepted or the Ingress to get an address
   * (`pulumi.com/skipAwait`), where no controller runs; see `notAwaited`.
   */
  skipAwait?: boolean;
}

/** One host to one Service: a Gateway API HTTPRoute, or an Ingress for the AWS LB Controller. */
export class Route extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "Route");
  readonly url: string;
  /** What was created without waiting for it (`skipAwait`), as `Kind name`. */
  readonly notAwaited: string[];

  constructor(name: string, rawArgs: RouteArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(Route.type, name, routeArgs, rawArgs);
    super(Route.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const awaitNotes = awaitAnnotations(args.skipAwait);
    const metadata = { name, namespace: args.namespace as pulumi.Input<string> };
    const backend = { name: args.service.name, port: args.service.port };

    if (args.via.kind === "gateway") {
      new k8s.apiextensions.CustomResource(
        name,
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { ...metadata, annotations: awaitNotes },
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
        ...awaitNotes,
        "alb.ingress.kubernetes.io/group.name": args.via.groupName,
        "alb.ingress.kubernetes.io/scheme": args.via.scheme,
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
      };
      if (args.healthCheckPath !== undefined) {
        annotations["alb.ingress.kubernetes.io/healthcheck-path"] = args.healthCheckPath;
      }
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
    this.notAwaited = notAwaitedList(args.skipAwait, [
      `${args.via.kind === "gateway" ? "HTTPRoute" : "Ingress"} ${name}`,
    ]);
    this.registerOutputs({ url: this.url });
  }
}
