/**
 * The repository's workflows as the tests see them: parsed, with their raw text (for the
 * comments a parser drops), and ways to name what a `uses:` points at and to run a step's
 * `run:` script as the runner would.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../harness/paths.js";
import { engines } from "./engines.js";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string | boolean;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export type Permissions = Record<string, "read" | "write" | "none"> | "read-all" | "write-all";

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: "inherit" | Record<string, unknown>;
  steps?: Step[];
  permissions?: Permissions;
  concurrency?:
    string | { group: string; "cancel-in-progress"?: boolean | string; queue?: "single" | "max" };
  environment?: string | { name: string; url?: string };
  outputs?: Record<string, string>;
  "timeout-minutes"?: number | string;
  defaults?: { run?: { shell?: string } };
}

export interface CallInput {
  type: "string" | "number" | "boolean";
  required?: boolean;
  default?: unknown;
  description?: string;
}

export interface WorkflowCall {
  inputs?: Record<string, CallInput>;
  secrets?: Record<string, { required?: boolean; description?: string }>;
  outputs?: Record<string, { value: string; description?: string }>;
}

export interface Workflow {
  name?: string;
  on: string | string[] | Record<string, unknown>;
  permissions?: Permissions;
  concurrency?: unknown;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job>;
}

export interface WorkflowFile {
  /** Repository-relative path, e.g. `.github/workflows/deploy.yml`. */
  path: string;
  text: string;
  workflow: Workflow;
}

export const WORKFLOW_DIRS = [".github/workflows", "action-docs/examples"] as const;

/** Every workflow file (repository-relative) under the given roots' workflow directories. */
export function workflowPaths(root = repoRoot, dirs: readonly string[] = WORKFLOW_DIRS): string[] {
  return dirs.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((file) => /\.ya?ml$/.test(file))
          .sort()
          .map((file) => `${dir}/${file}`)
      : [],
  );
}

export function loadWorkflow(path: string, root = repoRoot): WorkflowFile {
  const text = readFileSync(join(root, path), "utf8");
  return { path, text, workflow: parse(text) as Workflow };
}

export function loadWorkflows(
  root = repoRoot,
  dirs: readonly string[] = WORKFLOW_DIRS,
): WorkflowFile[] {
  return workflowPaths(root, dirs).map((path) => loadWorkflow(path, root));
}

/** The events a workflow runs on, whatever form `on:` takes. */
export function triggers(workflow: Workflow): Record<string, unknown> {
  const on = workflow.on;
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event) => [event, null]));
  return on;
}

/** The `workflow_call` contract, when the workflow is reusable. */
export function workflowCall(workflow: Workflow): WorkflowCall | undefined {
  const on = triggers(workflow);
  if (!("workflow_call" in on)) return undefined;
  return (on.workflow_call ?? {}) as WorkflowCall;
}

export interface StepAt {
  jobId: string;
  job: Job;
  index: number;
  step: Step;
}

export function stepsOf(workflow: Workflow): StepAt[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).map((step, index) => ({ jobId, job, index, step })),
  );
}

export function findStep(workflow: Workflow, jobId: string, name: string): Step {
  const step = workflow.jobs[jobId]?.steps?.find((s) => s.name === name || s.id === name);
  if (!step) throw new Error(`no step '${name}' in job '${jobId}'`);
  return step;
}

const OWN_ACTION = /^(?:\$\/|\.\/|[^./$][^/]*\/[^/]+\/)actions\/([^@/]+)\/?(?:@.+)?$/;
const OWN_WORKFLOW = /^(?:\$\/|\.\/|[^./$][^/]*\/[^/]+\/)\.github\/workflows\/([^@/]+)(?:@.+)?$/;

/**
 * The name of this package's action a `uses:` runs: `$/actions/<name>` in the package's
 * workflows (this package at the running commit), `OWNER/REPO/actions/<name>@ref` in an
 * example, `./actions/<name>` (which the package's files must not use). Undefined otherwise.
 */
export function ownAction(uses: string, root = repoRoot): string | undefined {
  const name = OWN_ACTION.exec(uses)?.[1];
  return name && existsSync(join(root, "actions", name, "action.yml")) ? name : undefined;
}

/** The file name of this package's reusable workflow a job's `uses:` calls, if it is one. */
export function ownWorkflow(uses: string, root = repoRoot): string | undefined {
  const file = OWN_WORKFLOW.exec(uses)?.[1];
  return file && existsSync(join(root, ".github", "workflows", file)) ? file : undefined;
}

/** The raw line of `uses: <ref>` (with its trailing comment), for the version comments. */
export function usesLines(text: string): { line: number; ref: string; comment: string }[] {
  return text.split("\n").flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/.exec(line);
    return match ? [{ line: index + 1, ref: match[1]!, comment: match[2] ?? "" }] : [];
  });
}

/** Every string in a value, deeply (to find the expressions a job uses). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

export interface ScriptRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The `::error ...::message` lines, messages only. */
  errors: string[];
  exportedEnv: Record<string, string>;
}

/** Reads GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIM` heredocs. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      result[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      result[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return result;
}

/**
 * The command line the runner starts a `run:` step with on Linux, for the step's `shell:`
 * (after `defaults.run.shell` of the job and the workflow): `{0}` is the script file.
 * Without any shell the runner uses `bash -e {0}`, which has no pipefail.
 */
export function shellCommand(shell: string | undefined): string[] {
  switch (shell) {
    case undefined:
      return ["bash", "-e", "{0}"];
    case "bash":
      return ["bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"];
    case "sh":
      return ["sh", "-e", "{0}"];
    default:
      throw new Error(`no runner command line for shell '${shell}' in these tests`);
  }
}

/** The shell a step runs in: its own `shell:`, else the job's, else the workflow's default. */
export function effectiveShell(workflow: Workflow, job: Job, step: Step): string | undefined {
  return step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
}

/**
 * Runs a `run:` script as the runner does on Linux: written to a file and started with the
 * command line of its shell (default `bash` as the workflows set it: `bash --noprofile
 * --norc -eo pipefail {0}`), with the given environment (and PATH entries first), and reads
 * back what it wrote. Asynchronous, so that a test's own HTTP server can answer meanwhile.
 */
export async function runScript(
  script: string,
  env: Record<string, string> = {},
  path: string[] = [],
  options: { shell: string | undefined } = { shell: "bash" },
): Promise<ScriptRun> {
  if (script.includes("${{"))
    throw new Error("the script holds an expression: the runner would splice it in");
  const temp = mkdtempSync(join(tmpdir(), "run-step-"));
  const files = { GITHUB_OUTPUT: join(temp, "output"), GITHUB_ENV: join(temp, "env") };
  const scriptFile = join(temp, "step.sh");
  writeFileSync(scriptFile, script);
  const [command, ...args] = shellCommand(options.shell).map((arg) =>
    arg === "{0}" ? scriptFile : arg,
  );
  const child = spawn(command!, args, {
    env: {
      PATH: [...path, process.env.PATH ?? ""].join(":"),
      HOME: temp,
      RUNNER_TEMP: temp,
      ...files,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) =>
    child.on("close", (code) => resolve(code ?? -1)),
  );
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseCommandFile(read(files.GITHUB_OUTPUT)),
    exportedEnv: parseCommandFile(read(files.GITHUB_ENV)),
    errors: [...stdout.matchAll(/^::error[^:]*::(.*)$/gm)].map((m) => m[1]!),
  };
}

/**
 * The findings we accept. actionlint 1.7.12 does not know `concurrency.queue`, which GitHub's
 * own workflow parser (@actions/workflow-parser, definition concurrency-mapping) accepts with
 * `single` or `max`: deploy-dev.yml and deploy-production.yml need `max`. Nor does it know
 * `job.workflow_repository` (GitHub's job context, "workflow identity", since April 2026;
 * rhysd/actionlint#647), which deploy-production.yml passes as the signer production trusts.
 */
export const ACCEPTED_FINDINGS = [
  /unexpected key "queue" for "concurrency" section/,
  /property "workflow_repository" is not defined in object type \{check_run_id: /,
];

/** A `uses:` line naming the self-repository syntax `$/...`. */
const SELF_USES = /^(\s*(?:-\s+)?uses:\s*["']?)\$\//gm;

/**
 * The one exception to actionlint for `$/`: GitHub's self-repository syntax (changelog of
 * 2026-07-30, "Reference same-repository actions with self-repository syntax": the workflow
 * file's own repository at the commit that is running, wherever `./` works) is unknown to
 * actionlint 1.7.12, which rejects every `uses: $/...` ("ref is missing", "not following the
 * format"). Linted as `./...` instead, it names the same files, because actionlint resolves
 * `./` in the repository it runs in, which is the workflow's own: so each `$/actions/<name>`
 * step is still checked against that action.yml and each `$/.github/workflows/<file>` call
 * against that workflow's inputs and secrets. Only `uses:` values change, each by the same
 * two characters, so every finding keeps its line and column.
 */
export function asActionlintSees(text: string): string {
  return text.replace(SELF_USES, "$1./");
}

/** Debian's shellcheck, which actionlint runs on every `run:` script; undefined when missing. */
export function shellcheck(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status === 0 && path) return path;
  const reason = "shellcheck missing: apt-get install -y shellcheck";
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipped: ${reason}`);
  return undefined;
}

/** The real actionlint (built by `npm run engines`) with shellcheck; undefined when missing. */
export function actionlintBinary(): { actionlint: string; shellcheck: string } | undefined {
  const dir = engines("actionlint");
  const checker = shellcheck();
  return dir && checker ? { actionlint: join(dir, "actionlint"), shellcheck: checker } : undefined;
}

/**
 * A repository where `text` is a workflow file next to `root`'s workflows and actions: read
 * from stdin, actionlint checks no local action or workflow, so it lints a file there.
 */
function lintTree(root: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
  const workflows = join(dir, ".github", "workflows");
  mkdirSync(workflows, { recursive: true });
  // actionlint takes the directory holding .git as the project whose local files it reads.
  mkdirSync(join(dir, ".git"));
  for (const entry of ["actions", "dist"])
    if (existsSync(join(root, entry))) symlinkSync(join(root, entry), join(dir, entry));
  for (const file of workflowPaths(root, [".github/workflows"]))
    symlinkSync(join(root, file), join(dir, file));
  const file = ".github/workflows/linted-by-actionlint.yml";
  writeFileSync(join(dir, file), text);
  return { dir, file };
}

/**
 * actionlint's findings for one workflow text, one readable line each (`path:line:col:
 * message [kind]`), with shellcheck on every script, in a copy of `root` where `uses: ./...`
 * (and `$/...`, see asActionlintSees) name the local action.yml and workflow files.
 */
export async function actionlint(
  path: string,
  text: string,
  root = repoRoot,
  options: { selfSyntax: "as ./" | "as is" } = { selfSyntax: "as ./" },
): Promise<string[]> {
  const tools = actionlintBinary();
  if (!tools) throw new Error("actionlint or shellcheck is missing (see the warning above)");
  const { dir, file } = lintTree(
    root,
    options.selfSyntax === "as ./" ? asActionlintSees(text) : text,
  );
  try {
    const result = spawnSync(
      tools.actionlint,
      ["-no-color", "-shellcheck", tools.shellcheck, "-format", "{{json .}}", file],
      { cwd: dir, encoding: "utf8", timeout: 60_000 },
    );
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`actionlint failed (${result.status}): ${result.stderr}`);
    const findings = JSON.parse(result.stdout || "[]") as {
      message: string;
      line: number;
      column: number;
      kind: string;
    }[];
    return findings
      .filter((f) => !ACCEPTED_FINDINGS.some((accepted) => accepted.test(f.message)))
      .map((f) => `${path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
