/**
 * `npm run demo` as a user runs it: a process, its output and exit code. It runs the example
 * workflows through the local runner, so it needs the Docker engine and the registry (under
 * CI=true their absence fails the suite; elsewhere it is skipped with the reason).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { repoRoot } from "./harness/paths.js";
import { withDocker } from "./workflow-runner/suite.js";

const TIMEOUT_MS = 240_000;

function demo(): Promise<{ code: number; output: string }> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/demo.ts"],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? 1, output })),
  );
}

withDocker("npm run demo", () => {
  let result: { code: number; output: string };
  beforeAll(async () => {
    result = await demo();
  }, TIMEOUT_MS);

  it("names every part real or stand-in", () => {
    const { output } = result;
    expect(output).toMatch(
      /real: workflow parsing and reusable-workflow expansion: GitHub's @actions\/workflow-parser/,
    );
    expect(output).toMatch(
      /real: build-image: the Docker engine and the registry on 127\.0\.0\.1:5000/,
    );
    expect(output).toMatch(/stand-in: GitHub API: the GitHub emulator/);
    expect(output).toMatch(/stand-in: Pulumi: the Pulumi CLI double/);
    expect(output).toMatch(
      /stand-in Run actions\/checkout@[0-9a-f]{40} {2}\[stand-in for actions\/checkout/,
    );
    expect(output).toMatch(
      /real {5}Pulumi up {2}\[package action pulumi-deploy \(node dist\/pulumi-deploy\/index\.js\)\]/,
    );
  });

  it("opens, pushes and merges the pull request, and leaves nothing of it", () => {
    const { output } = result;
    expect(output).toMatch(
      /run \d+ \.github\/workflows\/preview\.yml: success[\s\S]*run \d+ \.github\/workflows\/preview\.yml: success/,
    );
    expect(output).toMatch(/run \d+ \.github\/workflows\/cleanup\.yml: success/);
    expect(output).toMatch(/run \d+ \.github\/workflows\/dev\.yml: success/);
    expect(output).toContain("active deployments of preview-pr-7: 0");
    expect(output).toContain("stack acme/shop/pr-7: removed");
  });

  // Issue 13, finding 1: production.yml used to fail on the preview's deployment payload.
  it("deploys production too and exits 0", () => {
    expect(result.output).toMatch(/run \d+ \.github\/workflows\/production\.yml: success/);
    expect(result.output).toContain("every run succeeded and nothing is left.");
    expect(result.code, result.output).toBe(0);
  });
});
