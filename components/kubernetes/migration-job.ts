import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, parseArgs, typeToken } from "../args.js";
import { namespaceTarget, resolveNamespace } from "./app-namespace.js";
import { assertQuotaResources, container, containerSpec } from "./containers.js";
import { explicitProvider } from "./provider.js";

const migrationJobArgs = z.strictObject({
  provider: explicitProvider,
  namespace: namespaceTarget,
  /** The Job's name; a changed image or command replaces the Job, so it runs again. */
  jobName: dnsLabel,
  container,
  initContainers: z.array(container).default([]),
  backoffLimit: z.int().min(0).default(2),
  activeDeadlineSeconds: z.int().positive().default(600),
  imagePullSecrets: z.array(input(z.string())).default([]),
});

export type MigrationJobArgs = z.input<typeof migrationJobArgs>;

/** A run-to-completion Job (migrations, database creation); the deployment waits for it. */
export class MigrationJob extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "MigrationJob");

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
        metadata: { name: args.jobName, namespace: namespace.name },
        spec: {
          backoffLimit: args.backoffLimit,
          activeDeadlineSeconds: args.activeDeadlineSeconds,
          template: {
            spec: {
              restartPolicy: "Never",
              imagePullSecrets: args.imagePullSecrets.map((secret) => ({ name: secret })),
              initContainers: args.initContainers.map((c) => containerSpec(owner, c)),
              containers: [containerSpec(owner, args.container)],
            },
          },
        },
      },
      // A Job's template is immutable: a new image means a new Job with the same name.
      { parent: this, provider: args.provider, deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
