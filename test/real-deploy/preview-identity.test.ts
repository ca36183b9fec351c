/**
 * Each pull request's own identity on the real kube-apiserver: its structured authentication
 * trusts GitHub Actions' OIDC tokens through `githubPreviewAuthenticator` (the platform's
 * rule, written once in components/kubernetes), and PreviewDeployer with `identity: { github }`
 * gives those users their rights and confines them. The tokens are the OIDC stand-in's
 * (test/workflow-runner/oidc.ts: GitHub's claims and issuer, its own key), its keys served
 * over HTTPS by the discovery stand-in (test/support/oidc-discovery.ts).
 *
 * Playing pull request 7's program: it deploys its preview with its own token, and every way
 * into another open preview (pull request 8's, deployed with PR 8's token), the shared
 * namespace or kube-system is refused; tokens from other runs, another repository, another
 * audience or another key, or expired, authenticate as nobody. Each attack first tries to
 * bind itself in its target namespace (what RBAC alone would let it do), then the change.
 */
import * as k8s from "@pulumi/kubernetes";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppNamespace,
  githubPreviewAuthenticator,
  PreviewDeployer,
  previewUser,
  PULL_REQUEST_LABEL,
  WebService,
} from "../../components/kubernetes/index.js";
import { allowed, asBearer } from "../support/bearer.js";
import {
  type ApiResponse,
  type ControlPlane,
  startControlPlane,
} from "../support/control-plane.js";
import { engines } from "../support/engines.js";
import {
  DEPLOY_ENGINES,
  deployLocalBase,
  deployProgram,
  installGatewayCrds,
  type KitDeploy,
  LOCAL_BASE_STACK,
  stageKitDeploy,
  stageProgram,
} from "../support/kit-deploy.js";
import { installPlatform, ordered, toObject } from "../support/mock-objects.js";
import { startOidcDiscovery, type OidcDiscovery } from "../support/oidc-discovery.js";
import { digestRef, runProgram } from "../support/pulumi-mocks.js";
import { type OidcStandIn, startOidcStandIn } from "../workflow-runner/oidc.js";

// The control plane's, the Pulumi CLI and provider, and kubectl for the deploy job's kubeconfig. Under CI=true a missing one
// fails the suite.
const bin = engines(...DEPLOY_ENGINES, "kubectl");
const SHARED = "preview-shared";
const REPOSITORY = "acme/shop";
/** The platform's choice: what its preview jobs ask GitHub for. */
const AUDIENCE = "https://previews.acme.example";
/** The mocks' name for the deployer's auto-named namespaced ClusterRole. */
const ROLE = "preview-deployer-namespaced-abc123";
/** The mocks' name for the cleanup's ClusterRole. */
const CLEANUP_ROLE = "preview-deployer-cleanup-abc123";
/** The kit's cleanup workflow as the repository calls it (its jobs' `job_workflow_ref`). */
const CLEANUP_WORKFLOW = "acme/preview-kit/.github/workflows/cleanup-preview.yml";
const sized = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "250m", memory: "256Mi" },
};

/** GitHub's claims for a run of `repository` on `ref` (docs: the example OIDC token). */
const claims = (ref: string, repository = REPOSITORY) => ({
  sub: `repo:${repository}:${ref.startsWith("refs/pull/") ? "pull_request" : `ref:${ref}`}`,
  repository,
  repository_owner: repository.split("/")[0] ?? "",
  ref,
  event_name: ref.startsWith("refs/pull/") ? "pull_request" : "push",
  workflow_ref: `${repository}/.github/workflows/preview.yml@${ref}`,
});
const pullRequest = (n: number) => claims(`refs/pull/${n}/merge`);
/**
 * A run of `workflow` on `ref` (a merged pull request's close or the sweep: the default branch),
 * its job in the kit's cleanup workflow unless told otherwise.
 */
const cleanupRun = (ref = "refs/heads/main", workflow = CLEANUP_WORKFLOW) => ({
  ...claims(ref),
  job_workflow_ref: `${workflow}@refs/tags/v1`,
});
/** The authenticator the platform runs: the repository's previews and the kit's cleanup. */
const authenticator = (discovery: OidcDiscovery) =>
  githubPreviewAuthenticator({
    repository: REPOSITORY,
    audience: AUDIENCE,
    cleanup: { workflow: CLEANUP_WORKFLOW },
    discoveryURL: discovery.discoveryURL,
    certificateAuthority: discovery.certificateAuthority,
  });

/** What a job with `id-token: write` has in its environment (the runner's), its token saying `run`. */
const jobOidcEnv = (oidc: OidcStandIn, run: Record<string, string>) => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: `${oidc.url}?api-version=2.0`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.request(run),
});

/**
 * A preview's program as a consumer writes it, deploying with the base's kubeconfig (the
 * exec plugin): its namespace with its user bound, and a ConfigMap in `target` (its own
 * namespace unless told otherwise, where it first binds itself as RBAC alone would let it).
 */
const PROGRAM = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppNamespace } from "../../components/kubernetes/app-namespace.js";
import { previewUser } from "../../components/kubernetes/github-identity.js";

const config = new pulumi.Config();
const n = config.requireNumber("pullRequest");
const own = "preview-pr-" + n;
const target = config.get("target") ?? own;
const provider = new k8s.Provider("cluster", { kubeconfig: config.require("kubeconfig") });
// Its own namespace, binding its user there; elsewhere, a foothold: itself bound in the target.
const rights =
  target === own
    ? new AppNamespace("namespace", {
        provider,
        name: own,
        labels: { "${PULL_REQUEST_LABEL}": String(n) },
        deployer: { role: config.require("role"), user: previewUser(n) },
      })
    : new k8s.rbac.v1.RoleBinding(
        "foothold",
        {
          metadata: { name: "pr-" + n, namespace: target },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: config.require("role") },
          subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: previewUser(n) }],
        },
        { provider },
      );
new k8s.core.v1.ConfigMap(
  "settings",
  { metadata: { name: "deployed-by-pulumi", namespace: target }, data: { by: own } },
  { provider, dependsOn: [rights] },
);
`;

/** preview-base's part: the shared namespace and the deployer, with the GitHub identity. */
function platform(server: string, caData: string) {
  return () => {
    const provider = new k8s.Provider("target", { kubeconfig: "{}" });
    const shared = new AppNamespace("shared", { provider, name: SHARED, networkPolicy: {} });
    const deployer = new PreviewDeployer(
      "preview-deployer",
      { provider, namespace: SHARED, server, identity: { github: { audience: AUDIENCE, caData } } },
      { dependsOn: [shared] },
    );
    return { kubeconfig: deployer.kubeconfig };
  };
}

/** programs/app's part for pull request `n`, deploying as its own user. */
function preview(n: number) {
  return () => {
    const provider = new k8s.Provider("target", { kubeconfig: "{}" });
    const namespace = new AppNamespace("namespace", {
      provider,
      name: `preview-pr-${n}`,
      labels: { [PULL_REQUEST_LABEL]: String(n) },
      limitRange: { defaultRequest: sized.requests, default: sized.limits },
      networkPolicy: { egress: {} },
      deployer: { role: ROLE, user: previewUser(n), cleanupRole: CLEANUP_ROLE },
    });
    new k8s.core.v1.ConfigMap(
      "settings",
      { metadata: { name: "settings", namespace: `preview-pr-${n}` }, data: { pr: String(n) } },
      { provider, dependsOn: [namespace] },
    );
    new WebService("web", {
      provider,
      namespace,
      container: { name: "web", image: digestRef("127.0.0.1:5000/acme/web"), resources: sized },
      port: 8080,
      securityContext: { runAsUser: 10001 },
    });
    return {};
  };
}

type Reply = ApiResponse<{ message?: string; status?: { userInfo?: { username?: string } } }>;

describe.skipIf(!bin)("each pull request's own identity on the real API server", () => {
  let plane: ControlPlane;
  let oidc: OidcStandIn;
  let discovery: OidcDiscovery;
  let kubeconfig: string;
  const tokens: Record<number, string> = {};
  const admitted: string[] = [];

  const as = (n: number, method: string, path: string, body?: object, contentType?: string) =>
    asBearer(plane, tokens[n] ?? "", method, path, body, contentType) as Promise<Reply>;
  const whoAmI = (token: string) =>
    asBearer(plane, token, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
    }) as Promise<Reply>;
  /** Sends a preview's objects with pull request `n`'s token; each must be created. */
  const deploy = async (n: number) => {
    const run = await runProgram(preview(n), { project: "app", stack: `pr-${n}` });
    for (const resource of ordered(run.resources)) {
      const { path, body } = toObject(resource);
      const response = await as(n, "POST", path, body);
      const name = `${String(body.kind)} ${path.split("/namespaces/")[1]?.split("/")[0] ?? ""}/${(body.metadata as { name: string }).name}`;
      if (response.status !== 201)
        throw new Error(`${name} refused to PR ${n}: ${response.status} ${response.body.message}`);
      admitted.push(`PR ${n}: ${name}`);
      // RBAC's authorizer learns of a binding from its cache, a moment later (the provider,
      // slower than this loop, has never been seen to outrun it).
      if (
        body.kind === "RoleBinding" &&
        (body.metadata as { name: string }).name === "preview-deployer"
      )
        await plane.waitFor(`PR ${n}'s rights in its namespace`, () =>
          allowed(plane, tokens[n] ?? "", {
            namespace: `preview-pr-${n}`,
            resource: "limitranges",
            verb: "create",
          }),
        );
    }
  };

  beforeAll(async () => {
    oidc = await startOidcStandIn();
    discovery = await startOidcDiscovery(oidc.jwk);
    for (const n of [7, 8]) tokens[n] = await oidc.mint(pullRequest(n), AUDIENCE);
    plane = await startControlPlane(bin as string, {
      authentication: {
        jwt: [authenticator(discovery)],
        ready: tokens[7] ?? "",
      },
    });
    const base = await runProgram(platform(plane.url, plane.caData), {
      project: "preview-base",
      stack: "dev",
    });
    kubeconfig = String(base.outputs.kubeconfig);
    // What the deployer must never read: the database admin's Secret in the shared namespace.
    await installPlatform(plane, base.resources, SHARED);
    // Policies take effect once the API server has loaded them: a dry run of a refused change.
    await plane.waitFor("the admission policy", async () => {
      const probe = await as(7, "POST", "/api/v1/namespaces?dryRun=All", {
        metadata: { name: "preview-pr-9", labels: previewLabels(9) },
      });
      return probe.status === 403;
    });
    // Another open preview first, made by its own pull request's token; then PR 7's.
    await deploy(8);
    await deploy(7);
  }, 240_000);

  afterAll(async () => {
    await plane?.stop();
    await discovery?.close();
    await oidc?.close();
  });

  const previewLabels = (n: number) => ({
    "app.kubernetes.io/managed-by": "preview-kit",
    [PULL_REQUEST_LABEL]: String(n),
    "pod-security.kubernetes.io/enforce": "restricted",
  });

  it("authenticates pull request 7's token as preview-kit:pr:7, in the previews' group", async () => {
    const review = await whoAmI(tokens[7] ?? "");
    expect(review.status).toBe(201);
    expect(review.body.status?.userInfo).toMatchObject({
      username: "preview-kit:pr:7",
      groups: expect.arrayContaining(["preview-kit:previews"]),
    });
  });

  it("admits everything each pull request deploys in its own namespace, with its own token", () => {
    expect(admitted).toEqual(
      expect.arrayContaining(
        [8, 7].flatMap((n) => [
          `PR ${n}: Namespace /preview-pr-${n}`,
          `PR ${n}: RoleBinding preview-pr-${n}/preview-deployer`,
          `PR ${n}: LimitRange preview-pr-${n}/limits`,
          `PR ${n}: NetworkPolicy preview-pr-${n}/default-deny-ingress`,
          `PR ${n}: ConfigMap preview-pr-${n}/settings`,
          `PR ${n}: Deployment preview-pr-${n}/web`,
          `PR ${n}: Service preview-pr-${n}/web`,
        ]),
      ),
    );
  });

  it("reads, updates and deletes what it made in its own namespace", async () => {
    const path = "/apis/apps/v1/namespaces/preview-pr-7/deployments/web";
    expect((await as(7, "GET", path)).status).toBe(200);
    const patched = await as(
      7,
      "PATCH",
      path,
      { metadata: { labels: { touched: "yes" } } },
      "application/merge-patch+json",
    );
    expect(patched.status, patched.body.message).toBe(200);
    const deleted = await as(7, "DELETE", "/api/v1/namespaces/preview-pr-7/services/web");
    expect(deleted.status, deleted.body.message).toBe(200);
  });

  /** PR 7's RoleBinding of itself to the previews' role in `namespace`. */
  const bindSelf = (namespace: string) =>
    as(7, "POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
      metadata: { name: "pr-7-was-here" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ROLE },
      subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: previewUser(7) }],
    });
  const configMap = (name: string) => ({ metadata: { name } });

  /** What PR 7 tries, the namespace it first tries to bind itself in (none: its own), how. */
  const attacks: [string, string | undefined, () => Promise<Reply>][] = [
    ["bind itself in another preview's namespace", "preview-pr-8", () => bindSelf("preview-pr-8")],
    [
      "read another preview's ConfigMap",
      "preview-pr-8",
      () => as(7, "GET", "/api/v1/namespaces/preview-pr-8/configmaps/settings"),
    ],
    [
      "create a ConfigMap in another preview's namespace",
      "preview-pr-8",
      () => as(7, "POST", "/api/v1/namespaces/preview-pr-8/configmaps", configMap("mine")),
    ],
    [
      "update another preview's Deployment",
      "preview-pr-8",
      () =>
        as(
          7,
          "PATCH",
          "/apis/apps/v1/namespaces/preview-pr-8/deployments/web",
          { spec: { replicas: 0 } },
          "application/merge-patch+json",
        ),
    ],
    [
      "delete another preview's ConfigMap",
      "preview-pr-8",
      () => as(7, "DELETE", "/api/v1/namespaces/preview-pr-8/configmaps/settings"),
    ],
    [
      "delete another preview's Deployment",
      "preview-pr-8",
      () => as(7, "DELETE", "/apis/apps/v1/namespaces/preview-pr-8/deployments/web"),
    ],
    [
      "delete another preview's NetworkPolicy",
      "preview-pr-8",
      () =>
        as(
          7,
          "DELETE",
          "/apis/networking.k8s.io/v1/namespaces/preview-pr-8/networkpolicies/default-deny-ingress",
        ),
    ],
    [
      "relabel another preview's namespace",
      "preview-pr-8",
      () =>
        as(
          7,
          "PATCH",
          "/api/v1/namespaces/preview-pr-8",
          { metadata: { labels: { touched: "by-pr-7" } } },
          "application/merge-patch+json",
        ),
    ],
    [
      "create another pull request's namespace, labelled as the kit would",
      undefined,
      () =>
        as(7, "POST", "/api/v1/namespaces", {
          metadata: { name: "preview-pr-9", labels: previewLabels(9) },
        }),
    ],
    [
      "create the namespace of an open preview (PR 8's) again",
      "preview-pr-8",
      () =>
        as(7, "POST", "/api/v1/namespaces", {
          metadata: { name: "preview-pr-8", labels: previewLabels(8) },
        }),
    ],
    [
      "create a ConfigMap in the shared namespace",
      SHARED,
      () => as(7, "POST", `/api/v1/namespaces/${SHARED}/configmaps`, configMap("mine")),
    ],
    [
      "create a ConfigMap in kube-system",
      "kube-system",
      () => as(7, "POST", "/api/v1/namespaces/kube-system/configmaps", configMap("mine")),
    ],
    [
      "delete the platform's ConfigMap in kube-system",
      "kube-system",
      () => as(7, "DELETE", "/api/v1/namespaces/kube-system/configmaps/platform"),
    ],
    [
      "read the database admin's Secret",
      SHARED,
      () => as(7, "GET", `/api/v1/namespaces/${SHARED}/secrets/postgres-admin`),
    ],
    [
      "read Secrets in its own namespace",
      undefined,
      () => as(7, "GET", "/api/v1/namespaces/preview-pr-7/secrets"),
    ],
    [
      "bind another pull request's user in its own namespace",
      undefined,
      () =>
        as(7, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-7/rolebindings", {
          metadata: { name: "for-pr-8" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ROLE },
          subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: previewUser(8) }],
        }),
    ],
  ];

  it.each(attacks)("refuses pull request 7's token to %s", async (what, target, attempt) => {
    const bound = target ? await bindSelf(target) : undefined;
    const response = await attempt();
    expect(response.status, `${what}: ${response.body.message}`).toBe(403);
    if (bound) expect(bound.status, `binding itself in ${target}: ${bound.body.message}`).toBe(403);
  });

  it("left another preview's objects as their pull request made them", async () => {
    const { body } = await plane.admin<{ spec: { replicas?: number } }>(
      "GET",
      "/apis/apps/v1/namespaces/preview-pr-8/deployments/web",
    );
    expect(body.spec.replicas).not.toBe(0);
    const settings = await plane.admin(
      "GET",
      "/api/v1/namespaces/preview-pr-8/configmaps/settings",
    );
    expect(settings.status).toBe(200);
  });

  const strangers: [string, () => Promise<string>][] = [
    // pull_request_target's ref is the base branch: the same as a push's.
    ["a push run on main", () => oidc.mint(claims("refs/heads/main"), AUDIENCE)],
    [
      "another workflow's job on main",
      () =>
        oidc.mint(
          cleanupRun("refs/heads/main", "acme/preview-kit/.github/workflows/deploy-preview.yml"),
          AUDIENCE,
        ),
    ],
    [
      "the cleanup workflow on another branch",
      () => oidc.mint(cleanupRun("refs/heads/feature"), AUDIENCE),
    ],
    [
      "the cleanup workflow of another repository",
      () =>
        oidc.mint(
          { ...cleanupRun(), repository: "mallory/shop", repository_owner: "mallory" },
          AUDIENCE,
        ),
    ],
    ["a run on a tag", () => oidc.mint(claims("refs/tags/v1.0.0"), AUDIENCE)],
    [
      "another repository's pull request 7",
      () => oidc.mint(claims("refs/pull/7/merge", "mallory/shop"), AUDIENCE),
    ],
    [
      "pull request 7, for another audience",
      () => oidc.mint(pullRequest(7), "https://github.com/acme"),
    ],
    [
      "pull request 7, expired",
      () => oidc.mint(pullRequest(7), AUDIENCE, Math.floor(Date.now() / 1000) - 60),
    ],
    [
      "pull request 7, signed with another key",
      async () => {
        const forger = await startOidcStandIn();
        try {
          return await forger.mint(pullRequest(7), AUDIENCE);
        } finally {
          await forger.close();
        }
      },
    ],
  ];

  it.each(strangers)("authenticates nobody with a token from %s", async (_what, mint) => {
    const token = await mint();
    expect((await whoAmI(token)).status).toBe(401);
    const created = await asBearer(plane, token, "POST", "/api/v1/namespaces", {
      metadata: { name: "preview-pr-7-stranger", labels: previewLabels(7) },
    });
    expect(created.status).toBe(401);
  });

  describe("the kit's cleanup on the default branch (a merged pull request's close, the sweep)", () => {
    let token: string;
    const asCleanup = (method: string, path: string, body?: object) =>
      asBearer(plane, token, method, path, body) as Promise<Reply>;
    beforeAll(async () => {
      // A preview of its own, made by its pull request: the cleanup deletes from it.
      tokens[11] = await oidc.mint(pullRequest(11), AUDIENCE);
      await deploy(11);
      token = await oidc.mint(cleanupRun(), AUDIENCE);
      // RBAC serves a new binding within moments: until then the cleanup is refused.
      await plane.waitFor("the cleanup's binding", () =>
        allowed(plane, token, {
          namespace: "preview-pr-11",
          resource: "configmaps",
          verb: "delete",
        }),
      );
    });

    it("authenticates as preview-kit:cleanup, in the cleanup's group only", async () => {
      const review = (await whoAmI(token)) as ApiResponse<{
        status?: { userInfo?: { username?: string; groups?: string[] } };
      }>;
      expect(review.body.status?.userInfo?.username).toBe("preview-kit:cleanup");
      expect(review.body.status?.userInfo?.groups).toContain("preview-kit:preview-cleanup");
      expect(review.body.status?.userInfo?.groups).not.toContain("preview-kit:previews");
    });

    it.each<[string, string, string, object?]>([
      [
        "create a ConfigMap in a preview",
        "POST",
        "/api/v1/namespaces/preview-pr-11/configmaps",
        { metadata: { name: "planted" } },
      ],
      [
        "change a preview's Deployment",
        "PATCH",
        "/apis/apps/v1/namespaces/preview-pr-11/deployments/web",
        { spec: { replicas: 0 } },
      ],
      [
        "bind itself to cluster-admin in a preview",
        "POST",
        "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-11/rolebindings",
        {
          metadata: { name: "escalate" },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "cluster-admin",
          },
          subjects: [
            {
              kind: "Group",
              apiGroup: "rbac.authorization.k8s.io",
              name: "preview-kit:preview-cleanup",
            },
          ],
        },
      ],
      ["delete a preview's namespace", "DELETE", "/api/v1/namespaces/preview-pr-11"],
      [
        "delete the platform's ConfigMap in kube-system",
        "DELETE",
        "/api/v1/namespaces/kube-system/configmaps/platform",
      ],
      [
        "read the database admin's Secret",
        "GET",
        `/api/v1/namespaces/${SHARED}/secrets/postgres-admin`,
      ],
      ["read Secrets in a preview", "GET", "/api/v1/namespaces/preview-pr-11/secrets"],
    ])("is refused: %s", async (_what, method, path, body) => {
      const response = await asCleanup(method, path, body);
      expect(response.status, response.body.message).toBe(403);
    });

    it("deletes what a preview's program made in its namespace, its own binding last", async () => {
      for (const path of [
        "/apis/apps/v1/namespaces/preview-pr-11/deployments/web",
        "/api/v1/namespaces/preview-pr-11/services/web",
        "/api/v1/namespaces/preview-pr-11/configmaps/settings",
        "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-11/rolebindings/preview-deployer",
        "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-11/rolebindings/preview-cleanup",
      ]) {
        const response = await asCleanup("DELETE", path);
        expect(response.status, `${path}: ${response.body.message}`).toBe(200);
      }
      // Its binding gone, a delete of what is gone is "not found", as a destroy expects.
      const again = await asCleanup(
        "DELETE",
        "/api/v1/namespaces/preview-pr-11/configmaps/settings",
      );
      expect(again.status).toBe(404);
    });
  });

  describe("as the deploy job does, with the deployer's kubeconfig (exec credential plugin)", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "preview-identity-"));
      writeFileSync(join(dir, "kubeconfig"), kubeconfig);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** kubectl in a job of pull request `n` (`id-token: write`), or of none. */
    const kubectl = (n: number | undefined, ...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          join(bin as string, "kubectl"),
          ["--kubeconfig", join(dir, "kubeconfig"), ...args],
          {
            timeout: 60_000,
            env: {
              // The plugin runs `node`: this one, as a runner has Node on PATH.
              PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
              HOME: dir,
              ...(n === undefined ? {} : jobOidcEnv(oidc, pullRequest(n))),
            },
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });

    it("authenticates as the job's pull request, asking GitHub for the platform's audience", async () => {
      const before = oidc.issued.length;
      const who = await kubectl(7, "auth", "whoami", "-o", "json");
      expect(who.code, who.stderr).toBe(0);
      expect(JSON.parse(who.stdout)).toMatchObject({
        status: { userInfo: { username: "preview-kit:pr:7" } },
      });
      expect(oidc.issued.slice(before).map((i) => i.audience)).toEqual([AUDIENCE]);
    });

    it("deploys in its own namespace and is refused in another preview's", async () => {
      const own = await kubectl(7, "create", "configmap", "from-kubectl", "-n", "preview-pr-7");
      expect(own.code, own.stderr).toBe(0);
      const other = await kubectl(8, "delete", "configmap", "from-kubectl", "-n", "preview-pr-7");
      expect(other.code).not.toBe(0);
      expect(other.stderr).toMatch(/forbidden/i);
    });

    it("fails with one line, quoting no token, in a job without id-token: write", async () => {
      const result = await kubectl(undefined, "get", "configmaps", "-n", "preview-pr-7");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL\/TOKEN unset/);
      expect(result.stderr).not.toMatch(/eyJ/);
    });
  });

  describe("as the real Pulumi CLI and provider deploy a preview (pulumi-deploy bundle)", () => {
    let target: KitDeploy;
    const STEP_TIMEOUT = 300_000;
    beforeAll(() => {
      target = stageProgram("identity-preview", PROGRAM, bin as string, STEP_TIMEOUT);
    });
    afterAll(() => {
      if (target) rmSync(target.workspace, { recursive: true, force: true });
    });

    /** `up` in a job of pull request `n` (`id-token: write`), its ConfigMap in `into`. */
    const up = (n: number, into?: string) =>
      deployProgram(
        {
          ...target,
          env: { ...target.env, ...jobOidcEnv(oidc, pullRequest(n)) },
        },
        "identity-preview",
        {
          command: "up",
          "stack-name": `pr-${n}${into ? "-attack" : ""}`,
          config: JSON.stringify({
            kubeconfig: { value: kubeconfig },
            role: { value: ROLE },
            pullRequest: { value: String(n) },
            ...(into ? { target: { value: into } } : {}),
          }),
        },
      );

    it(
      "deploys pull request 17's preview as preview-kit:pr:17, and refuses pull request 18's program in it",
      async () => {
        const own = await up(17);
        expect(own.exitCode, own.stdout + own.stderr).toBe(0);
        const made = await plane.admin<{ data?: { by?: string } }>(
          "GET",
          "/api/v1/namespaces/preview-pr-17/configmaps/deployed-by-pulumi",
        );
        expect(made.body.data?.by).toBe("preview-pr-17");
        const binding = await plane.admin<{ subjects?: { name: string }[] }>(
          "GET",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-17/rolebindings/preview-deployer",
        );
        expect(binding.body.subjects?.map((s) => s.name)).toEqual(["preview-kit:pr:17"]);

        const attack = await up(18, "preview-pr-17");
        expect(attack.exitCode).not.toBe(0);
        expect(attack.stdout + attack.stderr).toMatch(
          /RoleBinding foothold.*changes only what is in its own namespace/,
        );
        const foothold = await plane.admin(
          "GET",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-17/rolebindings/pr-18",
        );
        expect(foothold.status).toBe(404);
        const after = await plane.admin<{ data?: { by?: string } }>(
          "GET",
          "/api/v1/namespaces/preview-pr-17/configmaps/deployed-by-pulumi",
        );
        expect(after.body.data?.by).toBe("preview-pr-17");
      },
      2 * STEP_TIMEOUT,
    );
  });
});

/**
 * The kit's own programs, as a platform team runs them: preview-base (local flavour) with
 * `previewIdentity: { github }` and app's `pr-<N>` stacks, each `up` a pulumi-deploy bundle run
 * in a job of its pull request (`id-token: write`), on an API server that trusts the base's
 * own `previewAuthenticator` output.
 */
describe.skipIf(!bin)(
  "preview-base with previewIdentity github and app on the real engines",
  () => {
    const STEP_TIMEOUT = 600_000;
    const WEB = `127.0.0.1:5000/acme/web@sha256:${"a".repeat(64)}`;
    const API = `127.0.0.1:5000/acme/api@sha256:${"c".repeat(64)}`;
    let oidc: OidcStandIn;
    let discovery: OidcDiscovery;
    let plane: ControlPlane;
    let target: KitDeploy;

    beforeAll(async () => {
      oidc = await startOidcStandIn();
      discovery = await startOidcDiscovery(oidc.jwk);
      plane = await startControlPlane(bin as string, {
        // ResourceQuota admission waits for the quota controller's first count.
        controllers: ["resourcequota"],
        authentication: {
          jwt: [authenticator(discovery)],
          ready: await oidc.mint(pullRequest(21), AUDIENCE),
        },
      });
      await installGatewayCrds(plane);
      target = stageKitDeploy("identity-kit", bin as string, STEP_TIMEOUT);
    }, 180_000);

    afterAll(async () => {
      await Promise.all([plane?.stop(), discovery?.close(), oidc?.close()]);
      if (target) rmSync(target.workspace, { recursive: true, force: true });
    });

    /** `up` of app's `pr-<stack>` in a job of pull request `job`. */
    const appUp = (stack: number, job: number) =>
      deployProgram(
        {
          ...target,
          env: { ...target.env, ...jobOidcEnv(oidc, pullRequest(job)) },
        },
        "app",
        {
          command: "up",
          "stack-name": `pr-${stack}`,
          images: `web=${WEB}\napi=${API}`,
          config: JSON.stringify({ baseStack: LOCAL_BASE_STACK, prNumber: stack }),
        },
      );

    it(
      "deploys the base with no preview credential, then pull request 21's preview as its own user; pull request 22's job cannot deploy stack pr-21",
      async () => {
        const base = await deployLocalBase(target, plane.kubeconfig(), plane.url, {
          previewIdentity: {
            value: JSON.stringify({
              github: {
                repository: REPOSITORY,
                audience: AUDIENCE,
                cleanupWorkflow: CLEANUP_WORKFLOW,
              },
            }),
          },
          previewApiServerCaData: { value: plane.caData },
        });
        expect(base.exitCode, base.log.split("\n").slice(-30).join("\n")).toBe(0);
        const outputs = JSON.parse(base.outputs.outputs ?? "{}") as Record<string, unknown>;
        expect(outputs.previewIdentity).toBe("github");
        // The authenticator the API server runs is the base's own output (but where to fetch keys).
        const running = authenticator(discovery);
        const { discoveryURL: _url, certificateAuthority: _ca, ...issuer } = running.issuer;
        expect(outputs.previewAuthenticator).toEqual({ ...running, issuer });
        const accounts = await plane.admin<{ items: { metadata: { name: string } }[] }>(
          "GET",
          `/api/v1/namespaces/${SHARED}/serviceaccounts`,
        );
        expect(accounts.body.items.map((a) => a.metadata.name)).not.toContain("preview-deployer");

        const own = await appUp(21, 21);
        expect(own.exitCode, own.log.split("\n").slice(-30).join("\n")).toBe(0);
        const binding = await plane.admin<{ subjects?: { kind: string; name: string }[] }>(
          "GET",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/preview-pr-21/rolebindings/preview-deployer",
        );
        expect(binding.body.subjects).toEqual([
          { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "preview-kit:pr:21" },
        ]);
        const web = await plane.admin(
          "GET",
          "/apis/apps/v1/namespaces/preview-pr-21/deployments/web",
        );
        expect(web.status).toBe(200);

        // Another pull request's job running stack pr-21 (its program, its config): refused.
        const before = await plane.admin<{ metadata: { resourceVersion: string } }>(
          "GET",
          "/apis/apps/v1/namespaces/preview-pr-21/deployments/web",
        );
        const attack = await deployProgram(
          {
            ...target,
            env: { ...target.env, ...jobOidcEnv(oidc, pullRequest(22)) },
          },
          "app",
          {
            command: "up",
            "stack-name": "pr-21",
            images: `web=127.0.0.1:5000/acme/web@sha256:${"b".repeat(64)}\napi=${API}`,
            config: JSON.stringify({ baseStack: LOCAL_BASE_STACK, prNumber: 21 }),
          },
        );
        expect(attack.exitCode).not.toBe(0);
        expect(attack.log).toMatch(/preview-kit:pr:22/);
        const after = await plane.admin<{ metadata: { resourceVersion: string } }>(
          "GET",
          "/apis/apps/v1/namespaces/preview-pr-21/deployments/web",
        );
        expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);

        // The pull request merged: its close runs on main, in the kit's cleanup workflow, as
        // preview-kit:cleanup, and destroys the preview (the platform deletes the namespace).
        const destroyed = await deployProgram(
          {
            ...target,
            env: { ...target.env, ...jobOidcEnv(oidc, cleanupRun()) },
          },
          "app",
          { command: "destroy", "stack-name": "pr-21", "remove-stack": "true" },
        );
        expect(destroyed.exitCode, destroyed.log.split("\n").slice(-30).join("\n")).toBe(0);
        expect(
          (await plane.admin("GET", "/apis/apps/v1/namespaces/preview-pr-21/deployments/web"))
            .status,
        ).toBe(404);
      },
      3 * STEP_TIMEOUT,
    );
  },
);
