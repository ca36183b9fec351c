import type * as pulumi from "@pulumi/pulumi";
import { AppConfig as ConfigResources } from "../../components/kubernetes/app-config.js";
import {
  AppNamespace,
  PULL_REQUEST_LABEL,
  type NamespaceEgress,
} from "../../components/kubernetes/app-namespace.js";
import type { Container } from "../../components/kubernetes/containers.js";
import { MigrationJob } from "../../components/kubernetes/migration-job.js";
import { PreviewDatabase } from "../../components/kubernetes/preview-database.js";
import { ImagePullSecret } from "../../components/kubernetes/pull-secret.js";
import { Route } from "../../components/kubernetes/route.js";
import { WebService } from "../../components/kubernetes/web-service.js";
import type { StackKind } from "../../components/stack.js";
import { readConfig, secretConfig } from "../_shared/config.js";
import { currentStack } from "../_shared/kinds.js";
import { appConfig, type AppConfig, type ServiceSize } from "./config.js";
import { platformFor, type Platform } from "./platform.js";
import { PREVIEW_QUOTA, sizesFor } from "./sizes.js";

/**
 * Secret config keys, read with `secretConfig`; `kubeconfig` and `registryPassword` are the
 * cluster's and registry's credentials of local, dev and production (platform.ts).
 */
const SECRET_KEYS = ["databaseUrl", "kubeconfig", "registryPassword"];

/** Hosts per stack kind: previews get `N.pr.DOMAIN` and `N.pr-api.DOMAIN`. */
function hostsFor(stack: StackKind, domain: string): { web: string; api: string } {
  switch (stack.kind) {
    case "preview":
      return { web: `${stack.prNumber}.pr.${domain}`, api: `${stack.prNumber}.pr-api.${domain}` };
    case "production":
      return { web: domain, api: `api.${domain}` };
    default:
      return { web: `${stack.kind}.${domain}`, api: `${stack.kind}-api.${domain}` };
  }
}

function checkPrNumber(stack: StackKind, config: AppConfig): void {
  if (stack.kind === "preview" && config.prNumber !== undefined) {
    if (config.prNumber !== stack.prNumber) {
      throw new Error(
        `config prNumber ${config.prNumber} does not match stack ${stack.stack}; they must agree`,
      );
    }
  } else if (stack.kind !== "preview" && config.prNumber !== undefined) {
    throw new Error(`config prNumber is for pr-N stacks only, not ${stack.stack}`);
  }
  if (stack.kind !== "preview" && config.previewEgress !== undefined) {
    throw new Error(
      `config previewEgress is for pr-N stacks only, not ${stack.stack}: only previews deny egress`,
    );
  }
  if (stack.kind === "preview" && config.namespaceMode !== "create") {
    throw new Error(
      `config namespaceMode ${config.namespaceMode} is for local, dev and production: a preview creates its namespace, which closing it deletes`,
    );
  }
}

/** One program for local, dev, pr-N and production: web and API by digest, routes, database. */
export async function appProgram() {
  const stack = currentStack("app", ["local", "dev", "preview", "production"]);
  const config = readConfig(appConfig, SECRET_KEYS);
  checkPrNumber(stack, config);
  const platform = await platformFor(stack, config);
  const { provider, skipAwait } = platform;
  const sizes = sizesFor(stack.kind, config.sizes);

  const preview = stack.kind === "preview";
  const namespace = new AppNamespace("namespace", {
    provider,
    name: preview
      ? `preview-pr-${stack.prNumber}`
      : (config.namespace ?? `${config.appName}-${stack.stack}`),
    // The cleanup action deletes, and the shared database admits, only namespaces labelled so.
    labels: preview ? { [PULL_REQUEST_LABEL]: String(stack.prNumber) } : {},
    mode: config.namespaceMode,
    // An adopted or skipped namespace is never deleted, so there is nothing to protect.
    protect: stack.kind === "production" && config.namespaceMode === "create",
    quota: preview ? PREVIEW_QUOTA : undefined,
    // The deployer's rights in the namespace, bound before anything else is made there.
    deployer: platform.deployer,
    limitRange:
      preview && sizes.jobs?.requests && sizes.jobs.limits
        ? { defaultRequest: sizes.jobs.requests, default: sizes.jobs.limits }
        : undefined,
    // Created namespaces enforce the `restricted` Pod Security Standard (AppNamespace's default).
    networkPolicy:
      stack.kind === "local"
        ? undefined
        : {
            ...platform.ingressFrom,
            // A preview reaches only its own pods, DNS, its database and what config declares.
            egress: preview ? previewEgress(platform, config) : undefined,
          },
  });

  // A preview's is copied in by the platform (PreviewDatabaseProvisioner): only its name here.
  const pull = platform.pullSecret;
  const pullSecrets = pull
    ? [
        pull.dockerConfigJson
          ? new ImagePullSecret("registry", {
              provider,
              namespace: namespace.name,
              secretName: pull.name,
              credentials: { dockerConfigJson: pull.dockerConfigJson },
            }).secretName
          : pull.name,
      ]
    : [];

  const database = databaseFor(stack, config, platform, namespace);
  const envFrom = database ? [{ secret: database.secretName }] : [];
  const notAwaited: string[] = [];
  const images = config.images;

  const migration = config.migration
    ? new MigrationJob(
        "migrate",
        {
          provider,
          namespace,
          jobName: "migrate",
          container: {
            name: "migrate",
            image: images.migrate ?? images.api,
            command: config.migration.command,
            envFrom,
            resources: sizes.jobs,
          },
          imagePullSecrets: pullSecrets,
          securityContext: config.migration.securityContext,
          skipAwait,
        },
        { dependsOn: database ? [database.resource] : [] },
      )
    : undefined;
  if (migration) notAwaited.push(...migration.notAwaited);

  const hosts = hostsFor(stack, platform.domain);
  const urls = { web: `https://${hosts.web}`, api: `https://${hosts.api}` };
  const service = (
    name: "web" | "api",
    size: ServiceSize,
    container: Partial<Container>,
    dependsOn: pulumi.Resource[] = [],
  ) =>
    new WebService(
      name,
      {
        provider,
        namespace,
        container: { name, image: images[name], resources: size.resources, ...container },
        port: config[name].port,
        replicas: size.replicas,
        probes: { path: config[name].healthPath },
        autoscaling: size.autoscaling,
        disruptionBudget: size.minAvailable ? { minAvailable: size.minAvailable } : undefined,
        imagePullSecrets: pullSecrets,
        securityContext: config[name].securityContext,
        skipAwait,
      },
      { dependsOn },
    );
  const web = service("web", sizes.web, { env: { API_URL: urls.api, APP_ENV: stack.stack } });
  // The API starts once its database exists and is migrated.
  const api = service(
    "api",
    sizes.api,
    { env: { WEB_URL: urls.web, APP_ENV: stack.stack }, envFrom },
    [database?.resource, migration].filter((r) => r !== undefined),
  );
  notAwaited.push(...web.notAwaited, ...api.notAwaited);

  for (const [name, target] of [
    ["web", web],
    ["api", api],
  ] as const) {
    const route = new Route(name, {
      provider,
      namespace: namespace.name,
      host: hosts[name],
      service: { name: target.serviceName, port: target.port },
      via: platform.via,
      // The ALB checks its targets itself, on this path rather than its default `/`.
      healthCheckPath: config[name].healthPath,
      skipAwait,
    });
    notAwaited.push(...route.notAwaited);
  }

  return {
    webUrl: urls.web,
    apiUrl: urls.api,
    namespace: namespace.name,
    /**
     * The Services' in-cluster URLs (ClusterIP), for a check from inside the cluster network
     * where the routes' hostnames are not served (`url-outputs: serviceUrls`).
     */
    serviceUrls: [web.clusterUrl, api.clusterUrl],
    /** What this stack created without waiting for readiness, as `Kind name`. */
    notAwaited,
  };
}

/** A preview's declared dependencies: the shared database's pods and port, and config's. */
function previewEgress(platform: Platform, config: AppConfig): NamespaceEgress {
  const database = platform.database;
  return {
    allowTo: [
      ...(database
        ? [
            {
              namespace: database.namespace,
              podLabels: database.podLabels,
              ports: [{ port: database.port }],
            },
          ]
        : []),
      ...(config.previewEgress?.allowTo ?? []),
    ],
    allowToCidrs: config.previewEgress?.allowToCidrs ?? [],
  };
}

/**
 * The Secret with the API's database credentials: a database and role of the preview's own on
 * the shared server, or the secret config `databaseUrl` elsewhere.
 */
function databaseFor(
  stack: StackKind,
  config: AppConfig,
  platform: Platform,
  namespace: AppNamespace,
): { resource: pulumi.Resource; secretName: pulumi.Output<string> } | undefined {
  const { provider } = platform;
  if (stack.kind === "preview") {
    if (!platform.database) {
      throw new Error(
        "previews need a database: the base stack exports no databaseHost (set postgres in preview-base)",
      );
    }
    // A request: the platform's provisioner answers with `<appName>_pr_<N>` and its Secret.
    const created = new PreviewDatabase("database", {
      provider,
      namespace,
      appName: config.appName,
    });
    return { resource: created, secretName: created.secretName };
  }
  const url = secretConfig("databaseUrl");
  if (!url) return undefined;
  const secret = new ConfigResources("database", {
    provider,
    namespace: namespace.name,
    secrets: { DATABASE_URL: url },
  });
  return { resource: secret, secretName: secret.secretName! };
}
