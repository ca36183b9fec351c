import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { input, labels, parseArgs, typeToken } from "../args.js";
import { namespaceTarget, resolveNamespace, type NamespaceTarget } from "./app-namespace.js";
import { awaitAnnotations, notAwaitedList } from "./await.js";
import { assertQuotaResources, container, containerSpec, type Container } from "./containers.js";
import {
  restrictedPod,
  workloadSecurityContext,
  type WorkloadSecurityContext,
} from "./pod-security.js";
import { explicitProvider } from "./provider.js";

const webServiceArgs = z
  .strictObject({
    provider: explicitProvider,
    namespace: namespaceTarget,
    /** The main container; its name is also the Deployment's and the Service's. */
    container,
    initContainers: z.array(container).default([]),
    port: z.int().min(1).max(65535),
    replicas: z.int().min(0).default(1),
    /** HTTP readiness and liveness probes on `port`. */
    probes: z
      .strictObject({
        path: z.string().startsWith("/"),
        initialDelaySeconds: z.int().min(0).default(5),
      })
      .optional(),
    autoscaling: z
      .strictObject({
        minReplicas: z.int().min(1),
        maxReplicas: z.int().min(1),
        targetCpuPercent: z.int().min(1).max(100).default(70),
      })
      .refine((a) => a.maxReplicas >= a.minReplicas, "maxReplicas must be >= minReplicas")
      .optional(),
    disruptionBudget: z.strictObject({ minAvailable: z.union([z.int(), z.string()]) }).optional(),
    imagePullSecrets: z.array(input(z.string())).default([]),
    securityContext: workloadSecurityContext.default({}),
    labels: labels.default({}),
    podAnnotations: z.record(z.string(), input(z.string())).default({}),
    skipAwait: z.boolean().default(false),
  })
  .refine((a) => !a.autoscaling || a.container.resources?.requests, {
    message: "autoscaling needs container.resources.requests (CPU utilisation is relative to them)",
    path: ["autoscaling"],
  });

export interface WebServiceArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** An AppNamespace, or `{ name, hasQuota }` for one made elsewhere. */
  namespace: NamespaceTarget;
  /** The main container; its name is also the Deployment's and the Service's. */
  container: Container;
  /** Run to completion before the main container starts. */
  initContainers?: Container[];
  /** The port the container listens on; the Service exposes the same port. */
  port: number;
  /** Pods to run (default 1); ignored when `autoscaling` is set. */
  replicas?: number;
  /** HTTP readiness and liveness probes on `port`. */
  probes?: { path: string; initialDelaySeconds?: number };
  /** A HorizontalPodAutoscaler on CPU; needs `container.resources.requests`. */
  autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuPercent?: number };
  /** A PodDisruptionBudget keeping this many (or this percentage of) pods through drains. */
  disruptionBudget?: { minAvailable: number | string };
  /** Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace. */
  imagePullSecrets?: pulumi.Input<string>[];
  /**
   * The user and groups its pods run as. They always run as non-root, with the runtime's
   * seccomp profile, no capabilities, no privilege escalation and no service-account token
   * (the `restricted` Pod Security Standard); set `runAsUser` where the image's user is root
   * or a name, `fsGroup` where it writes to a volume.
   */
  securityContext?: WorkloadSecurityContext;
  /** Labels on the Deployment, Service and pods. */
  labels?: Record<string, string>;
  /** Annotations on the pod template: a changed value rolls the pods. */
  podAnnotations?: Record<string, pulumi.Input<string>>;
  /**
   * Do not wait for the Deployment to roll out and the Service to get endpoints
   * (`pulumi.com/skipAwait`), where no pod can become ready; see `notAwaited`.
   */
  skipAwait?: boolean;
}

/** A Deployment pinned by digest, its Service, and optional HPA and PodDisruptionBudget. */
export class WebService extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "WebService");
  /** The Service's name, for routes. */
  readonly serviceName: pulumi.Output<string>;
  readonly port: number;
  /**
   * `http://<ClusterIP>:<port>`: where anything inside the cluster network (a pod, a node, a
   * runner on a node) reaches the Service without its route.
   */
  readonly clusterUrl: pulumi.Output<string>;
  /** What was created without waiting for readiness (`skipAwait`), as `Kind name`. */
  readonly notAwaited: string[];

  constructor(name: string, rawArgs: WebServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(WebService.type, name, webServiceArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    const owner = `${WebService.type} "${name}"`;
    if (namespace.hasQuota) {
      assertQuotaResources(owner, [args.container, ...args.initContainers]);
    }
    super(WebService.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const appName = args.container.name;
    const selector = { "app.kubernetes.io/name": appName };
    const podLabels = { ...args.labels, ...selector };
    const annotations = awaitAnnotations(args.skipAwait);
    const probe = args.probes && {
      httpGet: { path: args.probes.path, port: args.port },
      initialDelaySeconds: args.probes.initialDelaySeconds,
    };

    const deployment = new k8s.apps.v1.Deployment(
      name,
      {
        metadata: { name: appName, namespace: namespace.name, labels: podLabels, annotations },
        spec: {
          // The HPA owns the replica count when present; setting it here would fight it.
          replicas: args.autoscaling ? undefined : args.replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: {
              labels: podLabels,
              annotations: args.podAnnotations as Record<string, pulumi.Input<string>>,
            },
            spec: {
              ...restrictedPod(args.securityContext),
              imagePullSecrets: args.imagePullSecrets.map((secret) => ({
                name: secret as pulumi.Input<string>,
              })),
              initContainers: args.initContainers.map((c) => containerSpec(owner, c)),
              containers: [
                containerSpec(owner, args.container, {
                  ports: [{ name: "http", containerPort: args.port }],
                  readinessProbe: probe,
                  livenessProbe: probe,
                }),
              ],
            },
          },
        },
      },
      child,
    );

    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: { name: appName, namespace: namespace.name, labels: podLabels, annotations },
        spec: { selector, ports: [{ name: "http", port: args.port, targetPort: "http" }] },
      },
      child,
    );

    if (args.autoscaling) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        name,
        {
          metadata: { name: appName, namespace: namespace.name },
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: appName },
            minReplicas: args.autoscaling.minReplicas,
            maxReplicas: args.autoscaling.maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: {
                  name: "cpu",
                  target: {
                    type: "Utilization",
                    averageUtilization: args.autoscaling.targetCpuPercent,
                  },
                },
              },
            ],
          },
        },
        { ...child, dependsOn: [deployment] },
      );
    }
    if (args.disruptionBudget) {
      new k8s.policy.v1.PodDisruptionBudget(
        name,
        {
          metadata: { name: appName, namespace: namespace.name },
          spec: {
            minAvailable: args.disruptionBudget.minAvailable,
            selector: { matchLabels: selector },
          },
        },
        child,
      );
    }

    this.serviceName = service.metadata.name;
    this.port = args.port;
    this.clusterUrl = pulumi.interpolate`http://${service.spec.clusterIP}:${args.port}`;
    this.notAwaited = notAwaitedList(args.skipAwait, [
      `Deployment ${appName}`,
      `Service ${appName}`,
    ]);
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
