/**
 * pulumi-deploy's bundle against the REAL Pulumi CLI (3.274.1, built by `npm run engines`)
 * for issue #22: what pulumi/actions v7 users rely on, and the mismatches with the engine.
 * Under CI=true a missing engine fails the suite.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { type AddressInfo } from "node:net";
import { createServer } from "node:http";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { until } from "../support/until.js";
import { type Sandbox, createSandbox, errorsOf, processesOf } from "./sandbox.js";

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");

describe.skipIf(!bin)("pulumi-deploy parity on the real Pulumi CLI", { timeout: 240_000 }, () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox(bin as string);
  });
  afterAll(() => sandbox?.close());

  const deploy = (workDir: string, inputs: Record<string, string>, env?: Record<string, string>) =>
    sandbox.action("pulumi-deploy", {
      inputs: { "cloud-url": sandbox.backendUrl, "work-dir": workDir, ...inputs },
      cwd: sandbox.root,
      env,
    });
  const configGet = async (dir: string, key: string) =>
    (await sandbox.pulumi(["config", "get", key, "--stack", "dev"], dir)).stdout.replace(/\n$/, "");

  // Item 2: the config input was parsed as YAML and each scalar re-stringified.
  it("config values reach `pulumi config get` exactly as written, secrets too", async () => {
    const dir = sandbox.project("verbatim");
    const config = [
      "account: 012345678901",
      "version: 1.10",
      "big: 12345678901234567890",
      "mask: 0x1F",
      "flag: yes",
      "token: { value: 0x00FF, secret: true }",
    ].join("\n");
    const run = await deploy(dir, { command: "preview", "stack-name": "dev", config });
    expect(errorsOf(run)).toEqual([]);
    expect(await configGet(dir, "account")).toBe("012345678901");
    expect(await configGet(dir, "version")).toBe("1.10");
    expect(await configGet(dir, "big")).toBe("12345678901234567890");
    expect(await configGet(dir, "mask")).toBe("0x1F");
    expect(await configGet(dir, "flag")).toBe("yes");
    expect(await configGet(dir, "token")).toBe("0x00FF");
    expect(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")).not.toContain("0x00FF");
  });

  // Item 3: an empty PULUMI_CONFIG_PASSPHRASE created the stack under an empty passphrase.
  it("an empty passphrase fails before the CLI creates anything, unless allowed", async () => {
    const dir = sandbox.project("emptyphrase");
    const run = await deploy(
      dir,
      { command: "up", "stack-name": "dev" },
      { PULUMI_CONFIG_PASSPHRASE: "" },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).map((e) => e.message)).toEqual([
      expect.stringMatching(/^PULUMI_CONFIG_PASSPHRASE is set but empty/),
    ]);
    const ls = await sandbox.pulumi(["stack", "ls", "--json"], dir);
    expect(JSON.parse(ls.stdout)).toEqual([]);

    // What the check prevents: the real CLI takes a set-but-empty variable as the passphrase.
    const allowed = await deploy(
      dir,
      { command: "up", "stack-name": "dev", "allow-empty-passphrase": "true" },
      { PULUMI_CONFIG_PASSPHRASE: "" },
    );
    expect(errorsOf(allowed)).toEqual([]);
    const withReal = await sandbox.pulumi(
      ["stack", "output", "--show-secrets", "--stack", "dev"],
      dir,
    );
    expect(withReal.exitCode).toBe(1);
    expect(withReal.stderr).toContain("incorrect passphrase");
  });

  // Item 9: upsert re-created a stack whose state file vanished.
  it("upsert false: a stack whose state file is gone fails naming the backend and its history", async () => {
    const dir = sandbox.project("vanished");
    expect(
      (await deploy(dir, { command: "up", "stack-name": "dev", upsert: "true" })).exitCode,
    ).toBe(0);
    expect(
      (await deploy(dir, { command: "up", "stack-name": "dev", config: "value: v2" })).exitCode,
    ).toBe(0);
    const stateFile = join(sandbox.stateDir, ".pulumi", "stacks", "vanished", "dev.json");
    renameSync(stateFile, `${stateFile}.lost`);

    const run = await deploy(dir, { command: "up", "stack-name": "dev", upsert: "false" });
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error?.properties.title).toBe("Pulumi stack missing");
    expect(error?.message).toContain(`does not exist in the backend ${sandbox.backendUrl}`);
    expect(error?.message).toMatch(
      /the backend holds its history \([1-9]\d* update record\(s\), [1-9]\d* backup\(s\) in \.pulumi\/history\/vanished\/dev, \.pulumi\/backups\/vanished\/dev\)/,
    );
    expect(JSON.parse((await sandbox.pulumi(["stack", "ls", "--json"], dir)).stdout)).toEqual([]);

    const typo = await deploy(dir, { command: "up", "stack-name": "deve", upsert: "false" });
    expect(errorsOf(typo)[0]?.message).toContain("No history or backup of it is there either");
  });

  // Item 10: after destroy-on-failure on an existing stack, `outputs` was {}.
  it("destroy-on-failure on an existing stack keeps the stack's outputs in `outputs`", async () => {
    const dir = sandbox.project("keepsoutputs");
    expect((await deploy(dir, { command: "up", "stack-name": "dev" })).exitCode).toBe(0);
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      config: "count: 2\nfail: 'quota exceeded'",
      "destroy-on-failure": "true",
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain(
      "destroy-on-failure: the resources of the failed update were destroyed",
    );
    const shown = JSON.parse(
      (await sandbox.pulumi(["stack", "output", "--json", "--stack", "dev"], dir)).stdout,
    ) as Record<string, unknown>;
    expect(Object.keys(shown).length).toBeGreaterThan(0);
    expect(JSON.parse(run.outputs.outputs ?? "{}")).toEqual(shown);
  });

  // Item 5: the annotation said only `TSError: ⨯ Unable to compile TypeScript:`.
  it("a TypeScript compile error reaches the annotation and the summary with its TS line", async () => {
    const dir = sandbox.project("tserror");
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      "name: tserror\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tserror", main: "index.ts" }));
    writeFileSync(
      join(dir, "index.ts"),
      "const region: string = 42;\nexport const out = region;\n",
    );
    const run = await deploy(dir, { command: "up", "stack-name": "dev" });
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error?.properties.title).toBe("Pulumi program error");
    expect(error?.message).toMatch(/Unable to compile TypeScript: .*error TS2322: /);
    expect(run.summary).toMatch(/Unable to compile TypeScript: .*error TS2322: /);
  });

  // Inputs pulumi/actions v7 users rely on, each as the real CLI takes it.
  describe("pulumi/actions v7 inputs", () => {
    const urn = (project: string, name: string) =>
      `urn:pulumi:dev::${project}::pulumi-nodejs:dynamic:Resource::${name}`;
    const resources = async (dir: string) =>
      (
        JSON.parse((await sandbox.pulumi(["stack", "export", "--stack", "dev"], dir)).stdout) as {
          deployment: { resources?: { urn: string }[] };
        }
      ).deployment.resources?.map((r) => r.urn.split("::").pop()) ?? [];

    it("replace replaces an unchanged resource; diff, parallel, suppress-*, debug are taken", async () => {
      const dir = sandbox.project("replaces");
      expect(
        (await deploy(dir, { command: "up", "stack-name": "dev", config: "count: 2" })).exitCode,
      ).toBe(0);
      const run = await deploy(dir, {
        command: "up",
        "stack-name": "dev",
        config: "count: 2",
        replace: urn("replaces", "t1"),
        diff: "true",
        parallel: "1",
        "suppress-outputs": "true",
        "suppress-progress": "true",
        debug: "true",
      });
      expect(errorsOf(run)).toEqual([]);
      expect(JSON.parse(run.outputs.summary ?? "{}")).toMatchObject({ replace: 1 });
      // suppress-outputs hides them from the log only.
      expect(run.log).not.toMatch(/^Outputs:/m);
      expect(JSON.parse(run.outputs.outputs ?? "{}")).toMatchObject({ count: 2 });
    });

    it("exclude leaves a resource alone; exclude-protected destroys all but the protected", async () => {
      const dir = sandbox.project("excludes");
      expect(
        (await deploy(dir, { command: "up", "stack-name": "dev", config: "count: 3" })).exitCode,
      ).toBe(0);
      const destroy = await deploy(dir, {
        command: "destroy",
        "stack-name": "dev",
        exclude: urn("excludes", "t2"),
      });
      expect(errorsOf(destroy)).toEqual([]);
      expect(await resources(dir)).toContain("t2");
      expect(await resources(dir)).not.toContain("t1");

      const dir2 = sandbox.project("protects");
      expect(
        (
          await deploy(dir2, {
            command: "up",
            "stack-name": "dev",
            config: "count: 2\nprotect: true",
          })
        ).exitCode,
      ).toBe(0);
      const run = await deploy(dir2, {
        command: "destroy",
        "stack-name": "dev",
        "exclude-protected": "true",
      });
      expect(errorsOf(run)).toEqual([]);
      expect(await resources(dir2)).toContain("t0");
      expect(await resources(dir2)).not.toContain("t1");
    });

    it("plan: preview saves an update plan, up keeps to it and refuses what it did not plan", async () => {
      const dir = sandbox.project("plans");
      expect((await deploy(dir, { command: "up", "stack-name": "dev" })).exitCode).toBe(0);
      const preview = await deploy(dir, {
        command: "preview",
        "stack-name": "dev",
        config: "value: v2",
        plan: "update.plan.json",
      });
      expect(errorsOf(preview)).toEqual([]);
      expect(existsSync(join(dir, "update.plan.json"))).toBe(true);
      // Other config than the preview saw: the update would exceed its plan.
      const exceeds = await deploy(dir, {
        command: "up",
        "stack-name": "dev",
        config: "value: v3",
        plan: "update.plan.json",
      });
      expect(exceeds.exitCode).toBe(1);
      const held = await deploy(dir, {
        command: "up",
        "stack-name": "dev",
        config: "value: v2",
        plan: "update.plan.json",
      });
      expect(errorsOf(held)).toEqual([]);
      expect(JSON.parse(held.outputs.outputs ?? "{}")).toMatchObject({ value: "v2" });
    });

    it("target-dependents is passed with target; pulumi-version-file picks the CLI", async () => {
      const dir = sandbox.project("dependents");
      expect(
        (await deploy(dir, { command: "up", "stack-name": "dev", config: "count: 2" })).exitCode,
      ).toBe(0);
      const version = (await sandbox.pulumi(["version"], dir)).stdout.trim();
      writeFileSync(join(sandbox.root, ".pulumi.version"), `${version}\n`);
      // The version read from the file is the release verified before use (no PATH shortcut:
      // test/actions/pulumi-deploy.test.ts); no release here, so its checksums are a 404.
      const unreleased = await deploy(
        dir,
        { command: "destroy", "stack-name": "dev", "pulumi-version-file": ".pulumi.version" },
        { PREVIEW_KIT_PULUMI_RELEASES: "http://127.0.0.1:9/releases" },
      );
      expect(
        errorsOf(unreleased)
          .map((a) => a.message)
          .join("\n"),
      ).toContain(`Could not install Pulumi CLI ${version.replace(/^v/, "")}`);
      const run = await deploy(dir, {
        command: "destroy",
        "stack-name": "dev",
        target: urn("dependents", "t1"),
        "target-dependents": "true",
      });
      expect(errorsOf(run)).toEqual([]);
      expect(await resources(dir)).not.toContain("t1");
    });
  });

  // Issue #19 item 4: production must not run plugins from the runner's shared ~/.pulumi.
  it("isolate-plugins runs the CLI with a PULUMI_HOME of the step's own", async () => {
    const dir = sandbox.project("isolated");
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      "isolate-plugins": "true",
    });
    expect(errorsOf(run)).toEqual([]);
    const homes = readdirSync(run.runnerTemp).filter((name) => name.startsWith("pulumi-plugins-"));
    expect(homes).toHaveLength(1);
    const own = readdirSync(join(run.runnerTemp, homes[0] as string, "workspaces"));
    expect(own.some((name) => name.startsWith("isolated-"))).toBe(true);
    const shared = join(sandbox.env.PULUMI_HOME as string, "workspaces");
    expect(
      existsSync(shared) && readdirSync(shared).some((name) => name.startsWith("isolated-")),
    ).toBe(false);
  });

  // Issue #19 item 4, played: a preview's program (or its install script) on a reused runner
  // writes a provider into the runner's plugin cache; the production job that runs next must
  // not start it. A provider the engines folder (on PATH) lacks, so the cache is where the CLI
  // looks; the planted one records that it ran.
  it("a provider an earlier job planted in the runner's plugin cache is not run by an isolate-plugins deploy", async () => {
    const dir = sandbox.project("planted");
    writeFileSync(
      join(dir, "index.js"),
      'const pulumi = require("@pulumi/pulumi");\nnew pulumi.ProviderResource("acme", "p", {});\n',
    );
    const ran = join(sandbox.root, "planted-provider-ran");
    const plugin = join(sandbox.env.PULUMI_HOME as string, "plugins", "resource-acme-v1.0.0");
    mkdirSync(plugin, { recursive: true });
    writeFileSync(join(plugin, "pulumi-resource-acme"), `#!/bin/sh\nenv > "${ran}"\nexit 1\n`, {
      mode: 0o755,
    });
    const production = await deploy(dir, {
      command: "preview",
      "stack-name": "dev",
      "isolate-plugins": "true",
    });
    expect(existsSync(ran)).toBe(false);
    // The deploy looked in its own plugin folder and found no provider there (a real job
    // downloads it; this sandbox allows no download): it fails rather than take the planted one.
    expect(production.exitCode).toBe(1);
    expect(production.log).toMatch(/no resource plugin 'pulumi-resource-acme' found/);
    // The same deploy without isolate-plugins starts the planted provider: what production
    // would have run.
    const shared = await deploy(dir, { command: "preview", "stack-name": "dev" });
    expect(shared.exitCode).toBe(1);
    expect(existsSync(ran)).toBe(true);
  });

  // Item 1: an update killed mid-create leaves pending CREATE operations no run cleared.
  it("pending creates a killed update left are reported; clear-pending-creates drops them", async () => {
    const dir = sandbox.project("pending");
    expect((await deploy(dir, { command: "up", "stack-name": "dev" })).exitCode).toBe(0);
    const stateFile = join(sandbox.stateDir, ".pulumi", "stacks", "pending", "dev.json");
    const pending = () => {
      const state = JSON.parse(readFileSync(stateFile, "utf8")) as {
        checkpoint: { latest?: { pending_operations?: { type: string }[] } };
      };
      return state.checkpoint.latest?.pending_operations ?? [];
    };
    const child = spawn(
      "pulumi",
      ["up", "--yes", "--skip-preview", "--stack", "dev", "-c", "count=3", "-c", "sleep=60000"],
      {
        cwd: dir,
        env: sandbox.cliEnv(),
        stdio: "ignore",
      },
    );
    // The state file is rewritten while the engine runs: a torn read is read again.
    await until(async () => {
      try {
        return pending().some((op) => op.type === "creating");
      } catch {
        return false;
      }
    }, 60_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    // The killed CLI's plugins (its language host, the dynamic provider) run in process groups
    // of their own and outlive it; a runner that died would take them with it, so this does,
    // and the cancel tests below see only what their own step left.
    for (const pid of processesOf(sandbox.env.PULUMI_HOME as string)) process.kill(pid, "SIGKILL");
    expect((await sandbox.pulumi(["cancel", "--yes", "--stack", "dev"], dir)).exitCode).toBe(0);
    expect(pending().length).toBeGreaterThan(0);

    // A later failed update says what was left, and what to do about it.
    const failed = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      config: "fail: 'quota exceeded'",
    });
    expect(failed.exitCode).toBe(1);
    expect(errorsOf(failed)[0]?.message).toMatch(
      /\d+ pending CREATE operation\(s\) left in stack dev: urn:pulumi:dev::pending::.*clear-pending-creates: true/,
    );

    const run = await deploy(dir, {
      command: "refresh",
      "stack-name": "dev",
      "clear-pending-creates": "true",
    });
    expect(errorsOf(run)).toEqual([]);
    expect(pending()).toEqual([]);
  });

  // Item 7, cancel on the real CLI 3.274.1 (pkg/backend/cancellation_scope.go): the first
  // SIGINT cancels and the in-flight creates finish (exit 1, `update canceled` diagnostic,
  // nothing on stderr); a second signal terminates (exit 8, `error: update cancelled`) and
  // leaves the interrupted creates pending. Either way the CLI unlocks before it exits.
  // pulumi/actions v7 does neither (pulumi/actions#928): its CLI dies with the job, locked.
  describe("a cancelled job (the runner's SIGINT, SIGTERM 7.5 s later)", () => {
    const locks = () => {
      const dir = join(sandbox.stateDir, ".pulumi", "locks");
      return existsSync(dir)
        ? readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"))
        : [];
    };

    it("an up whose creates end within the grace is cancelled cleanly: unlocked, nothing pending", async () => {
      const dir = sandbox.project("cancelclean");
      const run = await sandbox.action("pulumi-deploy", {
        inputs: {
          "cloud-url": sandbox.backendUrl,
          "work-dir": dir,
          command: "up",
          "stack-name": "dev",
          config: "count: 1\nsleep: 2500",
        },
        cwd: sandbox.root,
        cancelWhen: "t0 creating",
      });
      expect(run.killedByRunner).toBe(false);
      expect(run.exitCode).toBe(130);
      const [error] = errorsOf(run);
      expect(error?.properties.title).toBe("Cancelled");
      expect(error?.message).toContain(
        "`pulumi up` was stopped because the step was cancelled (exit code 1)",
      );
      expect(run.log).toContain("^C received; cancelling.");
      expect(run.log).toContain("error: update canceled");
      expect(run.log).not.toContain("`pulumi cancel`");
      expect(locks()).toEqual([]);
      expect(processesOf(sandbox.env.PULUMI_HOME as string)).toEqual([]);

      const next = await deploy(dir, {
        command: "up",
        "stack-name": "dev",
        config: "count: 2\nsleep: 0",
      });
      expect(errorsOf(next)).toEqual([]);
      expect(JSON.parse(next.outputs.outputs ?? "{}")).toMatchObject({ count: 2 });
    });

    it("an up whose creates outlast the grace is terminated: unlocked, no plugin left, the next up updates", async () => {
      const dir = sandbox.project("cancelhard");
      const run = await sandbox.action("pulumi-deploy", {
        inputs: {
          "cloud-url": sandbox.backendUrl,
          "work-dir": dir,
          command: "up",
          "stack-name": "dev",
          config: "count: 2\nsleep: 120000",
        },
        cwd: sandbox.root,
        cancelWhen: "t1 creating",
      });
      expect(run.killedByRunner).toBe(false);
      expect(run.exitCode).toBe(130);
      expect(errorsOf(run)[0]?.properties.title).toBe("Cancelled");
      expect(run.log).toContain("received; terminating");
      // Terminated or, past the grace, killed with its whole tree: no lock either way.
      expect(locks()).toEqual([]);
      // The CLI starts its plugins in process groups of their own: none outlives the step.
      expect(processesOf(sandbox.env.PULUMI_HOME as string)).toEqual([]);

      // The cancelled run's config stays in Pulumi.dev.yaml: the next one sets its own.
      const next = await deploy(dir, {
        command: "up",
        "stack-name": "dev",
        config: "count: 2\nsleep: 0",
      });
      expect(errorsOf(next)).toEqual([]);
      expect(JSON.parse(next.outputs.outputs ?? "{}")).toMatchObject({ count: 2 });
    });
  });

  // pulumi-version as pulumi/actions v7 takes it, and its raw `output`. get.pulumi.com and
  // GitHub are out of reach here: a STAND-IN for Pulumi's release index (pulumi/docs
  // data/versions.json, the file pulumi/actions reads) serves the list, and one for GitHub's
  // release downloads serves, for each version, an archive whose `pulumi` runs the real CLI
  // and the checksums file the action verifies it against before every use.
  describe("pulumi-version ranges and latest; the raw output", () => {
    let index: { url: string; requests: () => number; close: () => void };
    let releases: { url: string; fetched: string[]; close: () => void };
    let onPath: string;
    beforeAll(async () => {
      onPath = (await sandbox.pulumi(["version"], sandbox.root)).stdout.trim().replace(/^v/, "");
      let requests = 0;
      const listed = [
        { version: `v${onPath}`, latest: true },
        { version: "v3.275.0-alpha.1" },
        { version: "v2.99.0" },
        { version: "v2.98.3" },
      ];
      const server = createServer((_request, response) => {
        requests++;
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(listed));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      index = {
        url: `http://127.0.0.1:${port}/stand-in/versions.json`,
        requests: () => requests,
        close: () => server.close(),
      };

      const files = new Map<string, Buffer | string>();
      for (const version of [onPath, "2.99.0"]) {
        const archive = `pulumi-v${version}-linux-${process.arch === "x64" ? "x64" : "arm64"}.tar.gz`;
        const build = join(sandbox.root, `release-${version}`);
        mkdirSync(join(build, "pulumi"), { recursive: true });
        writeFileSync(
          join(build, "pulumi", "pulumi"),
          `#!/bin/sh\nexec "${join(bin as string, "pulumi")}" "$@"\n`,
          { mode: 0o755 },
        );
        execFileSync("tar", ["-czf", join(build, archive), "-C", build, "pulumi"]);
        const bytes = readFileSync(join(build, archive));
        const sum = createHash("sha256").update(bytes).digest("hex");
        files.set(`/v${version}/${archive}`, bytes);
        files.set(`/v${version}/pulumi-${version}-checksums.txt`, `${sum}  ${archive}\n`);
      }
      const fetched: string[] = [];
      const downloads = createServer((request, response) => {
        fetched.push(request.url ?? "");
        const body = files.get(request.url ?? "");
        if (body === undefined) return response.writeHead(404).end();
        response.end(body);
      });
      await new Promise<void>((resolve) => downloads.listen(0, "127.0.0.1", resolve));
      releases = {
        url: `http://127.0.0.1:${(downloads.address() as AddressInfo).port}`,
        fetched,
        close: () => downloads.close(),
      };
    });
    afterAll(() => {
      index?.close();
      releases?.close();
    });
    const standIns = () => ({
      PREVIEW_KIT_PULUMI_RELEASE_INDEX: index.url,
      PREVIEW_KIT_PULUMI_RELEASES: releases.url,
      RUNNER_TOOL_CACHE: join(sandbox.root, "tool-cache"),
    });

    it("latest: the release the index marks latest; the command's output in `output`", async () => {
      const dir = sandbox.project("latest");
      const run = await deploy(
        dir,
        { command: "up", "stack-name": "dev", "pulumi-version": "latest" },
        standIns(),
      );
      expect(errorsOf(run)).toEqual([]);
      expect(run.log).toContain(
        `pulumi-version latest resolved to ${onPath} (release index http://127.0.0.1:`,
      );
      // The version picked is verified like any other before it runs (#19 item 4).
      expect(releases.fetched).toContain(`/v${onPath}/pulumi-${onPath}-checksums.txt`);
      expect(run.outputs.output).toMatch(/^Updating \(dev\):/);
      expect(run.outputs.output).toMatch(/Resources:\n\s+\+ 2 created/);
      expect(run.outputs.output).not.toContain(sandbox.env.PULUMI_CONFIG_PASSPHRASE as string);
    });

    it("a range the CLI on PATH satisfies asks no index; one it does not is resolved and installed", async () => {
      const dir = sandbox.project("ranges");
      const [major, minor] = onPath.split(".").map(Number) as [number, number];
      const before = index.requests();
      const held = await deploy(
        dir,
        { command: "preview", "stack-name": "dev", "pulumi-version": `^${major}.${minor - 4}.0` },
        standIns(),
      );
      expect(errorsOf(held)).toEqual([]);
      expect(held.log).toContain(`the CLI on PATH (${onPath}) satisfies it`);
      expect(index.requests()).toBe(before);
      // For preview, `output` is the --json plan document the CLI printed.
      expect(JSON.parse(held.outputs.output ?? "")).toHaveProperty("steps");

      const picked = await deploy(
        dir,
        { command: "preview", "stack-name": "dev", "pulumi-version": ">=2.0.0 <3" },
        standIns(),
      );
      expect(errorsOf(picked)).toEqual([]);
      expect(picked.log).toContain("pulumi-version >=2.0.0 <3 resolved to 2.99.0");
      expect(releases.fetched).toContain("/v2.99.0/pulumi-2.99.0-checksums.txt");

      const none = await deploy(
        dir,
        { command: "preview", "stack-name": "dev", "pulumi-version": "^3.300.0" },
        standIns(),
      );
      expect(none.exitCode).toBe(1);
      expect(errorsOf(none).map((e) => e.message)).toEqual([
        expect.stringMatching(
          /^No Pulumi CLI release in http:\/\/127\.0\.0\.1:\d+\/stand-in\/versions\.json satisfies pulumi-version '\^3\.300\.0'/,
        ),
      ]);
      expect(none.outputs).toEqual({});

      const bad = await deploy(dir, {
        command: "preview",
        "stack-name": "dev",
        "pulumi-version": "newest",
      });
      expect(errorsOf(bad).map((e) => e.message)).toEqual([
        expect.stringContaining(
          "a Pulumi CLI version such as 3.140.0, a range such as ^3.200.0, or latest",
        ),
      ]);
    });
  });
});
