/**
 * A preview's deploy identity on the real kube-apiserver: PreviewDeployer (as preview-base
 * makes it) and a preview's objects (as programs/app makes them: AppNamespace with the
 * deployer's RoleBinding, WebService, MigrationJob, the pull secret) are built under mocks;
 * the platform's objects are sent as the admin, the preview's with the deployer's own token,
 * which the real token controller issued. The API server's RBAC and its built-in
 * ValidatingAdmissionPolicy admission decide: everything the preview deploys is admitted, and
 * each way out of the preview's namespace is refused.
 */
import * as k8s from "@pulumi/kubernetes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppNamespace,
  MigrationJob,
  PreviewDatabase,
  PreviewDeployer,
  PULL_REQUEST_LABEL,
  WebService,
} from "../../components/kubernetes/index.js";
import {
  type ApiResponse,
  controlPlaneEngines,
  startControlPlane,
  type ControlPlane,
} from "../support/control-plane.js";
import { allowed, asBearer, serviceAccountToken } from "../support/bearer.js";
import { installPlatform, mustAdmin, ordered, toObject } from "../support/mock-objects.js";
import { digestRef, runProgram } from "../support/pulumi-mocks.js";

const bin = controlPlaneEngines();
const SHARED = "preview-shared";
const sized = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "250m", memory: "256Mi" },
};

/** preview-base's part: the shared namespace and the deployer. */
function platform(): unknown {
  const provider = new k8s.Provider("target", { kubeconfig: "{}" });
  const shared = new AppNamespace("shared", { provider, name: SHARED, networkPolicy: {} });
  new PreviewDeployer(
    "preview-deployer",
    { provider, namespace: SHARED, server: "https://127.0.0.1:6443" },
    { dependsOn: [shared] },
  );
  return {};
}

/** programs/app's part for pull request `n`, deploying as the deployer. */
function preview(n: number) {
  return () => {
    const provider = new k8s.Provider("target", { kubeconfig: "{}" });
    const namespace = new AppNamespace("namespace", {
      provider,
      name: `preview-pr-${n}`,
      labels: { [PULL_REQUEST_LABEL]: String(n) },
      quota: {
        "requests.cpu": "2",
        "requests.memory": "2Gi",
        "limits.cpu": "4",
        "limits.memory": "4Gi",
      },
      limitRange: { defaultRequest: sized.requests, default: sized.limits },
      networkPolicy: { allowFromNamespaces: ["gateway"], egress: {} },
      deployer: {
        role: "preview-deployer-namespaced-abc123",
        serviceAccount: { namespace: SHARED, name: "preview-deployer" },
      },
    });
    new PreviewDatabase("database", { provider, namespace, appName: "app" });
    const image = digestRef("127.0.0.1:5000/acme/web");
    new WebService("web", {
      provider,
      namespace,
      container: { name: "web", image, resources: sized },
      port: 8080,
      probes: { path: "/healthz" },
      imagePullSecrets: ["registry"],
      securityContext: { runAsUser: 10001 },
    });
    new MigrationJob("migrate", {
      provider,
      namespace,
      jobName: "migrate",
      container: { name: "migrate", image, command: ["migrate"], resources: sized },
    });
    return {};
  };
}

describe.skipIf(!bin)("the preview deployer on the real API server", () => {
  let plane: ControlPlane;
  let token: string;
  const admitted: string[] = [];

  /** A request as the deployer, with its token. */
  const asDeployer = <T = { message?: string }>(
    method: string,
    path: string,
    body?: object,
    contentType?: string,
  ) => asBearer<T>(plane, token, method, path, body, contentType);

  beforeAll(async () => {
    let base;
    [plane, base] = await Promise.all([
      startControlPlane(bin as string),
      runProgram(platform, { project: "preview-base", stack: "dev" }),
    ]);
    const pr7 = await runProgram(preview(7), { project: "app", stack: "pr-7" });
    const pr8 = await runProgram(preview(8), { project: "app", stack: "pr-8" });

    // What the deployer must never read: the database admin's Secret in the shared namespace.
    await installPlatform(plane, base.resources, SHARED);
    token = await serviceAccountToken(plane, SHARED, "preview-deployer-token");
    // Policies take effect once the API server has loaded them: a dry run of a refused change.
    await plane.waitFor("the admission policy", async () => {
      const probe = await asDeployer("POST", "/api/v1/namespaces?dryRun=All", {
        metadata: { name: "preview-pr-1" },
      });
      return probe.status === 403 || probe.status === 422;
    });

    for (const run of [pr7, pr8]) {
      for (const resource of ordered(run.resources)) {
        const { path, body } = toObject(resource);
        const response = await asDeployer("POST", path, body);
        const name = `${String(body.kind)} ${path.split("/namespaces/")[1]?.split("/")[0] ?? ""}/${(body.metadata as { name: string }).name}`;
        if (response.status !== 201) {
          throw new Error(`${name} refused: ${response.status} ${response.body.message}`);
        }
        admitted.push(name);
      }
    }
  }, 180_000);

  afterAll(async () => {
    await plane?.stop();
  });

  it("admits everything a preview deploys, made with the deployer's token", () => {
    expect(admitted).toEqual(
      expect.arrayContaining([
        "Namespace /preview-pr-7",
        "RoleBinding preview-pr-7/preview-deployer",
        "ResourceQuota preview-pr-7/quota",
        "LimitRange preview-pr-7/limits",
        "NetworkPolicy preview-pr-7/default-deny-ingress",
        "NetworkPolicy preview-pr-7/default-deny-egress",
        "ConfigMap preview-pr-7/database",
        "Deployment preview-pr-7/web",
        "Service preview-pr-7/web",
        "Job preview-pr-7/migrate",
        "Namespace /preview-pr-8",
      ]),
    );
  });

  it("reads, updates and deletes what it made in its preview's namespace", async () => {
    const path = "/apis/apps/v1/namespaces/preview-pr-7/deployments/web";
    expect((await asDeployer("GET", path)).status).toBe(200);
    const patched = await asDeployer(
      "PATCH",
      path,
      { metadata: { labels: { touched: "yes" } } },
      "application/merge-patch+json",
    );
    expect(patched.status, patched.body.message).toBe(200);
    expect(
      (await asDeployer("DELETE", "/api/v1/namespaces/preview-pr-7/services/web")).status,
    ).toBe(200);
  });

  // What the provider's awaits watch in the namespace (pulumi-kubernetes pkg/await: deployment.go,
  // job.go, service.go, ingress.go, pod.go). Each watch must sync before its await goes on: a
  // missing list blocks `up` until the resource's timeout (seen: every Deployment, no PVC read).
  it.each([
    ["apps", "deployments"],
    ["apps", "replicasets"],
    ["", "pods"],
    ["", "persistentvolumeclaims"],
    ["", "services"],
    ["", "endpoints"],
    ["", "events"],
    ["batch", "jobs"],
    ["networking.k8s.io", "ingresses"],
  ])(
    "may list and watch %s %s in its preview's namespace, as the provider's awaits do",
    async (group, resource) => {
      for (const verb of ["list", "watch"]) {
        expect(
          await allowed(plane, token, { namespace: "preview-pr-7", group, resource, verb }),
          `${verb} ${resource}`,
        ).toBe(true);
      }
    },
  );

  const namespace = (name: string, labels: Record<string, string>) => ({
    metadata: { name, labels },
  });
  const previewLabels = (n: number) => ({
    "app.kubernetes.io/managed-by": "preview-kit",
    [PULL_REQUEST_LABEL]: String(n),
    "pod-security.kubernetes.io/enforce": "restricted",
  });
  const escapes: [string, () => Promise<ApiResponse<{ message?: string }>>, RegExp][] = [
    [
      "create a ConfigMap in the shared namespace",
      () =>
        asDeployer("POST", `/api/v1/namespaces/${SHARED}/configmaps`, { metadata: { name: "x" } }),
      /forbidden/,
    ],
    [
      "read the database admin's Secret",
      () => asDeployer("GET", `/api/v1/namespaces/${SHARED}/secrets/postgres-admin`),
      /cannot get resource "secrets"/,
    ],
    [
      "read its own token's Secret",
      () => asDeployer("GET", `/api/v1/namespaces/${SHARED}/secrets/preview-deployer-token`),
      /cannot get resource "secrets"/,
    ],
    [
      "read another preview's database Secret",
      () => asDeployer("GET", "/api/v1/namespaces/preview-pr-8/secrets/database"),
      /cannot get resource "secrets"/,
    ],
    [
      "write a Secret in its own namespace (the platform writes a preview's)",
      () =>
        asDeployer("POST", "/api/v1/namespaces/preview-pr-7/secrets", { metadata: { name: "x" } }),
      /cannot create resource "secrets"/,
    ],
    [
      "list Secrets across the cluster",
      () => asDeployer("GET", "/api/v1/secrets"),
      /cannot list resource "secrets"/,
    ],
    [
      "create a Deployment in kube-system",
      () =>
        asDeployer("POST", "/apis/apps/v1/namespaces/kube-system/deployments", {
          metadata: { name: "x" },
        }),
      /forbidden/,
    ],
    [
      "delete a ConfigMap in kube-system",
      () => asDeployer("DELETE", "/api/v1/namespaces/kube-system/configmaps/platform"),
      /changes only what is in a preview's namespace/,
    ],
    [
      "delete the shared namespace's NetworkPolicy",
      () =>
        asDeployer(
          "DELETE",
          `/apis/networking.k8s.io/v1/namespaces/${SHARED}/networkpolicies/default-deny-ingress`,
        ),
      /changes only what is in a preview's namespace/,
    ],
    [
      "create a namespace without the kit's labels",
      () => asDeployer("POST", "/api/v1/namespaces", namespace("preview-pr-9", {})),
      /preview deployer makes only namespaces/,
    ],
    [
      "create a namespace with another pull request's number",
      () => asDeployer("POST", "/api/v1/namespaces", namespace("preview-pr-9", previewLabels(10))),
      /preview deployer makes only namespaces/,
    ],
    [
      "create a namespace named otherwise",
      () => asDeployer("POST", "/api/v1/namespaces", namespace("payments", previewLabels(9))),
      /preview deployer makes only namespaces/,
    ],
    [
      "create a preview namespace without Pod Security restricted",
      () =>
        asDeployer(
          "POST",
          "/api/v1/namespaces",
          namespace("preview-pr-9", {
            ...previewLabels(9),
            "pod-security.kubernetes.io/enforce": "privileged",
          }),
        ),
      /preview deployer makes only namespaces/,
    ],
    [
      "relabel its own namespace to privileged",
      () =>
        asDeployer(
          "PATCH",
          "/api/v1/namespaces/preview-pr-7",
          { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
          "application/merge-patch+json",
        ),
      /preview deployer makes only namespaces/,
    ],
    [
      "drop the kit's label from its namespace",
      () =>
        asDeployer(
          "PATCH",
          "/api/v1/namespaces/preview-pr-7",
          { metadata: { labels: { "app.kubernetes.io/managed-by": null } } },
          "application/merge-patch+json",
        ),
      /preview deployer makes only namespaces/,
    ],
    [
      "label the shared namespace as a preview's",
      () =>
        asDeployer(
          "PATCH",
          `/api/v1/namespaces/${SHARED}`,
          { metadata: { labels: previewLabels(1) } },
          "application/merge-patch+json",
        ),
      /preview deployer makes only namespaces/,
    ],
    [
      "delete another preview's namespace",
      () => asDeployer("DELETE", "/api/v1/namespaces/preview-pr-8"),
      /cannot delete resource "namespaces"/,
    ],
    [
      "delete the shared namespace",
      () => asDeployer("DELETE", `/api/v1/namespaces/${SHARED}`),
      /cannot delete resource "namespaces"/,
    ],
    [
      "create a ClusterRoleBinding to cluster-admin",
      () =>
        asDeployer("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
          metadata: { name: "mine" },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "cluster-admin",
          },
          subjects: [{ kind: "ServiceAccount", name: "preview-deployer", namespace: SHARED }],
        }),
      /forbidden/,
    ],
    [
      "bind cluster-admin in its own namespace",
      () =>
        asDeployer(
          "POST",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-7/rolebindings",
          {
            metadata: { name: "admin" },
            roleRef: {
              apiGroup: "rbac.authorization.k8s.io",
              kind: "ClusterRole",
              name: "cluster-admin",
            },
            subjects: [{ kind: "ServiceAccount", name: "preview-deployer", namespace: SHARED }],
          },
        ),
      /forbidden/,
    ],
    [
      "bind the previews' role to another subject (a pod's service account)",
      () =>
        asDeployer(
          "POST",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-7/rolebindings",
          {
            metadata: { name: "pods" },
            roleRef: {
              apiGroup: "rbac.authorization.k8s.io",
              kind: "ClusterRole",
              name: "preview-deployer-namespaced-abc123",
            },
            subjects: [{ kind: "ServiceAccount", name: "default", namespace: "preview-pr-7" }],
          },
        ),
      /binds only itself/,
    ],
    [
      "bind itself in the shared namespace",
      () =>
        asDeployer("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${SHARED}/rolebindings`, {
          metadata: { name: "mine" },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "preview-deployer-namespaced-abc123",
          },
          subjects: [{ kind: "ServiceAccount", name: "preview-deployer", namespace: SHARED }],
        }),
      /changes only what is in a preview's namespace/,
    ],
  ];

  it.each(escapes)("refuses to %s", async (what, attempt, reason) => {
    const response = await attempt();
    expect(response.status, `${what}: ${response.body.message}`).toBe(403);
    expect(response.body.message).toMatch(reason);
  });

  it("gets 'not found', not 'forbidden', deleting in a preview's namespace that is gone (its stack's destroy)", async () => {
    const response = await asDeployer(
      "DELETE",
      "/apis/apps/v1/namespaces/preview-pr-404/deployments/web",
    );
    expect(response.status, response.body.message).toBe(404);
  });

  it("refuses to bind itself in a namespace named like a preview's that the kit did not label", async () => {
    await mustAdmin(plane, "POST", "/api/v1/namespaces", { metadata: { name: "preview-pr-77" } });
    const response = await asDeployer(
      "POST",
      "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-77/rolebindings",
      {
        metadata: { name: "preview-deployer" },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "preview-deployer-namespaced-abc123",
        },
        subjects: [{ kind: "ServiceAccount", name: "preview-deployer", namespace: SHARED }],
      },
    );
    expect(response.status, response.body.message).toBe(403);
    expect(response.body.message).toMatch(/changes only what is in a preview's namespace/);
  });
});
