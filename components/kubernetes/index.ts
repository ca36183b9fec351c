export { AppConfig, type AppConfigArgs } from "./app-config.js";
export {
  AppNamespace,
  KUBE_API_CLIENT,
  MANAGED_BY,
  PULL_REQUEST_LABEL,
  type AppNamespaceArgs,
  type CpuMemoryLimit,
  type EgressPort,
  type NamespaceEgress,
  type NamespaceIngress,
  type NamespaceQuota,
  type NamespaceTarget,
} from "./app-namespace.js";
export { SKIP_AWAIT } from "./await.js";
export {
  assertQuotaResources,
  type Container,
  type CpuMemory,
  type EnvFromSource,
  type Resources,
} from "./containers.js";
import type { Check } from "../check.js";
import { clusterFqdn as clusterFqdnSchema } from "./dns.js";

export { serviceFqdn } from "./dns.js";
/** `<service>.<namespace>.svc.cluster.local`: resolves from every namespace. */
export const clusterFqdn: Check<string> = clusterFqdnSchema;
export {
  GITHUB_ACTIONS_ISSUER,
  githubPreviewAuthenticator,
  githubTokenExec,
  PREVIEW_USER_PREFIX,
  PREVIEWS_GROUP,
  previewUser,
  type GithubPreviewAuthenticatorArgs,
  type JwtAuthenticator,
} from "./github-identity.js";
export { MigrationJob, type MigrationJobArgs } from "./migration-job.js";
export type {
  NamespacePodSecurity,
  PodSecurityLevel,
  WorkloadSecurityContext,
} from "./pod-security.js";
export { POSTGRES_IMAGE_USER, SharedPostgres, type SharedPostgresArgs } from "./postgres.js";
export {
  DATABASE_REQUEST_LABEL,
  PREVIEW_NAMESPACE_LABEL,
  PreviewDatabase,
  previewDatabaseName,
  previewDatabasePrefix,
  type PreviewDatabaseArgs,
} from "./preview-database.js";
export {
  PreviewDatabaseProvisioner,
  type PreviewDatabaseProvisionerArgs,
} from "./preview-database-provisioner.js";
export {
  PREVIEW_NAMESPACE_PREFIX,
  PreviewDeployer,
  type GithubDeployerIdentity,
  type PreviewDeployerArgs,
} from "./preview-deployer.js";
export {
  PreviewDatabaseJanitor,
  type PreviewDatabaseJanitorArgs,
} from "./preview-database-janitor.js";
export { dockerConfigJson, ImagePullSecret, type ImagePullSecretArgs } from "./pull-secret.js";
export { Route, type AlbIngressRoute, type GatewayRoute, type RouteArgs } from "./route.js";
export { WebService, type WebServiceArgs } from "./web-service.js";
