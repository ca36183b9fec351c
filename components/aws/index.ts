export { albControllerPolicy } from "./alb-controller-policy.js";
export { subnetCidr } from "./cidr.js";
export {
  ALB_CONTROLLER_SERVICE_ACCOUNT,
  EBS_CSI_SERVICE_ACCOUNT,
  EksCluster,
  eksNodeOptions,
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
export { SharedVpc, vpcOptions, type SharedVpcArgs, type VpcOptions } from "./shared-vpc.js";
export { WildcardCertificate, type WildcardCertificateArgs } from "./wildcard-certificate.js";
