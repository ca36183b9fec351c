import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { input, labels, parseArgs, typeToken } from "../args.js";
import { subnetCidr, vpcCidr } from "./cidr.js";

const TIER_TAG = "preview-kit/tier";

const layout = {
  cidrBlock: vpcCidr.default("10.0.0.0/16"),
  azCount: z.int().min(2).max(6).default(2),
  /** NAT gateways cost the most in an idle VPC; previews rarely need them. */
  natGateways: z.enum(["none", "single", "per-az"]).default("none"),
};

/**
 * A created VPC's layout; also the `vpc` key of the cluster and ecs-shared programs' config.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const vpcOptions = z.strictObject(layout).prefault({});

const sharedVpcArgs = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("create"), ...layout, tags: labels.default({}) }),
  z.strictObject({
    mode: z.literal("reference"),
    vpcId: input(z.string()),
    /** Looked up by the tier tag this component sets when omitted. */
    publicSubnetIds: input(z.array(z.string())).optional(),
    privateSubnetIds: input(z.array(z.string())).optional(),
  }),
]);

/** The layout of a created VPC; also the `vpc` config of the cluster and ecs-shared programs. */
export interface VpcOptions {
  /** A /16 (default `10.0.0.0/16`). */
  cidrBlock?: string;
  /** Availability zones, 2..6 (default 2): one public and one private /20 in each. */
  azCount?: number;
  /** `none` (default), `single` or `per-az`: NAT gateways dominate an idle VPC's cost. */
  natGateways?: "none" | "single" | "per-az";
}

export type SharedVpcArgs =
  | ({
      /** Create a VPC. */
      mode: "create";
      /** Tags on every resource. */
      tags?: Record<string, string>;
    } & VpcOptions)
  | {
      /** Use an existing VPC; nothing is created. */
      mode: "reference";
      vpcId: pulumi.Input<string>;
      /** Looked up by this component's tier tag when omitted. */
      publicSubnetIds?: pulumi.Input<string[]>;
      /** Looked up by this component's tier tag when omitted. */
      privateSubnetIds?: pulumi.Input<string[]>;
    };

/** A VPC with public and private subnets, created once or referenced by id. */
export class SharedVpc extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "SharedVpc");
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Whether private subnets reach the internet (otherwise workloads need public IPs). */
  readonly hasNat: boolean;

  constructor(name: string, rawArgs: SharedVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(SharedVpc.type, name, sharedVpcArgs, rawArgs);
    super(SharedVpc.type, name, {}, opts);
    if (args.mode === "reference") {
      const vpcId = pulumi.output(args.vpcId as pulumi.Input<string>);
      const lookup = (tier: string) =>
        aws.ec2.getSubnetsOutput(
          {
            filters: [
              { name: "vpc-id", values: [vpcId] },
              { name: `tag:${TIER_TAG}`, values: [tier] },
            ],
          },
          { parent: this },
        ).ids;
      this.vpcId = vpcId;
      this.publicSubnetIds = args.publicSubnetIds
        ? pulumi.output(args.publicSubnetIds as pulumi.Input<string[]>)
        : lookup("public");
      this.privateSubnetIds = args.privateSubnetIds
        ? pulumi.output(args.privateSubnetIds as pulumi.Input<string[]>)
        : lookup("private");
      this.hasNat = false;
    } else {
      const created = this.create(name, args);
      this.vpcId = created.vpcId;
      this.publicSubnetIds = created.publicSubnetIds;
      this.privateSubnetIds = created.privateSubnetIds;
      this.hasNat = args.natGateways !== "none";
    }
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }

  private create(name: string, args: Extract<z.output<typeof sharedVpcArgs>, { mode: "create" }>) {
    const child = { parent: this };
    const tagged = (suffix: string, extra: Record<string, string> = {}) => ({
      ...args.tags,
      Name: `${name}-${suffix}`,
      ...extra,
    });
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, child).names;
    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: args.cidrBlock,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tagged("vpc"),
      },
      child,
    );
    const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: tagged("igw") }, child);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: tagged("public"),
      },
      child,
    );

    const indexes = [...Array(args.azCount).keys()];
    const subnet = (tier: "public" | "private", i: number, elbRole: string) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${i}`,
        {
          vpcId: vpc.id,
          // /20s: public ones first, private ones from the middle of the range.
          cidrBlock: subnetCidr(args.cidrBlock, 20, tier === "public" ? i : 8 + i),
          availabilityZone: zones.apply((names) => {
            const zone = names[i];
            if (zone === undefined) throw new Error(`only ${names.length} zones available`);
            return zone;
          }),
          mapPublicIpOnLaunch: tier === "public",
          // The AWS Load Balancer Controller picks subnets by these role tags.
          tags: tagged(`${tier}-${i}`, { [TIER_TAG]: tier, [elbRole]: "1" }),
        },
        child,
      );
    const publicSubnets = indexes.map((i) => subnet("public", i, "kubernetes.io/role/elb"));
    const privateSubnets = indexes.map((i) =>
      subnet("private", i, "kubernetes.io/role/internal-elb"),
    );
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${i}`,
          { subnetId: s.id, routeTableId: publicRoutes.id },
          child,
        ),
    );

    const natCount = { none: 0, single: 1, "per-az": args.azCount }[args.natGateways];
    const nats = [...Array(natCount).keys()].map((i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${i}`,
        { domain: "vpc", tags: tagged(`nat-${i}`) },
        child,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i]!.id, tags: tagged(`nat-${i}`) },
        { ...child, dependsOn: [igw] },
      );
    });
    privateSubnets.forEach((s, i) => {
      const nat = nats[i % Math.max(nats.length, 1)];
      const table = new aws.ec2.RouteTable(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          routes: nat ? [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] : [],
          tags: tagged(`private-${i}`),
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i}`,
        { subnetId: s.id, routeTableId: table.id },
        child,
      );
    });

    return {
      vpcId: vpc.id,
      publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
      privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    };
  }
}
