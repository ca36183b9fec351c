import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { z } from "zod";
import {
  ALB_CONTROLLER_SERVICE_ACCOUNT,
  EksCluster,
  eksNodeOptions,
} from "../../components/aws/eks-cluster.js";
import { vpcOptions } from "../../components/aws/shared-vpc.js";
import { standardTags } from "../../components/tags.js";
import { readConfig } from "../_shared/config.js";
import { currentStack } from "../_shared/kinds.js";

/** The AWS Load Balancer Controller's chart, pinned. */
export const ALB_CONTROLLER_CHART = {
  chart: "aws-load-balancer-controller",
  version: "1.13.4",
  repo: "https://aws.github.io/eks-charts",
};

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const clusterConfig = z.strictObject({
  clusterName: z.string().optional(),
  kubernetesVersion: z.string().default("1.33"),
  vpc: vpcOptions,
  nodes: eksNodeOptions,
  tagProject: z.string().default("preview-kit"),
  costCenter: z.string().optional(),
});

/**
 * The EKS infrastructure stack, one per cluster: `dev` (which also hosts previews) or
 * `production`. Besides the cluster it installs what the preview-base program needs of it (seed
 * 000's infrastructure stack did the same): the EBS CSI driver and a default gp3 StorageClass
 * (PostgreSQL's volume), the VPC CNI's network policy enforcement (the previews' default-deny
 * policy) and the AWS Load Balancer Controller (ALB Ingress routing).
 */
export function clusterProgram() {
  const stack = currentStack("cluster", ["dev", "production"]);
  const config = readConfig(clusterConfig);
  const clusterName = config.clusterName ?? `${config.tagProject}-${stack.stack}`;
  const cluster = new EksCluster("cluster", {
    clusterName,
    version: config.kubernetesVersion,
    vpc: config.vpc,
    nodes: config.nodes,
    tags: standardTags({
      project: config.tagProject,
      stack: stack.stack,
      costCenter: config.costCenter,
    }),
  });

  // Waits for the whole cluster component: nodes and add-ons included.
  const provider = new k8s.Provider(
    "k8s",
    { kubeconfig: cluster.kubeconfig },
    { dependsOn: [cluster] },
  );
  // EKS 1.30 and later mark no StorageClass default: a claim without a class stays Pending.
  new k8s.storage.v1.StorageClass(
    "gp3",
    {
      metadata: {
        name: "gp3",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
    },
    { provider },
  );
  const region = aws.getRegionOutput().region;
  new k8s.helm.v3.Release(
    "aws-load-balancer-controller",
    {
      chart: ALB_CONTROLLER_CHART.chart,
      version: ALB_CONTROLLER_CHART.version,
      repositoryOpts: { repo: ALB_CONTROLLER_CHART.repo },
      namespace: ALB_CONTROLLER_SERVICE_ACCOUNT.namespace,
      values: {
        clusterName: cluster.clusterName,
        region,
        vpcId: cluster.vpcId,
        serviceAccount: {
          create: true,
          name: ALB_CONTROLLER_SERVICE_ACCOUNT.name,
          annotations: { "eks.amazonaws.com/role-arn": cluster.albControllerRoleArn },
        },
      },
    },
    { provider },
  );

  return {
    kubeconfig: cluster.kubeconfig,
    vpcId: cluster.vpcId,
    clusterName: cluster.clusterName,
    oidcProviderArn: cluster.oidcProviderArn,
    albControllerRoleArn: cluster.albControllerRoleArn,
  };
}
