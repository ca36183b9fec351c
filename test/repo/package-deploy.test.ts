/**
 * The packed package deployed on the real engines (the Pulumi CLI, its Node.js language host,
 * the Kubernetes provider and a real control plane): `npm pack`, then installed from the
 * tarball without install scripts, from the npm cache this machine's `npm ci` filled
 * (test/support/packed-package.ts, shared with package-consumers.test.ts), into projects outside
 * this repository:
 *
 * - one shaped as `pulumi new kubernetes-typescript` makes it (Pulumi.yaml, package.json,
 *   tsconfig.json, index.ts run by the language host through TypeScript), whose index.ts uses
 *   the components;
 * - the app program's ready-made project (lib/programs/app/project), deployed by the
 *   pulumi-deploy bundle as a pull request's preview against the platform team's preview-base
 *   (deployed from this repository's sources, as test/real-deploy does).
 *
 * No kubelet runs, so the components are told to skip the readiness waits (skipAwait); the
 * Gateway API CRDs are test/support/kit-deploy.ts's stand-in.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../harness/run-action.js";
import { type ControlPlane, startControlPlane } from "../support/control-plane.js";
import { engines } from "../support/engines.js";
import {
  DEPLOY_ENGINES,
  LOCAL_BASE_STACK,
  deployLocalBase,
  installGatewayCrds,
  type KitDeploy,
  kitPulumiEnv,
  stageKit,
} from "../support/kit-deploy.js";
import {
  type PackedPackage,
  consumerEnv,
  packedPackage,
  TEMPLATE_COMPILER_OPTIONS,
} from "../support/packed-package.js";

const bin = engines(...DEPLOY_ENGINES);
const MINUTE = 60_000;
const PASSPHRASE = "package-deploy-passphrase";
const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const WEB = `127.0.0.1:5000/acme/web@${digest("a")}`;
const API = `127.0.0.1:5000/acme/api@${digest("b")}`;
/** The template's index.ts, rewritten to use the kit's components on the cluster of config. */
const INDEX_TS = `import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { AppNamespace, WebService } from "pulumi-preview-kit/components/kubernetes";

const config = new pulumi.Config();
const provider = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig") });
const namespace = new AppNamespace("ns", { provider, name: "shop-dev" });
const web = new WebService("web", {
  provider,
  namespace,
  container: { name: "web", image: config.require("image") },
  port: 8080,
  skipAwait: true,
});
export const namespaceName = namespace.name;
export const notAwaited = web.notAwaited;
`;

describe.skipIf(!bin)("the packed package on the real engines", () => {
  let work: string;
  let packed: PackedPackage;
  let cluster: ControlPlane;
  let env: Record<string, string>;
  let backendUrl: string;

  const npmInstall = (dir: string) => packed.install(dir, consumerEnv(work));
  const pulumi = (args: string[], cwd: string) => {
    const result = spawnSync("pulumi", args, {
      cwd,
      // Nothing to read: a CLI that closes its stdin early then fails no write.
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 8 * MINUTE,
      env: { ...env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    if (result.status !== 0)
      throw new Error(`pulumi ${args.join(" ")}: ${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const get = async <T>(path: string): Promise<T> => {
    const response = await cluster.admin<T>("GET", path);
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.body;
  };
  const deploymentImage = async (namespace: string, name: string) =>
    (
      await get<{
        spec: { template: { spec: { containers: { image: string }[] } } };
      }>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)
    ).spec.template.spec.containers[0]?.image;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "package-deploy-"));
    packed = packedPackage();
    cluster = await startControlPlane(bin as string, {
      controllers: ["deployment", "replicaset", "resourcequota"],
    });
    await installGatewayCrds(cluster);
    const backend = join(work, "state");
    mkdirSync(backend);
    backendUrl = pathToFileURL(backend).href;
    env = kitPulumiEnv(join(work, "pulumi-home"), PASSPHRASE);
  }, 10 * MINUTE);

  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 5 * MINUTE);

  it(
    "deploys the components from a project as `pulumi new kubernetes-typescript` makes it (index.ts, CommonJS)",
    async () => {
      const dir = join(work, "shop-infra");
      mkdirSync(dir);
      const files = {
        "Pulumi.yaml":
          "name: shop-infra\ndescription: A minimal Kubernetes TypeScript Pulumi program\nruntime:\n  name: nodejs\n  options:\n    packagemanager: npm\n",
        "package.json": JSON.stringify({ name: "shop-infra", main: "index.ts" }, null, 2),
        "tsconfig.json": JSON.stringify({
          compilerOptions: TEMPLATE_COMPILER_OPTIONS,
          files: ["index.ts"],
        }),
        "index.ts": INDEX_TS,
      };
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      npmInstall(dir);
      pulumi(["login", backendUrl], dir);
      pulumi(["stack", "init", "dev", "--secrets-provider", "passphrase"], dir);
      pulumi(["config", "set", "--secret", "kubeconfig", cluster.kubeconfig()], dir);
      pulumi(["config", "set", "image", WEB], dir);
      pulumi(["up", "--yes", "--skip-preview", "--non-interactive"], dir);
      const outputs = JSON.parse(pulumi(["stack", "output", "--json"], dir)) as Record<
        string,
        unknown
      >;
      expect(outputs).toMatchObject({
        namespaceName: "shop-dev",
        notAwaited: ["Deployment web", "Service web"],
      });
      expect(await deploymentImage("shop-dev", "web")).toBe(WEB);
      pulumi(["destroy", "--yes", "--skip-preview", "--non-interactive"], dir);
    },
    15 * MINUTE,
  );

  it(
    "deploys the app program's ready-made project as a pull request's preview, through the pulumi-deploy bundle",
    async () => {
      // The platform team's base stack, from this repository's sources.
      const platform = join(work, "platform");
      stageKit(platform);
      const base: KitDeploy = {
        workspace: platform,
        backend: join(work, "state"),
        bin: bin as string,
        env,
        timeoutMs: 10 * MINUTE,
      };
      const baseRun = await deployLocalBase(base, cluster.kubeconfig(), cluster.url);
      if (baseRun.exitCode !== 0) throw new Error(baseRun.log.split("\n").slice(-30).join("\n"));

      // The consumer's repository: the app project copied out of the tarball, as the README says.
      const consumer = join(work, "consumer");
      const unpacked = join(work, "unpacked");
      mkdirSync(unpacked);
      execFileSync("tar", ["-xzf", packed.tarball, "-C", unpacked]);
      cpSync(
        join(unpacked, "package", "lib", "programs", "app", "project"),
        join(consumer, "infra", "app"),
        {
          recursive: true,
        },
      );
      npmInstall(join(consumer, "infra", "app"));
      const run = await runAction("pulumi-deploy", {
        cwd: consumer,
        env,
        path: [bin as string],
        timeoutMs: 10 * MINUTE,
        inputs: {
          "work-dir": "infra/app",
          "cloud-url": backendUrl,
          "secrets-provider": "passphrase",
          command: "up",
          "stack-name": "pr-7",
          images: `web=${WEB}\napi=${API}`,
          config: JSON.stringify({ baseStack: LOCAL_BASE_STACK, prNumber: 7 }),
        },
      });
      if (run.exitCode !== 0) throw new Error(run.log.split("\n").slice(-40).join("\n"));
      const outputs = JSON.parse(run.outputs.outputs ?? "{}") as Record<string, unknown>;
      expect(outputs).toMatchObject({ namespace: "preview-pr-7" });
      expect(await deploymentImage("preview-pr-7", "web")).toBe(WEB);
      expect(await deploymentImage("preview-pr-7", "api")).toBe(API);
    },
    20 * MINUTE,
  );
});
