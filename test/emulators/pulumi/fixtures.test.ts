/**
 * Keeps the CLI double honest: its outputs have the shapes the real CLI printed in
 * test/fixtures/pulumi-cli (same keys and value types, same event kinds, same
 * error texts and exit codes).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { recorded } from "../../fixtures/pulumi-cli.js";
import { createPulumiDouble, type PulumiDouble, type PulumiDoubleOptions } from "./double.js";

type Json = Record<string, unknown>;

/** What the real CLI printed (test/fixtures/pulumi-cli, scripts/record-pulumi-fixtures.ts). */
const RECORDED: Record<string, () => string> = {
  "pulumi-preview--json.jsonc": () => recorded("preview-json").stdout,
  "pulumi-up--json.ndjson": () => recorded("up").eventLog ?? "",
  "pulumi-up--json-failed.ndjson": () => recorded("up-resource-failed").eventLog ?? "",
  "pulumi-stack-output--json.jsonc": () => recorded("stack-output-json").stdout,
  "pulumi-stack-ls--json-diy.jsonc": () => recorded("stack-ls-json").stdout,
  // Pulumi Cloud cannot run here: a stand-in with the keys of its stack summaries
  // (pkg/cmd/pulumi/stack/stack_ls.go stackSummaryJSON: name, current, lastUpdate,
  // updateInProgress, resourceCount, url).
  "pulumi-stack-ls--json.jsonc": () =>
    JSON.stringify([
      {
        name: "acme/eks/dev",
        current: true,
        lastUpdate: "2026-01-02T03:04:05.000Z",
        updateInProgress: false,
        resourceCount: 3,
        url: "https://app.pulumi.com/acme/eks/dev",
      },
    ]),
};
function fixture(name: string): string {
  const read = RECORDED[name];
  if (!read) throw new Error(`no recorded fixture for ${name}`);
  return read();
}
const ndjson = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Json);
const kind = (event: Json) =>
  Object.keys(event).find((k) => k !== "sequence" && k !== "timestamp") as string;
const typeOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
const keys = (value: unknown) => Object.keys(value as Json).sort();

/** Every key the real value has is in the double's value, with the same type. */
function expectShape(real: Json, double: Json, path = "") {
  for (const [key, value] of Object.entries(real)) {
    expect(double, `${path}${key}`).toHaveProperty([key]);
    // The real capture has placeholders for ids the double fills in; null olds are kept.
    if (value !== null && double[key] !== null)
      expect(typeOf(double[key]), `${path}${key}`).toBe(typeOf(value));
  }
}

let double: PulumiDouble;
function setup(options: PulumiDoubleOptions = {}) {
  double = createPulumiDouble({ project: "eks", ...options });
  double.writeProgram({
    resources: [
      { type: "aws:eks/cluster:Cluster", name: "eks-cluster", inputs: { name: "c" } },
      { type: "aws:iam/role:Role", name: "eks-role" },
    ],
    outputs: { url: "https://x", kubeconfig: { secret: "apiVersion: v1" } },
  });
  return double;
}
afterEach(() => double?.close());

function pulumi(...args: string[]) {
  const result = spawnSync(join(double.binDir, "pulumi"), args, {
    cwd: double.workDir,
    // --event-log exists only with PULUMI_DEBUG_COMMANDS (as on the real CLI).
    env: { ...process.env, ...double.env, PULUMI_DEBUG_COMMANDS: "true" },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("preview --json", () => {
  it("prints one JSON document with the real top-level keys, steps and changeSummary", () => {
    setup().addStack("dev");
    const real = JSON.parse(fixture("pulumi-preview--json.jsonc")) as Json;
    const out = pulumi("preview", "--json", "--stack", "dev", "--non-interactive");
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as Json;
    expectShape(real, doc);
    expect(typeOf(doc.duration)).toBe("number");
    const realSteps = real.steps as Json[];
    const steps = doc.steps as Json[];
    expect(steps.map((s) => s.op)).toEqual(["create", "create", "create"]);
    expectShape(realSteps[0] as Json, steps[0] as Json, "stack step.");
    expectShape(realSteps[1] as Json, steps[1] as Json, "resource step.");
    expectShape(
      (realSteps[0] as Json).newState as Json,
      (steps[0] as Json).newState as Json,
      "stack newState.",
    );
    expectShape(
      (realSteps[1] as Json).newState as Json,
      (steps[1] as Json).newState as Json,
      "newState.",
    );
    expect(doc.changeSummary).toEqual({ create: 3 });
  });
});

describe("up --json", () => {
  it("streams the real engine event kinds with the real metadata keys", () => {
    setup().addStack("dev", {
      resources: [{ type: "aws:iam/role:Role", name: "eks-role" }],
      outputs: { a: 1 },
    });
    const real = ndjson(fixture("pulumi-up--json.ndjson"));
    const out = pulumi("up", "--json", "--yes", "--stack", "dev", "--skip-preview");
    expect(out.code).toBe(0);
    const events = ndjson(out.stdout);
    const kinds = (list: Json[]) => [...new Set(list.map(kind))].sort();
    expect(kinds(events)).toEqual(kinds(real));
    for (const event of events)
      expect(keys(event)).toEqual(["sequence", "timestamp", kind(event)].sort());
    const realPre = real.find(
      (e) => kind(e) === "resourcePreEvent" && (e.resourcePreEvent as Json).metadata,
    ) as Json;
    const pre = events.find((e) => kind(e) === "resourcePreEvent") as Json;
    expect(keys((pre.resourcePreEvent as Json).metadata)).toEqual(
      keys((realPre.resourcePreEvent as Json).metadata),
    );
    const realNew = real.find(
      (e) =>
        kind(e) === "resOutputsEvent" &&
        ((e.resOutputsEvent as Json).metadata as Json).type === "pulumi-nodejs:dynamic:Resource",
    ) as Json;
    const created = events.find(
      (e) =>
        kind(e) === "resOutputsEvent" &&
        ((e.resOutputsEvent as Json).metadata as Json).type === "aws:eks/cluster:Cluster",
    ) as Json;
    expect(keys(((created.resOutputsEvent as Json).metadata as Json).new)).toEqual(
      keys(((realNew.resOutputsEvent as Json).metadata as Json).new),
    );
    const summary = events.find((e) => kind(e) === "summaryEvent") as Json;
    const realSummary = real.find((e) => kind(e) === "summaryEvent") as Json;
    expect(keys(summary.summaryEvent)).toEqual(keys(realSummary.summaryEvent));
    expect(summary.summaryEvent).toMatchObject({
      maybeCorrupt: false,
      resourceChanges: { create: 1, same: 2 },
    });
    expect(double.readStack("dev")?.resources.map((r) => r.name)).toEqual([
      "eks-role",
      "eks-cluster",
    ]);
  });

  it("streams the program's log messages as diagnosticEvents", () => {
    setup().addStack("dev");
    double.writeProgram({ resources: [], logs: ["deploying web"] });
    const events = ndjson(pulumi("up", "--json", "--yes", "-s", "dev").stdout);
    const diagnostic = events.find(
      (e) => kind(e) === "diagnosticEvent" && (e.diagnosticEvent as Json).severity !== "debug",
    ) as Json;
    expect(diagnostic.diagnosticEvent).toMatchObject({
      severity: "info",
      message: "deploying web\n",
    });
  });

  it("writes the same stream to --event-log", () => {
    setup().addStack("dev");
    const log = join(double.stateDir, "events.ndjson");
    const out = pulumi("up", "--json", "--yes", "-s", "dev", "--event-log", log);
    expect(out.stderr).toBe("");
    expect(ndjson(readFileSync(log, "utf8"))).toEqual(ndjson(out.stdout));
  });

  it("on a failed update streams resOpFailedEvent and a failed summaryEvent, nothing on stderr, keeping what was created", () => {
    setup().addStack("dev");
    double.injectFault({
      name: "fail-up-after",
      after: 1,
      message: "creating IAM role: AccessDenied",
    });
    const real = ndjson(fixture("pulumi-up--json-failed.ndjson"));
    const out = pulumi("up", "--json", "--yes", "-s", "dev");
    // The real CLI exits 1 and prints the failure only as diagnostics (up-resource-failed.json).
    expect(out.code).toBe(1);
    expect(out.stderr).toBe("");
    const events = ndjson(out.stdout);
    const failed = events.find((e) => kind(e) === "resOpFailedEvent") as Json;
    const realFailed = real.find((e) => kind(e) === "resOpFailedEvent") as Json;
    expect(keys(failed.resOpFailedEvent)).toEqual(keys(realFailed.resOpFailedEvent));
    const diagnostic = events.find(
      (e) => kind(e) === "diagnosticEvent" && (e.diagnosticEvent as Json).severity !== "debug",
    ) as Json;
    expect(diagnostic.diagnosticEvent).toMatchObject({
      severity: "error",
      message: "creating IAM role: AccessDenied\n",
    });
    expect((events.find((e) => kind(e) === "summaryEvent") as Json).summaryEvent).toMatchObject({
      maybeCorrupt: false,
      result: "failed",
    });
    expect(double.readStack("dev")?.resources.map((r) => r.name)).toEqual(["eks-cluster"]);
  });
});

describe("stack ls --json", () => {
  it.each([
    ["cloud", "pulumi-stack-ls--json.jsonc"],
    ["diy", "pulumi-stack-ls--json-diy.jsonc"],
  ] as const)("has the %s backend's keys", (backend, file) => {
    setup({ backend }).addStack("dev", { outputs: { a: 1 } });
    double.addStack("pr-7");
    const real = JSON.parse(fixture(file)) as Json[];
    const out = pulumi("stack", "ls", "--json");
    expect(out.code).toBe(0);
    const listed = JSON.parse(out.stdout) as Json[];
    expect(listed.map((s) => s.name).sort()).toEqual(["dev", "pr-7"]);
    const realKeys = new Set(real.flatMap((s) => Object.keys(s)));
    const allowed = new Set([...realKeys, "resourceCount", "url"]);
    for (const stack of listed) {
      for (const key of Object.keys(stack)) expect(allowed, key).toContain(key);
      for (const [key, value] of Object.entries(stack)) {
        const realValue = real.find((s) => key in s)?.[key];
        if (realValue !== undefined) expect(typeOf(value)).toBe(typeOf(realValue));
      }
    }
    expect(listed.some((s) => "updateInProgress" in s)).toBe(backend === "cloud");
    expect(listed.find((s) => s.name === "pr-7")).not.toHaveProperty("lastUpdate");
  });
});

describe("stack output --json", () => {
  it("prints with 2-space indent and a trailing newline, secrets as [secret] unless --show-secrets", () => {
    const realText = fixture("pulumi-stack-output--json.jsonc");
    expect(JSON.stringify(JSON.parse(realText), null, 2) + "\n").toBe(realText);
    setup().addStack("dev", {
      outputs: { foo: 42, db: { user: "u", password: { secret: "pw" } }, kc: { secret: "k" } },
    });
    const out = pulumi("stack", "output", "--json", "-s", "dev");
    expect(out.stdout).toBe(
      JSON.stringify(
        { foo: 42, db: { user: "u", password: "[secret]" }, kc: "[secret]" },
        null,
        2,
      ) + "\n",
    );
    const shown = pulumi("stack", "output", "--json", "--show-secrets", "-s", "dev");
    expect(JSON.parse(shown.stdout)).toEqual({
      foo: 42,
      db: { user: "u", password: "pw" },
      kc: "k",
    });
  });
});

describe("errors and exit codes", () => {
  const cases = [
    [
      "stack missing",
      () => pulumi("stack", "select", "organization/eks/nope"),
      /^error: no stack named 'organization\/eks\/nope' found\n$/,
      6,
    ],
    [
      "stack exists",
      () => pulumi("stack", "init", "dev"),
      /^error: stack 'organization\/eks\/dev' already exists\n$/,
      1,
    ],
    [
      "expect no changes",
      () => pulumi("preview", "-s", "dev", "--expect-no-changes"),
      /^error: no changes were expected for preview but changes were proposed\n$/,
      7,
    ],
    ["bad flag", () => pulumi("up", "--frobnicate"), /^error: unknown flag: --frobnicate\n$/, 1],
  ] as const;
  it.each(cases)("%s: real text, exit code by CLI generation", (_, run, text, code) => {
    for (const [version, expected] of [
      ["3.230.0", code],
      ["3.150.0", 255],
    ] as const) {
      setup({ version }).addStack("dev");
      const out = run();
      expect(out.stderr).toMatch(text);
      expect(out.code).toBe(expected);
      double.close();
    }
  });

  it("lock held: the real message and one indented lock line, then free", () => {
    setup().addStack("dev");
    double.injectFault({ name: "locked", times: 1 });
    const out = pulumi("up", "--yes", "-s", "dev");
    expect(out.code).toBe(1);
    const [first, second, rest] = out.stderr.split("\n");
    expect(first).toBe(
      "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
    );
    expect(second).toMatch(
      /^ {2}file:\/\/.*\/\.pulumi\/locks\/organization\/eks\/dev\/.*\.json: created by .* \(pid \d+\) at /,
    );
    expect(rest).toBe("");
    expect(pulumi("up", "--yes", "-s", "dev").code).toBe(0);
  });

  it("409 conflict, auth, network, program, policy, decryption: texts and exit codes", () => {
    setup({ backend: "cloud" }).addStack("dev");
    const expectFailure = (
      name: Parameters<PulumiDouble["injectFault"]>[0],
      args: string[],
      text: RegExp,
      code: number,
    ) => {
      double.clearFaults();
      double.injectFault({ ...name, times: 1 });
      const out = pulumi(...args);
      expect(out.stderr).toMatch(text);
      expect(out.code).toBe(code);
    };
    expectFailure(
      { name: "conflict" },
      ["up", "--yes", "-s", "dev"],
      /^error: \[409\] Conflict: Another update is currently in progress\.\n/,
      1,
    );
    expectFailure(
      { name: "auth" },
      ["stack", "ls"],
      /^error: Unauthorized: No credentials provided or are invalid\.\n$/,
      1,
    );
    expectFailure(
      { name: "rate-limit" },
      ["stack", "ls"],
      /^error: pulumi service: request rate-limit exceeded\n$/,
      1,
    );
    expectFailure(
      { name: "network" },
      ["stack", "output", "-s", "dev"],
      /^error: .*dial tcp .*: connection reset by peer\n$/,
      1,
    );
    expectFailure(
      { name: "program-error", message: "boom" },
      ["preview", "-s", "dev"],
      // Nothing on stderr: the exception is a diagnostic (preview-json-program-error.json).
      /^$/,
      1,
    );
    expectFailure(
      { name: "policy" },
      ["preview", "-s", "dev"],
      // Not recorded (a policy pack needs the analyzer plugin); exit code 5 is never returned
      // (exit_codes.go), so 1.
      /^error: preview failed: 1 mandatory policy violation/,
      1,
    );
    expectFailure(
      { name: "decrypt" },
      ["preview", "-s", "dev"],
      /^error: failed to decrypt encrypted configuration value/,
      1,
    );
    expectFailure(
      { name: "decrypt", mode: "passphrase" },
      ["preview", "-s", "dev"],
      /incorrect passphrase/,
      1,
    );
    expect(double.calls().map((c) => c.exitCode)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("Pulumi Cloud without a token fails with the real auth error", () => {
    setup({ backend: "cloud" });
    delete double.env.PULUMI_ACCESS_TOKEN;
    const out = pulumi("whoami");
    expect(out.stderr).toBe(
      "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
    );
    expect(out.code).toBe(3);
    expect(double.calls()[0]?.env).toEqual({
      PULUMI_BACKEND_URL: "https://api.pulumi.com",
      PULUMI_ACCESS_TOKEN: false,
      PULUMI_CONFIG_PASSPHRASE: false,
    });
  });
});

describe("program lifecycle", () => {
  it("config templates outputs; preview diffs; destroy --remove deletes the stack", () => {
    setup().writeProgram({
      resources: [
        {
          type: "kubernetes:apps/v1:Deployment",
          name: "web",
          inputs: { image: "${config:images.web}" },
        },
      ],
      outputs: { image: "${config:images.web}", token: "${config:token}" },
    });
    pulumi("stack", "select", "dev", "--create");
    pulumi(
      "config",
      "set-all",
      "--path",
      "--plaintext",
      "images.web=r@sha256:1",
      "--secret",
      "token=t0k",
    );
    expect(pulumi("up", "--yes", "--skip-preview").code).toBe(0);
    expect(JSON.parse(pulumi("stack", "output", "--json").stdout)).toEqual({
      image: "r@sha256:1",
      token: "[secret]",
    });
    pulumi("config", "set", "images.web", "r@sha256:2", "--path");
    const plan = JSON.parse(pulumi("preview", "--json").stdout) as Json;
    expect(plan.changeSummary).toEqual({ update: 1, same: 1 });
    expect(pulumi("destroy", "--yes", "--remove").code).toBe(0);
    expect(double.stackExists("dev")).toBe(false);
  });
});
