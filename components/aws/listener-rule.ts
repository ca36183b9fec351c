import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostname, input, labels, parseArgs, typeToken } from "../args.js";
import { listenerPriority, MAX_PRIORITY, SLOTS } from "./priority.js";

const listenerRuleArgs = z.strictObject({
  stack: z.string(),
  priority: z.int().min(1).max(MAX_PRIORITY).optional(),
  slot: z
    .int()
    .min(0)
    .max(SLOTS - 1)
    .default(0),
  listenerArn: input(z.string()),
  vpcId: input(z.string()),
  host: hostname,
  port: z.int().min(1).max(65535),
  healthCheckPath: z.string().startsWith("/").default("/"),
  dns: z.strictObject({
    hostedZoneId: input(z.string()),
    albDnsName: input(z.string()),
    albZoneId: input(z.string()),
  }),
  tags: labels.default({}),
});

export interface ListenerRuleArgs {
  /** The stack name (dev, production, pr-N): with `slot` it decides the rule's priority. */
  stack: string;
  /** An explicit priority (1..50000), for stacks of other names or a listener of your own. */
  priority?: number;
  /**
   * Which of the stack's priorities (0..4, default 0): two rules of one stack, or two
   * projects sharing one listener, take different slots.
   */
  slot?: number;
  /** The shared HTTPS listener. */
  listenerArn: pulumi.Input<string>;
  /** The VPC of the target group. */
  vpcId: pulumi.Input<string>;
  /** The host the rule matches, e.g. `pr-42.api.example.com`. */
  host: string;
  /** The targets' port. */
  port: number;
  /** The target group's health check path (default `/`). */
  healthCheckPath?: string;
  /** Where the host's alias record goes and what it points at. */
  dns: {
    hostedZoneId: pulumi.Input<string>;
    albDnsName: pulumi.Input<string>;
    albZoneId: pulumi.Input<string>;
  };
  /** Tags on every resource, e.g. `standardTags(...)`. */
  tags?: Record<string, string>;
}

// Priorities taken in this program run (keyed by the run's engine connection): two rules
// with one priority would only fail at the load balancer, after the first was created.
const taken = new WeakMap<object, Map<number, string>>();

function claimPriority(priority: number, name: string): void {
  const run = (pulumi.runtime.getMonitor() as object | undefined) ?? taken;
  const claims = taken.get(run) ?? new Map<number, string>();
  taken.set(run, claims);
  const holder = claims.get(priority);
  if (holder !== undefined) {
    throw new Error(
      `${ListenerRule.type} "${name}": priority ${priority} is already taken by "${holder}" in this program; give it another slot or priority`,
    );
  }
  claims.set(priority, name);
}

/**
 * One host on a shared HTTPS listener: target group, host-header rule at a collision-free
 * priority, and the DNS alias pointing the host at the ALB.
 */
export class ListenerRule extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "ListenerRule");
  /**
   * The target group's ARN, resolving once the listener rule exists: an ECS service given it
   * waits for the rule (ECS refuses a target group that no load balancer uses yet).
   */
  readonly targetGroupArn: pulumi.Output<string>;
  readonly priority: number;
  readonly url: string;

  constructor(name: string, rawArgs: ListenerRuleArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(ListenerRule.type, name, listenerRuleArgs, rawArgs);
    let priority: number;
    try {
      priority = args.priority ?? listenerPriority(args.stack, args.slot);
    } catch (error) {
      throw new Error(`${ListenerRule.type} "${name}": ${(error as Error).message}`, {
        cause: error,
      });
    }
    claimPriority(priority, name);
    super(ListenerRule.type, name, {}, opts);
    const child = { parent: this };

    const targetGroup = new aws.lb.TargetGroup(
      name,
      {
        vpcId: args.vpcId,
        port: args.port,
        protocol: "HTTP",
        targetType: "ip",
        deregistrationDelay: 30,
        healthCheck: {
          path: args.healthCheckPath,
          matcher: "200-399",
          healthyThreshold: 2,
          unhealthyThreshold: 3,
          interval: 15,
        },
        tags: args.tags,
      },
      child,
    );
    const rule = new aws.lb.ListenerRule(
      name,
      {
        listenerArn: args.listenerArn,
        priority,
        conditions: [{ hostHeader: { values: [args.host] } }],
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags: args.tags,
      },
      child,
    );
    new aws.route53.Record(
      name,
      {
        zoneId: args.dns.hostedZoneId,
        name: args.host,
        type: "A",
        aliases: [
          {
            name: args.dns.albDnsName,
            zoneId: args.dns.albZoneId,
            evaluateTargetHealth: true,
          },
        ],
      },
      child,
    );

    this.targetGroupArn = pulumi.all([targetGroup.arn, rule.arn]).apply(([arn]) => arn);
    this.priority = priority;
    this.url = `https://${args.host}`;
    this.registerOutputs({ targetGroupArn: this.targetGroupArn, priority, url: this.url });
  }
}
