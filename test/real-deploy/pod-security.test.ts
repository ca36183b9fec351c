/**
 * What a preview's pods may be, decided by the real kube-apiserver's built-in Pod Security
 * admission: the kit's components are built under mocks (as `pulumi up` would register them),
 * and the objects they register are sent to a real control plane (etcd, kube-apiserver,
 * kube-controller-manager with the deployment, replicaset, job and statefulset controllers,
 * so workloads create their Pods through admission as on a cluster; no kubelet runs them).
 *
 * In a preview namespace made by AppNamespace (`restricted`), each way a pod can break the
 * standard is refused, the same pod is admitted in a namespace without the labels (so the
 * labels are what refuses it), and the kit's own workloads (WebService, MigrationJob, and in
 * the shared namespace SharedPostgres, the database provisioner and the janitor) get their Pods.
 *
 * NetworkPolicies are only stored here: no network plugin enforces them on this machine (none
 * runs pods), so this suite checks that the API server accepts and keeps them as built.
 */
import * as k8s from "@pulumi/kubernetes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppNamespace,
  MANAGED_BY,
  MigrationJob,
  PreviewDatabase,
  PreviewDatabaseProvisioner,
  PreviewDatabaseJanitor,
  PULL_REQUEST_LABEL,
  SharedPostgres,
  WebService,
} from "../../components/kubernetes/index.js";
import {
  controlPlaneEngines,
  startControlPlane,
  type ControlPlane,
} from "../support/control-plane.js";
import {
  digestRef,
  podSpecs,
  runProgram,
  type ProgramRun,
  type RecordedResource,
} from "../support/pulumi-mocks.js";

const bin = controlPlaneEngines();
const PREVIEW = "preview-pr-7";
const SHARED = "preview-shared";
/** Created by the test itself, without Pod Security labels: the control for each refusal. */
const UNLABELLED = "unlabelled";

const sized = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "250m", memory: "256Mi" },
};

/** The kit's preview and shared pieces, as programs/app and programs/preview-base build them. */
function kit(): unknown {
  const provider = new k8s.Provider("target", { kubeconfig: "{}" });
  const shared = new AppNamespace("shared", {
    provider,
    name: SHARED,
    networkPolicy: {},
  });
  const preview = new AppNamespace("preview", {
    provider,
    name: PREVIEW,
    labels: { [PULL_REQUEST_LABEL]: "7" },
    networkPolicy: {
      allowFromNamespaces: ["gateway"],
      egress: {
        allowTo: [
          {
            namespace: SHARED,
            podLabels: { "app.kubernetes.io/name": "db" },
            ports: [{ port: 5432 }],
          },
        ],
        allowToCidrs: [{ cidr: "203.0.113.0/24", ports: [{ port: 443 }] }],
      },
    },
  });
  const image = digestRef("127.0.0.1:5000/acme/web");
  new WebService("web", {
    provider,
    namespace: preview,
    container: { name: "web", image, resources: sized },
    initContainers: [{ name: "wait", image, resources: sized }],
    port: 8080,
    probes: { path: "/healthz" },
    securityContext: { runAsUser: 10001, fsGroup: 10001 },
  });
  new MigrationJob("migrate", {
    provider,
    namespace: preview,
    jobName: "migrate",
    container: { name: "migrate", image, command: ["migrate"], resources: sized },
  });
  const postgres = digestRef("docker.io/library/postgres", "d");
  const db = new SharedPostgres("db", {
    provider,
    namespace: shared,
    image: postgres,
    adminPassword: "a-long-password",
    resources: sized,
    clientNamespaces: { labels: MANAGED_BY, withLabels: [PULL_REQUEST_LABEL] },
  });
  new PreviewDatabase("database", { provider, namespace: preview, appName: "app" });
  new PreviewDatabaseProvisioner("provisioner", {
    provider,
    namespace: shared,
    databasePrefixes: ["app"],
    server: { host: db.host, adminUser: "postgres", adminPassword: "pw" },
    image: postgres,
    kubectlImage: digestRef("docker.io/bitnami/kubectl", "e"),
    resources: sized,
  });
  new PreviewDatabaseJanitor("janitor", {
    provider,
    namespace: shared,
    databasePrefixes: ["app"],
    server: { host: db.host, adminUser: "postgres", adminPassword: "pw" },
    image: postgres,
    kubectlImage: digestRef("docker.io/bitnami/kubectl", "e"),
    resources: sized,
  });
  return {};
}

/** `kubernetes:apps/v1:Deployment` → where the API serves it. */
function collection(resource: RecordedResource, namespace: string | undefined): string {
  const [, groupVersion = "", kind = ""] = resource.type.split(":");
  const [group, version] = groupVersion.split("/");
  const lower = kind.toLowerCase();
  const plural = lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  const base = group === "core" ? `/api/${version}` : `/apis/${group}/${version}`;
  return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
}

interface Pod {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  spec: Record<string, unknown> & {
    containers: Record<string, unknown>[];
    initContainers?: Record<string, unknown>[];
  };
}

describe.skipIf(!bin)("Pod Security on the real API server: a preview's pods", () => {
  let plane: ControlPlane;
  let built: ProgramRun;
  let webSpec: Pod["spec"];
  const posted = new Map<string, RecordedResource>();

  beforeAll(async () => {
    [plane, built] = await Promise.all([
      startControlPlane(bin as string, {
        controllers: ["deployment", "replicaset", "job", "statefulset"],
      }),
      runProgram(kit, { project: "components", stack: "pr-7" }),
    ]);
    const must = async (method: string, path: string, body: object) => {
      const response = await plane.admin<{ message?: string }>(method, path, body);
      if (response.status >= 300)
        throw new Error(`${method} ${path}: HTTP ${response.status} ${response.body?.message}`);
    };
    await must("POST", "/api/v1/namespaces", { metadata: { name: UNLABELLED } });
    // Namespaces first (their labels must be there before any pod), then what lives in them.
    const kinds = ["Namespace", "ServiceAccount", "NetworkPolicy", "Service", "Deployment"];
    const order = (r: RecordedResource) => {
      const at = kinds.indexOf(r.type.split(":")[2] ?? "");
      return at === -1 ? kinds.length : at;
    };
    const objects = built.resources
      .filter((r) => r.type.startsWith("kubernetes:") && !r.type.includes("rbac"))
      .filter((r) => !r.type.includes("admissionregistration"))
      // Auto-named Secrets are named by the engine, not here; pods need only their names.
      .filter((r) => !r.type.endsWith(":Secret"))
      .sort((a, b) => order(a) - order(b));
    const serviceAccountsReady = () =>
      plane.waitFor("the namespaces' default ServiceAccounts", async () => {
        for (const ns of [UNLABELLED, PREVIEW, SHARED]) {
          const sa = await plane.admin("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`);
          if (sa.status !== 200) return false;
        }
        return true;
      });
    let namespacesMade = false;
    for (const resource of objects) {
      // Pods are refused until their namespace's default ServiceAccount exists.
      if (!namespacesMade && !resource.type.endsWith(":Namespace")) {
        await serviceAccountsReady();
        namespacesMade = true;
      }
      const metadata = resource.inputs.metadata as { name?: string; namespace?: string };
      const [, groupVersion = "", kind = ""] = resource.type.split(":");
      const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice(5) : groupVersion;
      await must("POST", collection(resource, metadata.namespace), {
        ...resource.inputs,
        apiVersion,
        kind,
        metadata: { ...metadata, name: metadata.name ?? resource.name },
      });
      posted.set(`${kind} ${metadata.namespace ?? ""}/${metadata.name ?? resource.name}`, resource);
    }
    webSpec = podSpecs(built).find((p) => p.owner.endsWith("Deployment::web"))!.spec as Pod["spec"];
  }, 180_000);

  afterAll(async () => {
    await plane?.stop();
  });

  const createPod = (namespace: string, name: string, spec: object) =>
    plane.admin<{ message?: string }>("POST", `/api/v1/namespaces/${namespace}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec,
    });

  it("stores the preview and shared namespaces with the Pod Security labels AppNamespace set", async () => {
    for (const name of [PREVIEW, SHARED]) {
      const namespace = await plane.admin<{ metadata: { labels: Record<string, string> } }>(
        "GET",
        `/api/v1/namespaces/${name}`,
      );
      expect(namespace.body.metadata.labels, name).toMatchObject({
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      });
    }
  });

  // Each breaks `restricted` in one way, starting from the kit's own web pod.
  const container = (spec: Pod["spec"], change: object) => ({
    ...spec,
    initContainers: [],
    containers: [{ ...spec.containers[0], ...change }],
  });
  const attacks: [string, (spec: Pod["spec"]) => object, RegExp][] = [
    [
      "a privileged container",
      (s) =>
        container(s, {
          // A privileged container may escalate (the API server refuses `false` with it).
          securityContext: { privileged: true, capabilities: { drop: ["ALL"] } },
        }),
      /privileged/,
    ],
    [
      "a container running as root",
      (s) => ({
        ...container(s, {}),
        securityContext: { ...(s.securityContext as object), runAsNonRoot: false, runAsUser: 0 },
      }),
      /runAsNonRoot|runAsUser=0/,
    ],
    [
      "a container that may escalate privileges",
      (s) =>
        container(s, {
          securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"] } },
        }),
      /allowPrivilegeEscalation/,
    ],
    [
      "a container keeping Linux capabilities",
      (s) =>
        container(s, {
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { add: ["NET_ADMIN"] },
          },
        }),
      /capabilities/,
    ],
    [
      "a pod without a seccomp profile",
      (s) => ({ ...container(s, {}), securityContext: { runAsNonRoot: true } }),
      /seccompProfile/,
    ],
    [
      "a pod mounting the node's filesystem",
      (s) => ({
        ...container(s, { volumeMounts: [{ name: "host", mountPath: "/host" }] }),
        volumes: [{ name: "host", hostPath: { path: "/" } }],
      }),
      /hostPath/,
    ],
    [
      "a pod in the node's network",
      (s) => ({ ...container(s, {}), hostNetwork: true }),
      /host namespaces|hostNetwork/,
    ],
    [
      // What WebService made before: no security settings at all.
      "the kit's web pod without its security settings",
      (s) => ({
        ...s,
        securityContext: undefined,
        containers: s.containers.map((c) => ({ ...c, securityContext: undefined })),
        initContainers: s.initContainers?.map((c) => ({ ...c, securityContext: undefined })),
      }),
      /allowPrivilegeEscalation/,
    ],
  ];

  it.each(attacks)(
    "refuses %s in the preview namespace, and only there",
    async (what, attack, reason) => {
      const name = what.replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "");
      const spec = attack(webSpec);
      const refused = await createPod(PREVIEW, name, spec);
      expect(refused.status, what).toBe(403);
      expect(refused.body.message).toMatch(/violates PodSecurity "restricted:latest"/);
      expect(refused.body.message).toMatch(reason);
      // The same pod where no level is enforced: the labels are what refused it.
      expect((await createPod(UNLABELLED, name, spec)).status, what).toBe(201);
    },
  );

  it("admits the kit's WebService pods: the ReplicaSet controller creates them, no FailedCreate", async () => {
    await expectPods(PREVIEW, "ReplicaSet", 1);
    await expectPods(PREVIEW, "Job", 1);
    await expectNoFailedCreate(PREVIEW);
  });

  it("admits the shared namespace's pods: PostgreSQL, the database provisioner, the janitor", async () => {
    await expectPods(SHARED, "StatefulSet", 1);
    await expectPods(SHARED, "ReplicaSet", 1);
    // No CronJob controller runs: its pod template as the Job controller would submit it.
    const janitor = podSpecs(built).find((p) => p.owner.endsWith("CronJob::janitor"))!;
    const created = await createPod(SHARED, "janitor-sweep", janitor.spec);
    expect(created.status, created.body.message).toBe(201);
    await expectNoFailedCreate(SHARED);
  });

  it("keeps the NetworkPolicies as built (stored only: no plugin enforces them here)", async () => {
    const stored = await plane.admin<{
      items: { metadata: { name: string; namespace: string }; spec: unknown }[];
    }>("GET", "/apis/networking.k8s.io/v1/networkpolicies");
    const byName = Object.fromEntries(
      stored.body.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.spec]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      `${PREVIEW}/default-deny-egress`,
      `${PREVIEW}/default-deny-ingress`,
      `${SHARED}/db-clients`,
      `${SHARED}/default-deny-ingress`,
    ]);
    for (const [key, spec] of Object.entries(byName)) {
      const resource = posted.get(`NetworkPolicy ${key}`);
      expect(spec, key).toEqual(resource?.inputs.spec);
    }
  });

  /** Pods owned by the `owner` kind (ReplicaSet, Job, StatefulSet) in `namespace`, at least `count`. */
  async function expectPods(namespace: string, owner: string, count: number): Promise<void> {
    await plane.waitFor(
      `${owner} pods in ${namespace}`,
      async () => {
        const pods = await plane.admin<{ items: Pod[] }>(
          "GET",
          `/api/v1/namespaces/${namespace}/pods`,
        );
        return (
          pods.body.items.filter((p) => p.metadata.ownerReferences?.[0]?.kind === owner).length >=
          count
        );
      },
      60_000,
    );
  }

  async function expectNoFailedCreate(namespace: string): Promise<void> {
    const events = await plane.admin<{
      items: { reason: string; message: string; involvedObject: { kind: string; name: string } }[];
    }>("GET", `/api/v1/namespaces/${namespace}/events`);
    const failed = events.body.items
      .filter((e) => e.reason === "FailedCreate")
      .map((e) => `${e.involvedObject.kind} ${e.involvedObject.name}: ${e.message}`);
    expect(failed).toEqual([]);
  }
});
