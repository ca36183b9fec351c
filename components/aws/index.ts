import type { Check } from "../check.js";
import { eksNodeOptions as eksNodeOptionsSchema, type EksNodeOptions } from "./eks-cluster.js";
import { vpcOptions as vpcOptionsSchema, type VpcOptions } from "./shared-vpc.js";

export { albControllerPolicy } from "./alb-controller-policy.js";
export { subnetCidr } from "./cidr.js";
export {
  ALB_CONTROLLER_SERVICE_ACCOUNT,
  EBS_CSI_SERVICE_ACCOUNT,
  EksCluster,
  type EksClusterArgs,
  type EksNodeOptions,
} from "./eks-cluster.js";
export { FargateService, type FargateServiceArgs } from "./fargate-service.js";
export { ListenerRule, type ListenerRuleArgs } from "./listener-rule.js";
export {
  listenerPriority,
  MAX_PR,
  MAX_PRIORITY,
  PERMANENT_PRIORITIES,
  PR_BASE,
  SLOTS,
} from "./priority.js";
export { SharedAlb, type SharedAlbArgs } from "./shared-alb.js";
export { SharedVpc, type SharedVpcArgs, type VpcOptions } from "./shared-vpc.js";
/** The VPC layout EksCluster and SharedVpc take, with its defaults, for your own config. */
export const vpcOptions: Check<VpcOptions> = vpcOptionsSchema;
/** EksCluster's node group options, with their defaults, for your own config. */
export const eksNodeOptions: Check<EksNodeOptions> = eksNodeOptionsSchema;
export { WildcardCertificate, type WildcardCertificateArgs } from "./wildcard-certificate.js";
