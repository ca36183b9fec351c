/** The shared Pulumi driver (cli, stacks, retry, outputs) against the CLI double. */
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ActionError } from "../../../actions/shared/errors.js";
import { parseJsonOutput, pulumi, runPulumi } from "../../../actions/shared/pulumi/cli.js";
import { PulumiError } from "../../../actions/shared/pulumi/failure.js";
import { readStackOutputs, revealStackOutputs } from "../../../actions/shared/pulumi/outputs.js";
import { withRetries } from "../../../actions/shared/pulumi/retry.js";
import { listStacks, upsertStack } from "../../../actions/shared/pulumi/stacks.js";
import { createPulumiDouble, type PulumiDouble } from "../../emulators/pulumi/double.js";

let double: PulumiDouble;
let stdout: string[];
const savedEnv = { ...process.env };

beforeEach(() => {
  double = createPulumiDouble({ project: "app" });
  Object.assign(process.env, double.env, { PATH: `${double.binDir}${delimiter}${savedEnv.PATH}` });
  delete process.env.PULUMI_BACKEND_URL;
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation(
    (chunk) => (stdout.push(String(chunk)), true),
  );
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
  double.close();
});

const cli = () => ({ cwd: double.workDir, backendUrl: double.backendUrl });
const argvs = () => double.calls().map((call) => call.argv.join(" "));

describe("runPulumi", () => {
  it("runs non-interactive without colour, with the backend URL in PULUMI_BACKEND_URL", async () => {
    const result = await runPulumi(["whoami"], cli());
    expect(result.exitCode).toBe(0);
    const [call] = double.calls();
    expect(call?.argv).toEqual(["whoami", "--non-interactive", "--color", "never"]);
    expect(call?.env.PULUMI_BACKEND_URL).toBe(double.backendUrl);
    expect(call?.cwd).toBe(double.workDir);
  });

  it("echoes lines when asked", async () => {
    const lines: string[] = [];
    await runPulumi(["version"], { ...cli(), echo: (line) => lines.push(line) });
    expect(lines).toEqual(["v3.230.0"]);
  });
});

describe("upsertStack", () => {
  it("creates the stack only after the CLI said it does not exist", async () => {
    expect(await upsertStack("dev", cli())).toBe(true);
    expect(argvs()).toEqual([
      "stack select --non-interactive --color never -- dev",
      "stack init --non-interactive --color never -- dev",
    ]);
    expect(double.stackExists("dev")).toBe(true);
  });

  it("selects an existing stack with one call", async () => {
    double.addStack("dev");
    expect(await upsertStack("organization/app/dev", cli())).toBe(false);
    expect(double.calls()).toHaveLength(1);
  });

  it.each(["network", "auth"] as const)(
    "fails on a %s error without creating anything",
    async (name) => {
      double.injectFault({ name, commands: ["stack select"] });
      const error = await upsertStack("dev", cli()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PulumiError);
      expect((error as PulumiError).kind).toBe(name);
      expect(argvs()).toHaveLength(1);
      expect(double.stackExists("dev")).toBe(false);
    },
  );

  it("fails on an old CLI too (exit 255), by the text", async () => {
    process.env.PULUMI_DOUBLE_VERSION = "3.150.0";
    double.injectFault({ name: "network", commands: ["stack select"] });
    const error = (await upsertStack("dev", cli()).catch((e: unknown) => e)) as PulumiError;
    expect([error.kind, error.exitCode]).toEqual(["network", 255]);
  });
});

describe("withRetries", () => {
  beforeEach(() => {
    process.env.PREVIEW_KIT_RETRY_BASE_MS = "1";
    double.addStack("dev");
  });
  const up = () => pulumi(["up", "--yes", "--skip-preview", "--stack", "dev"], cli());

  it("waits out a lock held twice, with growing waits", async () => {
    double.injectFault({ name: "locked", times: 2 });
    const waits: number[] = [];
    await withRetries(up, { onRetry: (_, __, ms) => waits.push(ms) });
    expect(double.calls().map((c) => c.exitCode)).toEqual([1, 1, 0]);
    expect(waits).toEqual([1, 2]);
  });

  it("gives up after the attempts, with the last error", async () => {
    double.injectFault({ name: "conflict" });
    const error = (await withRetries(up, { attempts: 3 }).catch((e: unknown) => e)) as PulumiError;
    expect(error.title).toBe("Pulumi update conflict (409)");
    expect(double.calls()).toHaveLength(3);
  });

  it("never retries what waiting cannot fix", async () => {
    double.injectFault({ name: "program-error", message: "boom" });
    // The engine reports a program's exception only in its events (no stderr, exit 1).
    const eventLog = join(double.stateDir, "events.ndjson");
    const upWithLog = () =>
      pulumi(["up", "--yes", "--skip-preview", "--stack", "dev"], { ...cli(), eventLog });
    const error = (await withRetries(upWithLog).catch((e: unknown) => e)) as PulumiError;
    expect(error.kind).toBe("program");
    expect(error.message).toMatch(/failed with an unhandled exception: Error: boom$/);
    expect(double.calls()).toHaveLength(1);
  });
});

describe("readStackOutputs", () => {
  beforeEach(() => {
    double.addStack("dev", {
      outputs: {
        url: "https://dev.example.com",
        kubeconfig: { secret: "apiVersion: v1\ntoken: t0ps3cret" },
        db: { host: "db", pw: { secret: "hunter22" } },
      },
    });
  });

  it("without reveal, shows secrets as [secret] and names them, with one call", async () => {
    const outputs = await readStackOutputs("organization/app/dev", cli());
    expect(outputs.shown).toEqual({
      url: "https://dev.example.com",
      kubeconfig: "[secret]",
      db: { host: "db", pw: "[secret]" },
    });
    expect(outputs.secretNames).toEqual(["kubeconfig", "db"]);
    expect(argvs()).toEqual([
      "stack output --json --stack organization/app/dev --non-interactive --color never",
    ]);
  });

  it("with reveal, masks every secret value (and only those) before returning", async () => {
    const outputs = await readStackOutputs("organization/app/dev", cli());
    const revealed = await revealStackOutputs("organization/app/dev", outputs, cli());
    expect(revealed).toMatchObject({
      kubeconfig: "apiVersion: v1\ntoken: t0ps3cret",
      db: { pw: "hunter22" },
    });
    const masks = stdout.join("").match(/^::add-mask::.*$/gm) ?? [];
    expect(masks).toEqual(
      expect.arrayContaining(["::add-mask::token: t0ps3cret", "::add-mask::hunter22"]),
    );
    expect(masks.join("\n")).not.toContain("dev.example.com");
  });
});

describe("listStacks", () => {
  it("lists one project's stacks", async () => {
    double.addStack("dev");
    double.addStack("pr-3");
    double.addStack("organization/other/dev");
    const stacks = await listStacks({ project: "app" }, cli());
    expect(stacks.map((s) => s.name).sort()).toEqual(["dev", "pr-3"]);
  });
});

describe("parseJsonOutput", () => {
  const args = ["stack", "output", "--json", "--show-secrets"];

  it("parses what a --json command printed, and nothing as the empty value", () => {
    expect(parseJsonOutput(args, '{"a":1}\n', {})).toEqual({ a: 1 });
    expect(parseJsonOutput(args, " \n", {})).toEqual({});
  });

  it("fails in one line that never quotes the output", () => {
    const error = (() => {
      try {
        return parseJsonOutput(args, "warning: s3cr3t-in-clear\n{", {});
      } catch (e) {
        return e;
      }
    })() as ActionError;
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toBe("`pulumi stack output --json` printed something that is not JSON");
  });
});
