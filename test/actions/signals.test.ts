/**
 * Cancelled jobs and time limits, as the runner runs the bundles: the runner sends SIGINT to
 * the action's process only, SIGTERM 7.5 s later and kills the tree at 10 s
 * (test/harness/run-action.ts `cancelWhen`). The Pulumi CLI double's `hang` fault stands
 * in for a CLI stuck in an update: it takes the DIY lock file as the real CLI does, records
 * the signals it gets and starts a plugin child (test/emulators/pulumi/cli/locks.mjs).
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type PulumiDouble, createPulumiDouble } from "../emulators/pulumi/double.js";
import { RUNNER_CANCEL_TIMINGS, isRunning } from "../harness/cancel.js";
import { type RunOptions, runAction } from "../harness/run-action.js";

/** From SIGINT to the runner's kill of the tree. */
const RUNNER_KILL_AFTER_MS =
  RUNNER_CANCEL_TIMINGS.sigtermAfterMs + RUNNER_CANCEL_TIMINGS.killAfterMs;

const WEB = `ghcr.io/acme/web@sha256:${"a".repeat(64)}`;
const doubles: PulumiDouble[] = [];
const servers: Server[] = [];
afterEach(() => {
  doubles.splice(0).forEach((d) => d.close());
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

function double(): PulumiDouble {
  const d = createPulumiDouble({
    program: { resources: [{ type: "kubernetes:core/v1:Namespace", name: "ns" }] },
  });
  doubles.push(d);
  return d;
}

function deploy(d: PulumiDouble, inputs: Record<string, string>, options: RunOptions = {}) {
  return runAction("pulumi-deploy", {
    inputs: { "cloud-url": d.backendUrl, "stack-name": "dev", images: `web=${WEB}`, ...inputs },
    env: { ...d.env, PREVIEW_KIT_RETRY_BASE_MS: "1" },
    path: [d.binDir],
    cwd: d.workDir,
    timeoutMs: 30_000,
    ...options,
  });
}

const errors = (run: Awaited<ReturnType<typeof runAction>>) =>
  run.annotations.filter((a) => a.level === "error");

/** Every process the stuck CLI double was or started: none may outlive the step. */
function survivors(d: PulumiDouble): number[] {
  const pids = d.signals().flatMap((r) => [r.started, r.plugin]);
  return pids.filter((pid): pid is number => pid !== undefined && isRunning(pid));
}

describe("a cancelled job", () => {
  it("forwards SIGINT to the Pulumi CLI, which cancels cleanly: the step ends cancelled at once", async () => {
    const d = double();
    d.injectFault({ name: "hang", times: 1, windDownMs: 200 });

    const run = await deploy(d, { command: "up" }, { cancelWhen: "pulumi double: hanging" });

    const started = d.signals().find((r) => r.started)?.started;
    expect(d.signals().filter((r) => r.signal)).toEqual([{ signal: "SIGINT", pid: started }]);
    expect(run.killedByRunner).toBe(false);
    expect(run.exitedAfterCancelMs).toBeLessThan(3_000);
    expect(run.exitCode).toBe(130);
    const [error] = errors(run);
    expect(error?.properties.title).toBe("Cancelled");
    expect(error?.message).toMatch(/^The step was cancelled \(SIGINT received\): /);
    expect(error?.message).toContain("`pulumi up` was stopped because the step was cancelled");
    expect(errors(run)).toHaveLength(1);
    expect(survivors(d)).toEqual([]);
    // The CLI released its own lock: nothing to cancel, no retry started.
    expect(d.lockFiles("dev")).toEqual([]);
    expect(d.calls().filter((c) => c.argv[0] === "cancel")).toEqual([]);
    expect(d.calls().filter((c) => c.argv[0] === "up")).toHaveLength(1);
  });

  it("terminates a CLI that does not wind down, kills it with its plugin, and clears the lock it left", async () => {
    const d = double();
    d.injectFault({ name: "hang", times: 1, stuck: true });

    const run = await deploy(d, { command: "up" }, { cancelWhen: "pulumi double: hanging" });

    expect(d.signals().flatMap((r) => (r.signal ? [r.signal] : []))).toEqual(["SIGINT", "SIGTERM"]);
    expect(run.killedByRunner).toBe(false);
    expect(run.exitedAfterCancelMs).toBeLessThan(RUNNER_KILL_AFTER_MS - 500);
    expect(run.exitCode).toBe(130);
    expect(survivors(d)).toEqual([]);
    const [error] = errors(run);
    expect(error?.properties.title).toBe("Cancelled");
    expect(error?.message).toContain("(killed by SIGKILL)");
    expect(error?.message).toContain("`pulumi cancel` cleared the lock");
    expect(d.calls().filter((c) => c.argv[0] === "cancel")).toHaveLength(1);
    expect(d.lockFiles("dev")).toEqual([]);

    // The next run is not blocked by a lock.
    const next = await deploy(d, { command: "up" });
    expect(errors(next)).toEqual([]);
    expect(next.exitCode).toBe(0);
  }, 40_000);

  it("leaves alone a lock another process holds", async () => {
    const d = double();
    d.injectFault({ name: "hang", times: 1, stuck: true });
    // Another run's update, stuck too: this step's up fails "locked" and retries until cancelled.
    const other = deploy(d, { command: "up" });
    for (let waited = 0; d.lockFiles("dev").length === 0 && waited < 15_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(d.lockFiles("dev")).toHaveLength(1);

    const run = await deploy(
      d,
      { command: "up", retries: "10" },
      { cancelWhen: "retrying", env: { ...d.env, PREVIEW_KIT_RETRY_BASE_MS: "200" } },
    );

    expect(run.exitCode).toBe(130);
    expect(run.exitedAfterCancelMs).toBeLessThan(2_000);
    expect(errors(run)[0]?.message).toContain("locked");
    expect(d.calls().filter((c) => c.argv[0] === "cancel")).toEqual([]);
    expect(d.lockFiles("dev")).toHaveLength(1);
    for (const pid of d.signals().flatMap((r) => [r.started, r.plugin]))
      if (pid) process.kill(pid, "SIGKILL");
    await other;
  }, 40_000);
  it("stops a kubeconfig credential plugin that hangs, and what it started", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exec-plugin-"));
    const record = join(dir, "record");
    const plugin = join(dir, "get-token");
    // Stands in for `aws eks get-token` stuck on the network: it records the signals it
    // gets, ignores them, and has a child of its own.
    writeFileSync(
      plugin,
      [
        "#!/bin/sh",
        'echo "pid $$" >> "$RECORD"',
        'trap \'echo "signal INT" >> "$RECORD"\' INT',
        'trap \'echo "signal TERM" >> "$RECORD"\' TERM',
        'sleep 300 & echo "pid $!" >> "$RECORD"',
        "while true; do sleep 0.1; done",
        "",
      ].join("\n"),
    );
    chmodSync(plugin, 0o755);
    const kubeconfig = JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "c",
      contexts: [{ name: "c", context: { cluster: "k", user: "u" } }],
      clusters: [
        { name: "k", cluster: { server: "https://127.0.0.1:9", "insecure-skip-tls-verify": true } },
      ],
      users: [
        {
          name: "u",
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: plugin,
              env: [{ name: "RECORD", value: record }],
              interactiveMode: "Never",
            },
          },
        },
      ],
    });

    const run = await runAction("cleanup-namespace", {
      inputs: { kubeconfig, namespace: "preview-pr-21" },
      cancelWhen: 1_500,
      timeoutMs: 30_000,
    });

    const lines = existsSync(record) ? readFileSync(record, "utf8").trim().split("\n") : [];
    expect(lines.filter((line) => line.startsWith("signal"))).toEqual([
      "signal INT",
      "signal TERM",
    ]);
    expect(run.killedByRunner).toBe(false);
    expect(run.exitCode).toBe(130);
    const pids = lines
      .filter((line) => line.startsWith("pid "))
      .map((line) => Number(line.slice(4)));
    expect(pids).toHaveLength(2);
    expect(pids.filter(isRunning)).toEqual([]);
    const [error] = errors(run);
    expect(error?.properties.title).toBe("Cancelled");
    expect(error?.message).toContain(
      "credential plugin failed: it was stopped because the step was cancelled (killed by SIGKILL)",
    );
  }, 40_000);
});

describe("time limits", () => {
  it("stops a hung Pulumi CLI at timeout-minutes and says what hung and for how long", async () => {
    const d = double();
    d.injectFault({ name: "hang", windDownMs: 100 });

    const started = performance.now();
    const run = await deploy(d, { command: "up", "timeout-minutes": "0.02" });

    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.exitCode).toBe(1);
    const [error] = errors(run);
    expect(error?.properties.title).toBe("Pulumi timed out");
    expect(error?.message).toContain(
      "`pulumi up` did not finish within 1.2 s and was stopped (exit code 1)",
    );
    expect(d.signals().filter((r) => r.signal)).toHaveLength(1);
    expect(survivors(d)).toEqual([]);
    // A time limit is not retried: the same hang would come back.
    expect(d.calls().filter((c) => c.argv[0] === "up")).toHaveLength(1);
  });

  it("rejects a timeout-minutes that is not a positive number of minutes, before the CLI starts", async () => {
    const d = double();
    const run = await deploy(d, { command: "up", "timeout-minutes": "0" });
    expect(run.exitCode).toBe(1);
    expect(errors(run).map((e) => e.message)).toEqual([
      "Input 'timeout-minutes' must be minutes, more than 0 and at most 360 (e.g. 30 or 0.5), got '0'",
    ]);
    expect(d.calls()).toEqual([]);
  });

  it("bounds each GitHub request: a server that never answers is named, with the wait, after one more try", async () => {
    let received = 0;
    const hung = createServer(() => {
      // Accepts the request and never answers.
      received++;
    });
    servers.push(hung);
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    const address = hung.address() as { port: number };
    const workspace = mkdtempSync(join(tmpdir(), "hung-github-"));

    const started = performance.now();
    const run = await runAction("preview-comment", {
      inputs: { status: "ready", "pr-number": "7" },
      env: {
        GITHUB_API_URL: `http://127.0.0.1:${address.port}`,
        GITHUB_WORKSPACE: workspace,
        PREVIEW_KIT_REQUEST_TIMEOUT_MS: "300",
        PREVIEW_KIT_RETRY_BASE_MS: "1",
      },
      event: { number: 7, pull_request: { number: 7, head: { sha: "0".repeat(40) } } },
      eventName: "pull_request",
      cwd: workspace,
      timeoutMs: 30_000,
    });

    expect(performance.now() - started).toBeLessThan(15_000);
    expect(run.exitCode).not.toBe(0);
    const message = errors(run)
      .map((e) => e.message)
      .join("\n");
    expect(message).toMatch(
      new RegExp(
        `(GET|POST) http://127\\.0\\.0\\.1:${address.port}/(repos/\\S+|graphql) got no answer within 0\\.3 s`,
      ),
    );
    expect(message).not.toContain("HTTP 500");
    // The first request and one retry, not the five tries a 5xx gets.
    expect(received).toBe(2);
  });

  it("reports a child killed by a signal as killed by it, not as an exit code", async () => {
    const bin = mkdtempSync(join(tmpdir(), "docker-killed-"));
    const docker = join(bin, "docker");
    writeFileSync(
      docker,
      [
        "#!/bin/sh",
        "# Stand-in for a docker CLI killed mid-build (e.g. by the OOM killer).",
        'case "$1" in',
        "  version) echo 27.0.0 ;;",
        "  buildx) exit 1 ;;",
        "  build) kill -KILL $$ ;;",
        "esac",
        "",
      ].join("\n"),
    );
    chmodSync(docker, 0o755);
    const context = join(bin, "ctx");
    mkdirSync(context);
    writeFileSync(join(context, "Dockerfile"), "FROM scratch\n");

    const run = await runAction("build-image", {
      inputs: { image: "127.0.0.1:5000/acme/web", context, push: "false" },
      path: [bin],
      cwd: bin,
    });

    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toMatch(/^docker build failed \(killed by SIGKILL\)\n/);
  });
});
