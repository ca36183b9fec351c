import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, labels, parseArgs, typeToken } from "../args.js";
import { imageRef } from "../digest.js";

/** The CPU/memory pairs Fargate accepts for the smaller sizes. */
const FARGATE_SIZES: Record<string, readonly string[]> = {
  "256": ["512", "1024", "2048"],
  "512": ["1024", "2048", "3072", "4096"],
  "1024": ["2048", "3072", "4096", "5120", "6144", "7168", "8192"],
  "2048": ["4096", "5120", "6144", "7168", "8192", "16384"],
  "4096": ["8192", "16384", "30720"],
};

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731] as const;

const fargateServiceArgs = z
  .strictObject({
    clusterArn: input(z.string()),
    vpcId: input(z.string()),
    subnetIds: input(z.array(z.string())),
    /** Without NAT gateways, tasks in public subnets need a public IP to pull images. */
    assignPublicIp: input(z.boolean()).default(false),
    albSecurityGroupId: input(z.string()),
    targetGroupArn: input(z.string()),
    containerName: dnsLabel,
    image: imageRef,
    containerPort: z.int().min(1).max(65535),
    cpu: z.enum(Object.keys(FARGATE_SIZES) as [string, ...string[]]).default("256"),
    memory: z.string().default("512"),
    desiredCount: z.int().min(0).default(1),
    environment: z.record(z.string(), z.string()).default({}),
    logRetentionDays: z
      .int()
      .refine((d) => (RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${RETENTION_DAYS.join(", ")}`,
      })
      .default(7),
    tags: labels.default({}),
  })
  .refine((a) => FARGATE_SIZES[a.cpu]?.includes(a.memory), {
    message: "memory is not a valid Fargate size for this cpu",
    path: ["memory"],
  });

export interface FargateServiceArgs {
  /** The ECS cluster. */
  clusterArn: pulumi.Input<string>;
  /** The VPC of the service's security group. */
  vpcId: pulumi.Input<string>;
  /** Where tasks run. */
  subnetIds: pulumi.Input<string[]>;
  /** Without NAT gateways, tasks in public subnets need a public IP to pull images. */
  assignPublicIp?: pulumi.Input<boolean>;
  /** The ALB's security group: the only source the tasks accept. */
  albSecurityGroupId: pulumi.Input<string>;
  /**
   * The target group; pass `ListenerRule.targetGroupArn`, which resolves only once the
   * listener rule exists (ECS refuses a target group no load balancer uses yet).
   */
  targetGroupArn: pulumi.Input<string>;
  /** The container's name (a DNS label). */
  containerName: string;
  /** `registry/repo@sha256:<64 hex>`. */
  image: string;
  /** The port the container listens on. */
  containerPort: number;
  /** Fargate CPU units: 256 (default), 512, 1024, 2048, 4096. */
  cpu?: string;
  /** Memory in MiB valid for `cpu` (default 512). */
  memory?: string;
  /** Tasks to run (default 1). */
  desiredCount?: number;
  /** Environment variables. */
  environment?: Record<string, string>;
  /** Log retention in days, a CloudWatch value (default 7). */
  logRetentionDays?: number;
  /** Tags on every resource. */
  tags?: Record<string, string>;
}

/** An ECS Fargate service behind a target group, reachable only from the ALB. */
export class FargateService extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "FargateService");
  readonly serviceName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, rawArgs: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(FargateService.type, name, fargateServiceArgs, rawArgs);
    super(FargateService.type, name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, Name: name };

    const securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: `${name}: traffic from the ALB only`,
        ingress: [
          {
            protocol: "tcp",
            fromPort: args.containerPort,
            toPort: args.containerPort,
            securityGroups: [args.albSecurityGroupId],
          },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        tags,
      },
      child,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { retentionInDays: args.logRetentionDays, tags },
      child,
    );
    const executionRole = new aws.iam.Role(
      `${name}-execution`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ecs-tasks.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-execution`,
      {
        role: executionRole.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      },
      child,
    );
    const region = aws.getRegionOutput({}, child).region;
    const taskDefinition = new aws.ecs.TaskDefinition(
      name,
      {
        family: name,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: args.cpu,
        memory: args.memory,
        executionRoleArn: executionRole.arn,
        containerDefinitions: pulumi.jsonStringify([
          {
            name: args.containerName,
            image: args.image,
            essential: true,
            portMappings: [{ containerPort: args.containerPort, protocol: "tcp" }],
            environment: Object.entries(args.environment).map(([key, value]) => ({
              name: key,
              value,
            })),
            logConfiguration: {
              logDriver: "awslogs",
              options: {
                "awslogs-group": logGroup.name,
                "awslogs-region": region,
                "awslogs-stream-prefix": args.containerName,
              },
            },
          },
        ]),
        tags,
      },
      child,
    );
    const service = new aws.ecs.Service(
      name,
      {
        cluster: args.clusterArn,
        launchType: "FARGATE",
        taskDefinition: taskDefinition.arn,
        desiredCount: args.desiredCount,
        networkConfiguration: {
          subnets: args.subnetIds,
          securityGroups: [securityGroup.id],
          assignPublicIp: args.assignPublicIp as pulumi.Input<boolean>,
        },
        loadBalancers: [
          {
            targetGroupArn: args.targetGroupArn,
            containerName: args.containerName,
            containerPort: args.containerPort,
          },
        ],
        deploymentCircuitBreaker: { enable: true, rollback: true },
        waitForSteadyState: true,
        tags,
      },
      child,
    );

    this.serviceName = service.name;
    this.logGroupName = logGroup.name;
    this.registerOutputs({ serviceName: this.serviceName, logGroupName: this.logGroupName });
  }
}
