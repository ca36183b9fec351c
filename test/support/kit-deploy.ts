/**
 * The kit's programs deployed on the real engines, as the real-deploy suite and `npm run demo`
 * both do it: a workspace holding the programs with what they import, the Gateway API CRDs
 * the local flavour routes through, the CLI's environment for a `file://` backend with the
 * passphrase secrets provider, and the platform team's `preview-base` (local flavour).
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runAction, type ActionRun } from "../harness/run-action.js";
import { repoRoot } from "../harness/paths.js";
import type { ControlPlane } from "./control-plane.js";
import type { EngineName } from "./engines.js";

/** What a kit deploy on the real engines runs: the CLI, its host, the provider, the control plane. */
export const DEPLOY_ENGINES: readonly EngineName[] = [
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-resource-kubernetes",
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
];

/** The local base stack as app stacks reference it on a DIY backend. */
export const LOCAL_BASE_STACK = "organization/preview-base/local";

/**
 * Copies what the programs need into `dir`: they import the components by relative path and
 * resolve packages from the repository's node_modules (linked), and the CLI writes stack files
 * next to Pulumi.yaml, so a copy leaves the repository's example stack files untouched.
 * `programs/<name>` in `dir` is then a work-dir.
 */
export function stageKit(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const part of ["programs", "components", "package.json", "tsconfig.json"])
    cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
}

/**
 * The CLI's environment for the kit's programs: its own PULUMI_HOME, no update check, and
 * no plugin download (the engines' directory, on PATH, holds the Kubernetes provider).
 */
export function kitPulumiEnv(home: string, passphrase: string): Record<string, string> {
  return {
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The CLI hides --event-log, which the bundle passes, unless debug commands are on.
    PULUMI_DEBUG_COMMANDS: "true",
  };
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

/**
 * STAND-IN for the Gateway API release CRDs, which cannot be downloaded here: schema-less
 * CRDs (`x-kubernetes-preserve-unknown-fields`) for the three kinds the programs create. No
 * controller reconciles them either way. Waits until the API server serves them.
 */
export async function installGatewayCrds(cluster: ControlPlane): Promise<void> {
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
    if (created.status !== 201) throw new Error(`creating the ${kind} CRD: HTTP ${created.status}`);
  }
  await cluster.waitFor(
    "the Gateway API CRDs",
    async () =>
      (await cluster.admin("GET", "/apis/gateway.networking.k8s.io/v1/httproutes")).status === 200,
  );
}

export interface KitDeploy {
  /** The directory stageKit filled. */
  workspace: string;
  /** The `file://` backend's folder. */
  backend: string;
  /** The engines' directory. */
  bin: string;
  env: Record<string, string>;
  timeoutMs: number;
}

/** A fresh staged kit (stageKit), a `file://` backend folder and the CLI's environment. */
export function stageKitDeploy(name: string, bin: string, timeoutMs: number): KitDeploy {
  const workspace = mkdtempSync(join(tmpdir(), `${name}-`));
  stageKit(workspace);
  const backend = join(workspace, "state");
  mkdirSync(backend);
  return {
    workspace,
    backend,
    bin,
    env: kitPulumiEnv(join(workspace, "pulumi-home"), `${name}-passphrase`),
    timeoutMs,
  };
}

/**
 * stageKitDeploy with one more program, `programs/<name>` (project `name`, its `index.ts` run
 * through tsx as the kit's programs are): what deployProgram takes.
 */
export function stageProgram(
  name: string,
  index: string,
  bin: string,
  timeoutMs: number,
): KitDeploy {
  const target = stageKitDeploy(name, bin, timeoutMs);
  const program = join(target.workspace, "programs", name);
  mkdirSync(program, { recursive: true });
  writeFileSync(
    join(program, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --import tsx\nmain: index.ts\n`,
  );
  writeFileSync(join(program, "index.ts"), index);
  return target;
}

/** One pulumi-deploy bundle run on `programs/<project>`, as the runner runs it. */
export function deployProgram(
  target: KitDeploy,
  project: string,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  return runAction("pulumi-deploy", {
    cwd: target.workspace,
    env: target.env,
    path: [target.bin],
    timeoutMs: target.timeoutMs,
    inputs: {
      "work-dir": `programs/${project}`,
      "cloud-url": pathToFileURL(target.backend).href,
      "secrets-provider": "passphrase",
      ...inputs,
    },
  });
}

/** `up` of preview-base's local flavour on the cluster of `kubeconfig` (LOCAL_BASE_STACK). */
/** The shared server's admin password in the local flavour: tests look for it where it must not be. */
export const LOCAL_POSTGRES_PASSWORD = "local-postgres-password-0";

export function deployLocalBase(
  target: KitDeploy,
  kubeconfig: string,
  apiServer: string,
  /** More config over Pulumi.local.yaml's (the node's: test/support/node-base.ts). */
  config: Record<string, { value: string }> = {},
): Promise<ActionRun> {
  return deployProgram(target, "preview-base", {
    command: "up",
    "stack-name": "local",
    config: JSON.stringify({
      ...config,
      kubeconfig: { value: kubeconfig, secret: true },
      // The preview deployer's kubeconfig names it (the given kubeconfig is YAML).
      previewApiServer: { value: apiServer },
      postgresPassword: { value: LOCAL_POSTGRES_PASSWORD, secret: true },
    }),
  });
}
