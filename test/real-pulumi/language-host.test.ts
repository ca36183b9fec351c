/**
 * Our stand-in nodejs language host (test/engines/pulumi-language-nodejs) under the REAL Pulumi
 * CLI 3.274.1, where a user's program can tell it from upstream's host (issue #22 item 8): the
 * first ^C interrupts the program, `nodeargs` is split with shell quoting, `typescript: "false"`
 * (a string) is refused, and a host orphaned by a killed CLI exits once its engine is gone.
 * Under CI=true a missing engine fails the suite.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { until } from "../support/until.js";
import { type Sandbox, createSandbox, processesOf } from "./sandbox.js";

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");

/** A program that says it started, records a SIGINT, and otherwise waits for a minute. */
const WAITING_PROGRAM = String.raw`const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const cfg = new pulumi.Config();
process.on("SIGINT", () => {
  fs.writeFileSync(cfg.require("interrupted"), "SIGINT");
  process.exit(1);
});
fs.writeFileSync(cfg.require("started"), String(process.pid));
module.exports = new Promise((resolve) => setTimeout(() => resolve({}), cfg.getNumber("waitMs") ?? 60000));
`;

/** The executable's name of each pid, for those still running. */
function names(pids: number[]): string[] {
  return pids.flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/comm`, "utf8").trim()];
    } catch {
      return [];
    }
  });
}

describe.skipIf(!bin)(
  "the stand-in language host on the real Pulumi CLI",
  { timeout: 180_000 },
  () => {
    let sandbox: Sandbox;
    const children: ChildProcess[] = [];
    beforeAll(() => {
      sandbox = createSandbox(bin as string);
    });
    afterAll(() => {
      for (const child of children) child.kill("SIGKILL");
      for (const pid of processesOf(sandbox.env.PULUMI_HOME as string))
        process.kill(pid, "SIGKILL");
      sandbox?.close();
    });

    /** `pulumi up` on a waiting program, left running. */
    const startWaiting = (dir: string, env: Record<string, string> = {}) => {
      const project = basename(dir);
      writeFileSync(join(dir, "index.js"), WAITING_PROGRAM);
      const started = join(sandbox.root, `${project}.started`);
      const interrupted = join(sandbox.root, `${project}.interrupted`);
      const child = spawn(
        "pulumi",
        [
          ...["up", "--yes", "--skip-preview", "--stack", "dev", "--non-interactive"],
          ...["-c", `started=${started}`, "-c", `interrupted=${interrupted}`],
        ],
        {
          cwd: dir,
          env: sandbox.cliEnv(env),
          stdio: "ignore",
        },
      );
      children.push(child);
      return { child, started, interrupted };
    };
    const stackInit = async (dir: string) =>
      expect((await sandbox.pulumi(["stack", "init", "dev"], dir)).exitCode).toBe(0);

    it("the first SIGINT to the CLI interrupts the program (the host's Cancel)", async () => {
      const dir = sandbox.project("cancelled");
      await stackInit(dir);
      const { child, started, interrupted } = startWaiting(dir);
      await until(async () => existsSync(started), 60_000);
      child.kill("SIGINT");
      await until(async () => existsSync(interrupted), 30_000);
      expect(readFileSync(interrupted, "utf8")).toBe("SIGINT");
    });

    it("nodeargs is split with shell quoting: a quoted path with a blank reaches node whole", async () => {
      const preload = join(sandbox.root, "pre load.js");
      writeFileSync(preload, "globalThis.preloaded = true;\n");
      const dir = sandbox.project("quoted", `    nodeargs: --require "${preload}"\n`);
      writeFileSync(
        join(dir, "index.js"),
        'if (!globalThis.preloaded) throw new Error("not preloaded");\nexports.ok = true;\n',
      );
      await stackInit(dir);
      const run = await sandbox.pulumi(["preview", "--stack", "dev"], dir);
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    });

    it('typescript: "false" (a string, not a boolean) is refused as upstream refuses it', async () => {
      const dir = sandbox.project("stringly");
      writeFileSync(
        join(dir, "Pulumi.yaml"),
        'name: stringly\nruntime:\n  name: nodejs\n  options:\n    typescript: "false"\n',
      );
      await stackInit(dir);
      const run = await sandbox.pulumi(["preview", "--stack", "dev"], dir);
      expect(run.exitCode).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/typescript option must be a boolean/);
    });

    it("a host whose CLI was killed exits once the engine stops answering its health check", async () => {
      const dir = sandbox.project("orphaned");
      await stackInit(dir);
      const home = sandbox.env.PULUMI_HOME as string;
      const { child, started } = startWaiting(dir, {
        PREVIEW_KIT_HOST_HEALTH_INTERVAL: "1s",
      });
      await until(async () => existsSync(started), 60_000);
      expect(names(processesOf(home))).toContain("pulumi-language");
      child.kill("SIGKILL");
      // The host (its own process group, so the kill did not reach it) and the program it runs.
      await until(async () => !names(processesOf(home)).includes("pulumi-language"), 30_000);
      await until(async () => processesOf(home).length === 0, 15_000);
    });

    it("a live engine passes the health check: a program longer than many intervals completes", async () => {
      const dir = sandbox.project("healthy");
      writeFileSync(join(dir, "index.js"), WAITING_PROGRAM);
      await stackInit(dir);
      const started = join(sandbox.root, "healthy.started");
      const run = await sandbox.pulumi(
        [
          ...["up", "--yes", "--skip-preview", "--stack", "dev"],
          ...["-c", `started=${started}`, "-c", `interrupted=${started}.int`, "-c", "waitMs=3000"],
        ],
        dir,
        { PREVIEW_KIT_HOST_HEALTH_INTERVAL: "200ms" },
      );
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    });
  },
);
