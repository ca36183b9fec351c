import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, labels, parseArgs, typeToken } from "../args.js";
import { albControllerPolicy } from "./alb-controller-policy.js";
import { SharedVpc, vpcOptions, type VpcOptions } from "./shared-vpc.js";

export const ALB_CONTROLLER_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "aws-load-balancer-controller",
} as const;

/**
 * Node group options; also the `nodes` key of the cluster program's config.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const eksNodeOptions = z
  .strictObject({
    instanceTypes: z.array(z.string()).min(1).default(["t3.large"]),
    /** Spot capacity: much cheaper, fine for dev and previews, interruptible. */
    spot: z.boolean().default(false),
    minSize: z.int().min(0).default(1),
    desiredSize: z.int().min(0).default(2),
    maxSize: z.int().min(1).default(4),
    diskSizeGb: z.int().min(20).default(30),
  })
  .refine((n) => n.minSize <= n.desiredSize && n.desiredSize <= n.maxSize, {
    message: "need minSize <= desiredSize <= maxSize",
  })
  .prefault({});

const eksClusterArgs = z.strictObject({
  clusterName: dnsLabel,
  version: z.string().regex(/^1\.[0-9]{2}$/, "must be a Kubernetes minor version like 1.33"),
  vpc: vpcOptions,
  nodes: eksNodeOptions,
  tags: labels.default({}),
});

/** The managed node group. */
export interface EksNodeOptions {
  /** EC2 instance types (default `["t3.large"]`). */
  instanceTypes?: string[];
  /** Spot capacity: much cheaper, fine for dev and previews, interruptible. */
  spot?: boolean;
  /** Default 1. */
  minSize?: number;
  /** Default 2. */
  desiredSize?: number;
  /** Default 4. */
  maxSize?: number;
  /** Root volume size in GiB (default 30). */
  diskSizeGb?: number;
}

export interface EksClusterArgs {
  /** The EKS cluster's name. */
  clusterName: string;
  /** The Kubernetes minor version, e.g. `1.33`. */
  version: string;
  /** The VPC created for the cluster. */
  vpc?: VpcOptions;
  /** The managed node group. */
  nodes?: EksNodeOptions;
  /** Tags on every resource. */
  tags?: Record<string, string>;
}

/** The EBS CSI driver's controller, which provisions the volumes of PersistentVolumeClaims. */
export const EBS_CSI_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "ebs-csi-controller-sa",
} as const;

function assumeRole(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/**
 * EKS with its VPC, a managed node group, the IRSA OIDC provider and the Load Balancer
 * Controller's role; exports a kubeconfig for the explicit providers of the stacks that use it.
 */
export class EksCluster extends pulumi.ComponentResource {
  static readonly type = typeToken("aws", "EksCluster");
  readonly clusterName: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly albControllerRoleArn: pulumi.Output<string>;

  constructor(name: string, rawArgs: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(EksCluster.type, name, eksClusterArgs, rawArgs);
    super(EksCluster.type, name, {}, opts);
    const child = { parent: this };
    const tags = args.tags;

    const vpc = new SharedVpc(name, { mode: "create", ...args.vpc, tags }, child);
    const attach = (role: aws.iam.Role, policy: string, resourceName = `${name}-${policy}`) =>
      new aws.iam.RolePolicyAttachment(
        resourceName,
        { role: role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
        child,
      );

    const clusterRole = new aws.iam.Role(
      `${name}-cluster`,
      { assumeRolePolicy: assumeRole("eks.amazonaws.com"), tags },
      child,
    );
    const clusterPolicy = attach(clusterRole, "AmazonEKSClusterPolicy");
    const cluster = new aws.eks.Cluster(
      name,
      {
        name: args.clusterName,
        version: args.version,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: pulumi
            .all([vpc.publicSubnetIds, vpc.privateSubnetIds])
            .apply(([pub, priv]) => [...pub, ...priv]),
          endpointPublicAccess: true,
        },
        accessConfig: {
          authenticationMode: "API_AND_CONFIG_MAP",
          bootstrapClusterCreatorAdminPermissions: true,
        },
        tags,
      },
      { ...child, dependsOn: [clusterPolicy] },
    );

    const nodeRole = new aws.iam.Role(
      `${name}-nodes`,
      { assumeRolePolicy: assumeRole("ec2.amazonaws.com"), tags },
      child,
    );
    const nodePolicies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
    ].map((policy) => attach(nodeRole, policy));
    const nodeGroup = new aws.eks.NodeGroup(
      name,
      {
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        // Without NAT, private nodes could not pull images; they go public instead.
        subnetIds: vpc.hasNat ? vpc.privateSubnetIds : vpc.publicSubnetIds,
        instanceTypes: args.nodes.instanceTypes,
        capacityType: args.nodes.spot ? "SPOT" : "ON_DEMAND",
        diskSize: args.nodes.diskSizeGb,
        scalingConfig: {
          minSize: args.nodes.minSize,
          desiredSize: args.nodes.desiredSize,
          maxSize: args.nodes.maxSize,
        },
        tags,
      },
      { ...child, dependsOn: nodePolicies },
    );

    const issuer = cluster.identities.apply((identities) => {
      const url = identities[0]?.oidcs[0]?.issuer;
      if (!url) throw new Error(`${name}: the cluster reports no OIDC issuer`);
      return url;
    });
    const oidc = new aws.iam.OpenIdConnectProvider(
      name,
      { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags },
      child,
    );

    const issuerHost = issuer.apply((url) => url.replace(/^https:\/\//, ""));
    /** A role the given service account assumes through the cluster's OIDC provider (IRSA). */
    const serviceAccountRole = (role: string, account: { namespace: string; name: string }) =>
      new aws.iam.Role(
        `${name}-${role}`,
        {
          assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Federated: oidc.arn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                  StringEquals: issuerHost.apply((host) => ({
                    [`${host}:sub`]: `system:serviceaccount:${account.namespace}:${account.name}`,
                    [`${host}:aud`]: "sts.amazonaws.com",
                  })),
                },
              },
            ],
          }),
          tags,
        },
        child,
      );

    const controllerRole = serviceAccountRole("alb-controller", ALB_CONTROLLER_SERVICE_ACCOUNT);
    const controllerPolicy = new aws.iam.Policy(
      `${name}-alb-controller`,
      { policy: JSON.stringify(albControllerPolicy), tags },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-alb-controller`,
      { role: controllerRole.name, policyArn: controllerPolicy.arn },
      child,
    );

    // Network policies are enforced by the VPC CNI only with this option: without it the
    // previews' default-deny NetworkPolicy is stored and ignored.
    new aws.eks.Addon(
      `${name}-vpc-cni`,
      {
        clusterName: cluster.name,
        addonName: "vpc-cni",
        configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags,
      },
      child,
    );
    // Without a CSI driver a PersistentVolumeClaim (the shared PostgreSQL's) stays Pending.
    const ebsRole = serviceAccountRole("ebs-csi", EBS_CSI_SERVICE_ACCOUNT);
    const ebsPolicy = attach(ebsRole, "service-role/AmazonEBSCSIDriverPolicy", `${name}-ebs-csi`);
    new aws.eks.Addon(
      `${name}-ebs-csi`,
      {
        clusterName: cluster.name,
        addonName: "aws-ebs-csi-driver",
        serviceAccountRoleArn: ebsRole.arn,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags,
      },
      // Its controller runs on the nodes: the add-on is degraded until they exist.
      { ...child, dependsOn: [nodeGroup, ebsPolicy] },
    );

    this.clusterName = cluster.name;
    this.vpcId = vpc.vpcId;
    this.oidcProviderArn = oidc.arn;
    this.albControllerRoleArn = controllerRole.arn;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, cluster.certificateAuthority.data])
        .apply(([clusterName, server, ca]) =>
          JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [
              { name: clusterName, cluster: { server, "certificate-authority-data": ca } },
            ],
            contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
            "current-context": clusterName,
            users: [
              {
                name: clusterName,
                user: {
                  exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", clusterName, "--output", "json"],
                  },
                },
              },
            ],
          }),
        ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
    });
  }
}
