import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, input, parseArgs, typeToken } from "../args.js";
import { MANAGED_BY, PULL_REQUEST_LABEL } from "./app-namespace.js";
import {
  githubTokenExec,
  PREVIEW_CLEANUP_GROUP,
  PREVIEW_USER_PATTERN,
  PREVIEW_USER_PREFIX,
  PREVIEWS_GROUP,
} from "./github-identity.js";
import { clusterRoleFor, confineUser } from "./platform-identity.js";
import { explicitProvider } from "./provider.js";

/** What every preview's namespace is called: `preview-pr-<N>`. */
export const PREVIEW_NAMESPACE_PREFIX = "preview-pr-";

const previewDeployerArgs = z.strictObject({
  provider: explicitProvider,
  /** Where the ServiceAccount and its token live (the shared namespace): no preview reaches it. */
  namespace: dnsLabel,
  name: dnsLabel.default("preview-deployer"),
  /** The API server's URL as the previews' deploy jobs reach it. */
  server: input(z.url({ protocol: /^https$/ })),
  identity: z
    .union([
      z.literal("service-account"),
      z.strictObject({
        github: z.strictObject({
          audience: z.string().min(1),
          caData: input(z.base64()),
        }),
      }),
    ])
    .default("service-account"),
});

export interface PreviewDeployerArgs {
  /** The cluster, with rights to create RBAC and admission policies. */
  provider: k8s.Provider;
  /**
   * Where the ServiceAccount and its token Secret go (preview-base's shared namespace); the
   * GitHub identity makes neither.
   */
  namespace: string;
  /** The ServiceAccount's name, default `preview-deployer` (not used by the GitHub identity). */
  name?: string;
  /** `https://…` of the API server, as the previews' deploy jobs reach it. */
  server: pulumi.Input<string>;
  /**
   * Who a preview's program is to the API server. `service-account` (default): one
   * ServiceAccount and its long-lived token, shared by every preview. `github`: each pull
   * request's own user, `preview-kit:pr:<N>`, from its job's GitHub Actions OIDC token; the API
   * server must trust those tokens with `githubPreviewAuthenticator` (same `audience`).
   */
  identity?: "service-account" | { github: GithubDeployerIdentity };
}

/** How previews' jobs authenticate with their GitHub Actions OIDC token. */
export interface GithubDeployerIdentity {
  /** The audience they ask GitHub for: `githubPreviewAuthenticator`'s. */
  audience: string;
  /** Base64 PEM of the CA that signed the API server's certificate, for the kubeconfig. */
  caData: pulumi.Input<string>;
}

/** The verbs a preview's program needs on what it manages. */
const MANAGE = ["get", "list", "watch", "create", "update", "patch", "delete"];
const READ = ["get", "list", "watch"];

/**
 * What a preview's program deploys in its own namespace (AppNamespace's quota, limits and
 * policies; WebService, MigrationJob, Route, the database request) and what the provider reads
 * while waiting for it. No Secrets: the platform writes a preview's (its database's
 * credentials, the pull secret; see PreviewDatabaseProvisioner), and none can be read.
 */
const NAMESPACED_RULES = [
  {
    apiGroups: [""],
    resources: ["configmaps", "services", "resourcequotas", "limitranges"],
    verbs: MANAGE,
  },
  // The provider's awaits list and watch these in the namespace and wait for each watch to sync
  // (pulumi-kubernetes pkg/await/informers: WaitForCacheSync): a Deployment's await watches
  // PersistentVolumeClaims, and without that read every Deployment's `up` hangs to its timeout.
  {
    apiGroups: [""],
    resources: ["pods", "pods/log", "events", "endpoints", "persistentvolumeclaims"],
    verbs: READ,
  },
  { apiGroups: ["apps"], resources: ["deployments"], verbs: MANAGE },
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
  { apiGroups: ["batch"], resources: ["jobs"], verbs: MANAGE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: MANAGE },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: MANAGE },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"], verbs: MANAGE },
  { apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes"], verbs: MANAGE },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
];

/**
 * What the kit's cleanup may do in a preview's namespace: read what a preview's program made
 * (a destroy waits for each deletion), and delete it, with the RoleBindings.
 */
const CLEANUP_RULES = [
  ...NAMESPACED_RULES.map((rule) => ({
    ...rule,
    verbs: rule.verbs === MANAGE ? ["get", "list", "watch", "delete"] : rule.verbs,
  })),
  {
    apiGroups: ["rbac.authorization.k8s.io"],
    resources: ["rolebindings"],
    verbs: ["get", "list", "watch", "delete"],
  },
];

/**
 * CEL, true when the Namespace `ns` (`object`, `namespaceObject`) is `preview-pr-<N>` with the
 * kit's label, its pull request's number and `restricted` enforced.
 * @internal
 */
export const PREVIEW_NAMESPACE = (ns: string) =>
  `${ns}.metadata.name.matches('^${PREVIEW_NAMESPACE_PREFIX}[0-9]+$') && has(${ns}.metadata.labels) && ` +
  Object.entries({
    ...MANAGED_BY,
    "pod-security.kubernetes.io/enforce": "restricted",
  })
    .map(
      ([key, value]) =>
        `'${key}' in ${ns}.metadata.labels && ${ns}.metadata.labels['${key}'] == '${value}'`,
    )
    .join(" && ") +
  ` && '${PULL_REQUEST_LABEL}' in ${ns}.metadata.labels && ` +
  `${ns}.metadata.labels['${PULL_REQUEST_LABEL}'] == ${ns}.metadata.name.substring(${PREVIEW_NAMESPACE_PREFIX.length})`;

/** CEL: pull request N's namespace, `preview-pr-<N>`, for a user `preview-kit:pr:<N>`. */
const OWN_NAMESPACE = `'${PREVIEW_NAMESPACE_PREFIX}' + request.userInfo.username.substring(${PREVIEW_USER_PREFIX.length})`;

/**
 * The identity a preview's program deploys with, instead of the cluster admin's.
 *
 * With `identity: "service-account"` (default): a ServiceAccount in the shared namespace and a
 * token for it (`kubeconfig`, secret), shared by every preview. With `identity: { github }`:
 * no ServiceAccount and no token; each pull request's jobs are their own user,
 * `preview-kit:pr:<N>` in the group `preview-kit:previews`, authenticated by the API server
 * from the job's GitHub Actions OIDC token (`githubPreviewAuthenticator`), and `kubeconfig`
 * asks the job for that token (`githubTokenExec`).
 *
 * RBAC gives the identity (the group), cluster-wide, only: create, read and update Namespaces
 * (never delete: the platform's cleanup does that), manage RoleBindings, delete what a preview
 * deploys (so that a stack whose namespace is gone can still be destroyed), and `bind` the one
 * ClusterRole (`namespacedRole`) a preview needs in its own namespace. A preview's program
 * binds itself to that role there (AppNamespace `deployer`: the ServiceAccount, or its pull
 * request's user); it holds nothing in any other namespace and can neither read nor write a
 * Secret anywhere.
 *
 * A ValidatingAdmissionPolicy, enforced by the API server itself, limits every change it makes:
 * a Namespace must be `preview-pr-<N>` labelled managed by the kit, with
 * `preview-kit/pull-request=<N>` and Pod Security `restricted` enforced (on update too, so no
 * preview can relabel its way out); anything namespaced must go to such a namespace; a
 * RoleBinding may only bind the identity itself to `namespacedRole`; nothing else
 * cluster-scoped. With the GitHub identity, `<N>` is the user's own: pull request 7's jobs
 * change only `preview-pr-7` and bind only `preview-kit:pr:7`, so one preview's program
 * cannot touch another open preview. With the ServiceAccount, every preview shares one
 * identity: it contains previews, not one preview from another.
 */
export class PreviewDeployer extends pulumi.ComponentResource {
  static readonly type = typeToken("kubernetes", "PreviewDeployer");
  /**
   * Kubeconfig (JSON) of the previews' deploy jobs: the ServiceAccount's token (secret), or
   * the GitHub identity's `exec` credential plugin.
   */
  readonly kubeconfig: pulumi.Output<string>;
  /** The ClusterRole a preview binds its identity to in its own namespace. */
  readonly namespacedRole: pulumi.Output<string>;
  /** The ServiceAccount, as a RoleBinding subject; none with the GitHub identity. */
  readonly serviceAccount?: { namespace: string; name: string };
  /**
   * GitHub identity: the ClusterRole a preview binds the kit's cleanup (`preview-kit:cleanup`)
   * to in its namespace: read, and delete what a preview makes.
   */
  readonly cleanupRole?: pulumi.Output<string>;

  constructor(name: string, rawArgs: PreviewDeployerArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = parseArgs(PreviewDeployer.type, name, previewDeployerArgs, rawArgs);
    super(PreviewDeployer.type, name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const github = args.identity === "service-account" ? undefined : args.identity.github;
    const subject = { name: args.name, namespace: args.namespace };
    const username = `system:serviceaccount:${args.namespace}:${args.name}`;

    // Cluster-scoped, so auto-named: two bases on one cluster must not share these.
    const namespaced = new k8s.rbac.v1.ClusterRole(
      `${name}-namespaced`,
      { rules: NAMESPACED_RULES },
      child,
    );
    // The kit's cleanup (GitHub identity): a merged pull request's close and the sweep run on
    // the default branch, as `preview-kit:cleanup`, which each preview binds in its namespace.
    const cleanupRole =
      github && new k8s.rbac.v1.ClusterRole(`${name}-cleanup`, { rules: CLEANUP_RULES }, child);
    const { binding } = clusterRoleFor(
      name,
      [
        {
          apiGroups: [""],
          resources: ["namespaces"],
          verbs: ["get", "list", "watch", "create", "update", "patch"],
        },
        {
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["rolebindings"],
          verbs: MANAGE,
        },
        // Deleting what the namespaced role manages, everywhere as far as RBAC goes: once a
        // preview's namespace (and its RoleBinding) is gone, its stack's destroy then gets
        // "not found" instead of "forbidden". The policy refuses any delete of an existing
        // object outside a preview's namespace.
        ...NAMESPACED_RULES.filter((rule) => rule.verbs === MANAGE).map((rule) => ({
          ...rule,
          verbs: ["delete"],
        })),
        // RBAC refuses a RoleBinding to a role whose rights its creator lacks, unless `bind`.
        {
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["clusterroles"],
          verbs: ["bind"],
          resourceNames: cleanupRole
            ? [namespaced.metadata.name, cleanupRole.metadata.name]
            : [namespaced.metadata.name],
        },
      ],
      github ? { group: PREVIEWS_GROUP } : subject,
      child,
    );

    const namespaceRule = (own: string) => ({
      expression: `request.resource.resource != 'namespaces' || (request.operation != 'DELETE' && ${own}${PREVIEW_NAMESPACE("object")})`,
      message: `the preview deployer makes only namespaces ${PREVIEW_NAMESPACE_PREFIX}<N> labelled ${Object.keys(MANAGED_BY)[0]}=preview-kit, ${PULL_REQUEST_LABEL}=<N> and pod-security.kubernetes.io/enforce=restricted, and deletes none`,
      reason: "Forbidden",
    });
    const namespacedRule = (own: string) => ({
      expression: `request.resource.resource == 'namespaces' || (${own}namespaceObject != null && ${PREVIEW_NAMESPACE("namespaceObject")})`,
      message: `the preview deployer changes only what is in a preview's namespace (${PREVIEW_NAMESPACE_PREFIX}<N>, labelled by the kit)`,
      reason: "Forbidden",
    });
    const bindsOnly = (self: string, cleanup?: pulumi.Output<string>) => ({
      expression: pulumi.interpolate`request.resource.resource != 'rolebindings' || request.operation == 'DELETE' || (object.roleRef.kind == 'ClusterRole' && has(object.subjects) && object.subjects.size() == 1 && ((object.roleRef.name == '${namespaced.metadata.name}' && ${self})${cleanup ? pulumi.interpolate` || (object.roleRef.name == '${cleanup}' && object.subjects[0].kind == 'Group' && object.subjects[0].name == '${PREVIEW_CLEANUP_GROUP}')` : ""}))`,
      message: cleanup
        ? "the preview deployer binds only itself to the previews' role, and the kit's cleanup to its role"
        : "the preview deployer binds only itself, to the previews' role",
      reason: "Forbidden",
    });
    if (github)
      confineUser(
        name,
        { condition: "preview-deployer", group: PREVIEWS_GROUP },
        [
          {
            // Whatever else is in the group (another authenticator's users) changes nothing.
            expression: `request.userInfo.username.matches('${PREVIEW_USER_PATTERN}')`,
            message: `only a pull request's user (${PREVIEW_USER_PREFIX}<N>) deploys a preview`,
            reason: "Forbidden",
          },
          namespaceRule(`object.metadata.name == ${OWN_NAMESPACE} && `),
          {
            ...namespacedRule(`request.namespace == ${OWN_NAMESPACE} && `),
            message: `a pull request's preview deployer changes only what is in its own namespace (${PREVIEW_NAMESPACE_PREFIX}<N> for ${PREVIEW_USER_PREFIX}<N>, labelled by the kit)`,
          },
          bindsOnly(
            "object.subjects[0].kind == 'User' && object.subjects[0].name == request.userInfo.username",
            cleanupRole ? cleanupRole.metadata.name : undefined,
          ),
        ],
        child,
      );
    if (cleanupRole) {
      // Deleting anywhere as far as RBAC goes, as the deployer: once a preview's namespace is
      // gone, its destroy gets "not found"; the policy refuses every other write.
      clusterRoleFor(
        `${name}-cleanup-anywhere`,
        [
          ...CLEANUP_RULES.filter((rule) => rule.verbs.includes("delete")).map((rule) => ({
            ...rule,
            verbs: ["delete"],
          })),
          // A destroy waits for each deletion: the last, its own binding's, it reads thus.
          { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["get"] },
        ],
        { group: PREVIEW_CLEANUP_GROUP },
        child,
      );
      confineUser(
        `${name}-cleanup`,
        { condition: "preview-cleanup", group: PREVIEW_CLEANUP_GROUP },
        [
          {
            expression: `request.operation == 'DELETE' && request.resource.resource != 'namespaces' && namespaceObject != null && ${PREVIEW_NAMESPACE("namespaceObject")}`,
            message: `the kit's cleanup only deletes what is in a preview's namespace (${PREVIEW_NAMESPACE_PREFIX}<N>, labelled by the kit), never the namespace itself`,
            reason: "Forbidden",
          },
        ],
        child,
      );
      this.cleanupRole = cleanupRole.metadata.name;
    } else
      confineUser(
        name,
        { condition: "preview-deployer", username },
        [
          namespaceRule(""),
          namespacedRule(""),
          bindsOnly(
            `object.subjects[0].kind == 'ServiceAccount' && object.subjects[0].name == '${args.name}' && object.subjects[0].namespace == '${args.namespace}'`,
          ),
        ],
        child,
      );

    const kubeconfig = (cluster: object, user: object) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "previews", cluster }],
        contexts: [{ name: "previews", context: { cluster: "previews", user: args.name } }],
        "current-context": "previews",
        users: [{ name: args.name, user }],
      });
    this.namespacedRole = namespaced.metadata.name;
    if (github) {
      this.kubeconfig = pulumi
        .all([args.server as pulumi.Input<string>, github.caData as pulumi.Input<string>])
        .apply(([server, caData]) =>
          kubeconfig(
            { server, "certificate-authority-data": caData },
            { exec: githubTokenExec(github.audience) },
          ),
        );
    } else {
      const account = new k8s.core.v1.ServiceAccount(
        name,
        {
          metadata: { name: args.name, namespace: args.namespace },
          automountServiceAccountToken: false,
        },
        child,
      );
      // A long-lived token the token controller fills in: waited for, it is the kubeconfig's.
      const token = new k8s.core.v1.Secret(
        `${name}-token`,
        {
          metadata: {
            name: `${args.name}-token`,
            namespace: args.namespace,
            annotations: {
              "kubernetes.io/service-account.name": args.name,
              "pulumi.com/waitFor": "jsonpath={.data.token}",
            },
          },
          type: "kubernetes.io/service-account-token",
        },
        { ...child, dependsOn: [account, binding], additionalSecretOutputs: ["data"] },
      );
      this.kubeconfig = pulumi.secret(
        pulumi
          .all([args.server as pulumi.Input<string>, token.data])
          .apply(([server, data = {}]) =>
            kubeconfig(
              { server, "certificate-authority-data": data["ca.crt"] },
              { token: Buffer.from(data.token ?? "", "base64").toString() },
            ),
          ),
      );
      this.serviceAccount = { namespace: args.namespace, name: args.name };
    }
    this.registerOutputs({ kubeconfig: this.kubeconfig, namespacedRole: this.namespacedRole });
  }
}
