import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, hostname } from "../../components/args.js";
import { WildcardCertificate } from "../../components/aws/wildcard-certificate.js";
import { imageRef } from "../../components/digest.js";
import { AppNamespace, MANAGED_BY } from "../../components/kubernetes/app-namespace.js";
import { resources } from "../../components/kubernetes/containers.js";
import { SharedPostgres } from "../../components/kubernetes/postgres.js";
import { previewDatabasePrefix } from "../../components/kubernetes/preview-database.js";
import {
  cronSchedule,
  PreviewDatabaseJanitor,
} from "../../components/kubernetes/preview-database-janitor.js";
import { dockerConfigJson, ImagePullSecret } from "../../components/kubernetes/pull-secret.js";
import { qualifiedStackName, VerifiedStackReference } from "../../components/stack.js";
import { standardTags } from "../../components/tags.js";
import { readConfig, secretConfig } from "../_shared/config.js";
import { currentStack } from "../_shared/kinds.js";
import { siblingStack } from "../_shared/stack-outputs.js";

const TLS_SECRET = "preview-wildcard-tls";
const PULL_SECRET = "registry";

export const previewBaseConfig = z.strictObject({
  /** `org/cluster/<stack>`; defaults to the same stack name in project `cluster`. */
  clusterStack: qualifiedStackName.optional(),
  /** local only: a kubeconfig context instead of a cluster stack. */
  kubeContext: z.string().optional(),
  domain: hostname,
  routing: z.enum(["gateway", "alb-ingress"]).default("gateway"),
  gateway: z
    .strictObject({
      className: z.string().default("nginx"),
      namespace: z.string().default("gateway"),
      name: z.string().default("previews"),
      /** The cert-manager ClusterIssuer that signs the wildcard certificate (DNS-01). */
      clusterIssuer: z.string().default("letsencrypt"),
    })
    .prefault({}),
  alb: z
    .strictObject({
      groupName: z.string().default("previews"),
      hostedZoneId: z.string().optional(),
      /** Where ALB traffic comes from (target-type ip): the VPC range. */
      sourceCidrs: z.array(z.string()).default(["10.0.0.0/16"]),
    })
    .prefault({}),
  sharedNamespace: z.string().default("preview-shared"),
  /** The shared server previews get their databases on; omit where no previews run. */
  postgres: z
    .strictObject({
      image: imageRef,
      storage: z.string().default("10Gi"),
      resources: resources.optional(),
    })
    .optional(),
  /**
   * Drops the databases of closed previews (nothing else can: see PreviewDatabaseJanitor). On
   * wherever `postgres` is set; it needs `kubectlImage`, or an explicit `enabled: false`.
   */
  databaseJanitor: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** An image with `sh` and a static `kubectl`, by digest. */
      kubectlImage: imageRef.optional(),
      schedule: cronSchedule.default("0 * * * *"),
      /** The `appName`s of the app stacks whose previews use this server. */
      appNames: z.array(dnsLabel).min(1).default(["app"]),
      resources: z
        .strictObject({
          requests: resources.shape.requests.unwrap(),
          limits: resources.shape.limits.unwrap(),
        })
        .default({
          requests: { cpu: "10m", memory: "32Mi" },
          limits: { cpu: "200m", memory: "128Mi" },
        }),
    })
    .prefault({}),
  /** Private registry the previews pull from; its password is the secret `registryPassword`. */
  registry: z.strictObject({ server: z.string(), username: z.string() }).optional(),
  tagProject: z.string().default("preview-kit"),
});

/** Per-cluster pieces every preview shares: routing with wildcard TLS, PostgreSQL, pull secret. */
export function previewBaseProgram() {
  const stack = currentStack("preview-base", ["local", "dev", "production"]);
  const config = readConfig(previewBaseConfig);

  let kubeconfig: pulumi.Output<string> | undefined;
  let provider: k8s.Provider;
  if (stack.kind === "local") {
    if (!config.kubeContext) throw new Error("a local stack needs config kubeContext");
    provider = new k8s.Provider("k8s", { context: config.kubeContext });
  } else {
    const cluster = new VerifiedStackReference(
      "cluster",
      config.clusterStack ?? siblingStack("cluster", stack.stack),
    );
    kubeconfig = cluster.need<string>("kubeconfig");
    provider = new k8s.Provider("k8s", { kubeconfig });
  }

  const shared = new AppNamespace("shared", { provider, name: config.sharedNamespace });
  const database =
    config.postgres && sharedDatabase(provider, shared, config.postgres, config.databaseJanitor);

  const pullSecret = config.registry && registryPullSecret(config.registry);
  if (pullSecret) {
    new ImagePullSecret("registry", {
      provider,
      namespace: shared.name,
      secretName: PULL_SECRET,
      credentials: { dockerConfigJson: pullSecret },
    });
  }

  const domain = config.domain;
  // Everything the app program serves: production, dev, local and every preview host.
  const hosts = [domain, `*.${domain}`, `*.pr.${domain}`, `*.pr-api.${domain}`];
  const routing =
    config.routing === "gateway"
      ? gatewayRouting(provider, config.gateway, hosts)
      : albRouting(
          config.alb,
          hosts,
          standardTags({ project: config.tagProject, stack: stack.stack }),
        );

  return {
    kubeconfig,
    domain,
    routing: config.routing,
    ...routing,
    sharedNamespace: shared.name,
    ...database,
    pullSecretName: pullSecret ? PULL_SECRET : undefined,
    dockerConfigJson: pullSecret,
  };
}

/** Without its password the registry would be dropped silently and every preview pull denied. */
function registryPullSecret(registry: { server: string; username: string }) {
  const password = secretConfig("registryPassword");
  if (!password) {
    throw new Error(
      "config registry needs the secret registryPassword (pulumi config set --secret)",
    );
  }
  return dockerConfigJson(registry.server, registry.username, password);
}

function sharedDatabase(
  provider: k8s.Provider,
  namespace: AppNamespace,
  postgres: NonNullable<z.output<typeof previewBaseConfig>["postgres"]>,
  janitor: z.output<typeof previewBaseConfig>["databaseJanitor"],
) {
  const adminPassword = secretConfig("postgresPassword");
  if (!adminPassword) {
    throw new Error(
      "config postgres needs the secret postgresPassword (pulumi config set --secret)",
    );
  }
  const server = new SharedPostgres("postgres", {
    provider,
    namespace,
    image: postgres.image,
    storage: postgres.storage,
    resources: postgres.resources,
    adminPassword,
  });
  if (janitor.enabled) {
    if (!janitor.kubectlImage) {
      throw new Error(
        "config postgres runs a database janitor that needs databaseJanitor.kubectlImage (an image by digest with sh and kubectl); without it closed previews leak their databases (opt out with databaseJanitor.enabled false)",
      );
    }
    new PreviewDatabaseJanitor("database-janitor", {
      provider,
      namespace,
      schedule: janitor.schedule,
      databasePrefixes: [...new Set(janitor.appNames.map(previewDatabasePrefix))],
      server: { host: server.host, adminUser: server.adminUser, adminPassword },
      image: postgres.image,
      kubectlImage: janitor.kubectlImage,
      resources: janitor.resources,
    });
  }
  return {
    databaseHost: server.host,
    databasePort: server.port,
    databaseAdminUser: server.adminUser,
    databaseAdminPassword: pulumi.secret(adminPassword),
    postgresImage: postgres.image,
  };
}

function gatewayRouting(
  provider: k8s.Provider,
  gateway: z.output<typeof previewBaseConfig>["gateway"],
  hosts: string[],
) {
  const namespace = new AppNamespace("gateway", { provider, name: gateway.namespace });
  const certificate = new k8s.apiextensions.CustomResource(
    "wildcard-tls",
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: TLS_SECRET, namespace: namespace.name },
      spec: {
        secretName: TLS_SECRET,
        dnsNames: hosts,
        issuerRef: { kind: "ClusterIssuer", name: gateway.clusterIssuer },
      },
    },
    { provider },
  );
  const gatewayResource = new k8s.apiextensions.CustomResource(
    "gateway",
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: gateway.name, namespace: namespace.name },
      spec: {
        gatewayClassName: gateway.className,
        listeners: [
          {
            name: "https",
            protocol: "HTTPS",
            port: 443,
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: TLS_SECRET }] },
            // Only namespaces created by this kit may attach routes.
            allowedRoutes: {
              namespaces: { from: "Selector", selector: { matchLabels: MANAGED_BY } },
            },
          },
          {
            name: "http",
            protocol: "HTTP",
            port: 80,
            allowedRoutes: { namespaces: { from: "Same" } },
          },
        ],
      },
    },
    { provider, dependsOn: [certificate] },
  );
  // Plain HTTP gets a redirect, like the ALB's HTTP listener.
  new k8s.apiextensions.CustomResource(
    "https-redirect",
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "https-redirect", namespace: namespace.name },
      spec: {
        parentRefs: [{ name: gateway.name, sectionName: "http" }],
        rules: [
          {
            filters: [
              { type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } },
            ],
          },
        ],
      },
    },
    { provider, dependsOn: [gatewayResource] },
  );
  return {
    gatewayName: gateway.name,
    gatewayNamespace: namespace.name,
    tlsSecretName: TLS_SECRET,
  };
}

function albRouting(
  alb: z.output<typeof previewBaseConfig>["alb"],
  hosts: string[],
  tags: Record<string, string>,
) {
  if (!alb.hostedZoneId) throw new Error("routing alb-ingress needs config alb.hostedZoneId");
  const certificate = new WildcardCertificate("wildcard-tls", {
    domains: hosts,
    hostedZoneId: alb.hostedZoneId,
    tags,
  });
  return {
    ingressGroupName: alb.groupName,
    ingressSourceCidrs: alb.sourceCidrs,
    certificateArn: certificate.certificateArn,
  };
}
