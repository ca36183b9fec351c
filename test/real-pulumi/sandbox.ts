/**
 * A sandbox for the real Pulumi CLI (built by `npm run engines`): a temp folder with a
 * `file://` state folder, its own PULUMI_HOME and passphrase, and small programs of
 * pulumi.dynamic resources (no provider binary: the SDK's dynamic provider runs in node)
 * that config can tell to change, fail, sleep, protect a resource or drift.
 */
import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { type ActionRun, type RunOptions, runAction } from "../harness/run-action.js";
import { repoRoot } from "../harness/paths.js";

export const PASSPHRASE = "real-engine-passphrase-0001";

/**
 * The program: `count` things t0..tN-1 with `value` (read back from `driftFile` on refresh,
 * so a test can drift it), a `bad` one whose create fails with `fail` after the others,
 * `throw` in the program itself, `sleep` ms per create, `protect` on t0. Outputs include a
 * secret nested two levels deep, and `ref` reads an output of another stack.
 */
const PROGRAM = String.raw`const pulumi = require("@pulumi/pulumi");
const cfg = new pulumi.Config();
const provider = {
  async create(inputs) {
    if (inputs.sleep) await new Promise((resolve) => setTimeout(resolve, inputs.sleep));
    if (inputs.fail) throw new Error(inputs.fail);
    return { id: inputs.name, outs: inputs };
  },
  async diff(id, olds, news) {
    return { changes: olds.value !== news.value || olds.fail !== news.fail };
  },
  async update(id, olds, news) {
    if (news.fail) throw new Error(news.fail);
    return { outs: news };
  },
  async read(id, props) {
    const fs = require("fs");
    const file = props.driftFile;
    const value = file && fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : props.value;
    return { id, props: { ...props, value } };
  },
};
class Thing extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(provider, name, { value: undefined, ...args }, opts);
  }
}
const count = cfg.getNumber("count") ?? 1;
const things = [];
for (let i = 0; i < count; i++) {
  things.push(
    new Thing("t" + i, {
      name: "t" + i,
      value: cfg.get("value") ?? "v1",
      sleep: cfg.getNumber("sleep") ?? 0,
      driftFile: i === 0 ? (cfg.get("driftFile") ?? "") : "",
    }, { protect: i === 0 && cfg.getBoolean("protect") === true }),
  );
}
if (cfg.get("fail")) new Thing("bad", { name: "bad", fail: cfg.get("fail") }, { dependsOn: things });
if (cfg.get("throw")) throw new Error(cfg.get("throw"));
exports.value = things[0] ? things[0].value : "none";
exports.count = count;
exports.db = { host: "db.internal", auth: { password: cfg.getSecret("dbPassword") ?? pulumi.secret("no-password") } };
const ref = cfg.get("ref");
if (ref) exports.fromRef = new pulumi.StackReference(ref).getOutput("value");
`;

export interface Sandbox {
  root: string;
  /** `file://` URL of the state folder. */
  backendUrl: string;
  stateDir: string;
  env: Record<string, string>;
  path: string[];
  /** A project folder named `name` with the program; `pulumiYaml` appended to Pulumi.yaml. */
  project(name: string, pulumiYaml?: string): string;
  /** The environment the sandbox's CLI runs with: its PATH, backend, passphrase and home. */
  cliEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The real CLI, in `cwd`, with the sandbox's backend and passphrase. */
  pulumi(args: string[], cwd: string, env?: Record<string, string>): Promise<CliRun>;
  action(name: string, options: RunOptions): Promise<ActionRun>;
  close(): void;
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function createSandbox(bin: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "real-pulumi-"));
  const stateDir = join(root, "state");
  mkdirSync(stateDir);
  const home = join(root, "pulumi-home");
  const backendUrl = `file://${stateDir}`;
  const path = [bin, dirname(process.execPath)];
  const env: Record<string, string> = {
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // Plugins must come from the engines folder, never a download.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  const sdk = join(repoRoot, "node_modules", "@pulumi", "pulumi");
  const cliEnv = (extra: Record<string, string> = {}) => ({
    ...process.env,
    PATH: [...path, process.env.PATH].join(delimiter),
    PULUMI_BACKEND_URL: backendUrl,
    ...env,
    ...extra,
  });

  return {
    root,
    backendUrl,
    stateDir,
    env,
    path,
    cliEnv,
    project(name, pulumiYaml = "") {
      const dir = join(root, name);
      mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
      // Only the SDK: the real host would otherwise find the repo's other @pulumi packages.
      symlinkSync(sdk, join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
      writeFileSync(
        join(dir, "Pulumi.yaml"),
        `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n${pulumiYaml}`,
      );
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name, main: "index.js" }));
      writeFileSync(join(dir, "index.js"), PROGRAM);
      return dir;
    },
    pulumi(args, cwd, extra = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], {
          cwd,
          env: cliEnv(extra),
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
      });
    },
    action(name, options) {
      return runAction(name, {
        timeoutMs: 180_000,
        ...options,
        env: { ...env, PREVIEW_KIT_RETRY_BASE_MS: "1500", ...options.env },
        path: [...path, ...(options.path ?? [])],
      });
    },
    close() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === "error");

/** Processes still running with this PULUMI_HOME: the CLI, its plugins, their programs. */
export function processesOf(home: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "utf8")
          .split("\0")
          .includes(`PULUMI_HOME=${home}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}
