/**
 * pulumi-deploy's bundle on the Pulumi CLI double, for the issue #22 fixes whose CLI side
 * the double models from the pinned CLI (its texts are checked live against 3.274.1 in
 * test/emulators/pulumi/conformance.test.ts); the real-CLI side is in
 * test/real-pulumi/pulumi-deploy-parity.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../harness/paths.js";
import { type PulumiDouble, createPulumiDouble } from "../../emulators/pulumi/double.js";
import { runAction } from "../../harness/run-action.js";

const doubles: PulumiDouble[] = [];
afterEach(() => doubles.splice(0).forEach((d) => d.close()));

function double(options: Parameters<typeof createPulumiDouble>[0] = {}): PulumiDouble {
  const d = createPulumiDouble({ program: { resources: [], outputs: { url: "u" } }, ...options });
  doubles.push(d);
  return d;
}

function deploy(d: PulumiDouble, inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction("pulumi-deploy", {
    inputs: { "cloud-url": d.backendUrl, ...inputs },
    env: { ...d.env, PREVIEW_KIT_RETRY_BASE_MS: "1", ...env },
    path: [d.binDir],
    cwd: d.workDir,
  });
}

const errors = (run: Awaited<ReturnType<typeof runAction>>) =>
  run.annotations.filter((a) => a.level === "error");

describe("pulumi-deploy on Pulumi Cloud's real failure texts (#22 item 4)", () => {
  it("a refused token is an authentication failure with a token hint, not retried", async () => {
    const d = double({ backend: "cloud", org: "acme" });
    d.injectFault({ name: "auth" });
    const run = await deploy(d, { command: "up", "stack-name": "acme/app/dev", "cloud-url": "" });
    expect(run.exitCode).toBe(1);
    const [error, ...others] = errors(run);
    expect(others).toEqual([]);
    expect(error?.properties.title).toBe("Pulumi authentication failed");
    expect(error?.message).toContain("Unauthorized: No credentials provided or are invalid");
    expect(error?.message).toContain("Pulumi Cloud refused PULUMI_ACCESS_TOKEN");
    expect(d.calls()).toHaveLength(1);
  });

  it("a 429 is retried as action.yml promises, and passes once the limit lifts", async () => {
    const d = double({ backend: "cloud", org: "acme" });
    d.addStack("acme/app/dev");
    d.injectFault({ name: "rate-limit", times: 2, commands: ["up"] });
    const run = await deploy(d, {
      command: "up",
      "stack-name": "acme/app/dev",
      "cloud-url": "",
      retries: "3",
    });
    expect(errors(run)).toEqual([]);
    expect(run.log).toMatch(/request rate-limit exceeded; retrying/);
    expect(
      d
        .calls()
        .filter((c) => c.argv[0] === "up")
        .map((c) => c.exitCode),
    ).toEqual([1, 1, 0]);
  });

  it("a 429 that outlasts the retries says so", async () => {
    const d = double({ backend: "cloud", org: "acme" });
    d.addStack("acme/app/dev");
    d.injectFault({ name: "rate-limit", commands: ["up"] });
    const run = await deploy(d, {
      command: "up",
      "stack-name": "acme/app/dev",
      "cloud-url": "",
      retries: "1",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.properties.title).toBe("Pulumi backend unavailable");
    expect(errors(run)[0]?.message).toContain("Gave up after 2 tries.");
  });
});

describe("an empty passphrase (#22 item 3)", () => {
  it("fails in one line before the CLI runs, and passes when allowed explicitly", async () => {
    const d = double();
    const run = await deploy(
      d,
      { command: "up", "stack-name": "dev" },
      { PULUMI_CONFIG_PASSPHRASE: "" },
    );
    expect(run.exitCode).toBe(1);
    expect(errors(run).map((e) => e.properties.title)).toEqual(["Empty Pulumi passphrase"]);
    expect(errors(run)[0]?.message).toMatch(/^PULUMI_CONFIG_PASSPHRASE is set but empty/);
    expect(d.calls()).toEqual([]);
    expect(run.outputs).toEqual({});

    const allowed = await deploy(
      d,
      { command: "up", "stack-name": "dev", "allow-empty-passphrase": "true" },
      { PULUMI_CONFIG_PASSPHRASE: "" },
    );
    expect(errors(allowed)).toEqual([]);
  });
});

describe("upsert (#22 item 9)", () => {
  it("the reusable deploy workflow never creates a production stack", () => {
    const workflow = parse(
      readFileSync(join(repoRoot, ".github", "workflows", "deploy.yml"), "utf8"),
    ) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).filter((step) => step.uses?.endsWith("/actions/pulumi-deploy")),
    );
    const creating = steps.filter((step) => ["preview", "up"].includes(step.with?.command ?? ""));
    expect(creating.length).toBeGreaterThanOrEqual(2);
    for (const step of creating)
      expect(step.with?.upsert).toBe("${{ inputs.environment-kind != 'production' }}");
  });

  it("false: a missing stack fails naming the backend, and nothing is created", async () => {
    const d = double();
    const run = await deploy(d, { command: "up", "stack-name": "dev", upsert: "false" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain(
      `Stack 'dev' does not exist in the backend ${d.backendUrl} and upsert is false`,
    );
    expect(d.stackExists("dev")).toBe(false);
  });
});

describe("outputs (#22 item 10)", () => {
  it("after destroy-on-failure on an existing stack, outputs keep the stack's outputs", async () => {
    const d = double({
      program: {
        resources: [
          { type: "random:index:RandomPet", name: "a" },
          { type: "random:index:RandomPet", name: "b" },
          { type: "random:index:RandomPet", name: "c" },
        ],
        outputs: { url: "https://new.example.test" },
      },
    });
    d.addStack("dev", {
      resources: [{ type: "random:index:RandomPet", name: "a" }],
      outputs: { url: "https://old.example.test" },
    });
    d.injectFault({ name: "fail-up-after", after: 1 });
    const run = await deploy(d, {
      command: "up",
      "stack-name": "dev",
      "destroy-on-failure": "true",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain("the resources of the failed update were destroyed");
    expect(JSON.parse(run.outputs.outputs ?? "{}")).toEqual({ url: "https://old.example.test" });
    expect(run.outputs.url).toBe("https://old.example.test");
  });

  it("a stack output over GitHub's limit is left out with a warning; GITHUB_OUTPUT stays under 1 MB", async () => {
    const d = double({
      program: { resources: [], outputs: { url: "u", big: "z".repeat(400_000) } },
    });
    const run = await deploy(d, { command: "up", "stack-name": "dev" });
    expect(errors(run)).toEqual([]);
    const outputs = JSON.parse(run.outputs.outputs ?? "{}") as Record<string, string>;
    expect(outputs.big).toHaveLength(400_000);
    expect(run.outputs.big).toBeUndefined();
    expect(run.outputs.url).toBe("u");
    const bytes = Object.entries(run.outputs).reduce(
      (n, [k, v]) => n + 2 * (k.length + v.length),
      0,
    );
    expect(bytes).toBeLessThanOrEqual(1_000_000);
    expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
      expect.stringMatching(/^stack output 'big' \(800006 bytes\) is not a step output of its own/),
    ]);
  });

  it("no decryption hint where nothing was decrypted: a missing passphrase says so", async () => {
    const d = double();
    d.addStack("dev");
    const run = await deploy(
      d,
      { command: "up", "stack-name": "dev" },
      { PULUMI_CONFIG_PASSPHRASE: undefined as unknown as string },
    );
    expect(run.exitCode).toBe(1);
    const message = errors(run)[0]?.message ?? "";
    expect(message).toContain("none was given: set PULUMI_CONFIG_PASSPHRASE");
    expect(message).not.toContain("could not be decrypted");
    expect(message).not.toContain("No stack was created");
  });
});
