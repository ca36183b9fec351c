/**
 * Issue #23 item 11, as the runner runs the bundles: a value past the system's or V8's
 * limits (a path too long, links that loop, JSON nested too deep) fails in one line that
 * names the input, never with the raw ENAMETOOLONG / ELOOP / V8 message; every quoted value
 * is bounded (a 123 KB stack name was quoted whole), and a cut never leaves part of a secret.
 */
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ActionRun, leakedSecrets, runAction } from "../harness/run-action.js";

const RAW = /ENAMETOOLONG|ELOOP|Maximum call stack|Invalid string length|Unexpected error/;

function errorLines(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === "error").map((a) => a.message);
}

/** Every line the run showed is short, whatever it quoted. */
function expectBounded(run: ActionRun): void {
  for (const message of errorLines(run)) expect(message.length).toBeLessThan(600);
  expect(run.stdout.length + run.stderr.length).toBeLessThan(8_000);
}

function workspace(): string {
  return mkdtempSync(join(tmpdir(), "input-limits-"));
}

function deploy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const cwd = workspace();
  return runAction("pulumi-deploy", {
    inputs: { command: "preview", ...inputs },
    env: { GITHUB_WORKSPACE: cwd, PULUMI_BACKEND_URL: "", ...env },
    cwd,
  });
}

describe("values past the system's limits", () => {
  it("a work-dir longer than the system allows names the input, not ENAMETOOLONG", async () => {
    const run = await deploy({ "stack-name": "acme/app/dev", "work-dir": "x".repeat(5_000) });
    expect(run.exitCode).toBe(1);
    const lines = errorLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Input 'work-dir' must be a shorter path/);
    expect(lines[0]).toContain("got '<5000 characters>'");
    expect(run.stdout + run.stderr).not.toMatch(RAW.source.replace("ENAMETOOLONG|", ""));
    expectBounded(run);
    expect(run.outputs).toEqual({});
  });

  it("a work-dir through links that loop names the input, not ELOOP", async () => {
    const cwd = workspace();
    symlinkSync("loop-b", join(cwd, "loop-a"));
    symlinkSync("loop-a", join(cwd, "loop-b"));
    const run = await runAction("verify-stack-ref", {
      inputs: { "stack-ref": "acme/infra/dev", "work-dir": "loop-a/infra" },
      env: { GITHUB_WORKSPACE: cwd },
      cwd,
    });
    expect(run.exitCode).toBe(1);
    expect(errorLines(run)).toEqual([
      "Input 'work-dir' must not pass through a symbolic link (a folder on its path is a link that loops, ELOOP), got 'loop-a/infra'",
    ]);
    expect(run.annotations[0]?.properties.title).toBe("Invalid input");
  });

  it("JSON nested past V8's stack names the input, not 'Maximum call stack size exceeded'", async () => {
    const depth = 60_000;
    const run = await runAction("deployment-status", {
      inputs: {
        step: "start",
        environment: "preview-pr-42",
        payload: `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`,
      },
      env: { GITHUB_API_URL: "http://127.0.0.1:9" },
    });
    expect(run.exitCode).toBe(1);
    const lines = errorLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Input 'payload' /);
    expect(run.stdout + run.stderr).not.toMatch(RAW);
    expectBounded(run);
  });
});

describe("quoted values are bounded", () => {
  it("a 123 KB stack name is described by its length, not quoted", async () => {
    const run = await deploy({ "stack-name": "s".repeat(123_000) });
    expect(run.exitCode).toBe(1);
    const lines = errorLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Input 'stack-name' must be ORG\/PROJECT\/STACK/);
    expect(lines[0]).toContain("got '<123000 characters>'");
    expectBounded(run);
  });

  it("a value is cut at 80 characters, and a cut never leaves part of a secret", async () => {
    const long = await runAction("verify-stack-ref", { inputs: { "stack-ref": "s".repeat(500) } });
    expect(errorLines(long)[0]).toContain(`got '${"s".repeat(80)}…'`);

    const token = "pul-0123456789abcdefghijklmnopqrstuvwxyz";
    const run = await runAction("verify-stack-ref", {
      inputs: { "stack-ref": `${"s".repeat(60)}${token}` },
      env: { PULUMI_ACCESS_TOKEN: token },
    });
    expect(run.exitCode).toBe(1);
    expect(errorLines(run)[0]).toMatch(/^Input 'stack-ref' must be ORG\/PROJECT\/STACK/);
    expect(errorLines(run)[0]).toContain(`got '${"s".repeat(60)}[secret]'`);
    expect(leakedSecrets(run, [token, token.slice(0, 20)])).toEqual([]);
  });

  it("an environment name with ANSI escapes is refused quoted escaped, never raw", async () => {
    const run = await runAction("deployment-status", {
      inputs: { step: "start", environment: "prod\u001b[31mRED\u001b[0m" },
      env: { GITHUB_API_URL: "http://127.0.0.1:9" },
    });
    expect(run.exitCode).toBe(1);
    expect(errorLines(run)).toEqual([
      "Input 'environment' must be an environment name such as preview-pr-42, got 'prod\\x1b[31mRED\\x1b[0m'",
    ]);
    expect(run.stdout + run.stderr).not.toContain("\u001b");
  });
});
