/**
 * pulumi-deploy's bundle, run as the runner runs it, against the REAL Pulumi CLI (built by
 * `npm run engines`) on a file:// backend. Under CI=true a missing engine fails the suite.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leakedSecrets } from "../harness/run-action.js";
import { engines } from "../support/engines.js";
import { type Sandbox, PASSPHRASE, createSandbox, errorsOf } from "./sandbox.js";

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");
const DB_PASSWORD = "db-pa55word-that-must-never-print";
const API_KEY = "api-key-secret-config-value-0042";

describe.skipIf(!bin)("pulumi-deploy on the real Pulumi CLI", { timeout: 240_000 }, () => {
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
  const outputsOf = async (dir: string, stack: string) =>
    JSON.parse(
      (await sandbox.pulumi(["stack", "output", "--json", "--show-secrets", "--stack", stack], dir))
        .stdout,
    ) as Record<string, unknown>;

  it("upserts, sets config and secret config in Pulumi.<stack>.yaml, masks nested secrets, then preview/up/refresh/destroy/remove", async () => {
    const dir = sandbox.project("app");
    const config = `dbPassword: {value: ${DB_PASSWORD}, secret: true}\napiKey: {value: ${API_KEY}, secret: true}\nvalue: v1`;

    const preview = await deploy(dir, { command: "preview", "stack-name": "dev", config });
    expect(errorsOf(preview)).toEqual([]);
    expect(preview.exitCode).toBe(0);
    expect(preview.log).toContain("Created stack dev");
    expect(preview.outputs["has-changes"]).toBe("true");
    expect(JSON.parse(preview.outputs.summary ?? "{}")).toMatchObject({ create: 2 });
    // Where the real CLI keeps config: the work-dir's Pulumi.dev.yaml, secrets encrypted.
    const stackFile = readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toMatch(/app:value: v1/);
    expect(stackFile).toMatch(/app:dbPassword:\n\s+secure: v1:/);
    expect(stackFile).not.toContain(DB_PASSWORD);

    const up = await deploy(dir, { command: "up", "stack-name": "dev", config });
    expect(errorsOf(up)).toEqual([]);
    expect(JSON.parse(up.outputs.outputs ?? "{}")).toEqual({
      value: "v1",
      count: 1,
      db: { host: "db.internal", auth: { password: "[secret]" } },
    });
    expect(up.masks).toContain(DB_PASSWORD);
    expect(leakedSecrets(up, [DB_PASSWORD, API_KEY, PASSPHRASE])).toEqual([]);
    expect(readFileSync(up.outputs["markdown-file"] as string, "utf8")).not.toContain(DB_PASSWORD);

    const again = await deploy(dir, { command: "preview", "stack-name": "dev", config });
    expect(again.outputs["has-changes"]).toBe("false");

    const refresh = await deploy(dir, { command: "refresh", "stack-name": "dev" });
    expect(errorsOf(refresh)).toEqual([]);

    const destroy = await deploy(dir, {
      command: "destroy",
      "stack-name": "dev",
      "remove-stack": "true",
    });
    expect(errorsOf(destroy)).toEqual([]);
    const ls = await sandbox.pulumi(["stack", "ls", "--json"], dir);
    expect(JSON.parse(ls.stdout)).toEqual([]);
    // `destroy --remove` deletes the stack's config file too.
    expect(existsSync(join(dir, "Pulumi.dev.yaml"))).toBe(false);

    const rerun = await deploy(dir, {
      command: "destroy",
      "stack-name": "dev",
      "remove-stack": "true",
    });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.log).toContain("does not exist: nothing to destroy");
  });

  it("a fresh checkout (no Pulumi.<stack>.yaml) still decrypts the stack: the salt is in the state", async () => {
    const dir = sandbox.project("fresh");
    const config = `dbPassword: {value: ${DB_PASSWORD}, secret: true}`;
    expect((await deploy(dir, { command: "up", "stack-name": "dev", config })).exitCode).toBe(0);
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "");
    const up = await deploy(dir, { command: "up", "stack-name": "dev", config });
    expect(errorsOf(up)).toEqual([]);
    expect((await outputsOf(dir, "dev")).db).toEqual({
      host: "db.internal",
      auth: { password: DB_PASSWORD },
    });
  });

  it("expect-no-changes never applies anything: preview, up and refresh stop at the plan", async () => {
    const dir = sandbox.project("drift");
    const driftFile = join(sandbox.root, "drift-value");
    const config = `value: v1\ndriftFile: ${driftFile}`;
    expect((await deploy(dir, { command: "up", "stack-name": "dev", config })).exitCode).toBe(0);

    const clean = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      config,
      "expect-no-changes": "true",
    });
    expect(errorsOf(clean)).toEqual([]);
    expect(clean.outputs["has-changes"]).toBe("false");

    const changed = `value: v2\ndriftFile: ${driftFile}`;
    for (const command of ["preview", "up"]) {
      const run = await deploy(dir, {
        command,
        "stack-name": "dev",
        config: changed,
        "expect-no-changes": "true",
      });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)[0]?.properties.title).toBe("Pulumi unexpected changes");
      expect(run.outputs["has-changes"]).toBe("true");
    }
    expect((await outputsOf(dir, "dev")).value).toBe("v1");

    // Drift outside Pulumi: the resource now reads back another value.
    writeFileSync(driftFile, "drifted");
    const refresh = await deploy(dir, {
      command: "refresh",
      "stack-name": "dev",
      config,
      "expect-no-changes": "true",
    });
    expect(refresh.exitCode).toBe(1);
    expect(errorsOf(refresh)[0]?.properties.title).toBe("Pulumi unexpected changes");
    const state = await sandbox.pulumi(["stack", "export", "--stack", "dev"], dir);
    expect(state.stdout).not.toContain("drifted");
  });

  it("retries a real lock held by a concurrent up, then succeeds", async () => {
    const dir = sandbox.project("locked");
    expect((await deploy(dir, { command: "up", "stack-name": "dev" })).exitCode).toBe(0);
    // The other run: an up that holds the lock for ~8 s while its resources sleep.
    const holder = sandbox.pulumi(
      ["up", "--yes", "--skip-preview", "--stack", "dev", "-c", "sleep=8000", "-c", "value=held"],
      dir,
    );
    const locks = join(sandbox.stateDir, ".pulumi", "locks", "organization", "locked", "dev");
    await waitFor(() => existsSync(locks) && readdirSync(locks).some((f) => f.endsWith(".json")));
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      config: "value: after",
      retries: "5",
    });
    expect((await holder).exitCode).toBe(0);
    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toMatch(/currently locked.*retrying/);
    expect((await outputsOf(dir, "dev")).value).toBe("after");
  });

  it("an engine failure is a resource failure, not retried; destroy-on-failure removes only what this update created", async () => {
    const dir = sandbox.project("partial");
    expect((await deploy(dir, { command: "up", "stack-name": "dev" })).exitCode).toBe(0);
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      // A provider's network error: it must not look like the backend's.
      config: "count: 2\nfail: 'dial tcp 10.9.9.9:443: i/o timeout'",
      "destroy-on-failure": "true",
    });
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error?.properties.title).toBe("Pulumi resource operation failed");
    expect(error?.message).toContain("dial tcp 10.9.9.9:443: i/o timeout");
    expect(run.log).not.toMatch(/retrying/);
    expect(error?.message).toContain(
      "destroy-on-failure: the resources of the failed update were destroyed",
    );
    const state = JSON.parse(
      (await sandbox.pulumi(["stack", "export", "--stack", "dev"], dir)).stdout,
    ) as {
      deployment: { resources?: { urn: string }[] };
    };
    const names = (state.deployment.resources ?? []).map((r) => r.urn.split("::").pop());
    expect(names).toContain("t0");
    expect(names).not.toContain("t1");
  });

  it("a program that throws is a program error and destroys nothing", async () => {
    const dir = sandbox.project("throws");
    expect((await deploy(dir, { command: "up", "stack-name": "dev" })).exitCode).toBe(0);
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      config: "throw: 'boom: errorCode 401'",
      "destroy-on-failure": "true",
    });
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error?.properties.title).toBe("Pulumi program error");
    expect(error?.message).toContain("boom: errorCode 401");
    const names = JSON.stringify(
      JSON.parse((await sandbox.pulumi(["stack", "export", "--stack", "dev"], dir)).stdout),
    );
    expect(names).toContain("::t0");
  });

  it("destroy with target destroys only the target; remove-stack with target is refused; protected resources keep the stack", async () => {
    const dir = sandbox.project("targets");
    expect(
      (await deploy(dir, { command: "up", "stack-name": "dev", config: "count: 2" })).exitCode,
    ).toBe(0);
    const urn = "urn:pulumi:dev::targets::pulumi-nodejs:dynamic:Resource::t1";
    const refused = await deploy(dir, {
      command: "destroy",
      "stack-name": "dev",
      target: urn,
      "remove-stack": "true",
    });
    expect(refused.exitCode).toBe(1);
    expect(errorsOf(refused)[0]?.message).toContain("cannot be combined with 'target'");

    const targeted = await deploy(dir, { command: "destroy", "stack-name": "dev", target: urn });
    expect(errorsOf(targeted)).toEqual([]);
    expect(JSON.parse(targeted.outputs.summary ?? "{}")).toMatchObject({ delete: 1 });

    await deploy(dir, { command: "up", "stack-name": "dev", config: "count: 2\nprotect: true" });
    const protectedRun = await deploy(dir, {
      command: "destroy",
      "stack-name": "dev",
      "remove-stack": "true",
    });
    expect(protectedRun.exitCode).toBe(1);
    expect(errorsOf(protectedRun)[0]?.message).toContain("because it is protected");
    const ls = JSON.parse(
      (await sandbox.pulumi(["stack", "ls", "--json"], dir)).stdout,
    ) as unknown[];
    expect(ls).toHaveLength(1);
  });

  it("resolves a relative file:// against work-dir, creates a missing state folder on upsert, honours backend.url", async () => {
    const dir = sandbox.project("relative");
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "dev",
      "cloud-url": "file://./state",
    });
    expect(errorsOf(run)).toEqual([]);
    expect(existsSync(join(dir, "state", ".pulumi", "stacks", "relative", "dev.json"))).toBe(true);

    const missing = await deploy(dir, {
      command: "refresh",
      "stack-name": "dev",
      "cloud-url": "file://./nowhere",
    });
    expect(errorsOf(missing)[0]?.message).toMatch(/state folder .*nowhere.* is missing/);

    const yamlDir = sandbox.project("yamlbackend", "backend:\n  url: file://./own-state\n");
    const byYaml = await sandbox.action("pulumi-deploy", {
      inputs: { command: "up", "stack-name": "dev", "work-dir": yamlDir },
      cwd: sandbox.root,
    });
    expect(errorsOf(byYaml)).toEqual([]);
    expect(
      existsSync(join(yamlDir, "own-state", ".pulumi", "stacks", "yamlbackend", "dev.json")),
    ).toBe(true);
  });

  it("a StackReference reads another stack's output on the same backend", async () => {
    const producer = sandbox.project("producer");
    expect(
      (
        await deploy(producer, {
          command: "up",
          "stack-name": "prod",
          config: "value: shared-value",
        })
      ).exitCode,
    ).toBe(0);
    const consumer = sandbox.project("consumer");
    const run = await deploy(consumer, {
      command: "up",
      "stack-name": "dev",
      config: "ref: organization/producer/prod",
    });
    expect(errorsOf(run)).toEqual([]);
    expect(JSON.parse(run.outputs.outputs ?? "{}").fromRef).toBe("shared-value");
  });
});

async function waitFor(done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
