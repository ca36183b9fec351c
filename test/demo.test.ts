/**
 * `npm run demo` as a user runs it: a process, its output and exit code. It runs the example
 * workflows through the local runner, so it needs the Docker engine and the registry (under
 * CI=true their absence fails the suite; elsewhere it is skipped with the reason). Once on the
 * real engines of `npm run engines` (required under CI=true, as every engine suite), once on
 * the Pulumi CLI double (PREVIEW_KIT_DEMO_ENGINES=double).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { repoRoot } from "./harness/paths.js";
import { engines } from "./support/engines.js";
import { DEPLOY_ENGINES } from "./support/kit-deploy.js";
import { withDocker } from "./workflow-runner/suite.js";

const TIMEOUT_MS = 600_000;
const realEngines = engines(...DEPLOY_ENGINES);

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
    expect(output).toMatch(/stand-in: pulumi-language-nodejs: our own language host/);
    expect(output).toMatch(/skipped: the health check: no pod runs/);
    expect(output).toContain("preview-base (local flavour) deployed");
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
