/**
 * Issue 19, items 1 and 2, played by the attacker through the local runner: a pull request's
 * own code (an npm `preinstall` script of its Pulumi program, and the program itself, which
 * runs inside `pulumi preview`/`up`) looks for what it can steal. The program is stood in for
 * by a `pulumi` first on PATH that records the environment Pulumi gives its program, then runs
 * the Pulumi CLI double. Also the secret placement action-docs/workflows.md recommends — each
 * environment's Pulumi token as that environment's secret, none at the repository or passed by
 * the caller — run end to end, under GitHub's documented precedence of environment secrets over
 * passed ones and under the opposite one a public report observed for reusable workflows.
 * And `kubernetes-oidc`: the program runs previewKubeconfig's credential plugin
 * (githubTokenExec) and gets its pull request's own Kubernetes user only where the input
 * routes the job to its `-with-role` variant, and nowhere for dev.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubTokenExec, previewUser } from "../../components/kubernetes/github-identity.js";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { PULUMI_DOUBLE_BIN, createPulumiDouble } from "../emulators/pulumi/double.js";
import { startTokenExchange } from "../emulators/pulumi/token-exchange.js";
import { startOidcStandIn, type OidcStandIn } from "../workflow-runner/oidc.js";
import { failureLines } from "../workflow-runner/records.js";
import { createRunner, type EventSpec } from "../workflow-runner/runner.js";
import type { SecretPrecedence } from "../workflow-runner/run-state.js";

const OWNER = "acme";
const REPO = "shop";
const HEAD = "d".repeat(40);
const WEB = `ghcr.io/acme/shop/web@sha256:${"e".repeat(64)}`;
const TOKEN = {
  repositoryWide: "pul-repository-wide-write-000000000000000000",
  preview: "pul-preview-write-0000000000000000000000000000",
  previewRead: "pul-preview-read-00000000000000000000000000000",
  production: "pul-production-write-000000000000000000000000",
  productionRead: "pul-production-read-0000000000000000000000000",
  dev: "pul-dev-write-000000000000000000000000000000000",
  devRead: "pul-dev-read-0000000000000000000000000000000000",
};
const ENVIRONMENT_SECRETS = {
  preview: { PULUMI_ACCESS_TOKEN: TOKEN.preview },
  "preview-plan": { PULUMI_PLAN_ACCESS_TOKEN: TOKEN.previewRead },
  production: { PULUMI_ACCESS_TOKEN: TOKEN.production },
  "production-plan": { PULUMI_PLAN_ACCESS_TOKEN: TOKEN.productionRead },
  dev: { PULUMI_ACCESS_TOKEN: TOKEN.dev },
  "dev-plan": { PULUMI_PLAN_ACCESS_TOKEN: TOKEN.devRead },
};

/** What the pull request's program saw: one record per `pulumi` it ran in. */
interface ProgramSighting {
  job: string;
  command: string;
  env: Record<string, string>;
  /** With ScenarioOptions.exec: what the kubeconfig's credential plugin gave the program. */
  kube?: { token?: string; error?: string };
}

let github: GitHubEmulator;
let root: string;

/** A consumer calling deploy-preview.yml; `passing` the secrets its job passes. */
function consumer(passing: string, extra = ""): string {
  return `on:
  pull_request:
    types: [opened]
permissions: {}
jobs:
  preview:
    permissions:
      actions: read
      contents: read
      deployments: write
      id-token: write
      pull-requests: write
    uses: OWNER/REPO/.github/workflows/deploy-preview.yml@v1
    with:
      pr-number: \${{ github.event.pull_request.number }}
      stack-project: acme/shop
      work-dir: infra
      image-refs: '{"web":"${WEB}"}'
      health-check: false
${extra}${passing}`;
}

interface ScenarioOptions {
  /** Pulumi Cloud by OIDC: the stand-in exchange; no stored Pulumi token anywhere. */
  exchange?: Awaited<ReturnType<typeof startTokenExchange>>;
  /** The OIDC token service a job with `id-token: write` asks (default the exchange's). */
  oidc?: OidcStandIn;
  /**
   * A kubeconfig user's `exec` credential plugin that the program runs in `preview`, `up` and
   * `destroy`, as the Kubernetes provider runs previewKubeconfig's (githubTokenExec).
   */
  exec?: object;
  /** Other consumer workflows, by file name (e.g. the cleanup), for `runner.trigger`. */
  workflows?: Record<string, string>;
  /** The event instead of pull request `pr`'s `opened` (e.g. a push for dev). */
  event?: EventSpec;
}

function scenario(
  name: string,
  workflow: string,
  precedence: SecretPrecedence,
  pr: number,
  options: ScenarioOptions = {},
) {
  const dir = mkdtempSync(join(root, `${name}-`));
  const repository = join(dir, "repository");
  const tree = join(dir, "tree");
  const spyDir = join(dir, "spy");
  const sightings = join(dir, "sightings.ndjson");
  const preinstalled = join(dir, "preinstall-ran");
  mkdirSync(join(repository, ".github", "workflows"), { recursive: true });
  writeFileSync(join(repository, ".github", "workflows", "preview.yml"), workflow);
  for (const [file, text] of Object.entries(options.workflows ?? {}))
    writeFileSync(join(repository, ".github", "workflows", file), text);

  // The pull request's tree: a Pulumi program with a package whose install script attacks.
  mkdirSync(join(tree, "infra"), { recursive: true });
  writeFileSync(join(tree, "infra", "Pulumi.yaml"), `name: ${REPO}\nruntime: nodejs\n`);
  writeFileSync(
    join(tree, "infra", ".pulumi-double.json"),
    JSON.stringify({
      resources: [{ type: "kubernetes:apps/v1:Deployment", name: "web", inputs: {} }],
      outputs: { ok: "yes" },
    }),
  );
  const pkg = {
    name: "infra",
    version: "1.0.0",
    private: true,
    scripts: { preinstall: `env > ${JSON.stringify(preinstalled)}` },
  };
  writeFileSync(join(tree, "infra", "package.json"), JSON.stringify(pkg, null, 2));
  writeFileSync(
    join(tree, "infra", "package-lock.json"),
    JSON.stringify({
      name: "infra",
      version: "1.0.0",
      lockfileVersion: 3,
      requires: true,
      packages: { "": { name: "infra", version: "1.0.0" } },
    }),
  );

  // The program: Pulumi runs it with its own environment, so it sees what `pulumi` sees. With
  // an exec plugin it authenticates as the Kubernetes provider would, in the same environment.
  mkdirSync(spyDir, { recursive: true });
  const execFile = join(dir, "exec.json");
  if (options.exec) writeFileSync(execFile, JSON.stringify(options.exec));
  writeFileSync(
    join(spyDir, "pulumi"),
    `#!/usr/bin/env node
const { appendFileSync, existsSync, readFileSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const command = process.argv[2] ?? "";
let kube;
if (existsSync(${JSON.stringify(execFile)}) && ["preview", "up", "destroy"].includes(command)) {
  const exec = JSON.parse(readFileSync(${JSON.stringify(execFile)}, "utf8"));
  const plugin = spawnSync(exec.command, exec.args, { env: process.env, encoding: "utf8", timeout: 30000 });
  kube = plugin.status === 0 ? { token: JSON.parse(plugin.stdout).status.token } : { error: plugin.stderr };
}
appendFileSync(${JSON.stringify(sightings)}, JSON.stringify({
  job: process.env.GITHUB_JOB, command, env: process.env, kube }) + "\\n");
const run = spawnSync(${JSON.stringify(join(PULUMI_DOUBLE_BIN, "pulumi"))}, process.argv.slice(2), { stdio: "inherit" });
process.exit(run.status ?? 1);
`,
  );
  chmodSync(join(spyDir, "pulumi"), 0o755);

  const pulumi = createPulumiDouble({ backend: "cloud", org: OWNER, project: REPO });
  const { PULUMI_ACCESS_TOKEN: _none, ...pulumiEnv } = pulumi.env;
  const runner = createRunner({
    github,
    consumerRoot: repository,
    repository: `${OWNER}/${REPO}`,
    source: () => tree,
    secrets: options.exchange ? {} : { PULUMI_ACCESS_TOKEN: TOKEN.repositoryWide },
    environmentSecrets: options.exchange ? {} : ENVIRONMENT_SECRETS,
    environmentSecretPrecedence: precedence,
    toolPath: [spyDir],
    env: {
      ...pulumiEnv,
      ...(options.exchange ? { PULUMI_BACKEND_URL: options.exchange.url } : {}),
      PREVIEW_KIT_RETRY_BASE_MS: "50",
    },
    oidc: options.oidc ?? options.exchange?.github,
    root: join(dir, "runs"),
  });
  github.state.addPull(OWNER, REPO, pr, { author: "octo-developer", headSha: HEAD });
  const event: EventSpec = {
    name: "pull_request",
    sha: "3e".padEnd(40, "3"),
    ref: `refs/pull/${pr}/merge`,
    actor: "octo-developer",
    payload: {
      action: "opened",
      number: pr,
      pull_request: {
        number: pr,
        state: "open",
        user: { login: "octo-developer" },
        head: { sha: HEAD, ref: `feature-${pr}`, repo: { full_name: `${OWNER}/${REPO}` } },
        base: { ref: "main", repo: { full_name: `${OWNER}/${REPO}` } },
      },
      repository: { full_name: `${OWNER}/${REPO}`, default_branch: "main" },
    },
  };
  const run = runner.trigger(".github/workflows/preview.yml", options.event ?? event);
  const seen = (): ProgramSighting[] =>
    existsSync(sightings)
      ? readFileSync(sightings, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as ProgramSighting)
      : [];
  return { run, seen, preinstalled, pulumi, runner, event };
}

beforeAll(async () => {
  github = await createGitHubEmulator();
  github.state.setPermission(OWNER, REPO, "octo-developer", "write");
  root = mkdtempSync(join(tmpdir(), "least-privilege-"));
});
afterAll(async () => {
  await github?.close();
  rmSync(root, { recursive: true, force: true });
});

const RECOMMENDED = ""; // the caller passes no Pulumi token
const PASSING_THE_REPOSITORY_TOKEN = `    secrets:
      PULUMI_ACCESS_TOKEN: \${{ secrets.PULUMI_ACCESS_TOKEN }}
`;

describe.each([
  ["environment", 21],
  ["caller", 22],
] as const)(
  "the recommended secret placement, environment secrets winning over passed ones: %s",
  (precedence, pr) => {
    let outcome: ReturnType<typeof scenario>;
    let result: string;
    beforeAll(async () => {
      outcome = scenario(`recommended-${precedence}`, consumer(RECOMMENDED), precedence, pr);
      result = await outcome.run.done;
    }, 120_000);

    it("deploys the preview and comments it", () => {
      expect(result, failureLines(outcome.run.record).join("\n")).toBe("success");
      expect(outcome.pulumi.readStack(`acme/shop/pr-${pr}`)?.deployed).toBe(true);
      const [deployment] = deploymentStore(github.state).activeIn(OWNER, REPO, `preview-pr-${pr}`);
      expect(deploymentStore(github.state).latest(deployment?.id ?? 0)?.state).toBe("success");
      expect(github.state.commentsOf(OWNER, REPO, pr).at(-1)?.body).toContain("Ready");
    });

    it("gives the program in the plan only the plan environment's read token", () => {
      const plan = outcome.seen().filter((s) => s.job === "plan");
      expect(plan.map((s) => s.command)).toContain("preview");
      for (const sighting of plan) expect(sighting.env.PULUMI_ACCESS_TOKEN).toBe(TOKEN.previewRead);
    });

    it("gives the program in the deploy only its environment's token", () => {
      const deploy = outcome.seen().filter((s) => s.job === "deploy");
      expect(deploy.map((s) => s.command)).toContain("up");
      for (const sighting of deploy) expect(sighting.env.PULUMI_ACCESS_TOKEN).toBe(TOKEN.preview);
    });

    it("lets the program find no OIDC request token, no other environment's or repository-wide token", () => {
      const sightings = outcome.seen();
      expect(sightings.length).toBeGreaterThan(2);
      for (const { job, env } of sightings) {
        expect(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, job).toBeUndefined();
        expect(env.ACTIONS_ID_TOKEN_REQUEST_URL, job).toBeUndefined();
        const values = Object.values(env).join("\n");
        for (const other of [TOKEN.repositoryWide, TOKEN.production, TOKEN.productionRead])
          expect(values, job).not.toContain(other);
        if (job === "plan") expect(values).not.toContain(TOKEN.preview);
      }
    });

    it("runs no install script of the pull request's dependencies", () => {
      expect(outcome.seen().length).toBeGreaterThan(0);
      expect(existsSync(outcome.preinstalled)).toBe(false);
    });

    it("holds the tokens that write Deployments and comments only in jobs that run no pull request code", () => {
      const jobs = outcome.run.record.jobs;
      const permissions = (name: string) =>
        jobs.find((j) => j.path === `preview / preview / ${name}`)?.permissions;
      // The jobs the program ran in: a read-only token, nothing else.
      for (const name of ["Preview the changes", "Deploy"])
        expect(permissions(name), name).toEqual({ contents: "read" });
      const programJobs = new Set(outcome.seen().map((s) => s.job));
      expect([...programJobs].sort()).toEqual(["deploy", "plan"]);
      expect(permissions("Start the deployment")).toMatchObject({
        deployments: "write",
        "pull-requests": "write",
      });
      expect(permissions("Finish the deployment")).toMatchObject({
        deployments: "write",
        "pull-requests": "write",
      });
    });
  },
);

describe.each([
  ["environment", 31],
  ["caller", 32],
] as const)(
  "a caller that passes a repository-wide PULUMI_ACCESS_TOKEN anyway, precedence %s",
  (precedence, pr) => {
    it("never reaches the plan, which has no fallback to it", async () => {
      const outcome = scenario(
        `passing-${precedence}`,
        consumer(PASSING_THE_REPOSITORY_TOKEN),
        precedence,
        pr,
      );
      expect(await outcome.run.done, failureLines(outcome.run.record).join("\n")).toBe("success");
      const plan = outcome.seen().filter((s) => s.job === "plan");
      expect(plan.length).toBeGreaterThan(0);
      for (const sighting of plan) expect(sighting.env.PULUMI_ACCESS_TOKEN).toBe(TOKEN.previewRead);
      // The deploy gets the passed one only where the passed one wins: the docs say pass none.
      const deploy = outcome.seen().filter((s) => s.job === "deploy");
      for (const sighting of deploy)
        expect(sighting.env.PULUMI_ACCESS_TOKEN).toBe(
          precedence === "environment" ? TOKEN.preview : TOKEN.repositoryWide,
        );
    }, 120_000);
  },
);

describe("a named role", () => {
  it("puts id-token: write only in the -with-role variant of the jobs that need it", async () => {
    const outcome = scenario(
      "role",
      consumer(
        RECOMMENDED,
        "      aws-plan-role-arn: arn:aws:iam::123456789012:role/reader\n      aws-region: eu-west-1\n",
      ),
      "environment",
      41,
    );
    await outcome.run.done;
    const jobs = outcome.run.record.jobs.filter((j) => j.permissions);
    const withToken = jobs.filter((j) => j.permissions?.["id-token"] === "write");
    // The plan's variant ran with the token (and, no OIDC issuer here, failed to use it).
    expect(withToken.map((j) => j.path)).toEqual(["preview / preview / Preview the changes"]);
    expect(withToken[0]?.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(existsSync(outcome.preinstalled)).toBe(false);
  }, 120_000);
});

describe("Pulumi Cloud by OIDC (no stored Pulumi token anywhere)", () => {
  const PREVIEWS = "team:previews";
  const READERS = "team:preview-readers";
  let exchange: Awaited<ReturnType<typeof startTokenExchange>>;
  let outcome: ReturnType<typeof scenario>;
  let result: string;
  beforeAll(async () => {
    // The organization's policies, one per environment's subject (action-docs/workflows.md).
    exchange = await startTokenExchange({
      organization: OWNER,
      policies: [
        {
          sub: `repo:${OWNER}/${REPO}:environment:preview-plan`,
          tokenType: "team",
          scope: READERS,
        },
        { sub: `repo:${OWNER}/${REPO}:environment:preview`, tokenType: "team", scope: PREVIEWS },
        { sub: `repo:${OWNER}/${REPO}:environment:production`, tokenType: "organization" },
      ],
    });
    outcome = scenario(
      "oidc",
      consumer(
        RECOMMENDED,
        `      pulumi-oidc-organization: ${OWNER}\n      pulumi-oidc-scope: ${PREVIEWS}\n      pulumi-oidc-plan-scope: ${READERS}\n`,
      ),
      "environment",
      51,
      { exchange },
    );
    result = await outcome.run.done;
  }, 120_000);
  afterAll(() => exchange?.close());

  it("deploys the preview with tokens exchanged per environment's subject", () => {
    expect(result, failureLines(outcome.run.record).join("\n")).toBe("success");
    expect(outcome.pulumi.readStack(`acme/shop/pr-51`)?.deployed).toBe(true);
    const asked = exchange.requests.map((r) => [r.claims.sub, r.body.scope]);
    expect(asked).toContainEqual([`repo:${OWNER}/${REPO}:environment:preview-plan`, READERS]);
    expect(asked).toContainEqual([`repo:${OWNER}/${REPO}:environment:preview`, PREVIEWS]);
    // Nothing ran under the production subject, and nobody got an organization token.
    expect(exchange.requests.every((r) => !String(r.claims.sub).endsWith(":production"))).toBe(
      true,
    );
  });

  it("gives the plan's program the readers' token and the deploy's program the previews' token, never stored", () => {
    const tokenOf = (scope: string) =>
      exchange.grants.filter((g) => g.scope === scope).map((g) => g.token);
    // The -with-role variants ran (GITHUB_JOB is the job's id).
    const plan = outcome.seen().filter((s) => s.job === "plan-with-role");
    const deploy = outcome.seen().filter((s) => s.job === "deploy-with-role");
    expect(plan.length).toBeGreaterThan(0);
    expect(deploy.length).toBeGreaterThan(0);
    for (const s of plan) expect(tokenOf(READERS)).toContain(s.env.PULUMI_ACCESS_TOKEN);
    for (const s of deploy) expect(tokenOf(PREVIEWS)).toContain(s.env.PULUMI_ACCESS_TOKEN);
  });

  it("grants id-token: write only to the -with-role variants of plan and deploy", () => {
    const withToken = outcome.run.record.jobs
      .filter((j) => j.permissions?.["id-token"] === "write")
      .map((j) => j.path)
      .sort();
    expect(withToken).toEqual([
      "preview / preview / Deploy",
      "preview / preview / Preview the changes",
    ]);
  });
});

/**
 * PreviewDeployer's `identity: { github }`: preview-base's previewKubeconfig runs
 * githubTokenExec, so the program authenticates to the API server as its own pull request's
 * user (`preview-kit:pr:<N>`, the user githubPreviewAuthenticator makes of a token whose `ref`
 * is refs/pull/<N>/merge) with the job's OIDC token. The program here runs that plugin exactly
 * as the Kubernetes provider does, against the runner's OIDC stand-in.
 */
describe("a preview's own Kubernetes user (kubernetes-oidc)", () => {
  const AUDIENCE = "https://kubernetes.preview.example";
  const PR = 61;
  const KUBERNETES_OIDC = "      kubernetes-oidc: true\n";
  const cleanup = `on:
  pull_request:
    types: [closed]
permissions: {}
jobs:
  cleanup:
    permissions:
      actions: read
      contents: read
      deployments: write
      id-token: write
      pull-requests: write
    uses: OWNER/REPO/.github/workflows/cleanup-preview.yml@v1
    with:
      pr-number: \${{ github.event.pull_request.number }}
      stack-project: acme/shop
      work-dir: infra
      kubernetes-oidc: true
`;
  let oidc: OidcStandIn;
  let withIt: ReturnType<typeof scenario>;
  let without: ReturnType<typeof scenario>;
  let results: string[];

  /** The jobs that held `id-token: write`, by path. */
  const holding = (run: ReturnType<typeof scenario>["run"]) =>
    run.record.jobs
      .filter((j) => j.permissions?.["id-token"] === "write")
      .map((j) => j.path)
      .sort();
  /** The user the API server makes of the program's token: its claims, checked. */
  const userOf = async (token: string | undefined) => {
    const claims = await oidc.verify(token ?? "", AUDIENCE);
    expect(claims.repository).toBe(`${OWNER}/${REPO}`);
    const n = /^refs\/pull\/([0-9]+)\/merge$/.exec(String(claims.ref))?.[1];
    return n === undefined ? undefined : previewUser(Number(n));
  };

  beforeAll(async () => {
    oidc = await startOidcStandIn();
    const options = { oidc, exec: githubTokenExec(AUDIENCE) };
    withIt = scenario(
      "kubernetes-oidc",
      consumer(RECOMMENDED, KUBERNETES_OIDC),
      "environment",
      PR,
      {
        ...options,
        workflows: { "cleanup.yml": cleanup },
      },
    );
    without = scenario(
      "kubernetes-oidc-off",
      consumer(RECOMMENDED),
      "environment",
      PR + 1,
      options,
    );
    results = await Promise.all([withIt.run.done, without.run.done]);
  }, 180_000);
  afterAll(() => oidc?.close());

  it("deploys the preview, the program in plan and deploy authenticating as its own pull request's user", async () => {
    expect(results[0], failureLines(withIt.run.record).join("\n")).toBe("success");
    expect(withIt.pulumi.readStack(`acme/shop/pr-${PR}`)?.deployed).toBe(true);
    const program = withIt.seen().filter((s) => s.kube);
    expect(program.map((s) => `${s.job} ${s.command}`).sort()).toEqual([
      "deploy-with-role up",
      "plan-with-role preview",
    ]);
    for (const sighting of program)
      expect(await userOf(sighting.kube?.token), sighting.kube?.error).toBe(previewUser(PR));
  });

  it("grants id-token: write to exactly the plan and deploy, the jobs that run the program", () => {
    expect(holding(withIt.run)).toEqual([
      "preview / preview / Deploy",
      "preview / preview / Preview the changes",
    ]);
    for (const job of withIt.run.record.jobs.filter((j) => j.permissions?.["id-token"]))
      expect(job.permissions, job.path).toEqual({ contents: "read", "id-token": "write" });
    // The jobs that run no pull request code (gate, start, finish) hold no OIDC token.
    const others = withIt.run.record.jobs.filter(
      (j) => j.permissions && !holding(withIt.run).includes(j.path),
    );
    expect(others.length).toBeGreaterThan(2);
    for (const job of others) expect(job.permissions?.["id-token"], job.path).toBeUndefined();
  });

  it("changes nothing without it: no job holds id-token and the plugin authenticates nobody", () => {
    expect(results[1], failureLines(without.run.record).join("\n")).toBe("success");
    expect(holding(without.run)).toEqual([]);
    const program = without.seen().filter((s) => s.kube);
    expect(program.map((s) => s.job).sort()).toEqual(["deploy", "plan"]);
    for (const { kube } of program) {
      expect(kube?.token).toBeUndefined();
      expect(kube?.error).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL\/TOKEN unset/);
    }
  });

  it("destroys the preview of a pull request closed without merging as that pull request's user, with id-token only in the destroy", async () => {
    github.state.pull(OWNER, REPO, PR)!.state = "closed";
    const closed: EventSpec = {
      ...withIt.event,
      payload: {
        ...withIt.event.payload,
        action: "closed",
        pull_request: {
          ...(withIt.event.payload.pull_request as object),
          state: "closed",
          merged: false,
        },
      },
    };
    const run = withIt.runner.trigger(".github/workflows/cleanup.yml", closed);
    expect(await run.done, failureLines(run.record).join("\n")).toBe("success");
    expect(withIt.pulumi.readStack(`acme/shop/pr-${PR}`)).toBeUndefined();
    const destroy = withIt.seen().filter((s) => s.command === "destroy");
    expect(destroy.map((s) => s.job)).toEqual(["destroy-with-role"]);
    expect(await userOf(destroy[0]?.kube?.token), destroy[0]?.kube?.error).toBe(previewUser(PR));
    expect(holding(run)).toEqual(["cleanup / Destroy the preview"]);
    const finish = run.record.jobs.find((j) => j.path === "cleanup / Deactivate and comment");
    expect(finish?.permissions).toBeDefined();
    expect(finish?.permissions?.["id-token"]).toBeUndefined();
  }, 120_000);
});

describe("kubernetes-oidc on dev (deploy.yml called directly)", () => {
  it("grants nothing: dev deploys with its own kubeconfig, no job holds id-token", async () => {
    const MAIN = "4d".padEnd(40, "4");
    const store = deploymentStore(github.state);
    store.ensureEnvironment(OWNER, REPO, "dev").branchPolicy = [{ name: "main", type: "branch" }];
    github.state.addCommit(OWNER, REPO, MAIN, []);
    store.addBranch(OWNER, REPO, "main", { sha: MAIN });
    const oidc = await startOidcStandIn();
    try {
      const outcome = scenario(
        "kubernetes-oidc-dev",
        `on: push
permissions: {}
jobs:
  dev:
    permissions:
      actions: read
      contents: read
      deployments: write
      id-token: write
      pull-requests: write
    uses: OWNER/REPO/.github/workflows/deploy.yml@v1
    with:
      environment-kind: dev
      stack: acme/shop/dev
      work-dir: infra
      image-refs: '{"web":"${WEB}"}'
      health-check: false
      plan-environment: dev-plan
      kubernetes-oidc: true
`,
        "environment",
        71,
        {
          oidc,
          exec: githubTokenExec("https://kubernetes.preview.example"),
          event: {
            name: "push",
            sha: MAIN,
            ref: "refs/heads/main",
            actor: "octo-developer",
            payload: {
              ref: "refs/heads/main",
              after: MAIN,
              repository: { full_name: `${OWNER}/${REPO}`, default_branch: "main" },
            },
          },
        },
      );
      expect(await outcome.run.done, failureLines(outcome.run.record).join("\n")).toBe("success");
      expect(
        outcome.run.record.jobs.filter((j) => j.permissions?.["id-token"]).map((j) => j.path),
      ).toEqual([]);
      const program = outcome.seen().filter((s) => s.kube);
      expect(program.map((s) => s.job).sort()).toEqual(["deploy", "plan"]);
      for (const { kube } of program) expect(kube?.token).toBeUndefined();
      expect(oidc.issued).toEqual([]);
    } finally {
      await oidc.close();
    }
  }, 120_000);
});
