import { z } from "zod";
import { EksCluster, eksNodeOptions } from "../../components/aws/eks-cluster.js";
import { vpcOptions } from "../../components/aws/shared-vpc.js";
import { standardTags } from "../../components/tags.js";
import { readConfig } from "../_shared/config.js";
import { currentStack } from "../_shared/kinds.js";

export const clusterConfig = z.strictObject({
  clusterName: z.string().optional(),
  kubernetesVersion: z.string().default("1.33"),
  vpc: vpcOptions,
  nodes: eksNodeOptions,
  tagProject: z.string().default("preview-kit"),
  costCenter: z.string().optional(),
});

/** The EKS infrastructure stack, one per cluster: `dev` (which also hosts previews) or `production`. */
export function clusterProgram() {
  const stack = currentStack("cluster", ["dev", "production"]);
  const config = readConfig(clusterConfig);
  const cluster = new EksCluster("cluster", {
    clusterName: config.clusterName ?? `${config.tagProject}-${stack.stack}`,
    version: config.kubernetesVersion,
    vpc: config.vpc,
    nodes: config.nodes,
    tags: standardTags({
      project: config.tagProject,
      stack: stack.stack,
      costCenter: config.costCenter,
    }),
  });
  return {
    kubeconfig: cluster.kubeconfig,
    vpcId: cluster.vpcId,
    clusterName: cluster.clusterName,
    oidcProviderArn: cluster.oidcProviderArn,
    albControllerRoleArn: cluster.albControllerRoleArn,
  };
}
