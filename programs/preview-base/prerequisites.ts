import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SKIP_AWAIT } from "../../components/kubernetes/await.js";

/**
 * What the Gateway routing needs in the cluster, pinned. Seed 004's users installed
 * cert-manager and NGINX Gateway Fabric in this stack with Helm; so does this program, unless
 * told that the cluster has them (then each is read, so a missing one fails at once, naming it).
 */
export const GATEWAY_API_CRDS =
  "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml";
export const CERT_MANAGER = {
  chart: "cert-manager",
  version: "v1.18.2",
  repo: "https://charts.jetstack.io",
};
export const NGINX_GATEWAY_FABRIC = {
  chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric",
  version: "2.1.1",
};

export const installConfig = z
  .strictObject({
    /** The Gateway API CRDs (standard channel). */
    gatewayApiCrds: z.boolean().default(true),
    /** cert-manager with its CRDs, for the wildcard certificate. */
    certManager: z.boolean().default(true),
    /** NGINX Gateway Fabric, which provides GatewayClass `nginx`. */
    nginxGatewayFabric: z.boolean().default(true),
  })
  .prefault({});

export type InstallConfig = z.output<typeof installConfig>;

/** Fails the deployment at once when `what` is absent, saying what it is needed for. */
function mustExist(
  provider: k8s.Provider,
  name: string,
  target: { apiVersion: string; kind: string; id: string },
  dependsOn: pulumi.Resource[],
) {
  return k8s.apiextensions.CustomResource.get(name, { ...target, provider, dependsOn });
}

/**
 * Installs or checks the Gateway API CRDs, the GatewayClass and cert-manager's ClusterIssuer.
 * Returns what the Gateway and Certificate must wait for.
 */
export function gatewayPrerequisites(
  provider: k8s.Provider,
  install: InstallConfig,
  gateway: {
    className: string;
    controllerName?: string | undefined;
    tls: "cert-manager" | "none";
    clusterIssuer: { name: string; spec?: Record<string, unknown> | undefined };
  },
  skipAwait: boolean,
): { gateway: pulumi.Resource[]; certificate: pulumi.Resource[] } {
  const crds = install.gatewayApiCrds
    ? [new k8s.yaml.v2.ConfigFile("gateway-api-crds", { file: GATEWAY_API_CRDS }, { provider })]
    : [];
  let gatewayClass: pulumi.Resource;
  if (gateway.controllerName) {
    // A class for a controller installed without one, or for a cluster where nothing
    // reconciles Gateways (the local flavour on a bare API server).
    gatewayClass = new k8s.apiextensions.CustomResource(
      "gateway-class",
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: gateway.className, annotations: skipAwait ? SKIP_AWAIT : {} },
        spec: { controllerName: gateway.controllerName },
      },
      { provider, dependsOn: crds },
    );
  } else if (install.nginxGatewayFabric) {
    gatewayClass = new k8s.helm.v3.Release(
      "nginx-gateway-fabric",
      {
        chart: NGINX_GATEWAY_FABRIC.chart,
        version: NGINX_GATEWAY_FABRIC.version,
        namespace: "nginx-gateway",
        createNamespace: true,
        // The CRDs come from the pinned Gateway API release above, not from the chart.
        skipCrds: true,
        values: { nginxGateway: { gatewayClassName: gateway.className } },
        skipAwait,
      },
      { provider, dependsOn: crds },
    );
  } else {
    gatewayClass = mustExist(
      provider,
      `prerequisite-gatewayclass-${gateway.className}`,
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", id: gateway.className },
      crds,
    );
  }
  if (gateway.tls === "none") return { gateway: [gatewayClass], certificate: [] };

  const certManager = install.certManager
    ? [
        new k8s.helm.v3.Release(
          "cert-manager",
          {
            chart: CERT_MANAGER.chart,
            version: CERT_MANAGER.version,
            repositoryOpts: { repo: CERT_MANAGER.repo },
            namespace: "cert-manager",
            createNamespace: true,
            values: { crds: { enabled: true } },
            skipAwait,
          },
          { provider },
        ),
      ]
    : [];
  const issuer = gateway.clusterIssuer;
  const clusterIssuer = issuer.spec
    ? new k8s.apiextensions.CustomResource(
        "cluster-issuer",
        {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { name: issuer.name, annotations: skipAwait ? SKIP_AWAIT : {} },
          spec: issuer.spec,
        },
        { provider, dependsOn: certManager },
      )
    : mustExist(
        provider,
        `prerequisite-clusterissuer-${issuer.name}`,
        { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", id: issuer.name },
        certManager,
      );
  return { gateway: [gatewayClass], certificate: [clusterIssuer] };
}
