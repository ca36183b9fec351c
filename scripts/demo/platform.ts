/**
 * The demo's real mode: the platform team's one-time setup on the real engines (a control
 * plane with a real node, the Gateway API CRDs, preview-base's local flavour with its
 * PostgreSQL on a `file://` backend) and the reads of what is there and what is left, from the
 * backend, the API server, the PostgreSQL server and the app's own answers.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ControlPlane, startControlPlane } from "../../test/support/control-plane.js";
import { type EngineName, enginesDir, missingEngines } from "../../test/support/engines.js";
import {
  DEPLOY_ENGINES,
  deployLocalBase,
  installGatewayCrds,
  kitPulumiEnv,
  LOCAL_POSTGRES_PASSWORD,
  stageKit,
} from "../../test/support/kit-deploy.js";
import { NODE_ENGINES, nodeHostProblem } from "../../test/support/node.js";
import { awaitCronJobRun, hostPsql, prepareNodeBase } from "../../test/support/node-base.js";
import { postgresInstalled } from "../../test/support/postgres-image.js";
import { REGISTRY, type ShopEngines } from "../../test/workflow-runner/shop.js";

const PASSPHRASE = "demo-passphrase-not-a-secret-elsewhere";
const CLI_TIMEOUT_MS = 60_000;
/** preview-base's shared namespace (its default), where the server and the janitor run. */
const SHARED = "preview-shared";

/** What the real mode runs: the deploy engines, the node's, kubectl (the janitor) and the app. */
const DEMO_ENGINES: readonly EngineName[] = [
  ...DEPLOY_ENGINES,
  ...NODE_ENGINES,
  "kubectl",
  "preview-kit-app",
];

/** The engines' directory, or why the demo falls back to the double. */
export function findEngines(): { bin: string; reason?: never } | { bin?: never; reason: string } {
  if (process.env.PREVIEW_KIT_DEMO_ENGINES === "double")
    return { reason: "PREVIEW_KIT_DEMO_ENGINES=double" };
  const missing = missingEngines(DEMO_ENGINES);
  if (missing.length > 0)
    return { reason: `${missing.join(", ")} not built: run \`npm run engines\` first` };
  const problem =
    nodeHostProblem() ??
    (postgresInstalled() ? undefined : "Debian's postgresql-15 is not installed (see .ci/run)");
  return problem ? { reason: `no node here: ${problem}` } : { bin: enginesDir() };
}

/** What an HTTP GET of a URL got: the status and body, or the error. */
export interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

export interface Platform {
  engines: ShopEngines;
  cluster: ControlPlane;
  /** GET `url` from this machine (on the node's network), bounded in time. */
  get(url: string): Promise<Answer>;
  /** The roles and databases on the server named like a preview's of the app. */
  previewDatabases(): Promise<string[]>;
  /** Resolves once a sweep of the database janitor's CronJob started from now completed. */
  sweepDatabases(): Promise<void>;
  /** The pods and Jobs of preview `pr` (its namespace's pods, its database Job). */
  previewWorkloads(pr: number): Promise<string[]>;
  /** The stack names in the backend, fully named (organization/<project>/<stack>). */
  stacks(): string[];
  /** A stack's output `name` (its JSON), as `pulumi stack output` reads it. */
  output(stack: string, name: string): unknown;
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
    const started = performance.now();
    cluster = await startControlPlane(bin, {
      node: true,
      // The previews' quota admission needs the quota controller's usage; the database
      // janitor's CronJob, the cronjob controller.
      controllers: ["resourcequota", "cronjob"],
      // The workflows' images are pushed to the Docker registry on loopback.
      registries: [REGISTRY],
    });
    say(
      `control plane and node at ${cluster.url}, node Ready in ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
    await installGatewayCrds(cluster);
    say("Gateway API CRDs installed (schema-less stand-ins: the release cannot be downloaded)");
    const baseConfig = await prepareNodeBase(cluster, bin);
    say("PostgreSQL and kubectl images built FROM scratch and pushed to the node's registry");
    const workspace = join(root, "platform");
    stageKit(workspace);
    const base = await deployLocalBase(
      { workspace, backend, bin, env, timeoutMs: 600_000 },
      cluster.kubeconfig(),
      cluster.url,
      baseConfig,
    );
    if (base.exitCode !== 0)
      throw new Error(`preview-base up failed:\n${base.log.split("\n").slice(-30).join("\n")}`);
    const outputs = JSON.parse(base.outputs.outputs ?? "{}") as { databaseHost?: string };
    say(
      `preview-base (local flavour) deployed to ${backendUrl}: stack organization/preview-base/local, PostgreSQL Ready at ${outputs.databaseHost ?? "?"}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const plane = cluster;

  /** Runs the CLI in `cwd`; `input` is its stdin (a secret never goes on the command line). */
  const pulumiIn = (cwd: string, args: string[], input?: string) => {
    const run = spawnSync(join(bin, "pulumi"), args, {
      cwd,
      input,
      env: { ...process.env, ...env, PULUMI_BACKEND_URL: backendUrl },
      encoding: "utf8",
      timeout: CLI_TIMEOUT_MS,
    });
    if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")}: ${run.stderr}`);
    return run.stdout;
  };
  const pulumi = (...args: string[]) => pulumiIn(root, args);

  // The platform team creates dev's and production's stacks once (the workflows never create
  // production's: upsert is off there) and gives each the cluster admin's kubeconfig as its own
  // secret config, committed in Pulumi.<stack>.yaml: there is no cluster stack here, and
  // preview-base exports no admin kubeconfig, since previews' programs can read it (issue #19).
  const appDir = join(root, "platform", "programs", "app");
  const stackConfig: Record<string, string> = {};
  for (const stack of ["dev", "production"]) {
    const name = `organization/app/${stack}`;
    pulumiIn(appDir, ["stack", "init", name, "--non-interactive"]);
    pulumiIn(
      appDir,
      ["config", "set", "--secret", "--stack", name, "--", "kubeconfig"],
      plane.kubeconfig(),
    );
    stackConfig[`Pulumi.${stack}.yaml`] = readFileSync(
      join(appDir, `Pulumi.${stack}.yaml`),
      "utf8",
    );
  }
  say(
    "stacks organization/app/dev and organization/app/production created, each with the cluster's kubeconfig as its secret config (production deploys never create theirs)",
  );

  const { body: service } = await plane.admin<{ spec: { clusterIP: string } }>(
    "GET",
    `/api/v1/namespaces/${SHARED}/services/db`,
  );
  const admin = {
    user: "postgres",
    password: LOCAL_POSTGRES_PASSWORD,
    database: "postgres",
  };
  const names = async <T extends { metadata: { name: string } }>(path: string) =>
    (await plane.admin<{ items?: T[] }>("GET", path)).body.items ?? [];

  return {
    engines: {
      bin,
      backendUrl,
      env: jobEnv,
      passphrase: PASSPHRASE,
      kubeconfig: plane.kubeconfig(),
      stackConfig,
      app: join(bin, "preview-kit-app"),
    },
    cluster: plane,
    async get(url) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        return { status: response.status, body: (await response.text()).trim() };
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        return { error: cause ?? (error instanceof Error ? error.message : String(error)) };
      }
    },
    async previewDatabases() {
      const found = await hostPsql(
        service.spec.clusterIP,
        admin,
        "SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'app_pr_%' UNION ALL " +
          "SELECT 'database ' || datname FROM pg_database WHERE datname LIKE 'app_pr_%' ORDER BY 1",
      );
      if (found.exitCode !== 0) throw new Error(`psql: ${found.stderr}`);
      return found.stdout ? found.stdout.split("\n") : [];
    },
    sweepDatabases: () => awaitCronJobRun(plane, SHARED, "database-janitor", Date.now()),
    async previewWorkloads(pr) {
      const pods = await names(`/api/v1/namespaces/preview-pr-${pr}/pods`);
      const jobs = [
        ...(await names(`/apis/batch/v1/namespaces/preview-pr-${pr}/jobs`)),
        ...(await names(`/apis/batch/v1/namespaces/${SHARED}/jobs`)).filter((job) =>
          job.metadata.name.endsWith(`-app-pr-${pr}`),
        ),
      ];
      return [
        ...pods.map((pod) => `pod ${pod.metadata.name}`),
        ...jobs.map((job) => `job ${job.metadata.name}`),
      ];
    },
    stacks: () =>
      (JSON.parse(pulumi("stack", "ls", "--all", "--json")) as { name: string }[]).map(
        (stack) => stack.name,
      ),
    output: (stack, name) =>
      JSON.parse(pulumi("stack", "output", name, "--json", "--stack", stack)) as unknown,
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
