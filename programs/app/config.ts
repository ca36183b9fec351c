import { z } from "zod";
import { dnsLabel, hostname } from "../../components/args.js";
import { egressRules } from "../../components/kubernetes/app-namespace.js";
import { resources } from "../../components/kubernetes/containers.js";
import { workloadSecurityContext } from "../../components/kubernetes/pod-security.js";
import { qualifiedStackName } from "../../components/stack.js";
import { imagesConfig } from "../_shared/images.js";
import { registryConfig } from "../_shared/registry.js";

const serviceSize = z.strictObject({
  replicas: z.int().min(0).optional(),
  resources: resources.optional(),
  autoscaling: z
    .strictObject({ minReplicas: z.int().min(1), maxReplicas: z.int().min(1) })
    .optional(),
  /** A PodDisruptionBudget keeping this many pods through node drains. */
  minAvailable: z.int().min(1).optional(),
});

export type ServiceSize = z.infer<typeof serviceSize>;

const service = z
  .strictObject({
    port: z.int().min(1).max(65535).default(8080),
    healthPath: z.string().startsWith("/").default("/"),
    /** Its pods never run as root: `runAsUser` where the image's user is root or a name. */
    securityContext: workloadSecurityContext.optional(),
  })
  .prefault({});

export const appConfig = z.strictObject({
  appName: dnsLabel.default("app"),
  /** `org/preview-base/<stack>`; defaults to that project's `dev` for previews, else this stack. */
  baseStack: qualifiedStackName.optional(),
  /**
   * local, dev, production: `org/cluster/<stack>`, whose `kubeconfig` this stack deploys with
   * unless the secret `kubeconfig` is set; defaults to the same stack name in project `cluster`
   * (not for local). Previews deploy as the base's preview deployer.
   */
  clusterStack: qualifiedStackName.optional(),
  /**
   * local, dev, production: the registry this stack's pods pull from, its password the secret
   * `registryPassword`. Previews get the base's pull secret, copied by the platform.
   */
  registry: registryConfig.optional(),
  /** local only: kubeconfig context, domain and gateway, in place of a base stack. */
  kubeContext: z.string().optional(),
  domain: hostname.optional(),
  gateway: z
    .strictObject({
      name: z.string().default("previews"),
      namespace: z.string().default("gateway"),
      listener: z.string().default("https"),
    })
    .prefault({}),
  /** Namespace override for local, dev and production (previews are always preview-pr-N). */
  namespace: dnsLabel.optional(),
  /**
   * local, dev, production: `create` (default), `adopt` an existing namespace (read, labelled
   * managed-by, never deleted) or `skip` (use it as it is). Previews always create theirs.
   */
  namespaceMode: z.enum(["create", "adopt", "skip"]).default("create"),
  /** Do not wait for readiness; default the base stack's `skipAwait`. */
  skipAwait: z.boolean().optional(),
  images: imagesConfig(["web", "api"]),
  /** For previews; must match the N in the stack name pr-N. */
  prNumber: z.int().positive().optional(),
  web: service,
  api: service,
  migration: z
    .strictObject({
      command: z.array(z.string()).min(1),
      securityContext: workloadSecurityContext.optional(),
    })
    .optional(),
  /**
   * pr-N only: what a preview's pods may reach besides their own namespace, the cluster DNS and
   * their database (everything else is denied by its egress NetworkPolicy).
   */
  previewEgress: egressRules.pick({ allowTo: true, allowToCidrs: true }).optional(),
  /** Per-stack sizes, field by field over the stack kind's defaults (sizes.ts). */
  sizes: z
    .strictObject({
      web: serviceSize.optional(),
      api: serviceSize.optional(),
      jobs: resources.optional(),
    })
    .prefault({}),
});

export type AppConfig = z.output<typeof appConfig>;
