/**
 * The preview lifecycle on the real engines: the pulumi-deploy bundle (as the runner runs it)
 * drives the real Pulumi CLI, its Node.js language host and the real Kubernetes provider
 * against a real control plane (etcd, kube-apiserver, kube-controller-manager with the
 * deployment, replicaset and resourcequota controllers). `preview-base` (local flavour), then
 * `app` for `pr-42` as the base's preview deployer (its token, RBAC and admission policy, so
 * the real provider's every call goes through them), an update with a new web digest; `pr-43` closed by deleting only its
 * namespace, which the database janitor's sweep (the deployed CronJob's script, real kubectl
 * under the janitor's own RBAC, psql a recording double) cleans up after; then the close path
 * of pr-42: destroy with remove, the cleanup-namespace bundle, and nothing of pr-42 left.
 *
 * The API server's Pod Security admission enforces `restricted` in both namespaces, so the
 * ReplicaSets' pods it admits are the kit's pod settings passing it; NetworkPolicies are
 * stored, not enforced (no network plugin runs here).
 *
 * There is no kubelet or scheduler: nothing becomes ready, so the local flavour skips every
 * readiness wait (pulumi.com/skipAwait) and the stacks export what they did not wait for,
 * which this suite prints and checks. The Gateway API CRDs are the only stand-in: minimal
 * CRDs (schema-less) that test/support/kit-deploy.ts creates, since the release manifest
 * cannot be downloaded; no controller reconciles them either way.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREVIEW_NAMESPACE_LABEL } from "../../components/kubernetes/preview-database.js";
import { runAction, type ActionRun } from "../harness/run-action.js";
import { type ControlPlane, startControlPlane } from "../support/control-plane.js";
import { engines } from "../support/engines.js";
import { until } from "../support/until.js";
import {
  LOCAL_BASE_STACK,
  DEPLOY_ENGINES,
  deployLocalBase,
  deployProgram,
  installGatewayCrds,
  type KitDeploy,
  kitPulumiEnv,
  stageKit,
} from "../support/kit-deploy.js";
import { OWN_PODS_AND_DNS } from "../support/network-policies.js";

// kubectl runs the database janitor's sweep as its CronJob would.
const bin = engines(...DEPLOY_ENGINES, "kubectl");

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const WEB_1 = `127.0.0.1:5000/acme/web@${digest("a")}`;
const WEB_2 = `127.0.0.1:5000/acme/web@${digest("b")}`;
const API = `127.0.0.1:5000/acme/api@${digest("c")}`;
const NAMESPACE = "preview-pr-42";
const SHARED = "preview-shared";
const PASSPHRASE = "real-deploy-test-passphrase";
const STEP_TIMEOUT = 600_000;

interface List<T = KubeObject> {
  items: T[];
}
interface KubeObject {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
}
interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
}
interface JanitorCronJob {
  spec: {
    jobTemplate: {
      spec: {
        template: {
          spec: {
            containers: {
              name: string;
              command: string[];
              env: { name: string; value?: string }[];
            }[];
          };
        };
      };
    };
  };
}

describe.skipIf(!bin)("preview-base and app/pr-42 deployed and closed on the real engines", () => {
  let cluster: ControlPlane;
  let ambient: ControlPlane;
  let ambientNamespacesBefore: string[];
  let workspace: string;
  let backend: string;
  let env: Record<string, string>;
  let target: KitDeploy;

  const get = async <T>(path: string): Promise<T> => {
    const response = await cluster.admin<T>("GET", path);
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.body;
  };
  const namespaces = async (plane: ControlPlane) =>
    (await plane.admin<List>("GET", "/api/v1/namespaces")).body.items
      .map((n) => n.metadata.name)
      .sort();

  const deploy = (project: string, inputs: Record<string, string>) =>
    deployProgram(target, project, inputs);

  /** The CLI on the suite's backend, as a platform engineer (or a preview's token) runs it. */
  const pulumiCli = (args: string[]) =>
    spawnSync(join(bin as string, "pulumi"), args, {
      cwd: workspace,
      env: { ...process.env, ...env, PULUMI_BACKEND_URL: pathToFileURL(backend).href },
      encoding: "utf8",
      timeout: 60_000,
    });

  const expectSuccess = (run: ActionRun) => {
    if (run.exitCode !== 0)
      throw new Error(`step failed:\n${run.log.split("\n").slice(-40).join("\n")}`);
  };

  beforeAll(async () => {
    [cluster, ambient] = await Promise.all([
      startControlPlane(bin as string, {
        controllers: ["deployment", "replicaset", "resourcequota"],
      }),
      startControlPlane(bin as string),
    ]);
    ambientNamespacesBefore = await namespaces(ambient);

    workspace = mkdtempSync(join(tmpdir(), "real-deploy-"));
    stageKit(workspace);
    backend = join(workspace, "state");
    mkdirSync(backend);
    const ambientKubeconfig = join(workspace, "ambient.kubeconfig");
    writeFileSync(ambientKubeconfig, ambient.kubeconfig());
    env = {
      ...kitPulumiEnv(join(workspace, "pulumi-home"), PASSPHRASE),
      // Anything that fell back to the ambient kubeconfig would land on the second server.
      KUBECONFIG: ambientKubeconfig,
    };
    target = { workspace, backend, bin: bin as string, env, timeoutMs: STEP_TIMEOUT };
    await installGatewayCrds(cluster);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), ambient?.stop()]);
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it(
    "deploys preview-base (local flavour) through the pulumi-deploy bundle",
    async () => {
      const run = await deployLocalBase(target, cluster.kubeconfig(), cluster.url);
      expectSuccess(run);
      const outputs = JSON.parse(run.outputs.outputs ?? "{}") as Record<string, unknown>;
      console.log(`preview-base did not wait for: ${JSON.stringify(outputs.notAwaited)}`);
      expect(outputs.skipAwait).toBe(true);
      expect(outputs.notAwaited).toEqual([
        "StatefulSet db",
        "Service db",
        "Deployment database-provisioner",
        "GatewayClass preview-kit-local",
        "Gateway previews",
      ]);
      await expectSkipAwaitMarked(outputs.notAwaited as string[], "preview-shared");

      // Issue #19: every output, secrets decrypted, as a preview's program reads the base
      // through a StackReference: the preview deployer's kubeconfig, never the admin's.
      const shown = pulumiCli([
        "stack",
        "output",
        "--show-secrets",
        "--json",
        "--stack",
        LOCAL_BASE_STACK,
      ]);
      expect(shown.status, shown.stderr).toBe(0);
      const adminKey = /client-key-data"?:\s*"?([A-Za-z0-9+/=]{40,})/.exec(
        cluster.kubeconfig(),
      )?.[1];
      expect(adminKey).toBeDefined();
      expect(shown.stdout).not.toContain(adminKey);
      const all = JSON.parse(shown.stdout) as Record<string, unknown>;
      expect(Object.keys(all)).not.toContain("kubeconfig");
      expect(String(all.previewKubeconfig)).toContain("token");
    },
    STEP_TIMEOUT,
  );

  const appUp = (web: string) =>
    deploy("app", {
      command: "up",
      "stack-name": "pr-42",
      images: `web=${web}\napi=${API}`,
      config: JSON.stringify({
        baseStack: LOCAL_BASE_STACK,
        prNumber: 42,
      }),
    });

  it(
    "deploys app for pr-42 with the web image by whole digest",
    async () => {
      const run = await appUp(WEB_1);
      expectSuccess(run);
      const outputs = JSON.parse(run.outputs.outputs ?? "{}") as Record<string, unknown>;
      console.log(`app/pr-42 did not wait for: ${JSON.stringify(outputs.notAwaited)}`);
      expect(outputs).toMatchObject({
        namespace: NAMESPACE,
        webUrl: "https://42.pr.localtest.me",
        apiUrl: "https://42.pr-api.localtest.me",
      });
      expect([...(outputs.notAwaited as string[])].sort()).toEqual(
        [
          "Deployment api",
          "Deployment web",
          "HTTPRoute api",
          "HTTPRoute web",
          "Job migrate",
          "Service api",
          "Service web",
        ].sort(),
      );

      await expectSkipAwaitMarked(outputs.notAwaited as string[], NAMESPACE);

      const images = await deploymentImages();
      expect(images).toEqual({ web: WEB_1, api: API });
      await expectEveryContainerSized();
      await expectReplicaSetPodsAdmitted(WEB_1);

      // Deployed as the base's preview deployer (its kubeconfig, its RoleBinding here), which
      // holds no Secret: the database is a request the platform's provisioner answers (no
      // kubelet runs it here; test/real-deploy/postgres-node.test.ts runs it on a node).
      const binding = await get<{ subjects: { name: string; namespace: string }[] }>(
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}/rolebindings/preview-deployer`,
      );
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: "preview-deployer", namespace: SHARED },
      ]);
      const request = await get<{ metadata: { labels: Record<string, string> } }>(
        `/api/v1/namespaces/${NAMESPACE}/configmaps/database`,
      );
      expect(request.metadata.labels).toEqual({ "preview-kit/database-request": "app" });
      expect((await get<List>(`/api/v1/namespaces/${NAMESPACE}/secrets`)).items).toEqual([]);
      // Nothing of the preview's in the server's namespace: no Job, no admin Secret.
      expect(await labelledFor(SHARED, NAMESPACE)).toEqual([]);

      // The isolation objects, as the API server stored them.
      const specs = async (path: string) =>
        Object.fromEntries((await get<List>(path)).items.map((i) => [i.metadata.name, i.spec]));
      expect(
        await specs(`/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/networkpolicies`),
      ).toEqual({
        "default-deny-ingress": {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                { podSelector: {} },
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } },
                  podSelector: {
                    matchLabels: { "gateway.networking.k8s.io/gateway-name": "previews" },
                  },
                },
              ],
            },
          ],
        },
        // The preview reaches its own pods, the cluster DNS and its database, nothing else.
        "default-deny-egress": {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            ...OWN_PODS_AND_DNS,
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": SHARED } },
                  podSelector: { matchLabels: { "app.kubernetes.io/name": "db" } },
                },
              ],
              ports: [{ port: 5432, protocol: "TCP" }],
            },
          ],
        },
      });
      // The shared namespace admits only previews' pods, to the database's port, and sends
      // nothing out but to its own pods, DNS, and (its controllers) the API server's port.
      expect(
        await specs(`/apis/networking.k8s.io/v1/namespaces/${SHARED}/networkpolicies`),
      ).toEqual({
        "default-deny-ingress": {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ podSelector: {} }] }],
        },
        "db-clients": {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "db" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { "app.kubernetes.io/managed-by": "preview-kit" },
                    matchExpressions: [{ key: "preview-kit/pull-request", operator: "Exists" }],
                  },
                },
              ],
              ports: [{ port: 5432, protocol: "TCP" }],
            },
          ],
        },
        "default-deny-egress": {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: OWN_PODS_AND_DNS,
        },
        // The port of the server the base deployed with, as previewApiServer gives it.
        "kube-api-clients": {
          podSelector: { matchLabels: { "preview-kit/kube-api-client": "true" } },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
              ports: [{ port: Number(new URL(cluster.url).port), protocol: "TCP" }],
            },
          ],
        },
      });
      const provisioner = await get<{
        spec: { template: { metadata: { labels: Record<string, string> } } };
      }>(`/apis/apps/v1/namespaces/${SHARED}/deployments/database-provisioner`);
      expect(provisioner.spec.template.metadata.labels).toMatchObject({
        "preview-kit/kube-api-client": "true",
      });

      // Pod Security: both namespaces enforce `restricted`; the app's pods above were admitted
      // under it (expectReplicaSetPodsAdmitted), a root one is refused.
      for (const name of [NAMESPACE, SHARED]) {
        const labels = (
          await get<{ metadata: { labels: Record<string, string> } }>(`/api/v1/namespaces/${name}`)
        ).metadata.labels;
        expect(labels["pod-security.kubernetes.io/enforce"], name).toBe("restricted");
      }
      const root = await cluster.admin<{ message: string }>(
        "POST",
        `/api/v1/namespaces/${NAMESPACE}/pods`,
        {
          metadata: { name: "as-root" },
          spec: {
            containers: [
              {
                name: "shell",
                image: API,
                securityContext: { runAsUser: 0, privileged: true },
                resources: { limits: { cpu: "100m", memory: "64Mi" } },
              },
            ],
          },
        },
      );
      expect(root.status).toBe(403);
      expect(root.body.message).toContain('violates PodSecurity "restricted:latest"');
      expect(await specs(`/api/v1/namespaces/${NAMESPACE}/limitranges`)).toEqual({
        limits: {
          limits: [
            {
              type: "Container",
              default: { cpu: "250m", memory: "256Mi" },
              defaultRequest: { cpu: "50m", memory: "64Mi" },
            },
          ],
        },
      });
      expect(await specs(`/api/v1/namespaces/${NAMESPACE}/resourcequotas`)).toEqual({
        quota: {
          hard: {
            "limits.cpu": "4",
            "limits.memory": "8Gi",
            pods: "10",
            "requests.cpu": "1",
            "requests.memory": "2Gi",
          },
        },
      });
    },
    STEP_TIMEOUT,
  );

  it(
    "updates pr-42 with a new web digest",
    async () => {
      expectSuccess(await appUp(WEB_2));
      expect(await deploymentImages()).toEqual({ web: WEB_2, api: API });
      await expectEveryContainerSized();
      await expectReplicaSetPodsAdmitted(WEB_2);
    },
    STEP_TIMEOUT,
  );

  it(
    "sweeps what pr-43 left when only its namespace was deleted: the deployed janitor, real kubectl, its own RBAC",
    async () => {
      const pr43 = "preview-pr-43";
      const up = await deploy("app", {
        command: "up",
        "stack-name": "pr-43",
        images: `web=${WEB_1}\napi=${API}`,
        config: JSON.stringify({ baseStack: LOCAL_BASE_STACK, prNumber: 43 }),
      });
      expectSuccess(up);
      // Closed without `pulumi destroy`: only the namespace goes.
      expect((await cluster.admin("DELETE", `/api/v1/namespaces/${pr43}`)).status).toBe(200);
      await until(
        async () => (await cluster.admin("GET", `/api/v1/namespaces/${pr43}`)).status === 404,
        60_000,
      );

      // The sweep as deployed: the CronJob's own script and environment, kubectl with a token
      // of the janitor's ServiceAccount; only psql is a recording double (no server runs).
      const cronJob = await get<JanitorCronJob>(
        `/apis/batch/v1/namespaces/${SHARED}/cronjobs/database-janitor`,
      );
      const sweep = cronJob.spec.jobTemplate.spec.template.spec.containers.find(
        (c) => c.name === "sweep",
      )!;
      expect(sweep.command.slice(0, 2)).toEqual(["bash", "-c"]);
      const minted = await cluster.admin<{ status: { token: string } }>(
        "POST",
        `/api/v1/namespaces/${SHARED}/serviceaccounts/database-janitor/token`,
        {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenRequest",
          spec: { expirationSeconds: 600 },
        },
      );
      expect(minted.status).toBe(201);
      const tools = mkdtempSync(join(workspace, "janitor-"));
      const kubeconfig = join(tools, "kubeconfig");
      writeFileSync(kubeconfig, cluster.kubeconfig({ token: minted.body.status.token }));
      const psqlLog = join(tools, "psql.log");
      writeFileSync(
        join(tools, "psql"),
        [
          "#!/usr/bin/env bash",
          `printf '%s\\n' "$*" >>'${psqlLog}'`,
          `if [[ $* == *"SELECT datname"* ]]; then printf 'postgres\\napp_pr_42\\napp_pr_43\\n'; fi`,
        ].join("\n"),
        { mode: 0o755 },
      );
      const kubectl = join(bin as string, "kubectl");
      const deployed = Object.fromEntries(sweep.env.map((e) => [e.name, e.value ?? ""]));
      const run = spawnSync("bash", ["-c", sweep.command[2]!], {
        encoding: "utf8",
        timeout: 120_000,
        env: {
          PATH: `${tools}:${process.env.PATH ?? ""}`,
          ...deployed,
          KUBECTL: kubectl,
          KUBECONFIG: kubeconfig,
          // kubectl keeps its discovery cache under $HOME/.kube.
          HOME: tools,
        },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("janitor: keeping app_pr_42: namespace preview-pr-42 exists");
      expect(run.stdout).toContain(
        "janitor: dropped app_pr_43 and its role: namespace preview-pr-43 is gone",
      );
      expect(readFileSync(psqlLog, "utf8")).toContain(
        'DROP DATABASE IF EXISTS "app_pr_43" WITH (FORCE)',
      );
      expect(readFileSync(psqlLog, "utf8")).not.toContain('"app_pr_42"');

      // Its RBAC, enforced by the API server: nothing outside its own namespace but reading
      // namespaces.
      const kube = (...args: string[]) =>
        spawnSync(kubectl, args, {
          encoding: "utf8",
          timeout: 60_000,
          env: { PATH: process.env.PATH ?? "", KUBECONFIG: kubeconfig, HOME: tools },
        });
      const forbidden = kube("delete", "secret", "anything", "-n", NAMESPACE);
      expect(forbidden.status).not.toBe(0);
      expect(forbidden.stderr).toContain("forbidden");
      expect(kube("get", "deployments", "-n", SHARED).stderr).toContain("forbidden");
      expect(kube("get", "namespaces", "-o", "name").stdout).toContain(`namespace/${NAMESPACE}`);

      // The stack of a preview swept this way can still be destroyed and removed.
      expectSuccess(
        await deploy("app", { command: "destroy", "stack-name": "pr-43", "remove-stack": "true" }),
      );
    },
    STEP_TIMEOUT,
  );

  it(
    "closes pr-42: destroy with remove, cleanup-namespace, nothing left",
    async () => {
      const destroyed = await deploy("app", {
        command: "destroy",
        "stack-name": "pr-42",
        "remove-stack": "true",
      });
      expectSuccess(destroyed);
      const cleanup = await runAction("cleanup-namespace", {
        cwd: workspace,
        env,
        timeoutMs: 120_000,
        inputs: { namespace: NAMESPACE, kubeconfig: cluster.kubeconfig(), "timeout-seconds": "60" },
      });
      expectSuccess(cleanup);
      expect(["deleted", "already-absent"]).toContain(cleanup.outputs.result);

      expect((await cluster.admin("GET", `/api/v1/namespaces/${NAMESPACE}`)).status).toBe(404);
      for (const path of [
        "/apis/gateway.networking.k8s.io/v1/httproutes",
        "/apis/apps/v1/deployments",
        "/apis/apps/v1/replicasets",
        "/apis/batch/v1/jobs",
        "/api/v1/pods",
        "/api/v1/secrets",
        "/api/v1/services",
      ]) {
        const left = (await get<List>(path)).items.filter(
          (i) => i.metadata.namespace === NAMESPACE,
        );
        expect(left, path).toEqual([]);
      }
      // The deployer deletes no namespace (the destroy leaves it): cleanup-namespace, with the
      // platform's kubeconfig, deleted it above. Nothing of the preview's in the server's.
      expect(await labelledFor(SHARED, NAMESPACE)).toEqual([]);
      const sharedJobs = (await get<List>(`/apis/batch/v1/namespaces/${SHARED}/jobs`)).items;
      expect(sharedJobs.map((j) => j.metadata.name)).toEqual([]);
      const sharedSecrets = (await get<List>(`/api/v1/namespaces/${SHARED}/secrets`)).items;
      for (const secret of sharedSecrets)
        expect(secret.metadata.name).not.toMatch(/^database-admin-/);

      // The stack: gone from the backend, its stack file removed with it.
      expect(existsSync(join(backend, ".pulumi/stacks/app/pr-42.json"))).toBe(false);
      expect(existsSync(join(workspace, "programs/app/Pulumi.pr-42.yaml"))).toBe(false);
      const stacks = pulumiCli(["stack", "ls", "--all", "--json"]);
      expect(stacks.status, stacks.stderr).toBe(0);
      const names = (JSON.parse(stacks.stdout) as { name: string }[]).map((stack) => stack.name);
      expect(names).toContain(LOCAL_BASE_STACK);
      expect(names.filter((name) => name.includes("pr-42"))).toEqual([]);

      // Nothing went through the ambient kubeconfig.
      expect(await namespaces(ambient)).toEqual(ambientNamespacesBefore);
      for (const path of [
        "/apis/apps/v1/deployments",
        "/apis/apps/v1/statefulsets",
        "/api/v1/services",
      ]) {
        const items = (await ambient.admin<List>("GET", path)).body.items;
        expect(
          items.filter((i) => i.metadata.namespace !== "default"),
          path,
        ).toEqual([]);
      }
    },
    STEP_TIMEOUT,
  );

  /** The Jobs and Secrets in `namespace` labelled as `preview`'s (see PREVIEW_NAMESPACE_LABEL). */
  async function labelledFor(
    namespace: string,
    preview: string,
  ): Promise<(KubeObject & { kind: string; data?: Record<string, string> })[]> {
    const selector = encodeURIComponent(`${PREVIEW_NAMESPACE_LABEL}=${preview}`);
    const found = [];
    for (const [kind, path] of [
      ["Job", `/apis/batch/v1/namespaces/${namespace}/jobs`],
      ["Secret", `/api/v1/namespaces/${namespace}/secrets`],
    ] as const) {
      const list = await get<List<KubeObject & { data?: Record<string, string> }>>(
        `${path}?labelSelector=${selector}`,
      );
      found.push(...list.items.map((item) => ({ ...item, kind })));
    }
    return found;
  }

  /**
   * Each `Kind name` a stack lists as not awaited carries the provider's skip-await annotation
   * as stored (the Gateway lives in namespace `gateway`, the GatewayClass in none).
   */
  async function expectSkipAwaitMarked(notAwaited: string[], namespace: string): Promise<void> {
    const collections: Record<string, (name: string) => string> = {
      StatefulSet: (name) => `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}`,
      Deployment: (name) => `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      Service: (name) => `/api/v1/namespaces/${namespace}/services/${name}`,
      Job: (name) => `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`,
      HTTPRoute: (name) =>
        `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes/${name}`,
      Gateway: (name) => `/apis/gateway.networking.k8s.io/v1/namespaces/gateway/gateways/${name}`,
      GatewayClass: (name) => `/apis/gateway.networking.k8s.io/v1/gatewayclasses/${name}`,
    };
    for (const entry of notAwaited) {
      const [kind = "", name = ""] = entry.split(" ");
      const path = collections[kind];
      expect(path, `no collection for ${entry}`).toBeDefined();
      const object = await get<KubeObject>(path!(name));
      expect(object.metadata.annotations?.["pulumi.com/skipAwait"], entry).toBe("true");
    }
  }

  /** The container images of Deployments web and api in the preview namespace. */
  async function deploymentImages(): Promise<Record<string, string>> {
    const list = await get<List<KubeObject & { spec: { template: { spec: PodSpec } } }>>(
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
    );
    const images = Object.fromEntries(
      list.items.map((d) => [d.metadata.name, d.spec.template.spec.containers[0]?.image]),
    );
    for (const image of Object.values(images)) expect(image).toMatch(DIGEST);
    return images as Record<string, string>;
  }

  /** Every container, init containers included, of every workload and pod: requests and limits. */
  async function expectEveryContainerSized(): Promise<void> {
    const podSpecs: [string, PodSpec][] = [];
    for (const ns of [NAMESPACE, "preview-shared"]) {
      for (const kind of ["deployments", "statefulsets"]) {
        const list = await get<List<KubeObject & { spec: { template: { spec: PodSpec } } }>>(
          `/apis/apps/v1/namespaces/${ns}/${kind}`,
        );
        for (const i of list.items)
          podSpecs.push([`${kind}/${i.metadata.name}`, i.spec.template.spec]);
      }
      const jobs = await get<List<KubeObject & { spec: { template: { spec: PodSpec } } }>>(
        `/apis/batch/v1/namespaces/${ns}/jobs`,
      );
      for (const i of jobs.items) podSpecs.push([`jobs/${i.metadata.name}`, i.spec.template.spec]);
      const cronJobs = await get<
        List<KubeObject & { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } }>
      >(`/apis/batch/v1/namespaces/${ns}/cronjobs`);
      for (const i of cronJobs.items)
        podSpecs.push([`cronjobs/${i.metadata.name}`, i.spec.jobTemplate.spec.template.spec]);
      const pods = await get<List<KubeObject & { spec: PodSpec }>>(`/api/v1/namespaces/${ns}/pods`);
      for (const i of pods.items) podSpecs.push([`pods/${i.metadata.name}`, i.spec]);
    }
    expect(podSpecs.length).toBeGreaterThan(4);
    for (const [where, spec] of podSpecs) {
      for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
        const at = `${where} container ${container.name}`;
        expect(container.image, at).toMatch(DIGEST);
        for (const part of ["requests", "limits"] as const)
          for (const resource of ["cpu", "memory"])
            expect(
              container.resources?.[part]?.[resource],
              `${at} ${part}.${resource}`,
            ).toBeDefined();
      }
    }
  }

  /**
   * The ReplicaSet controller creates the pods of each Deployment's current ReplicaSet (web on
   * `webImage`) and the quota admission accepts them: pods exist, no FailedCreate event.
   */
  async function expectReplicaSetPodsAdmitted(webImage: string): Promise<void> {
    type Owned = KubeObject & {
      metadata: { ownerReferences?: { kind: string; name: string }[] };
    };
    type ReplicaSet = Owned & {
      spec: { replicas: number; template: { spec: PodSpec } };
    };
    await cluster.waitFor(
      "the ReplicaSets' pods",
      async () => {
        const sets = (
          await get<List<ReplicaSet>>(`/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`)
        ).items;
        const pods = (await get<List<Owned>>(`/api/v1/namespaces/${NAMESPACE}/pods`)).items;
        const current = sets.filter(
          (rs) =>
            rs.spec.replicas > 0 &&
            (rs.metadata.ownerReferences?.[0]?.name !== "web" ||
              rs.spec.template.spec.containers[0]?.image === webImage),
        );
        return (
          current.length === 2 &&
          current.every(
            (rs) =>
              pods.filter((p) => p.metadata.ownerReferences?.[0]?.name === rs.metadata.name)
                .length === rs.spec.replicas,
          )
        );
      },
      60_000,
    );
    const events = await get<
      List<
        KubeObject & {
          reason: string;
          message: string;
          involvedObject: { kind: string; name: string };
        }
      >
    >(`/api/v1/namespaces/${NAMESPACE}/events`);
    const failed = events.items
      .filter((e) => e.reason === "FailedCreate")
      .map((e) => `${e.involvedObject.kind} ${e.involvedObject.name}: ${e.message}`);
    expect(failed).toEqual([]);
  }
});
