import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostname, input, labels, parseArgs, typeToken } from "../args.js";
import { listenerPriority } from "./priority.js";

const listenerRuleArgs = z.strictObject({
  /** The stack name (dev, production, pr-N): it decides the rule's priority. */
  stack: z.string(),
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

export type ListenerRuleArgs = z.input<typeof listenerRuleArgs>;

/**
 * One host on a shared HTTPS listener: target group, host-header rule at a collision-free
 * priority, and the DNS alias pointing the host at the ALB.
 */
export class ListenerRule extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "ListenerRule");
  readonly targetGroupArn: pulumi.Output<string>;
  readonly priority: number;
  readonly url: string;

  constructor(name: string, rawArgs: ListenerRuleArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(ListenerRule.type, name, listenerRuleArgs, rawArgs);
    const priority = listenerPriority(args.stack);
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
    new aws.lb.ListenerRule(
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

    this.targetGroupArn = targetGroup.arn;
    this.priority = priority;
    this.url = `https://${args.host}`;
    this.registerOutputs({ targetGroupArn: this.targetGroupArn, priority, url: this.url });
  }
}
