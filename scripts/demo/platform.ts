/**
 * The demo's real mode: the platform team's one-time setup on the real engines (a control
 * plane, the Gateway API CRDs, preview-base's local flavour on a `file://` backend) and the
 * reads of what is left afterwards, from the backend and the API server themselves.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ControlPlane, startControlPlane } from "../../test/support/control-plane.js";
import { enginesDir, missingEngines } from "../../test/support/engines.js";
import {
  DEPLOY_ENGINES,
  deployLocalBase,
  installGatewayCrds,
  kitPulumiEnv,
  stageKit,
} from "../../test/support/kit-deploy.js";
import type { ShopEngines } from "../../test/workflow-runner/shop.js";

const PASSPHRASE = "demo-passphrase-not-a-secret-elsewhere";
const CLI_TIMEOUT_MS = 60_000;

/** The engines' directory, or why the demo falls back to the double. */
export function findEngines(): { bin: string; reason?: never } | { bin?: never; reason: string } {
  if (process.env.PREVIEW_KIT_DEMO_ENGINES === "double")
    return { reason: "PREVIEW_KIT_DEMO_ENGINES=double" };
  const missing = missingEngines(DEPLOY_ENGINES);
  return missing.length === 0
    ? { bin: enginesDir() }
    : { reason: `${missing.join(", ")} not built: run \`npm run engines\` first` };
}

export interface Platform {
  engines: ShopEngines;
  cluster: ControlPlane;
  /** The stack names in the backend, fully named (organization/<project>/<stack>). */
  stacks(): string[];
  /** The images of the Deployments a stack holds, by name, as its state records them. */
  images(stack: string): Record<string, string>;
  namespaceExists(name: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** The platform team's setup, each part told to `say`; throws with the failed step's log. */
export async function setUpPlatform(bin: string, say: (text: string) => void): Promise<Platform> {
  const root = mkdtempSync(join(tmpdir(), "demo-platform-"));
  const backend = join(root, "state");
  mkdirSync(backend);
  const env = kitPulumiEnv(join(root, "pulumi-home"), PASSPHRASE);
  const { PULUMI_CONFIG_PASSPHRASE: _secret, ...jobEnv } = env;
  const backendUrl = pathToFileURL(backend).href;
  let cluster: ControlPlane | undefined;
  const stop = async () => {
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    cluster = await startControlPlane(bin, {
      controllers: ["deployment", "replicaset", "resourcequota"],
    });
    say(`control plane: etcd, kube-apiserver, kube-controller-manager at ${cluster.url}`);
    await installGatewayCrds(cluster);
    say("Gateway API CRDs installed (schema-less stand-ins: the release cannot be downloaded)");
    const workspace = join(root, "platform");
    stageKit(workspace);
    const base = await deployLocalBase(
      { workspace, backend, bin, env, timeoutMs: 600_000 },
      cluster.kubeconfig(),
      cluster.url,
    );
    if (base.exitCode !== 0)
      throw new Error(`preview-base up failed:\n${base.log.split("\n").slice(-30).join("\n")}`);
    const outputs = JSON.parse(base.outputs.outputs ?? "{}") as { notAwaited?: string[] };
    say(
      `preview-base (local flavour) deployed to ${backendUrl}: stack organization/preview-base/local`,
    );
    say(`  not awaited (no kubelet, skip-await): ${(outputs.notAwaited ?? []).join(", ")}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const plane = cluster;

  const pulumiIn = (cwd: string, ...args: string[]) => {
    const run = spawnSync(join(bin, "pulumi"), args, {
      cwd,
      env: { ...process.env, ...env, PULUMI_BACKEND_URL: backendUrl },
      encoding: "utf8",
      timeout: CLI_TIMEOUT_MS,
    });
    if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")}: ${run.stderr}`);
    return run.stdout;
  };
  const pulumi = (...args: string[]) => pulumiIn(root, ...args);

  // Production's stack is created once by the platform team: the workflows never create it
  // (upsert is off for production).
  pulumiIn(
    join(root, "platform", "programs", "app"),
    "stack",
    "init",
    "organization/app/production",
    "--non-interactive",
  );
  say("stack organization/app/production created (production deploys never create it)");

  return {
    engines: {
      bin,
      backendUrl,
      env: jobEnv,
      passphrase: PASSPHRASE,
      kubeconfig: plane.kubeconfig(),
    },
    cluster: plane,
    stacks: () =>
      (JSON.parse(pulumi("stack", "ls", "--all", "--json")) as { name: string }[]).map(
        (stack) => stack.name,
      ),
    images(stack) {
      type State = {
        deployment: {
          resources?: {
            type: string;
            outputs?: {
              metadata?: { name?: string };
              spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
            };
          }[];
        };
      };
      const state = JSON.parse(pulumi("stack", "export", "--stack", stack)) as State;
      return Object.fromEntries(
        (state.deployment.resources ?? [])
          .filter((resource) => resource.type === "kubernetes:apps/v1:Deployment")
          .map((resource) => [
            resource.outputs?.metadata?.name ?? "?",
            resource.outputs?.spec?.template?.spec?.containers?.[0]?.image ?? "?",
          ]),
      );
    },
    async namespaceExists(name) {
      return (await plane.admin("GET", `/api/v1/namespaces/${name}`)).status !== 404;
    },
    stop,
  };
}
