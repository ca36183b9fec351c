import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostname } from "../../components/args.js";
import { FargateService } from "../../components/aws/fargate-service.js";
import { ListenerRule } from "../../components/aws/listener-rule.js";
import { SharedAlb } from "../../components/aws/shared-alb.js";
import { SharedVpc, vpcOptions } from "../../components/aws/shared-vpc.js";
import {
  qualifiedStackName,
  VerifiedStackReference,
  type StackKind,
} from "../../components/stack.js";
import { standardTags } from "../../components/tags.js";
import { readConfig } from "../_shared/config.js";
import { imagesConfig } from "../_shared/images.js";
import { currentStack } from "../_shared/kinds.js";
import { readStackOutputs, siblingStack } from "../_shared/stack-outputs.js";

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const ecsSharedConfig = z.strictObject({
  /** Hosts are `<stack>.DOMAIN` (`DOMAIN` for production); the ALB's certificate covers them. */
  domain: hostname,
  hostedZoneId: z.string(),
  images: imagesConfig(["api"]),
  containerPort: z.int().min(1).max(65535).default(3000),
  healthCheckPath: z.string().startsWith("/").default("/health"),
  /**
   * Which of the stack's listener priorities this project takes (0..4): projects sharing
   * dev's listener must differ. Or `listenerPriority`, an explicit one.
   */
  listenerSlot: z.int().min(0).max(4).default(0),
  listenerPriority: z.int().min(1).max(50_000).optional(),
  cpu: z.string().default("256"),
  memory: z.string().default("512"),
  desiredCount: z.int().min(0).optional(),
  environment: z.record(z.string(), z.string()).default({}),
  vpc: vpcOptions,
  /** The stack owning the shared VPC and ALB; defaults to `<org>/<this project>/dev`. */
  sharedStack: qualifiedStackName.optional(),
  tagProject: z.string().default("preview-kit"),
  costCenter: z.string().optional(),
});

type EcsSharedConfig = z.output<typeof ecsSharedConfig>;

/** What a permanent stack exports and a pr-N stack needs from it. */
const sharedOutputs = z.object({
  vpcId: z.string(),
  publicSubnetIds: z.array(z.string()).min(1),
  privateSubnetIds: z.array(z.string()),
  hasNat: z.boolean(),
  albDnsName: z.string(),
  albZoneId: z.string(),
  albSecurityGroupId: z.string(),
  httpsListenerArn: z.string(),
  clusterArn: z.string(),
});

type SharedValues = z.infer<typeof sharedOutputs>;
type Shared = { [K in keyof SharedValues]: SharedValues[K] | pulumi.Output<SharedValues[K]> };

/**
 * Seed 003's pattern: `dev` (and `production`) own a VPC, an ALB with its HTTPS listener and an
 * ECS cluster; a `pr-N` stack adds only a target group, listener rule, DNS record and service.
 */
export async function ecsSharedProgram() {
  const stack = currentStack("ecs-shared", ["dev", "preview", "production"]);
  const config = readConfig(ecsSharedConfig);
  const tags = standardTags({
    project: config.tagProject,
    stack: stack.stack,
    costCenter: config.costCenter,
  });
  const shared =
    stack.kind === "preview" ? await referenceShared(config) : createShared(config, tags);
  const host = stack.kind === "production" ? config.domain : `${stack.stack}.${config.domain}`;
  const service = deployService(stack, config, shared, host, tags);
  return {
    ...(stack.kind === "preview" ? {} : shared),
    ...service,
  };
}

function createShared(config: EcsSharedConfig, tags: Record<string, string>): Shared {
  const vpc = new SharedVpc("shared", { mode: "create", ...config.vpc, tags });
  const alb = new SharedAlb("shared", {
    vpcId: vpc.vpcId,
    subnetIds: vpc.publicSubnetIds,
    domain: config.domain,
    hostedZoneId: config.hostedZoneId,
    tags,
  });
  const cluster = new aws.ecs.Cluster("shared", { tags });
  return {
    vpcId: vpc.vpcId,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    hasNat: vpc.hasNat,
    albDnsName: alb.dnsName,
    albZoneId: alb.zoneId,
    albSecurityGroupId: alb.securityGroupId,
    httpsListenerArn: alb.httpsListenerArn,
    clusterArn: cluster.arn,
  };
}

async function referenceShared(config: EcsSharedConfig): Promise<Shared> {
  const reference = new VerifiedStackReference(
    "shared",
    config.sharedStack ?? siblingStack(pulumi.getProject(), "dev"),
  );
  return readStackOutputs(reference, sharedOutputs);
}

function deployService(
  stack: StackKind,
  config: EcsSharedConfig,
  shared: Shared,
  host: string,
  tags: Record<string, string>,
) {
  const preview = stack.kind === "preview";
  const rule = new ListenerRule(stack.stack, {
    stack: stack.stack,
    slot: config.listenerSlot,
    priority: config.listenerPriority,
    listenerArn: shared.httpsListenerArn,
    vpcId: shared.vpcId,
    host,
    port: config.containerPort,
    healthCheckPath: config.healthCheckPath,
    dns: {
      hostedZoneId: config.hostedZoneId,
      albDnsName: shared.albDnsName,
      albZoneId: shared.albZoneId,
    },
    tags,
  });
  const hasNat = pulumi.output(shared.hasNat);
  const service = new FargateService(stack.stack, {
    clusterArn: shared.clusterArn,
    vpcId: shared.vpcId,
    // Without NAT, tasks sit in public subnets with public IPs (seed 003's cost choice).
    subnetIds: pulumi
      .all([hasNat, shared.publicSubnetIds, shared.privateSubnetIds])
      .apply(([nat, pub, priv]) => (nat ? priv : pub)),
    assignPublicIp: hasNat.apply((nat) => !nat),
    albSecurityGroupId: shared.albSecurityGroupId,
    // Resolves once the listener rule exists, so the service is created after it.
    targetGroupArn: rule.targetGroupArn,
    containerName: "api",
    image: config.images.api,
    containerPort: config.containerPort,
    cpu: config.cpu,
    memory: config.memory,
    desiredCount: config.desiredCount ?? (stack.kind === "production" ? 2 : 1),
    environment: { ...config.environment, APP_ENV: stack.stack },
    logRetentionDays: preview ? 7 : 30,
    tags,
  });
  return {
    apiUrl: rule.url,
    listenerPriority: rule.priority,
    serviceName: service.serviceName,
    logGroupName: service.logGroupName,
  };
}
