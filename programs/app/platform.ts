import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostname } from "../../components/args.js";
import type { NamespaceIngress } from "../../components/kubernetes/app-namespace.js";
import { clusterFqdn } from "../../components/kubernetes/dns.js";
import type { RouteArgs } from "../../components/kubernetes/route.js";
import { VerifiedStackReference, type StackKind } from "../../components/stack.js";
import { clusterAccess } from "../_shared/cluster.js";
import { secretConfig } from "../_shared/config.js";
import { previewUser } from "../../components/kubernetes/github-identity.js";
import { PULL_SECRET, registryPullSecret } from "../_shared/registry.js";
import { readStackOutputs, siblingStack } from "../_shared/stack-outputs.js";
import type { AppConfig } from "./config.js";

/**
 * What preview-base exports, validated before anything is deployed against it: only what a
 * preview may hold (previews read that stack), so never the cluster's or registry's credentials.
 */
const baseOutputs = z.object({
  domain: hostname,
  routing: z.enum(["gateway", "alb-ingress"]),
  gatewayName: z.string().optional(),
  gatewayNamespace: z.string().optional(),
  gatewayListener: z.string().default("https"),
  gatewayProxyNamespace: z.string().optional(),
  gatewayProxyPodLabels: z.record(z.string(), z.string()).optional(),
  ingressGroupName: z.string().optional(),
  ingressSourceCidrs: z.array(z.string()).optional(),
  certificateArn: z.string().optional(),
  databaseHost: clusterFqdn.optional(),
  databasePort: z.number().optional(),
  databaseNamespace: z.string().optional(),
  databasePodLabels: z.record(z.string(), z.string()).optional(),
  previewKubeconfig: z.string().optional(),
  previewDeployerRole: z.string().optional(),
  previewDeployerAccount: z.strictObject({ namespace: z.string(), name: z.string() }).optional(),
  /** `github`: each pull request deploys as its own user (PreviewDeployer's GitHub identity). */
  previewIdentity: z.enum(["service-account", "github"]).default("service-account"),
  previewCleanupRole: z.string().optional(),
  pullSecretName: z.string().optional(),
  skipAwait: z.boolean().default(false),
});

/** The base's secret outputs: read as secrets, never as plain values (see readStackOutputs). */
const BASE_SECRETS = ["previewKubeconfig"] as const;

/** The shared server a preview gets its database on (the platform's provisioner makes it). */
export interface PlatformDatabase {
  host: string;
  port: number;
  /** The server's namespace, which a preview's egress policy admits. */
  namespace: string;
  /** The server's pods, which a preview's egress policy admits (all of its namespace's if unset). */
  podLabels?: Record<string, string>;
}

/** The cluster an app stack deploys to, and how traffic and data reach it. */
export interface Platform {
  provider: k8s.Provider;
  domain: string;
  via: RouteArgs["via"];
  /** Who may reach the app's pods besides the namespace itself. */
  ingressFrom: NamespaceIngress;
  database?: PlatformDatabase;
  /**
   * The registry's pull secret: the stack's own credentials (local, dev, production), or for a
   * preview only the base's secret's name (the platform copies it into the preview's namespace).
   */
  pullSecret?: { name: string; dockerConfigJson?: pulumi.Output<string> };
  /**
   * A preview's: the deployer its provider authenticates as, to bind in its namespace: the
   * base's ServiceAccount, or (GitHub identity) its pull request's own user.
   */
  deployer?:
    | { role: string; serviceAccount: { namespace: string; name: string } }
    | { role: string; user: string; cleanupRole?: string };
  /** Whether the base's cluster lets nothing become ready (the local flavour). */
  skipAwait: boolean;
}

export async function platformFor(stack: StackKind, config: AppConfig): Promise<Platform> {
  const preview = stack.kind === "preview";
  if (preview) refuseAdminConfig(stack, config);
  if (stack.kind === "local" && config.kubeContext) return localPlatform(config);
  const reference = new VerifiedStackReference(
    "base",
    config.baseStack ?? siblingStack("preview-base", preview ? "dev" : stack.stack),
  );
  const base = await readStackOutputs(reference, baseOutputs, BASE_SECRETS);
  // Explicit provider, never the ambient one (seed bug 6): a preview's program deploys as the
  // base's preview deployer; the others as the cluster's admin, never through the base.
  const previewAccess =
    stack.kind === "preview"
      ? previewDeployer(reference.stackName, base, stack.prNumber)
      : undefined;
  const provider = previewAccess
    ? new k8s.Provider("k8s", { kubeconfig: previewAccess.kubeconfig })
    : clusterAccess(stack, config).provider;
  const gateway = base.routing === "gateway";
  if (gateway && !(base.gatewayName && base.gatewayNamespace)) {
    throw new Error(`stack ${reference.stackName} routes by gateway but exports no gateway name`);
  }
  const proxyNamespace = base.gatewayProxyNamespace ?? base.gatewayNamespace!;
  return {
    provider,
    domain: base.domain,
    via: gateway
      ? {
          kind: "gateway",
          gatewayName: base.gatewayName!,
          gatewayNamespace: base.gatewayNamespace!,
          sectionName: base.gatewayListener,
        }
      : {
          kind: "alb-ingress",
          groupName: base.ingressGroupName ?? "previews",
          certificateArn: base.certificateArn,
        },
    ingressFrom: gateway
      ? base.gatewayProxyPodLabels
        ? { allowFromPods: [{ namespace: proxyNamespace, podLabels: base.gatewayProxyPodLabels }] }
        : { allowFromNamespaces: [proxyNamespace] }
      : { allowFromCidrs: base.ingressSourceCidrs ?? [] },
    database: databaseOf(base),
    pullSecret: preview
      ? base.pullSecretName
        ? { name: base.pullSecretName }
        : undefined
      : ownPullSecret(config, { stackName: reference.stackName, ...base }),
    deployer: previewAccess?.deployer,
    skipAwait: config.skipAwait ?? base.skipAwait,
  };
}

type BaseOutputs = Awaited<
  ReturnType<typeof readStackOutputs<typeof baseOutputs, (typeof BASE_SECRETS)[number]>>
>;

/**
 * A preview's config names none of the cluster's or registry's credentials: it deploys as the
 * base's preview deployer and pulls with the secret the platform copies into its namespace.
 */
function refuseAdminConfig(stack: StackKind, config: AppConfig): void {
  const given = [
    config.clusterStack && "config clusterStack",
    config.registry && "config registry",
    secretConfig("kubeconfig") && "the secret kubeconfig",
    secretConfig("registryPassword") && "the secret registryPassword",
  ].filter(Boolean);
  if (given.length > 0) {
    throw new Error(
      `${given.join(", ")}: for local, dev and production only, not ${stack.stack}: a preview deploys as the base's preview deployer and pulls with the base's pull secret`,
    );
  }
}

/**
 * A platform-side stack's pull secret, from its own config registry. Where previews pull with
 * the base's, the stack surely needs one too: fail now rather than leave its pods unpulled.
 */
function ownPullSecret(
  config: AppConfig,
  base?: { stackName: string; pullSecretName?: string },
): Platform["pullSecret"] {
  if (config.registry) {
    return { name: PULL_SECRET, dockerConfigJson: registryPullSecret(config.registry) };
  }
  if (base?.pullSecretName) {
    throw new Error(
      `stack ${base.stackName} gives previews a registry pull secret; give this stack its own: config registry (server, username) and the secret registryPassword`,
    );
  }
  return undefined;
}

/**
 * What a preview deploys as: the base's previewKubeconfig, and whom its namespace binds (the
 * base's ServiceAccount, or pull request `prNumber`'s own user with the GitHub identity).
 */
function previewDeployer(
  stackName: string,
  base: BaseOutputs,
  prNumber: number,
): { kubeconfig: pulumi.Output<string>; deployer: NonNullable<Platform["deployer"]> } {
  const role = base.previewDeployerRole;
  const deployer =
    role &&
    (base.previewIdentity === "github"
      ? { role, user: previewUser(prNumber), cleanupRole: base.previewCleanupRole }
      : base.previewDeployerAccount && { role, serviceAccount: base.previewDeployerAccount });
  if (!base.previewKubeconfig || !deployer) {
    throw new Error(
      `stack ${stackName} exports no previewKubeconfig (update preview-base): a preview deploys as the base's preview deployer, never as the cluster's admin`,
    );
  }
  return { kubeconfig: base.previewKubeconfig, deployer };
}

function databaseOf(base: BaseOutputs): PlatformDatabase | undefined {
  const { databaseHost, databasePort, databaseNamespace, databasePodLabels } = base;
  if (!databaseHost || !databasePort) return;
  if (!databaseNamespace) {
    throw new Error(
      "the base stack exports databaseHost but no databaseNamespace (update preview-base): a preview's egress admits the server's namespace",
    );
  }
  return {
    host: databaseHost,
    port: databasePort,
    namespace: databaseNamespace,
    podLabels: databasePodLabels,
  };
}

function localPlatform(config: AppConfig): Platform {
  if (!config.domain) throw new Error("a local stack with kubeContext needs config domain");
  return {
    provider: new k8s.Provider("k8s", { context: config.kubeContext }),
    domain: config.domain,
    via: {
      kind: "gateway",
      gatewayName: config.gateway.name,
      gatewayNamespace: config.gateway.namespace,
      sectionName: config.gateway.listener,
    },
    ingressFrom: { allowFromNamespaces: [config.gateway.namespace] },
    pullSecret: ownPullSecret(config),
    skipAwait: config.skipAwait ?? false,
  };
}
