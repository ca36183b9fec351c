/**
 * Records what the REAL Pulumi CLI prints into test/fixtures/pulumi-cli/, one JSON file a
 * scenario: the command, the CLI version, exit code, stdout, stderr and (where asked for) the
 * engine's event log. Run it after changing the pinned CLI: `npx tsx scripts/record-pulumi-fixtures.ts`
 * (engines from `npm run engines`, or PREVIEW_KIT_ENGINES_BIN). Paths of the temp sandbox are
 * written as /sandbox so a re-recording only differs where the CLI changed.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../test/harness/paths.js";
import { enginesDir } from "../test/support/engines.js";
import { type Sandbox, createSandbox } from "../test/real-pulumi/sandbox.js";

const OUT = join(repoRoot, "test", "fixtures", "pulumi-cli");

export interface Fixture {
  recordedBy: string;
  pulumi: string;
  command: string;
  /** What the scenario shows, for a reader of the file. */
  note: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  eventLog?: string;
}

async function main(): Promise<void> {
  const bin = enginesDir();
  if (!bin || !existsSync(join(bin, "pulumi")))
    throw new Error("no engines: run `npm run engines`");
  const sandbox = createSandbox(bin);
  const version = (await sandbox.pulumi(["version"], sandbox.root)).stdout.trim();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const written: Fixture[] = [];
  const normalize = (text: string) => text.split(sandbox.root).join("/sandbox");

  async function record(
    name: string,
    note: string,
    args: string[],
    dir: string,
    options: {
      eventLog?: boolean;
      env?: Record<string, string>;
      concurrent?: () => Promise<void>;
    } = {},
  ): Promise<Fixture> {
    const log = join(sandbox.root, `${name}.ndjson`);
    const full = options.eventLog ? [...args, "--event-log", log] : args;
    const env = options.eventLog ? { PULUMI_DEBUG_COMMANDS: "true", ...options.env } : options.env;
    const run = await sandbox.pulumi(full, dir, env);
    const fixture: Fixture = {
      recordedBy: "scripts/record-pulumi-fixtures.ts",
      pulumi: version,
      command: `pulumi ${full.map((a) => (a === log ? "<event-log>" : a)).join(" ")} --non-interactive --color never`,
      note,
      exitCode: run.exitCode,
      stdout: normalize(run.stdout),
      stderr: normalize(run.stderr),
      ...(options.eventLog && existsSync(log)
        ? { eventLog: normalize(readFileSync(log, "utf8")) }
        : {}),
    };
    writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    written.push({ ...fixture, command: `${name}: ${fixture.command}` });
    process.stderr.write(`recorded ${name} (exit ${run.exitCode})\n`);
    return fixture;
  }

  try {
    await scenarios(sandbox, record);
  } finally {
    sandbox.close();
  }
  writeFileSync(
    join(OUT, "README.md"),
    [
      "# What the real Pulumi CLI printed",
      "",
      `Recorded by \`scripts/record-pulumi-fixtures.ts\` from Pulumi CLI ${version} (built by \`npm run engines\`)`,
      "on a file:// backend, programs of pulumi.dynamic resources. Do not edit: re-record.",
      "Each JSON file: `command`, `exitCode`, `stdout`, `stderr`, and `eventLog` (engine events, one JSON object a line) where the command wrote one.",
      "",
      "| file | command | exit | what it shows |",
      "|---|---|---|---|",
      ...written.map((f) => {
        const [name, command] = f.command.split(": ");
        return `| ${name}.json | \`${command}\` | ${f.exitCode} | ${f.note} |`;
      }),
      "",
    ].join("\n"),
  );
  process.stderr.write(`${readdirSync(OUT).length} files in ${OUT}\n`);
}

type Record_ = (
  name: string,
  note: string,
  args: string[],
  dir: string,
  options?: { eventLog?: boolean; env?: Record<string, string> },
) => Promise<Fixture>;

async function scenarios(sandbox: Sandbox, record: Record_): Promise<void> {
  const app = sandbox.project("app");
  const cfg = (...pairs: string[]) => pairs.flatMap((p) => ["-c", p]);
  await record(
    "stack-select-missing",
    "a stack that does not exist: exit 6 (ExitStackNotFound)",
    ["stack", "select", "dev"],
    app,
  );
  await record("stack-init", "creating a stack", ["stack", "init", "dev"], app);
  await record("stack-init-exists", "creating it again", ["stack", "init", "dev"], app);
  await sandbox.pulumi(
    ["config", "set", "--secret", "dbPassword", "fixture-secret-value", "--stack", "dev"],
    app,
  );
  await record(
    "preview-json",
    "`preview --json` of a new stack: steps, changeSummary, duration",
    ["preview", "--json", "--stack", "dev"],
    app,
    { eventLog: true },
  );
  await record(
    "preview-json-expect-no-changes",
    "the drift check of a preview: exit 7 (ExitNoChanges), JSON still printed",
    ["preview", "--json", "--expect-no-changes", "--stack", "dev"],
    app,
  );
  await record(
    "up",
    "an update with --event-log (flag exists only with PULUMI_DEBUG_COMMANDS=true)",
    ["up", "--yes", "--skip-preview", "--stack", "dev"],
    app,
    { eventLog: true },
  );
  await record(
    "up-event-log-without-debug-commands",
    "--event-log without PULUMI_DEBUG_COMMANDS: the flag is unknown",
    ["up", "--yes", "--skip-preview", "--stack", "dev", "--event-log", "/sandbox/x.ndjson"],
    app,
  );
  await record(
    "stack-output-json",
    'outputs, secrets as "[secret]" at any depth',
    ["stack", "output", "--json", "--stack", "dev"],
    app,
  );
  await record(
    "stack-output-json-show-secrets",
    "the same, revealed",
    ["stack", "output", "--json", "--show-secrets", "--stack", "dev"],
    app,
  );
  await record("stack-ls-json", "stacks of a file:// backend", ["stack", "ls", "--json"], app);
  await record(
    "up-expect-no-changes-applies",
    "`up --expect-no-changes` with a change: the update is APPLIED, then exit 7",
    ["up", "--yes", "--expect-no-changes", "--stack", "dev", ...cfg("value=v2")],
    app,
    { eventLog: true },
  );
  await record(
    "up-resource-failed",
    "a provider error (a dial tcp text) during the update: exit 1, nothing on stderr, diagnostics in the events",
    [
      "up",
      "--yes",
      "--skip-preview",
      "--stack",
      "dev",
      ...cfg("count=2", "fail=dial tcp 10.9.9.9:443: i/o timeout"),
    ],
    app,
    { eventLog: true },
  );
  await sandbox.pulumi(["config", "rm", "fail", "--stack", "dev"], app);
  await record(
    "up-preview-phase-failed",
    "`up` without --skip-preview whose program throws: the event log holds only `planning` steps",
    ["up", "--yes", "--stack", "dev", ...cfg("count=3", "throw=boom")],
    app,
    { eventLog: true },
  );
  await sandbox.pulumi(["config", "rm", "throw", "--stack", "dev"], app);
  await record(
    "preview-json-program-error",
    "`preview --json` of a program that throws: exit 1, the JSON has diagnostics",
    ["preview", "--json", "--stack", "dev", ...cfg("throw=boom")],
    app,
  );
  await sandbox.pulumi(["config", "rm", "throw", "--stack", "dev"], app);
  const holder = sandbox.pulumi(
    ["up", "--yes", "--skip-preview", "--stack", "dev", ...cfg("sleep=6000", "value=held")],
    app,
  );
  const locks = join(sandbox.stateDir, ".pulumi", "locks", "organization", "app", "dev");
  for (
    let i = 0;
    i < 300 && !(existsSync(locks) && readdirSync(locks).some((f) => f.endsWith(".json")));
    i++
  )
    await new Promise((resolve) => setTimeout(resolve, 100));
  await record(
    "up-locked",
    "a second `up` while another holds the lock: exit 1, stderr",
    ["up", "--yes", "--skip-preview", "--stack", "dev"],
    app,
  );
  await record(
    "preview-while-locked",
    "a preview while an update holds the lock: previews take no lock",
    ["preview", "--json", "--stack", "dev"],
    app,
  );
  await holder;
  await record(
    "destroy-remove-target",
    "`destroy --remove --target`: only the target goes, the stack stays, exit 0",
    [
      "destroy",
      "--yes",
      "--remove",
      "--stack",
      "dev",
      "--target",
      "urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::t1",
    ],
    app,
  );
  await sandbox.pulumi(
    ["up", "--yes", "--skip-preview", "--stack", "dev", ...cfg("protect=true")],
    app,
  );
  await record(
    "destroy-remove-protected",
    "`destroy --remove` with a protected resource: exit 1, stack kept",
    ["destroy", "--yes", "--remove", "--stack", "dev"],
    app,
    { eventLog: true },
  );
  await record(
    "refresh-preview-only-yes",
    "--yes with --preview-only is refused",
    ["refresh", "--yes", "--preview-only", "--stack", "dev"],
    app,
  );
  await record(
    "stack-output-wrong-passphrase",
    "a wrong PULUMI_CONFIG_PASSPHRASE",
    ["stack", "output", "--json", "--show-secrets", "--stack", "dev"],
    app,
    { env: { PULUMI_CONFIG_PASSPHRASE: "wrong" } },
  );
  await record(
    "state-dir-missing",
    "a file:// backend whose folder does not exist",
    ["stack", "ls", "--json"],
    app,
    { env: { PULUMI_BACKEND_URL: `file://${join(sandbox.root, "nowhere")}` } },
  );
  await record(
    "state-dir-relative",
    "a relative file:// path is resolved against the CLI's working directory",
    ["stack", "ls", "--json"],
    app,
    { env: { PULUMI_BACKEND_URL: "file://./state" } },
  );
}

await main();
