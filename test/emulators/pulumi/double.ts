/**
 * Sets up the Pulumi CLI double (bin/pulumi) for one test: a state directory, a project
 * directory with Pulumi.yaml, and the environment that points the double at both.
 * Program-file format and fault names: README.md next to this file.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PULUMI_DOUBLE_BIN = fileURLToPath(new URL("./bin", import.meta.url));
const DIY_ORG = "organization";

/** A value the program or stack marks secret: `{ secret: value }`, at any depth. */
export type Secret<T = unknown> = { secret: T };

export interface ProgramSpec {
  resources?: { type: string; name: string; inputs?: Record<string, unknown> }[];
  /** Plain, `{secret: ...}` or templated from config: `"${config:images.web}"`. */
  outputs?: Record<string, unknown>;
  /** Messages the program logs: diagnosticEvent (severity info) on `up`. */
  logs?: string[];
  /** Makes the program throw `Error: <error>` on preview and up. */
  error?: string;
}

export type FaultName =
  | "stack-missing"
  | "locked"
  | "conflict"
  | "auth"
  | "rate-limit"
  | "network"
  | "program-error"
  | "policy"
  | "decrypt"
  | "fail-up-after"
  | "cancelled"
  | "hang";

export interface Fault {
  name: FaultName;
  /** Fire this many times, then behave (default: every time). */
  times?: number;
  /** Commands it applies to, e.g. ["up", "stack output"] (default: see README). */
  commands?: string[];
  /** Only for this stack (`org/project/stack` or the bare stack name). */
  stack?: string;
  message?: string;
  /** fail-up-after: resources changed before the failure (default 1). */
  after?: number;
  /** decrypt: "passphrase" (incorrect passphrase) or "cloud" (failed to decrypt KEY). */
  mode?: "passphrase" | "cloud";
  key?: string;
  pack?: string;
  policy?: string;
  /** hang: ignore every signal until SIGKILL (default: cancel on the first, as the CLI does). */
  stuck?: boolean;
  /** hang, not stuck: how long the cancel takes. */
  windDownMs?: number;
}

/** signals.ndjson: the `hang` fault's start (its pid, its plugin's) or a signal it got. */
export interface HangRecord {
  started?: number;
  plugin?: number;
  signal?: NodeJS.Signals;
  pid?: number;
}

export interface CallRecord {
  argv: string[];
  cwd: string;
  workDir: string;
  project: string | null;
  exitCode: number;
  env: {
    PULUMI_BACKEND_URL: string | null;
    PULUMI_ACCESS_TOKEN: boolean;
    PULUMI_CONFIG_PASSPHRASE: boolean;
  };
}

export interface StackSpec {
  /** Keys without a namespace get the project's: `images` -> `<project>:images`. */
  config?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  resources?: { type: string; name: string; inputs?: Record<string, unknown> }[];
}

export interface StackState {
  config: Record<string, { value: unknown; secret: boolean }>;
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  outputs: Record<string, unknown>;
  deployed: boolean;
  lastUpdate: string | null;
  secretsProvider: string;
  lastMessage?: string;
  updates?: number;
}

export interface PulumiDoubleOptions {
  /** "diy" (file:// backend, the default) or "cloud" (needs PULUMI_ACCESS_TOKEN). */
  backend?: "diy" | "cloud";
  /** CLI version the double claims; below 3.226 every failure exits 255. */
  version?: string;
  project?: string;
  /** Pulumi Cloud org that bare stack names resolve to (default `acme`). */
  org?: string;
  passphrase?: string;
  accessToken?: string;
  program?: ProgramSpec;
}

const isSecret = (value: unknown): value is Secret =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  "secret" in value;

export function createPulumiDouble(options: PulumiDoubleOptions = {}) {
  const root = mkdtempSync(join(tmpdir(), "pulumi-double-"));
  const stateDir = join(root, "state");
  const workDir = join(root, "project");
  const project = options.project ?? "app";
  const cloud = options.backend === "cloud";
  const org = cloud ? (options.org ?? "acme") : DIY_ORG;
  const backendUrl = cloud ? "https://api.pulumi.com" : `file://${join(root, "backend")}`;
  const passphrase = options.passphrase ?? "test-passphrase";
  mkdirSync(stateDir, { recursive: true });
  // The real CLI fails on a missing file:// state folder (recorded: state-dir-missing.json).
  if (!cloud) mkdirSync(join(root, "backend"), { recursive: true });
  mkdirSync(workDir, { recursive: true });
  writeFileSync(
    join(workDir, "Pulumi.yaml"),
    `name: ${project}\nruntime: nodejs\ndescription: test project\n`,
  );

  const env: Record<string, string> = {
    PULUMI_DOUBLE_STATE: stateDir,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_DOUBLE_ORG: org,
    ...(cloud
      ? { PULUMI_ACCESS_TOKEN: options.accessToken ?? "pul-test0000000000000000000000000000000000" }
      : {}),
    ...(cloud ? {} : { PULUMI_CONFIG_PASSPHRASE: passphrase }),
    ...(options.version ? { PULUMI_DOUBLE_VERSION: options.version } : {}),
  };

  const ref = (name: string) => {
    const parts = name.split("/");
    if (parts.length === 3) return parts as [string, string, string];
    return [org, project, parts.at(-1) as string] as [string, string, string];
  };
  const stackFile = (name: string) => {
    const [o, p, s] = ref(name);
    return join(stateDir, "stacks", o, p, `${s}.json`);
  };
  const writeJson = (path: string, value: unknown) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
  };
  const faultsFile = join(stateDir, "faults.json");

  const double = {
    binDir: PULUMI_DOUBLE_BIN,
    env,
    stateDir,
    workDir,
    backendUrl,
    org,
    project,
    /** `org/project/stack` for a bare stack name. */
    qualified: (name: string) => ref(name).join("/"),
    writeProgram(spec: ProgramSpec) {
      writeJson(join(workDir, ".pulumi-double.json"), spec);
    },
    addStack(name: string, spec: StackSpec = {}) {
      const [, p] = ref(name);
      const config = Object.fromEntries(
        Object.entries(spec.config ?? {}).map(([key, value]) => [
          key.includes(":") ? key : `${p}:${key}`,
          isSecret(value) ? { value: value.secret, secret: true } : { value, secret: false },
        ]),
      );
      const resources = (spec.resources ?? []).map((r) => ({ ...r, inputs: r.inputs ?? {} }));
      const deployed = resources.length > 0 || Object.keys(spec.outputs ?? {}).length > 0;
      const state: StackState & { passphrase?: string } = {
        config,
        resources,
        outputs: spec.outputs ?? {},
        deployed,
        lastUpdate: deployed ? "2026-01-02T03:04:05.000Z" : null,
        secretsProvider: cloud ? "service" : "passphrase",
        ...(cloud ? {} : { passphrase }),
      };
      writeJson(stackFile(name), state);
    },
    readStack(name: string): StackState | undefined {
      const file = stackFile(name);
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as StackState) : undefined;
    },
    stackExists: (name: string) => existsSync(stackFile(name)),
    injectFault(fault: Fault) {
      const faults = existsSync(faultsFile)
        ? (JSON.parse(readFileSync(faultsFile, "utf8")) as Fault[])
        : [];
      writeJson(faultsFile, [...faults, fault]);
    },
    clearFaults: () => writeJson(faultsFile, []),
    calls(): CallRecord[] {
      const file = join(stateDir, "calls.ndjson");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CallRecord);
    },
    /** What the `hang` fault recorded: its start (with its plugin's pid) and each signal. */
    signals(): HangRecord[] {
      const file = join(stateDir, "signals.ndjson");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as HangRecord);
    },
    /** The DIY lock files of a stack (file:// backend only). */
    lockFiles(name: string): string[] {
      const [o, p, s] = ref(name);
      const dir = join(root, "backend", ".pulumi", "locks", o, p, s);
      return existsSync(dir) ? readdirSync(dir) : [];
    },
    close: () => rmSync(root, { recursive: true, force: true }),
  };
  if (options.program) double.writeProgram(options.program);
  return double;
}

export type PulumiDouble = ReturnType<typeof createPulumiDouble>;
