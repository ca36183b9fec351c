/**
 * The double against the real CLI: the same scenarios on both, compared on exit code, the
 * first `error:` line of stderr, the JSON keys printed, and file effects (the stack in the
 * backend, Pulumi.<stack>.yaml in the project). The real CLI runs live when the engines are
 * built (`npm run engines`; under CI=true they must be); otherwise this compares with its
 * recorded runs in test/fixtures/pulumi-cli only.
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recorded } from "../../fixtures/pulumi-cli.js";
import { engines } from "../../support/engines.js";
import { type Sandbox, createSandbox } from "../../real-pulumi/sandbox.js";
import { createPulumiDouble } from "./double.js";

interface Observed {
  exitCode: number;
  firstError: string | undefined;
  jsonKeys: string[] | undefined;
  stackListed: boolean;
  configFile: boolean;
  eventKinds: string[];
}

/** What a scenario does, on either CLI: setup commands, then the one that is compared. */
interface Scenario {
  name: string;
  /** The recorded real run it corresponds to, checked when the engines are not built. */
  fixture?: string;
  setup: string[][];
  /** For the double, a failure injected where the real program is told to fail by config. */
  fault?: Parameters<ReturnType<typeof createPulumiDouble>["injectFault"]>[0];
  /** For the real program, the same failure. */
  realConfig?: string[];
  command: string[];
  eventLog?: boolean;
  env?: Record<string, string>;
  /**
   * Pulumi Cloud answering every request with this status: the real CLI talks to a local
   * server that does, the double gets the matching fault (401: `auth`, 429: `rate-limit`).
   */
  cloudStatus?: 401 | 429;
}

const TARGET = "urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::t1";
const SCENARIOS: Scenario[] = [
  {
    name: "stack select of a missing stack",
    fixture: "stack-select-missing",
    setup: [],
    command: ["stack", "select", "dev"],
  },
  {
    name: "preview --json of a new stack",
    setup: [["stack", "init", "dev"]],
    command: ["preview", "--json", "--stack", "dev"],
  },
  {
    name: "preview --json --expect-no-changes with changes",
    fixture: "preview-json-expect-no-changes",
    setup: [["stack", "init", "dev"]],
    command: ["preview", "--json", "--expect-no-changes", "--stack", "dev"],
  },
  {
    name: "--event-log without PULUMI_DEBUG_COMMANDS",
    fixture: "up-event-log-without-debug-commands",
    setup: [["stack", "init", "dev"]],
    command: ["up", "--yes", "--skip-preview", "--stack", "dev", "--event-log", "events.ndjson"],
  },
  {
    name: "an update whose resource fails",
    setup: [["stack", "init", "dev"]],
    fault: { name: "fail-up-after", after: 1, message: "dial tcp 10.9.9.9:443: i/o timeout" },
    realConfig: ["-c", "count=2", "-c", "fail=dial tcp 10.9.9.9:443: i/o timeout"],
    command: ["up", "--yes", "--skip-preview", "--stack", "dev"],
    eventLog: true,
  },
  {
    name: "config set writes Pulumi.<stack>.yaml",
    setup: [["stack", "init", "dev"]],
    command: ["config", "set", "value", "v1", "--stack", "dev"],
  },
  {
    name: "destroy --remove --target keeps the stack",
    fixture: "destroy-remove-target",
    setup: [
      ["stack", "init", "dev"],
      ["config", "set", "count", "2", "--stack", "dev"],
      ["up", "--yes", "--skip-preview", "--stack", "dev"],
    ],
    command: ["destroy", "--yes", "--remove", "--stack", "dev", "--target", TARGET],
  },
  {
    name: "destroy --remove removes the stack and its config file",
    setup: [
      ["stack", "init", "dev"],
      ["config", "set", "value", "v1", "--stack", "dev"],
      ["up", "--yes", "--skip-preview", "--stack", "dev"],
    ],
    command: ["destroy", "--yes", "--remove", "--stack", "dev"],
  },
  {
    name: "--yes with refresh --preview-only",
    fixture: "refresh-preview-only-yes",
    setup: [["stack", "init", "dev"]],
    command: ["refresh", "--yes", "--preview-only", "--stack", "dev"],
  },
  {
    name: "Pulumi Cloud refuses the token (401)",
    setup: [],
    cloudStatus: 401,
    command: ["stack", "select", "acme/app/dev"],
  },
  {
    name: "Pulumi Cloud rate-limits the CLI (429)",
    setup: [],
    cloudStatus: 429,
    command: ["stack", "select", "acme/app/dev"],
  },
];

/** The bodies Pulumi Cloud sends with these statuses (apitype.ErrorResponse). */
const CLOUD_BODIES = {
  401: { code: 401, message: "Unauthorized: No credentials provided or are invalid." },
  429: { code: 429, message: "Too Many Requests" },
};

/** A stand-in Pulumi Cloud that answers every request with `status`; its URL. */
async function cloudAnswering(status: 401 | 429): Promise<{ url: string; close: () => void }> {
  const server = createServer((_, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(CLOUD_BODIES[status]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

const firstError = (stderr: string) =>
  stderr.split("\n").find((line) => line.startsWith("error: "));
function jsonKeys(stdout: string): string[] | undefined {
  try {
    const value = JSON.parse(stdout) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.keys(value).sort()
      : undefined;
  } catch {
    return undefined;
  }
}
const kinds = (ndjson: string) =>
  [
    ...new Set(
      ndjson
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map(
          (line) =>
            Object.keys(JSON.parse(line) as object).find(
              (k) => k !== "sequence" && k !== "timestamp",
            ) ?? "",
        ),
    ),
  ].sort();

/** The double's program: the real program's resources and outputs, in the double's terms. */
const DOUBLE_PROGRAM = {
  resources: [
    { type: "pulumi-nodejs:dynamic:Resource", name: "t0", inputs: { name: "t0", value: "v1" } },
    { type: "pulumi-nodejs:dynamic:Resource", name: "t1", inputs: { name: "t1", value: "v1" } },
  ],
  outputs: {
    value: "v1",
    count: 2,
    db: { host: "db.internal", auth: { password: { secret: "p" } } },
  },
};

function onDouble(scenario: Scenario): Observed {
  const d = createPulumiDouble({
    project: "app",
    program: DOUBLE_PROGRAM,
    ...(scenario.cloudStatus ? { backend: "cloud" as const, org: "acme" } : {}),
  });
  if (scenario.cloudStatus)
    d.injectFault({ name: scenario.cloudStatus === 401 ? "auth" : "rate-limit" });
  try {
    const run = (args: string[], extra: Record<string, string> = {}) => {
      const result = spawnSync(join(d.binDir, "pulumi"), [...args, "--non-interactive"], {
        cwd: d.workDir,
        env: { ...process.env, ...d.env, ...extra },
        encoding: "utf8",
      });
      return { exitCode: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
    };
    for (const args of scenario.setup) expect(run(args).exitCode, args.join(" ")).toBe(0);
    if (scenario.fault) d.injectFault(scenario.fault);
    const log = join(d.stateDir, "events.ndjson");
    const args = scenario.eventLog ? [...scenario.command, "--event-log", log] : scenario.command;
    const result = run(
      args,
      scenario.eventLog ? { PULUMI_DEBUG_COMMANDS: "true", ...scenario.env } : (scenario.env ?? {}),
    );
    return {
      exitCode: result.exitCode,
      firstError: firstError(result.stderr),
      jsonKeys: jsonKeys(result.stdout),
      stackListed: d.stackExists("dev"),
      configFile: existsSync(join(d.workDir, "Pulumi.dev.yaml")),
      eventKinds: scenario.eventLog && existsSync(log) ? kinds(readFileSync(log, "utf8")) : [],
    };
  } finally {
    d.close();
  }
}

async function onReal(sandbox: Sandbox, scenario: Scenario, index: number): Promise<Observed> {
  const dir = sandbox.project(`app${index}`);
  // One project name for both CLIs: the URNs in the scenarios say `app`.
  const yaml = join(dir, "Pulumi.yaml");
  writeFileSync(yaml, readFileSync(yaml, "utf8").replace(`name: app${index}`, "name: app"));
  const state = `file://${join(sandbox.root, `state${index}`)}`;
  mkdirSync(join(sandbox.root, `state${index}`));
  const cloud = scenario.cloudStatus ? await cloudAnswering(scenario.cloudStatus) : undefined;
  const env: Record<string, string> = cloud
    ? { PULUMI_BACKEND_URL: cloud.url, PULUMI_ACCESS_TOKEN: "pul-refused-token-0000" }
    : { PULUMI_BACKEND_URL: state };
  try {
    return await observeReal(sandbox, scenario, index, dir, env);
  } finally {
    cloud?.close();
  }
}

async function observeReal(
  sandbox: Sandbox,
  scenario: Scenario,
  index: number,
  dir: string,
  env: Record<string, string>,
): Promise<Observed> {
  for (const args of scenario.setup) {
    const setup = await sandbox.pulumi(args, dir, env);
    expect(setup.exitCode, `${args.join(" ")}: ${setup.stderr}`).toBe(0);
  }
  const log = join(sandbox.root, `events${index}.ndjson`);
  const args = [
    ...scenario.command,
    ...(scenario.realConfig ?? []),
    ...(scenario.eventLog ? ["--event-log", log] : []),
  ];
  const result = await sandbox.pulumi(args, dir, {
    ...env,
    ...(scenario.eventLog ? { PULUMI_DEBUG_COMMANDS: "true" } : {}),
    ...scenario.env,
  });
  const ls = scenario.cloudStatus
    ? { stdout: "[]" }
    : await sandbox.pulumi(["stack", "ls", "--json"], dir, env);
  return {
    exitCode: result.exitCode,
    firstError: firstError(result.stderr),
    jsonKeys: jsonKeys(result.stdout),
    stackListed: (JSON.parse(ls.stdout || "[]") as { name: string }[]).some(
      (s) => s.name === "dev",
    ),
    configFile: existsSync(join(dir, "Pulumi.dev.yaml")),
    eventKinds: scenario.eventLog && existsSync(log) ? kinds(readFileSync(log, "utf8")) : [],
  };
}

/** The double may print more keys and event kinds than the real CLI, never fewer. */
function expectConforms(real: Observed, double: Observed) {
  expect(double.exitCode, "exit code").toBe(real.exitCode);
  expect(double.firstError, "first error line").toBe(real.firstError);
  if (real.jsonKeys)
    expect(double.jsonKeys, "JSON keys").toEqual(expect.arrayContaining(real.jsonKeys));
  else expect(double.jsonKeys, "JSON keys").toBeUndefined();
  expect(double.stackListed, "stack in the backend").toBe(real.stackListed);
  expect(double.configFile, "Pulumi.dev.yaml").toBe(real.configFile);
  expect(double.eventKinds, "event kinds").toEqual(expect.arrayContaining(real.eventKinds));
}

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");

describe("the double conforms to the recorded real CLI", () => {
  it.each(SCENARIOS.filter((s) => s.fixture))("$name", (scenario) => {
    const real = recorded(scenario.fixture as string);
    const double = onDouble(scenario);
    expect(double.exitCode, "exit code").toBe(real.exitCode);
    expect(double.firstError, "first error line").toBe(firstError(real.stderr));
  });
});

describe.skipIf(!bin)("the double conforms to the live real CLI", { timeout: 240_000 }, () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox(bin as string);
  });
  afterAll(() => sandbox?.close());

  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))("%s", async (_, scenario, index) => {
    expectConforms(await onReal(sandbox, scenario, index), onDouble(scenario));
  });
});
