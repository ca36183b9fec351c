/**
 * Runs a bundled action as the GitHub runner does: `node dist/<name>/index.js` in a
 * child process, inputs as `INPUT_*` (defaults from action.yml applied, as the runner
 * applies them), and the `GITHUB_*` files; then reads back what the step produced.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { actionSpec } from "../support/actions.js";
import { cancelLikeTheRunner, type CancelTimings } from "./cancel.js";
import { inputVariable } from "../support/inputs.js";
import { repoRoot } from "./paths.js";

export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  properties: Record<string, string>;
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Step outputs as the runner would read them from GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** Variables exported through GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  annotations: Annotation[];
  /** Values registered with `::add-mask::`. */
  masks: string[];
  summary: string;
  /** The log as the runner would show it: commands removed, masks applied. */
  log: string;
  /** RUNNER_TEMP of the run, left for the test to inspect. */
  runnerTemp: string;
  /** Directories added through GITHUB_PATH, in the order written. */
  addedPath: string[];
  /** With `cancelWhen`: ms from the SIGINT to the action's exit (undefined if never sent). */
  exitedAfterCancelMs?: number;
  /** The harness had to kill the process tree (the action outlived the runner's 10 s). */
  killedByRunner: boolean;
}

export interface RunOptions {
  inputs?: Record<string, string>;
  /** Extra environment (e.g. GITHUB_API_URL, PULUMI_* for the CLI double). */
  env?: Record<string, string>;
  /** Webhook payload written to GITHUB_EVENT_PATH. */
  event?: object;
  eventName?: string;
  /** Directories put first on PATH (e.g. the Pulumi CLI double's bin). */
  path?: string[];
  cwd?: string;
  timeoutMs?: number;
  /** Aborting cancels the step as the runner does (SIGINT, SIGTERM, then the process group). */
  signal?: AbortSignal;
  cancelTimings?: CancelTimings;
  /** Called with the child's pid once it runs (its process group, when `signal` is set). */
  onSpawn?: (pid: number) => void;
  /** The package checkout whose actions/<name> runs (default this checkout). */
  root?: string;
  /**
   * Cancel the job as the runner does once stdout or stderr contains this text (or this
   * many ms after the start, for a step that prints nothing while it hangs): SIGINT to
   * the action's process only, SIGTERM 7.5 s later, then SIGKILL to its process tree 2.5 s
   * after that.
   */
  cancelWhen?: string | number;
}

export const TEST_TOKEN = "ghs_testtoken0000000000000000000000000000";

/** The few expressions action.yml defaults use, evaluated as the runner would. */
function evaluateDefault(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (expression === "github.token") return env.GITHUB_TOKEN ?? TEST_TOKEN;
    if (expression === "github.workspace") return env.GITHUB_WORKSPACE ?? "";
    if (expression === "runner.temp") return env.RUNNER_TEMP ?? "";
    throw new Error(`harness cannot evaluate \${{ ${expression} }} in an action.yml default`);
  });
}

export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i] as string);
      result[key] = value.join("\n");
    } else if (line.includes("=")) {
      result[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return result;
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(value: string): string {
  return unescapeData(value.replace(/%3A/g, ":").replace(/%2C/g, ","));
}

export function parseCommands(stdout: string) {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const logLines: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) {
      logLines.push(line);
      continue;
    }
    const [, name, rawProps = "", data = ""] = match as unknown as [
      string,
      string,
      string?,
      string?,
    ];
    const properties: Record<string, string> = {};
    for (const pair of rawProps.split(",").filter(Boolean)) {
      const eq = pair.indexOf("=");
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    if (name === "error" || name === "warning" || name === "notice") {
      annotations.push({ level: name, message: unescapeData(data), properties });
      logLines.push(`${name}: ${unescapeData(data)}`);
    } else if (name === "add-mask") {
      masks.push(unescapeData(data));
    } else if (name !== "debug") {
      logLines.push(unescapeData(data));
    }
  }
  return { annotations, masks, logLines };
}

/** The log after the runner's masking: every registered value replaced by `***`. */
export function applyMasks(text: string, masks: readonly string[]): string {
  return [...masks]
    .sort((a, b) => b.length - a.length)
    .reduce((log, mask) => (mask ? log.split(mask).join("***") : log), text);
}

export async function runAction(name: string, options: RunOptions = {}): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), `run-${name}-`));
  const files = {
    GITHUB_OUTPUT: join(temp, "output"),
    GITHUB_ENV: join(temp, "env"),
    GITHUB_PATH: join(temp, "path"),
    GITHUB_STEP_SUMMARY: join(temp, "summary.md"),
    GITHUB_EVENT_PATH: join(temp, "event.json"),
  };
  for (const file of Object.values(files)) writeFileSync(file, "");
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(options.event ?? {}));

  const env: Record<string, string> = {
    PATH: [...(options.path ?? []), process.env.PATH ?? ""].join(delimiter),
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_REPOSITORY: "octo-org/octo-repo",
    GITHUB_REPOSITORY_OWNER: "octo-org",
    GITHUB_EVENT_NAME: options.eventName ?? "push",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_REF: "refs/heads/main",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "http://127.0.0.1:9",
    GITHUB_WORKSPACE: options.cwd ?? temp,
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: join(temp, "tool-cache"),
    ...files,
    ...options.env,
  };
  const action = actionSpec(name, options.root);
  for (const [input, spec] of Object.entries(action.inputs ?? {})) {
    if (spec.default !== undefined)
      env[inputVariable(input)] = evaluateDefault(String(spec.default), env);
  }
  for (const [input, value] of Object.entries(options.inputs ?? {})) {
    if (!(input in (action.inputs ?? {})))
      throw new Error(`action ${name} has no input '${input}'`);
    env[inputVariable(input)] = value;
  }

  if (!action.runs.main) throw new Error(`action ${name} is not a JavaScript action`);
  const main = join(options.root ?? repoRoot, "actions", name, action.runs.main);
  if (!existsSync(main)) throw new Error(`${main} does not exist: run npm run bundle`);
  const child = spawn(process.execPath, [main], {
    cwd: options.cwd ?? temp,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.signal !== undefined || options.cancelWhen !== undefined,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  // cancelWhen cancels the step itself, through the same sequence a cancelled run gets.
  const cancelWhen = new AbortController();
  const cancellation =
    options.signal || options.cancelWhen !== undefined
      ? cancelLikeTheRunner(
          child,
          options.signal ? AbortSignal.any([options.signal, cancelWhen.signal]) : cancelWhen.signal,
          options.cancelTimings,
        )
      : undefined;
  let stdout = "";
  let stderr = "";
  const watch = () => {
    const when = options.cancelWhen;
    if (typeof when === "string" && (stdout + stderr).includes(when)) cancelWhen.abort();
  };
  const cancelTimer =
    typeof options.cancelWhen === "number"
      ? setTimeout(() => cancelWhen.abort(), options.cancelWhen)
      : undefined;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    watch();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    watch();
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exitCode = await new Promise<number>((resolve) =>
    child.on("exit", (code) => resolve(code ?? 1)),
  );
  const cancelledAt = cancellation?.cancelledAt;
  const exitedAfterCancelMs =
    cancelledAt === undefined ? undefined : performance.now() - cancelledAt;
  clearTimeout(cancelTimer);
  cancellation?.stop();
  // The log is complete once the pipes close, which orphans holding them would delay.
  await new Promise((resolve) => {
    if (child.stdout.readableEnded && child.stderr.readableEnded) resolve(undefined);
    child.on("close", resolve);
    setTimeout(resolve, 2_000).unref();
  });
  clearTimeout(timeout);

  const { annotations, masks, logLines } = parseCommands(stdout);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, "utf8")),
    exportedEnv: parseFileCommands(readFileSync(files.GITHUB_ENV, "utf8")),
    annotations,
    masks,
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
    log: applyMasks([...logLines, stderr].join("\n"), masks),
    runnerTemp: temp,
    addedPath: readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean),
    exitedAfterCancelMs,
    killedByRunner: cancellation?.killed ?? false,
  };
}

/**
 * The secrets a reader could still see: in the log after the runner's masking, or in
 * the job summary, which the runner does not mask at all.
 */
export function leakedSecrets(run: ActionRun, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => run.log.includes(secret) || run.summary.includes(secret));
}
