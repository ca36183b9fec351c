/**
 * `npm run demo` as a user runs it: a process, its output and exit code. It runs the example
 * workflows through the local runner, so it needs the Docker engine and the registry (under
 * CI=true their absence fails the suite; elsewhere it is skipped with the reason). Once on the
 * real engines of `npm run engines` with a real node and PostgreSQL (required under CI=true, as
 * every engine suite; the node holds the machine's node lock), once on the Pulumi CLI double
 * (PREVIEW_KIT_DEMO_ENGINES=double).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { repoRoot } from "./harness/paths.js";
import { DEPLOY_ENGINES } from "./support/kit-deploy.js";
import { nodeEngines } from "./support/node.js";
import { postgresInstalled } from "./support/postgres-image.js";
import { withDocker } from "./workflow-runner/suite.js";

/** Seen: the real mode about 5 min alone (259 s of workflows); a loaded machine takes far longer. */
const TIMEOUT_MS = 2_700_000;
if (process.env.CI === "true" && !postgresInstalled())
  throw new Error("Debian's postgresql-15 is not installed: .ci/run installs it");
const realEngines = postgresInstalled()
  ? nodeEngines(...DEPLOY_ENGINES, "kubectl", "preview-kit-app")
  : undefined;

function demo(env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/demo.ts"],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? 1, output })),
  );
}

/** What both modes print: the parts, the runs, nothing left, exit 0. */
function expectWholeLife(result: { code: number; output: string }): void {
  const { output } = result;
  expect(output).toMatch(
    /real: workflow parsing and reusable-workflow expansion: GitHub's @actions\/workflow-parser/,
  );
  expect(output).toMatch(
    /real: build-image: the Docker engine and the registry on 127\.0\.0\.1:5000/,
  );
  expect(output).toMatch(/stand-in: GitHub API: the GitHub emulator/);
  expect(output).toMatch(
    /stand-in Run actions\/checkout@[0-9a-f]{40} {2}\[stand-in for actions\/checkout/,
  );
  expect(output).toMatch(
    /real {5}Pulumi up {2}\[package action pulumi-deploy \(node dist\/pulumi-deploy\/index\.js\)\]/,
  );
  expect(output).toMatch(
    /run \d+ \.github\/workflows\/preview\.yml: success[\s\S]*run \d+ \.github\/workflows\/preview\.yml: success/,
  );
  expect(output).toMatch(/run \d+ \.github\/workflows\/cleanup\.yml: success/);
  expect(output).toMatch(/run \d+ \.github\/workflows\/dev\.yml: success/);
  // Issue 13, finding 1: production.yml used to fail on the preview's deployment payload.
  expect(output).toMatch(/run \d+ \.github\/workflows\/production\.yml: success/);
  expect(output).toContain("active deployments of preview-pr-7: 0");
  expect(output).toContain("every run succeeded and nothing is left.");
  // No runner command of @actions/core leaks into the demo's own output (an OIDC token once did).
  expect(output).not.toMatch(/^::(?:add-mask|debug)::/m);
  expect(result.code, output).toBe(0);
}

withDocker("npm run demo on the real engines", () => {
  let result: { code: number; output: string };
  beforeAll(async () => {
    if (realEngines) result = await demo();
  }, TIMEOUT_MS);

  it.skipIf(!realEngines)("deploys for real and leaves nothing of the pull request", () => {
    const { output } = result;
    expect(output).toMatch(/real: Pulumi: the Pulumi CLI from npm run engines/);
    expect(output).toMatch(/real: Kubernetes: etcd, kube-apiserver and kube-controller-manager/);
    expect(output).toMatch(/real: the node: Debian's containerd and runc, kubelet/);
    expect(output).toMatch(/stand-in: pulumi-language-nodejs: our own language host/);
    expect(output).not.toMatch(/skipped: the health check/);
    expect(output).toMatch(/preview-base \(local flavour\) deployed .*PostgreSQL Ready/);
    // The health check ran in every deploy's finish job: previews (twice), dev, production.
    expect(output.match(/real {5}Health check {2}\[package action [^\]\n]+\]/g)).toHaveLength(4);
    // The open preview answers at its Services: the pushed page, and the API reading the
    // migrated table of its own database as its own role.
    expect(output).toMatch(
      /\$ curl http:\/\/10\.96\.0\.\d+:8080\n {2}HTTP 200\n {2}\| <h1>Hello, reviewer<\/h1>\n {2}\| hello from web-/,
    );
    expect(output).toMatch(
      /\$ curl http:\/\/10\.96\.0\.\d+:8080\n {2}HTTP 200\n {2}\| hello from api-[^\n]*\n {2}\| database app_pr_7 as app_pr_7: items migrated/,
    );
    expect(output).toContain("on the PostgreSQL server: database app_pr_7, role app_pr_7");
    // Closed: no answer, no pod or Job, and the janitor dropped the role and the database.
    expect(output).toMatch(/== The closed preview pr-7[\s\S]*\$ curl [^\n]*\n {2}no answer: /);
    expect(output).toContain("pods and Jobs of pr-7: none");
    expect(output).toContain("on the PostgreSQL server: no role or database of a preview");
    expect(output).toContain("the node's processes, mounts and directory left: none");
    expect(output).toContain("stack organization/app/pr-7 in the file backend: removed");
    expect(output).toContain("namespace preview-pr-7 on the API server: deleted");
    for (const stack of ["dev", "production"])
      expect(output).toMatch(
        new RegExp(
          `stack organization/app/${stack}: web 127\\.0\\.0\\.1:5000/acme/shop/web@sha256:[0-9a-f]{64}, api 127\\.0\\.0\\.1:5000/acme/shop/api@sha256:[0-9a-f]{64}`,
        ),
      );
    expectWholeLife(result);
  });
});

withDocker("npm run demo on the Pulumi CLI double", () => {
  let result: { code: number; output: string };
  beforeAll(async () => {
    result = await demo({ PREVIEW_KIT_DEMO_ENGINES: "double" });
  }, TIMEOUT_MS);

  it("says why, deploys on the double and leaves nothing of the pull request", () => {
    const { output } = result;
    expect(output).toMatch(
      /stand-in: Pulumi: the Pulumi CLI double .*\(real engines not used: PREVIEW_KIT_DEMO_ENGINES=double\)/,
    );
    expect(output).toContain("stack acme/app/pr-7: removed");
    expectWholeLife(result);
  });
});
