/**
 * `npm run demo` as a user runs it: a process, its output and exit code. Once with whatever
 * real parts this machine has, once with the Docker engine out of reach, so the build
 * step's stand-in runs and is named.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./harness/paths.js";

const TIMEOUT_MS = 120_000;

const END_STATE = [
  "comment: status destroyed (1 comment for key preview)",
  "deployments of preview-pr-7: 2, active: 0",
  "namespace preview-pr-7: gone",
  "stack octo-org/app/pr-7: removed",
  "nothing is left.",
];

const ALWAYS_STAND_INS = [
  /stand-in: GitHub API: the GitHub emulator/,
  /stand-in: Kubernetes: the Kubernetes emulator/,
  /stand-in: Pulumi: .*the Pulumi CLI double \(test\/emulators\/pulumi\/bin\/pulumi\)/,
  /stand-in: App: a local HTTP server at 127\.0\.0\.1:\d+ stands in for the deployed web and api/,
  /stand-in: namespace preview-pr-7 created in the Kubernetes emulator for the program's Namespace/,
];

function demo(env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/demo.ts"],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? 1, output })),
  );
}

function expectWholeLife(output: string): void {
  for (const standIn of ALWAYS_STAND_INS) expect(output).toMatch(standIn);
  expect(output).toContain("PR comment, revision 2 (the body as GitHub stores it):");
  expect(output).toMatch(
    /deployment \d+ \(preview-pr-7 @ a1a1a1a\): success {2}environment_url http:/,
  );
  expect(output).toMatch(/cleanup-namespace preview-pr-7 .* forced, leftovers \[/);
  expect(output.trimEnd().split("\n").slice(-END_STATE.length)).toEqual(END_STATE);
}

const dockerAnswers = spawnSync("docker", ["info"], { stdio: "ignore" }).status === 0;

describe("npm run demo", () => {
  it(
    "plays the pull request's life with this machine's real parts and ends with nothing left",
    async () => {
      const { code, output } = await demo();
      expect(code, output).toBe(0);
      expectWholeLife(output);
      if (dockerAnswers)
        expect(output).toMatch(/real: build-image: Docker .* and registry 127\.0\.0\.1:5000/);
      expect(output).toMatch(/ok {3}build-image web|build-image skipped for web/);
    },
    TIMEOUT_MS,
  );

  it(
    "without a Docker engine, names the stand-in digests and still ends with nothing left",
    async () => {
      const { code, output } = await demo({ DOCKER_HOST: "unix:///nonexistent/docker.sock" });
      expect(code, output).toBe(0);
      expectWholeLife(output);
      expect(output).not.toContain("real: build-image");
      expect(output).toMatch(
        /stand-in: Docker engine not running: build-image skipped for web, using stand-in digest sha256:[0-9a-f]{64}/,
      );
      expect(output).toMatch(/digest web: sha256:[0-9a-f]{64} \(new\)/);
      expect(output).toMatch(/digest api: sha256:[0-9a-f]{64} \(unchanged\)/);
    },
    TIMEOUT_MS,
  );
});
