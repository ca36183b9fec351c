import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, hostname } from "../../components/args.js";
import { ipv4Cidr } from "../../components/aws/cidr.js";
import { WildcardCertificate } from "../../components/aws/wildcard-certificate.js";
import { imageRef } from "../../components/digest.js";
import {
  AppNamespace,
  KUBE_API_CLIENT,
  MANAGED_BY,
  PULL_REQUEST_LABEL,
} from "../../components/kubernetes/app-namespace.js";
import { resources } from "../../components/kubernetes/containers.js";
import {
  podSecurityLevel,
  workloadSecurityContext,
} from "../../components/kubernetes/pod-security.js";
import { POSTGRES_IMAGE_USER, SharedPostgres } from "../../components/kubernetes/postgres.js";
import { previewDatabasePrefix } from "../../components/kubernetes/preview-database.js";
import { PreviewDatabaseProvisioner } from "../../components/kubernetes/preview-database-provisioner.js";
import { githubPreviewAuthenticator } from "../../components/kubernetes/github-identity.js";
import { PreviewDeployer } from "../../components/kubernetes/preview-deployer.js";
import {
  cronSchedule,
  PreviewDatabaseJanitor,
} from "../../components/kubernetes/preview-database-janitor.js";
import { ImagePullSecret } from "../../components/kubernetes/pull-secret.js";
import { SKIP_AWAIT } from "../../components/kubernetes/await.js";
import { qualifiedStackName } from "../../components/stack.js";
import { standardTags } from "../../components/tags.js";
import { clusterAccess } from "../_shared/cluster.js";
import { readConfig, secretConfig } from "../_shared/config.js";
import { currentStack } from "../_shared/kinds.js";
import { PULL_SECRET, registryConfig, registryPullSecret } from "../_shared/registry.js";
import { previewDns } from "./dns.js";
import { gatewayPrerequisites, installConfig } from "./prerequisites.js";

const TLS_SECRET = "preview-wildcard-tls";

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const previewBaseConfig = z
  .strictObject({
    /**
     * `org/cluster/<stack>`, whose `kubeconfig` this stack deploys with unless the secret
     * `kubeconfig` is set; defaults to the same stack name in project `cluster` (not for local).
     */
    clusterStack: qualifiedStackName.optional(),
    /** local only: a kubeconfig context instead of a cluster stack (or the secret kubeconfig). */
    kubeContext: z.string().optional(),
    domain: hostname,
    routing: z.enum(["gateway", "alb-ingress"]).default("gateway"),
    gateway: z
      .strictObject({
        className: z.string().default("nginx"),
        namespace: z.string().default("gateway"),
        name: z.string().default("previews"),
        /** Create GatewayClass `className` for this controller (none is installed with it). */
        controllerName: z.string().optional(),
        /** `none`: HTTP only, no cert-manager (the local flavour). */
        tls: z.enum(["cert-manager", "none"]).default("cert-manager"),
        /** The cert-manager ClusterIssuer that signs the wildcard certificate (DNS-01). */
        clusterIssuer: z.string().default("letsencrypt"),
        /** Its spec, to create it here; without one it must exist (it is read, failing fast). */
        clusterIssuerSpec: z.record(z.string(), z.unknown()).optional(),
        /**
         * Where the controller runs the gateway's proxy pods and their labels: the only pods
         * outside a preview's namespace its NetworkPolicy admits.
         */
        proxyNamespace: z.string().optional(),
        proxyPodLabels: z.record(z.string(), z.string()).optional(),
      })
      .prefault({}),
    alb: z
      .strictObject({
        groupName: z.string().default("previews"),
        hostedZoneId: z.string().optional(),
        /** Where ALB traffic comes from (target-type ip): the VPC range. */
        sourceCidrs: z.array(ipv4Cidr).default(["10.0.0.0/16"]),
      })
      .prefault({}),
    /** What this stack installs for gateway routing; `false` marks a checked prerequisite. */
    install: installConfig,
    /** Route 53 wildcard records for `*.DOMAIN`, `*.pr.DOMAIN`, `*.pr-api.DOMAIN`. */
    dns: z.strictObject({ hostedZoneId: z.string() }).optional(),
    /**
     * Do not wait for readiness (`pulumi.com/skipAwait`), for a cluster where nothing becomes
     * ready (an API server without nodes: the local flavour). App stacks on this base follow.
     */
    skipAwait: z.boolean().default(false),
    sharedNamespace: z.string().default("preview-shared"),
    /**
     * The API server's URL as previews' deploy jobs reach it, for the preview deployer's
     * kubeconfig; default the server of the (JSON) kubeconfig this stack deploys with.
     */
    previewApiServer: z.url({ protocol: /^https$/ }).optional(),
    /**
     * Who previews deploy as. `service-account` (default): one ServiceAccount for every
     * preview, its token in `previewKubeconfig` (secret). `github`: each pull request its own
     * user, `preview-kit:pr:<N>`, from its jobs' GitHub Actions OIDC token for `audience`, so
     * one preview's program cannot touch another's; the API server must trust those tokens
     * (the output `previewAuthenticator` is the entry for its AuthenticationConfiguration) and
     * the preview's jobs need `id-token: write` (the workflows' `kubernetes-oidc`).
     */
    previewIdentity: z
      .union([
        z.literal("service-account"),
        z.strictObject({
          github: z.strictObject({
            repository: z.string(),
            audience: z.string().min(1),
            /**
             * The kit's cleanup workflow as this repository calls it (`owner/name/.github/
             * workflows/cleanup-preview.yml`): its runs on `cleanupRef` (a merged pull
             * request's close, the sweep) may delete what previews made.
             */
            cleanupWorkflow: z.string().optional(),
            cleanupRef: z.string().optional(),
          }),
        }),
      ])
      .default("service-account"),
    /** With previewIdentity github: the API server's CA (base64 PEM); default the kubeconfig's. */
    previewApiServerCaData: z.base64().optional(),
    /**
     * The shared namespace denies egress but to its own pods and the cluster DNS; its database
     * provisioner and janitor also reach the API server's endpoints here: these ranges (default
     * anywhere; narrow them to the endpoints' addresses), on this port (default the port of
     * previewApiServer, 443 when it names none). A policy sees the endpoint, after the
     * `kubernetes` Service's translation: kubeadm's 6443, EKS's 443.
     */
    apiServerEgress: z
      .strictObject({
        cidrs: z.array(ipv4Cidr).min(1).default(["0.0.0.0/0"]),
        port: z.int().min(1).max(65535).optional(),
      })
      .prefault({}),
    /** The shared server previews get their databases on; omit where no previews run. */
    postgres: z
      .strictObject({
        image: imageRef,
        storage: z.string().default("10Gi"),
        /** Default: the cluster's default StorageClass (on EKS the cluster program's gp3). */
        storageClassName: z.string().optional(),
        resources: resources.optional(),
        /** The user it runs as, never root (default 999: the official Debian-based image). */
        securityContext: workloadSecurityContext.default(POSTGRES_IMAGE_USER),
      })
      .optional(),
    /**
     * The Pod Security Standard each namespace made here enforces: the shared one holds only
     * the kit's pods (PostgreSQL, the janitor, previews' database Jobs), all non-root; the
     * gateway's holds the proxy pods its controller makes, which are not the kit's.
     */
    podSecurity: z
      .strictObject({
        shared: podSecurityLevel.default("restricted"),
        gateway: podSecurityLevel.default("baseline"),
      })
      .prefault({}),
    /**
     * Drops the databases of closed previews (nothing else can: see PreviewDatabaseJanitor). On
     * wherever `postgres` is set, or an explicit `enabled: false`. `kubectlImage`, `appNames` and
     * `resources` are also the database provisioner's (PreviewDatabaseProvisioner), which runs
     * wherever `postgres` is set.
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
    registry: registryConfig.optional(),
    tagProject: z.string().default("preview-kit"),
  })
  .refine(
    (c) =>
      c.routing !== "gateway" ||
      c.gateway.tls === "none" ||
      !c.install.certManager ||
      c.gateway.clusterIssuerSpec !== undefined,
    {
      message:
        "installing cert-manager here needs gateway.clusterIssuerSpec: the ClusterIssuer cannot exist before cert-manager does (or set install.certManager false)",
      path: ["gateway", "clusterIssuerSpec"],
    },
  );

type PreviewBaseConfig = z.output<typeof previewBaseConfig>;

/** Secret config keys, read with `secretConfig`. */
const SECRET_KEYS = ["postgresPassword", "registryPassword", "kubeconfig"];

/** Per-cluster pieces every preview shares: routing with wildcard TLS, PostgreSQL, pull secret. */
export function previewBaseProgram() {
  const stack = currentStack("preview-base", ["local", "dev", "production"]);
  const config = readConfig(previewBaseConfig, SECRET_KEYS);

  // The cluster admin's: this stack deploys with it and never exports it (issue #19).
  const { provider, kubeconfig } = clusterAccess(stack, config);

  const notAwaited: string[] = [];
  const pullSecret = config.registry && registryPullSecret(config.registry);
  // Default-deny ingress (only its own pods, and the previews' to the database: SharedPostgres)
  // and egress (its own pods and DNS; the API server for its controllers, below), so a
  // compromised pod here, where the database admin's password lives, sends it nowhere.
  const shared = new AppNamespace("shared", {
    provider,
    name: config.sharedNamespace,
    podSecurity: { level: config.podSecurity.shared },
    networkPolicy: { egress: {} },
  });
  const apiServer = previewApiServer(config, kubeconfig);
  const github =
    config.previewIdentity === "service-account" ? undefined : config.previewIdentity.github;
  const registry =
    pullSecret &&
    new ImagePullSecret("registry", {
      provider,
      namespace: shared.name,
      secretName: PULL_SECRET,
      credentials: { dockerConfigJson: pullSecret },
    });
  const database =
    config.postgres &&
    sharedDatabase(provider, shared, config, config.postgres, registry ? PULL_SECRET : undefined);
  if (database) {
    notAwaited.push(...database.notAwaited);
    apiServerEgress(provider, shared, config.apiServerEgress, apiServer);
  }

  const deployer = new PreviewDeployer(
    "preview-deployer",
    {
      provider,
      namespace: config.sharedNamespace,
      server: apiServer,
      identity: github
        ? { github: { audience: github.audience, caData: previewApiServerCa(config, kubeconfig) } }
        : "service-account",
    },
    { dependsOn: [shared] },
  );

  const domain = config.domain;
  // Everything the app program serves: production, dev, local and every preview host.
  const hosts = [domain, `*.${domain}`, `*.pr.${domain}`, `*.pr-api.${domain}`];
  const tags = standardTags({ project: config.tagProject, stack: stack.stack });
  const routing =
    config.routing === "gateway"
      ? gatewayRouting(provider, config, hosts)
      : albRouting(provider, config, shared, hosts, tags);
  notAwaited.push(...routing.notAwaited);
  if (config.dns) {
    previewDns("dns", { domain, hostedZoneId: config.dns.hostedZoneId, target: routing.address });
  }

  // Previews' Pulumi tokens read this stack, and a StackReference hands their programs every
  // output, secrets decrypted: nothing here may be more than a preview may hold. No admin
  // kubeconfig, no registry credential (the platform copies the pull secret into previews).
  return {
    // What a preview's program deploys with (see PreviewDeployer).
    previewKubeconfig: deployer.kubeconfig,
    previewDeployerRole: deployer.namespacedRole,
    previewDeployerAccount: deployer.serviceAccount,
    previewIdentity: github ? "github" : "service-account",
    // What the platform adds to its API server's AuthenticationConfiguration (`jwt`).
    previewAuthenticator:
      github &&
      githubPreviewAuthenticator({
        repository: github.repository,
        audience: github.audience,
        ...(github.cleanupWorkflow
          ? { cleanup: { workflow: github.cleanupWorkflow, ref: github.cleanupRef } }
          : {}),
      }),
    previewCleanupRole: deployer.cleanupRole,
    domain,
    routing: config.routing,
    ...routing.outputs,
    sharedNamespace: shared.name,
    ...database?.outputs,
    pullSecretName: pullSecret ? PULL_SECRET : undefined,
    skipAwait: config.skipAwait,
    /** What this stack created without waiting for readiness, as `Kind name`. */
    notAwaited,
  };
}

/**
 * Where previews' deploy jobs reach the API server: config `previewApiServer`, or the current
 * cluster's server in a JSON kubeconfig (the cluster program's is).
 */
function previewApiServer(
  config: PreviewBaseConfig,
  kubeconfig: pulumi.Output<string> | undefined,
): pulumi.Input<string> {
  return (
    config.previewApiServer ??
    currentCluster(
      kubeconfig,
      "server",
      "the preview deployer's kubeconfig needs config previewApiServer (https://…) unless the kubeconfig is JSON with a server",
    )
  );
}

/**
 * The CA previews' jobs verify the API server with (GitHub identity): config
 * `previewApiServerCaData`, or the current cluster's in a JSON kubeconfig.
 */
function previewApiServerCa(
  config: PreviewBaseConfig,
  kubeconfig: pulumi.Output<string> | undefined,
): pulumi.Input<string> {
  return (
    config.previewApiServerCaData ??
    currentCluster(
      kubeconfig,
      "certificate-authority-data",
      "previewIdentity github needs config previewApiServerCaData (base64 PEM) unless the kubeconfig is JSON with certificate-authority-data",
    )
  );
}

/** A field of the current context's cluster in a JSON kubeconfig; `missing` when there is none. */
function currentCluster(
  kubeconfig: pulumi.Output<string> | undefined,
  field: "server" | "certificate-authority-data",
  missing: string,
): pulumi.Output<string> {
  if (!kubeconfig) throw new Error(missing);
  return kubeconfig.apply((text) => {
    let parsed: KubeconfigClusters;
    try {
      parsed = JSON.parse(text) as KubeconfigClusters;
    } catch {
      throw new Error(missing);
    }
    const context = parsed.contexts?.find((c) => c.name === parsed["current-context"]);
    const value = parsed.clusters?.find((c) => c.name === context?.context?.cluster)?.cluster?.[
      field
    ];
    if (!value) throw new Error(missing);
    return value;
  });
}

/** Admits the shared namespace's API clients (KUBE_API_CLIENT) to the API server's endpoints. */
function apiServerEgress(
  provider: k8s.Provider,
  shared: AppNamespace,
  egress: PreviewBaseConfig["apiServerEgress"],
  apiServer: pulumi.Input<string>,
): void {
  const port =
    egress.port ?? pulumi.output(apiServer).apply((url) => Number(new URL(url).port || 443));
  new k8s.networking.v1.NetworkPolicy(
    "shared-kube-api-clients",
    {
      metadata: { name: "kube-api-clients", namespace: shared.name },
      spec: {
        podSelector: { matchLabels: KUBE_API_CLIENT },
        policyTypes: ["Egress"],
        egress: [
          {
            to: egress.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ port, protocol: "TCP" }],
          },
        ],
      },
    },
    { provider },
  );
}

interface KubeconfigClusters {
  "current-context"?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: {
    name: string;
    cluster?: { server?: string; "certificate-authority-data"?: string };
  }[];
}

function sharedDatabase(
  provider: k8s.Provider,
  namespace: AppNamespace,
  config: PreviewBaseConfig,
  postgres: NonNullable<PreviewBaseConfig["postgres"]>,
  pullSecret: string | undefined,
) {
  const janitor = config.databaseJanitor;
  const adminPassword = secretConfig("postgresPassword");
  if (!adminPassword) {
    throw new Error(
      "config postgres needs the secret postgresPassword (pulumi config set --secret)",
    );
  }
  if (!janitor.kubectlImage) {
    throw new Error(
      "config postgres runs a database provisioner and janitor that need databaseJanitor.kubectlImage (an image by digest with sh and kubectl)",
    );
  }
  const storageClass = postgres.storageClassName
    ? [
        // A prerequisite, read so that a missing class fails now rather than leave the
        // volume claim Pending.
        k8s.storage.v1.StorageClass.get(
          `prerequisite-storageclass-${postgres.storageClassName}`,
          postgres.storageClassName,
          { provider },
        ),
      ]
    : [];
  const server = new SharedPostgres(
    "postgres",
    {
      provider,
      namespace,
      image: postgres.image,
      storage: postgres.storage,
      storageClassName: postgres.storageClassName,
      resources: postgres.resources,
      adminPassword,
      securityContext: postgres.securityContext,
      // Only previews' namespaces (made by the kit, labelled with their pull request).
      clientNamespaces: { labels: MANAGED_BY, withLabels: [PULL_REQUEST_LABEL] },
      skipAwait: config.skipAwait,
    },
    { dependsOn: storageClass },
  );
  const platformSide = {
    provider,
    namespace,
    databasePrefixes: [...new Set(janitor.appNames.map(previewDatabasePrefix))],
    server: { host: server.host, adminUser: server.adminUser, adminPassword },
    image: postgres.image,
    kubectlImage: janitor.kubectlImage,
    resources: janitor.resources,
    securityContext: { runAsUser: postgres.securityContext.runAsUser },
    imagePullSecrets: pullSecret ? [pullSecret] : [],
  };
  // Previews ask for their databases; this answers with the admin's credentials, which stay
  // here (no preview can read this namespace's Secrets).
  const provisioner = new PreviewDatabaseProvisioner(
    "database-provisioner",
    { ...platformSide, pullSecret, skipAwait: config.skipAwait },
    { dependsOn: [server] },
  );
  if (janitor.enabled) {
    new PreviewDatabaseJanitor("database-janitor", { ...platformSide, schedule: janitor.schedule });
  }
  return {
    notAwaited: [...server.notAwaited, ...provisioner.notAwaited],
    outputs: {
      databaseHost: server.host,
      databaseNamespace: namespace.name,
      databasePort: server.port,
      // What a preview's egress policy admits: these pods, on that port, in that namespace.
      databasePodLabels: server.podLabels,
    },
  };
}

function gatewayRouting(provider: k8s.Provider, config: PreviewBaseConfig, hosts: string[]) {
  const gateway = config.gateway;
  const skip = config.skipAwait;
  const annotations = skip ? SKIP_AWAIT : {};
  const ready = gatewayPrerequisites(
    provider,
    config.install,
    {
      className: gateway.className,
      controllerName: gateway.controllerName,
      tls: gateway.tls,
      clusterIssuer: { name: gateway.clusterIssuer, spec: gateway.clusterIssuerSpec },
    },
    skip,
  );
  const namespace = new AppNamespace("gateway", {
    provider,
    name: gateway.namespace,
    podSecurity: { level: config.podSecurity.gateway },
  });
  const tls = gateway.tls === "cert-manager";
  const certificate = tls
    ? [
        new k8s.apiextensions.CustomResource(
          "wildcard-tls",
          {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: TLS_SECRET, namespace: namespace.name, annotations },
            spec: {
              secretName: TLS_SECRET,
              dnsNames: hosts,
              issuerRef: { kind: "ClusterIssuer", name: gateway.clusterIssuer },
            },
          },
          { provider, dependsOn: ready.certificate },
        ),
      ]
    : [];
  // Only namespaces created (or adopted) by this kit may attach routes.
  const fromKit = { namespaces: { from: "Selector", selector: { matchLabels: MANAGED_BY } } };
  const listener = tls ? "https" : "http";
  // With DNS records to make, wait for the address the controller gives the Gateway.
  const waitForAddress: Record<string, string> =
    config.dns && !skip ? { "pulumi.com/waitFor": "jsonpath={.status.addresses[0].value}" } : {};
  const gatewayResource = new k8s.apiextensions.CustomResource(
    "gateway",
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: {
        name: gateway.name,
        namespace: namespace.name,
        annotations: { ...annotations, ...waitForAddress },
      },
      spec: {
        gatewayClassName: gateway.className,
        listeners: tls
          ? [
              {
                name: "https",
                protocol: "HTTPS",
                port: 443,
                tls: {
                  mode: "Terminate",
                  certificateRefs: [{ kind: "Secret", name: TLS_SECRET }],
                },
                allowedRoutes: fromKit,
              },
              {
                name: "http",
                protocol: "HTTP",
                port: 80,
                allowedRoutes: { namespaces: { from: "Same" } },
              },
            ]
          : [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: fromKit }],
      },
      // Declared so that the provider returns it: the DNS records point at its address.
      status: undefined,
    },
    { provider, dependsOn: [...ready.gateway, ...certificate] },
  );
  const notAwaited = skip
    ? [`GatewayClass ${gateway.className}`, `Gateway ${gateway.name}`].slice(
        gateway.controllerName ? 0 : 1,
      )
    : [];
  if (tls) {
    // Plain HTTP gets a redirect, like the ALB's HTTP listener.
    new k8s.apiextensions.CustomResource(
      "https-redirect",
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "https-redirect", namespace: namespace.name, annotations },
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
    if (skip) notAwaited.push(`Certificate ${TLS_SECRET}`, "HTTPRoute https-redirect");
  }
  const status = (
    gatewayResource as unknown as { status: pulumi.Output<GatewayStatus | undefined> }
  ).status;
  return {
    notAwaited,
    address: status.apply((s) => {
      const value = s?.addresses?.[0]?.value;
      if (config.dns && !value) {
        throw new Error(`Gateway ${gateway.name} has no address yet; its DNS records need one`);
      }
      return value ?? "";
    }),
    outputs: {
      gatewayName: gateway.name,
      gatewayNamespace: namespace.name,
      gatewayListener: listener,
      // NGINX Gateway Fabric runs each Gateway's proxy pods next to it, labelled with its name.
      gatewayProxyNamespace: gateway.proxyNamespace ?? gateway.namespace,
      gatewayProxyPodLabels: gateway.proxyPodLabels ?? {
        "gateway.networking.k8s.io/gateway-name": gateway.name,
      },
      tlsSecretName: tls ? TLS_SECRET : undefined,
    },
  };
}

interface GatewayStatus {
  addresses?: { value?: string }[];
}

function albRouting(
  provider: k8s.Provider,
  config: PreviewBaseConfig,
  shared: AppNamespace,
  hosts: string[],
  tags: Record<string, string>,
) {
  const alb = config.alb;
  if (!alb.hostedZoneId) throw new Error("routing alb-ingress needs config alb.hostedZoneId");
  // A prerequisite: the AWS Load Balancer Controller (the cluster program installs it) makes
  // IngressClass alb; without it every Ingress would wait ~10 minutes for an address.
  const ingressClass = k8s.networking.v1.IngressClass.get("prerequisite-ingressclass-alb", "alb", {
    provider,
  });
  const certificate = new WildcardCertificate("wildcard-tls", {
    domains: hosts,
    hostedZoneId: alb.hostedZoneId,
    tags,
  });
  // Holds the group's ALB while no preview is open (the controller deletes an empty group's
  // ALB, and a new one would have a new name), and gives its address for the DNS records.
  const anchor = new k8s.networking.v1.Ingress(
    "ingress-group",
    {
      metadata: {
        name: `${alb.groupName}-group`,
        namespace: shared.name,
        annotations: {
          ...(config.skipAwait ? SKIP_AWAIT : {}),
          "alb.ingress.kubernetes.io/group.name": alb.groupName,
          "alb.ingress.kubernetes.io/group.order": "1000",
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
          "alb.ingress.kubernetes.io/certificate-arn": certificate.certificateArn,
          "alb.ingress.kubernetes.io/actions.no-route": JSON.stringify({
            type: "fixed-response",
            fixedResponseConfig: {
              contentType: "text/plain",
              statusCode: "404",
              messageBody: "no route",
            },
          }),
        },
      },
      spec: {
        ingressClassName: "alb",
        defaultBackend: { service: { name: "no-route", port: { name: "use-annotation" } } },
      },
    },
    { provider, dependsOn: [ingressClass] },
  );
  return {
    notAwaited: config.skipAwait ? [`Ingress ${alb.groupName}-group`] : [],
    address: anchor.status.loadBalancer.ingress.apply((ingress) => ingress?.[0]?.hostname ?? ""),
    outputs: {
      ingressGroupName: alb.groupName,
      ingressSourceCidrs: alb.sourceCidrs,
      certificateArn: certificate.certificateArn,
    },
  };
}
