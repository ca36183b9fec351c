import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostname, input, labels, parseArgs, typeToken } from "../args.js";
import { WildcardCertificate } from "./wildcard-certificate.js";

const sharedAlbArgs = z.strictObject({
  vpcId: input(z.string()),
  subnetIds: input(z.array(z.string())),
  /** The certificate covers `domain` and `*.domain`; hosts are one level below it. */
  domain: hostname,
  hostedZoneId: input(z.string()),
  sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
  idleTimeout: z.int().min(1).max(4000).default(60),
  tags: labels.default({}),
});

export interface SharedAlbArgs {
  /** The VPC of the ALB's security group. */
  vpcId: pulumi.Input<string>;
  /** Public subnets in at least two zones. */
  subnetIds: pulumi.Input<string[]>;
  /** The certificate covers `domain` and `*.domain`; hosts are one level below it. */
  domain: string;
  /** The Route 53 zone of `domain`, for certificate validation. */
  hostedZoneId: pulumi.Input<string>;
  /** The HTTPS listener's policy (default `ELBSecurityPolicy-TLS13-1-2-2021-06`). */
  sslPolicy?: string;
  /** Idle timeout in seconds (default 60). */
  idleTimeout?: number;
  /** Tags on every resource. */
  tags?: Record<string, string>;
}

/**
 * One ALB for every environment: HTTPS listener with a DNS-validated wildcard certificate, and
 * HTTP redirected to HTTPS. Ten previews used to mean ten ALBs (seed 003).
 */
export class SharedAlb extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "SharedAlb");
  readonly arn: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  readonly zoneId: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, rawArgs: SharedAlbArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(SharedAlb.type, name, sharedAlbArgs, rawArgs);
    super(SharedAlb.type, name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, Name: name };
    const anywhere = { cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };

    const securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: `${name}: public HTTP and HTTPS`,
        ingress: [
          { protocol: "tcp", fromPort: 80, toPort: 80, ...anywhere },
          { protocol: "tcp", fromPort: 443, toPort: 443, ...anywhere },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, ...anywhere }],
        tags,
      },
      child,
    );
    const alb = new aws.lb.LoadBalancer(
      name,
      {
        loadBalancerType: "application",
        subnets: args.subnetIds,
        securityGroups: [securityGroup.id],
        idleTimeout: args.idleTimeout,
        dropInvalidHeaderFields: true,
        tags,
      },
      child,
    );

    const certificate = new WildcardCertificate(
      name,
      { domains: [`*.${args.domain}`, args.domain], hostedZoneId: args.hostedZoneId, tags },
      child,
    );

    const https = new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: args.sslPolicy,
        certificateArn: certificate.certificateArn,
        // Unknown hosts get a 404 rather than some environment's app.
        defaultActions: [
          {
            type: "fixed-response",
            fixedResponse: {
              contentType: "text/plain",
              statusCode: "404",
              messageBody: "no route",
            },
          },
        ],
        tags,
      },
      child,
    );
    new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ],
        tags,
      },
      child,
    );

    this.arn = alb.arn;
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.securityGroupId = securityGroup.id;
    this.httpsListenerArn = https.arn;
    this.certificateArn = certificate.certificateArn;
    this.registerOutputs({
      arn: this.arn,
      dnsName: this.dnsName,
      httpsListenerArn: this.httpsListenerArn,
    });
  }
}
