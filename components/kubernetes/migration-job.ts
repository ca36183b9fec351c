import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, parseArgs, typeToken } from "../args.js";
import { namespaceTarget, resolveNamespace, type NamespaceTarget } from "./app-namespace.js";
import { awaitAnnotations, notAwaitedList } from "./await.js";
import { assertQuotaResources, container, containerSpec, type Container } from "./containers.js";
import {
  restrictedPod,
  workloadSecurityContext,
  type WorkloadSecurityContext,
} from "./pod-security.js";
import { explicitProvider } from "./provider.js";

const migrationJobArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  jobName: dnsLabel,
  labels: z.record(z.string(), input(z.string())).default({}),
  container,
  initContainers: z.array(container).default([]),
  backoffLimit: z.int().min(0).default(2),
  activeDeadlineSeconds: z.int().positive().default(600),
  imagePullSecrets: z.array(input(z.string())).default([]),
  securityContext: workloadSecurityContext.default({}),
  skipAwait: z.boolean().default(false),
});

export interface MigrationJobArgs {
  /** The cluster; every child goes to this provider. */
  provider: k8s.Provider;
  /** An AppNamespace, or `{ name, hasQuota }` for one made elsewhere. */
  namespace: NamespaceTarget;
  /** The Job's name; a changed image or command replaces the Job, so it runs again. */
  jobName: string;
  /** Labels of the Job, e.g. for whoever must find it later. */
  labels?: Record<string, pulumi.Input<string>>;
  /** The container that does the work. */
  container: Container;
  /** Run to completion before `container`. */
  initContainers?: Container[];
  /** Retries before the Job fails (default 2). */
  backoffLimit?: number;
  /** The Job fails after this long (default 600 s). */
  activeDeadlineSeconds?: number;
  /** Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace. */
  imagePullSecrets?: pulumi.Input<string>[];
  /**
   * The user and groups its pods run as. They always run as non-root, with the runtime's
   * seccomp profile, no capabilities, no privilege escalation and no service-account token
   * (the `restricted` Pod Security Standard); set `runAsUser` where the image's user is root
   * or a name, `fsGroup` where it writes to a volume.
   */
  securityContext?: WorkloadSecurityContext;
  /** Do not wait for the Job to complete (`pulumi.com/skipAwait`); see `notAwaited`. */
  skipAwait?: boolean;
}

/** A run-to-completion Job (migrations, database creation); the deployment waits for it. */
export class MigrationJob extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "MigrationJob");
  /** What was created without waiting for it (`skipAwait`), as `Kind name`. */
  readonly notAwaited: string[];

  constructor(name: string, rawArgs: MigrationJobArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(MigrationJob.type, name, migrationJobArgs, rawArgs);
    const namespace = resolveNamespace(args.namespace);
    const owner = `${MigrationJob.type} "${name}"`;
    if (namespace.hasQuota) {
      assertQuotaResources(owner, [args.container, ...args.initContainers]);
    }
    super(MigrationJob.type, name, {}, opts);

    new k8s.batch.v1.Job(
      name,
      {
        metadata: {
          name: args.jobName,
          namespace: namespace.name,
          labels: args.labels as Record<string, pulumi.Input<string>>,
          annotations: awaitAnnotations(args.skipAwait),
        },
        spec: {
          backoffLimit: args.backoffLimit,
          activeDeadlineSeconds: args.activeDeadlineSeconds,
          template: {
            spec: {
              restartPolicy: "Never",
              ...restrictedPod(args.securityContext),
              imagePullSecrets: args.imagePullSecrets.map((secret) => ({
                name: secret as pulumi.Input<string>,
              })),
              initContainers: args.initContainers.map((c) => containerSpec(owner, c)),
              containers: [containerSpec(owner, args.container)],
            },
          },
        },
      },
      // A Job's template is immutable: a new image means a new Job with the same name.
      { parent: this, provider: args.provider, deleteBeforeReplace: true },
    );
    this.notAwaited = notAwaitedList(args.skipAwait, [`Job ${args.jobName}`]);
    this.registerOutputs({});
  }
}
