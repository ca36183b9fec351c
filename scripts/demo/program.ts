/**
 * What the Pulumi CLI double plays instead of programs/app and programs/preview-base: the
 * app's resources and outputs, templated from the stack config pulumi-deploy writes, and
 * the base stack's exports, and in the cluster the namespace the program would create.
 */
import type { Cluster } from "../../test/emulators/kubernetes/cluster.js";
import type { ProgramSpec, StackSpec } from "../../test/emulators/pulumi/double.js";

const image = (name: string) => `\${config:images.${name}}`;
const url = (name: string) => `http://\${config:domain}/pr-\${config:prNumber}/${name}`;

export const APP_PROGRAM: ProgramSpec = {
  resources: [
    {
      type: "kubernetes:core/v1:Namespace",
      name: "namespace",
      inputs: { name: "preview-pr-${config:prNumber}" },
    },
    { type: "kubernetes:apps/v1:Deployment", name: "web", inputs: { image: image("web") } },
    { type: "kubernetes:apps/v1:Deployment", name: "api", inputs: { image: image("api") } },
    { type: "kubernetes:core/v1:Service", name: "web", inputs: { port: 8080 } },
    { type: "kubernetes:core/v1:Service", name: "api", inputs: { port: 8080 } },
    {
      type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      name: "routes",
      inputs: { host: "${config:domain}" },
    },
  ],
  outputs: {
    webUrl: url("web"),
    apiUrl: url("api"),
    namespace: "preview-pr-${config:prNumber}",
  },
};

/** The shared preview infrastructure the app stack reads: its cluster and domain. */
export function baseStack(kubeconfig: string, domain: string): StackSpec {
  return {
    outputs: {
      kubeconfig: { secret: kubeconfig },
      domain,
      gateway: { name: "previews", namespace: "gateway" },
      clusterName: "emulated",
    },
  };
}

export const BASE_REQUIRED_OUTPUTS = ["kubeconfig:string", "domain:string", "gateway:object"];

/**
 * Creates, when absent, the namespace the app's Namespace resource would: labelled as Pulumi's,
 * with content that lingers on delete (a pod that never stops, a claim held by a finalizer).
 * True when it was created now.
 */
export function standInNamespace(cluster: Cluster, name: string): boolean {
  if (cluster.namespace(name)) return false;
  cluster.addNamespace(name, {
    labels: { "app.kubernetes.io/managed-by": "pulumi" },
    content: [
      { apiVersion: "apps/v1", kind: "Deployment", name: "web", removeAfterMs: 100 },
      { apiVersion: "apps/v1", kind: "Deployment", name: "api", removeAfterMs: 100 },
      { apiVersion: "v1", kind: "Service", name: "web" },
      { apiVersion: "v1", kind: "Pod", name: "web-6c9f8-x2k4p", removeAfterMs: Infinity },
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        name: "data",
        finalizers: ["kubernetes.io/pvc-protection"],
      },
    ],
  });
  return true;
}
