import { appProgram } from "../../programs/app/program.js";
import { clusterProgram } from "../../programs/cluster/program.js";
import { ecsSharedProgram } from "../../programs/ecs-shared/program.js";
import { previewBaseProgram } from "../../programs/preview-base/program.js";
import { digestRef, runProgram, type ProgramRun, type StackExports } from "./pulumi-mocks.js";

/** One program run as one stack, with the stacks it references produced by other scenarios. */
export interface Scenario {
  project: string;
  stack: string;
  program: () => unknown;
  config?: Record<string, unknown>;
  secretConfig?: Record<string, string>;
  /** `org/project/stack` → the id of the scenario whose exports that stack has. */
  references?: Record<string, string>;
}

export const ORG = "acme";

const images = {
  web: digestRef("ghcr.io/acme/web", "1"),
  api: digestRef("ghcr.io/acme/api", "2"),
};
const postgres = { image: digestRef("docker.io/library/postgres", "3") };
const databaseJanitor = { kubectlImage: digestRef("docker.io/bitnami/kubectl", "4") };

/** A controller name nothing implements: on a bare API server no Gateway is reconciled. */
const LOCAL_CONTROLLER = "preview-kit.dev/unreconciled";
const LOCAL_KUBECONFIG = JSON.stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "local", cluster: { server: "https://127.0.0.1:6443" } }],
  contexts: [{ name: "local", context: { cluster: "local", user: "local" } }],
  "current-context": "local",
  users: [{ name: "local", user: { token: "local-token" } }],
});
const ACME_ISSUER = {
  acme: {
    email: "platform@example.com",
    server: "https://acme-v02.api.letsencrypt.org/directory",
    privateKeySecretRef: { name: "letsencrypt-account" },
    solvers: [{ dns01: { route53: { region: "us-east-1" } } }],
  },
};

/** preview-base's dev stack on the dev cluster, with `config` and `secrets` over the shared server's. */
const devBase = <S extends Record<string, string>>(
  config: Record<string, unknown>,
  secrets = {} as S,
) => ({
  project: "preview-base",
  stack: "dev",
  program: previewBaseProgram,
  config: {
    domain: "example.com",
    gateway: { clusterIssuerSpec: ACME_ISSUER },
    postgres,
    databaseJanitor,
    ...config,
  },
  secretConfig: { postgresPassword: "dev-password-123", ...secrets },
  references: { [`${ORG}/cluster/dev`]: "cluster/dev" },
});

const app = <C extends Record<string, unknown>>(stack: string, base: string, config = {} as C) => ({
  project: "app",
  stack,
  program: appProgram,
  config: { images, migration: { command: ["npm", "run", "migrate"] }, ...config },
  references: { [`${ORG}/preview-base/${base.split("/")[1]}`]: base },
});

/** A dev or production app stack: the cluster admin's kubeconfig from its cluster stack. */
const platformSideApp = <C extends Record<string, unknown>>(
  stack: "dev" | "production",
  config = {} as C,
  secretConfig: Record<string, string> = {},
) => {
  const scenario = app(stack, `preview-base/${stack}`, config);
  return {
    ...scenario,
    secretConfig,
    references: { ...scenario.references, [`${ORG}/cluster/${stack}`]: `cluster/${stack}` },
  };
};

export const SCENARIOS = {
  "cluster/dev": {
    project: "cluster",
    stack: "dev",
    program: clusterProgram,
    config: { nodes: { spot: true } },
  },
  "cluster/production": {
    project: "cluster",
    stack: "production",
    program: clusterProgram,
    config: { vpc: { natGateways: "single", azCount: 3 }, nodes: { desiredSize: 3, maxSize: 6 } },
  },
  // The local flavour: a bare API server (no nodes, no cloud, no controllers), with the
  // Gateway API CRDs installed beforehand, as programs/preview-base/Pulumi.local.yaml has it.
  "preview-base/local": {
    project: "preview-base",
    stack: "local",
    program: previewBaseProgram,
    config: {
      domain: "localtest.me",
      gateway: { className: "preview-kit-local", controllerName: LOCAL_CONTROLLER, tls: "none" },
      install: { gatewayApiCrds: false, certManager: false, nginxGatewayFabric: false },
      skipAwait: true,
      postgres,
      databaseJanitor,
    },
    secretConfig: { postgresPassword: "local-password-1", kubeconfig: LOCAL_KUBECONFIG },
  },
  "preview-base/dev": devBase(
    { dns: { hostedZoneId: "Z123" }, registry: { server: "ghcr.io", username: "acme-bot" } },
    { registryPassword: "ghp_token" },
  ),
  // Each pull request deploys as its own user (PreviewDeployer's GitHub identity).
  "preview-base/dev-github": devBase({
    previewIdentity: {
      github: { repository: "acme/shop", audience: "https://previews.example.com" },
    },
  }),
  "preview-base/production": {
    project: "preview-base",
    stack: "production",
    program: previewBaseProgram,
    config: { domain: "example.com", routing: "alb-ingress", alb: { hostedZoneId: "Z123" } },
    references: { [`${ORG}/cluster/production`]: "cluster/production" },
  },
  "app/local": {
    project: "app",
    stack: "local",
    program: appProgram,
    config: { images, kubeContext: "kind-previews", domain: "localtest.me" },
  },
  // Its own pull secret: the base's registry credentials are never exported (issue #19).
  "app/dev": platformSideApp(
    "dev",
    { registry: { server: "ghcr.io", username: "acme-deploy" } },
    { registryPassword: "ghp_dev_app_token" },
  ),
  "app/pr-42": app("pr-42", "preview-base/dev", { prNumber: 42 }),
  "app/pr-42-github": {
    ...app("pr-42", "preview-base/dev-github", { prNumber: 42 }),
    references: { [`${ORG}/preview-base/dev`]: "preview-base/dev-github" },
  },
  "app/pr-42-local": {
    ...app("pr-42", "preview-base/local", { prNumber: 42, baseStack: `${ORG}/preview-base/local` }),
  },
  "app/production": platformSideApp("production"),
  "ecs-shared/dev": {
    project: "ecs-shared",
    stack: "dev",
    program: ecsSharedProgram,
    config: { domain: "api.example.com", hostedZoneId: "Z123", images: { api: images.api } },
  },
  "ecs-shared/pr-42": {
    project: "ecs-shared",
    stack: "pr-42",
    program: ecsSharedProgram,
    config: { domain: "api.example.com", hostedZoneId: "Z123", images: { api: images.api } },
    references: { [`${ORG}/ecs-shared/dev`]: "ecs-shared/dev" },
  },
  "ecs-shared/production": {
    project: "ecs-shared",
    stack: "production",
    program: ecsSharedProgram,
    config: {
      domain: "api.example.com",
      hostedZoneId: "Z123",
      images: { api: images.api },
      vpc: { natGateways: "single" },
    },
  },
} satisfies Record<string, Scenario>;

export type ScenarioId = keyof typeof SCENARIOS;

/**
 * Runs a scenario, first running the scenarios it references so that each stack reference
 * sees the real exports of the program it names. `overrides` replace config of the run itself.
 */
export async function runScenario(
  id: ScenarioId,
  overrides: Partial<Scenario> = {},
  cache = new Map<ScenarioId, ProgramRun>(),
): Promise<ProgramRun> {
  const scenario: Scenario = { ...SCENARIOS[id], ...overrides };
  const stackOutputs: Record<string, StackExports> = {};
  for (const [name, id] of Object.entries(scenario.references ?? {})) {
    if (!(id in SCENARIOS)) throw new Error(`unknown scenario ${id}`);
    const upstream = id as ScenarioId;
    let run = cache.get(upstream);
    if (!run) {
      run = await runScenario(upstream, {}, cache);
      cache.set(upstream, run);
    }
    stackOutputs[name] = run;
  }
  return runProgram(scenario.program, {
    project: scenario.project,
    stack: scenario.stack,
    organization: ORG,
    config: scenario.config,
    secretConfig: scenario.secretConfig,
    stackOutputs,
  });
}
