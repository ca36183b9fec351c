/**
 * One job's steps, run in order as the runner runs them: `if:` with the step status
 * functions, env layered job < step, the GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH /
 * GITHUB_STEP_SUMMARY files per step, `::` commands and masking in the log. A step is a
 * `run:` script (shell.ts), one of this package's JavaScript actions through the test
 * harness (`node dist/<name>/index.js`), a composite action, or a third-party stand-in.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { parseAction, convertActionTemplate } from "@actions/workflow-parser/actions/index";
import type { ActionTemplate } from "@actions/workflow-parser/actions/index";
import { ensureStatusFunction } from "@actions/workflow-parser/model/converter/if-condition";
import type { Step } from "@actions/workflow-parser/model/workflow-template";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { NoOperationTraceWriter } from "@actions/workflow-parser";
import type { CancelTimings } from "../harness/cancel.js";
import {
  applyMasks,
  parseCommands,
  parseFileCommands,
  runAction,
  type Annotation,
} from "../harness/run-action.js";
import {
  asString,
  evaluateExpression,
  evaluateStrings,
  evaluateToken,
  truthy,
  type Contexts,
  type Status,
} from "./expressions.js";
import { member } from "./load.js";
import type { JobRecord, Result } from "./records.js";
import { runScript, shellCommandLine } from "./shell.js";
import type { ProvenanceSigner } from "./attest-stand-in.js";
import { STAND_INS, type StandInResult } from "./stand-ins.js";
import { resolveAction, type Origin, type PackageCheckout, type Resolver } from "./uses.js";

export interface StepContext {
  outputs: Record<string, string>;
  outcome: Result;
  conclusion: Result;
}

/** Everything a job's steps share; env, path, masks and steps grow as steps run. */
export interface JobScope {
  record: JobRecord;
  resolver: Resolver;
  origin: Origin;
  /** The package checkout a package file's job came from (Resolver.packageAt). */
  kit?: PackageCheckout;
  workspace: string;
  runnerTemp: string;
  artifacts: string;
  /** The repository's Actions cache (the cache stand-in's store). */
  caches: string;
  /** Sigstore for the attest stand-in (RunnerOptions.signProvenance). */
  signProvenance?: ProvenanceSigner | undefined;
  /** Post steps of the stand-ins that ran, in the order they ran (run in reverse). */
  posts: { name: string; run: () => StandInResult }[];
  /** A `run:` step's time limit (RunnerOptions.stepTimeoutMs). */
  stepTimeoutMs?: number;
  /** `run:` scripts a test replaced (see RunnerOptions.replaceRuns). */
  replaceRuns: Record<string, ReplacedRun>;
  repository: string;
  sha: string;
  source(sha: string): string;
  /** GITHUB_*, RUNNER_* and the rest the runner sets for every step. */
  baseEnv: Record<string, string>;
  /** The job's env: workflow env, job env, then what steps wrote to GITHUB_ENV. */
  env: Record<string, string>;
  /** Directories from GITHUB_PATH, newest first, ahead of PATH. */
  path: string[];
  masks: string[];
  /** github, inputs, vars, secrets, needs, matrix, strategy, runner, job. */
  contexts: Contexts;
  event: object;
  eventName: string;
  signal: AbortSignal;
  cancelTimings?: CancelTimings;
  /** Process groups started by this job, killed when it ends (orphan cleanup). */
  groups: number[];
  defaults: { shell?: string; workingDirectory?: string };
  log(line: string): void;
  annotate(annotation: Annotation): void;
}

/** A `run:` script a test replaced by another, with the reason the log gives. */
export interface ReplacedRun {
  run: string;
  because: string;
}

interface Outcome {
  ok: boolean;
  outputs: Record<string, string>;
  kind: string;
}

const NO_CANCEL = new AbortController().signal;

/** The job status the steps see: failure once a step failed, cancelled once the run was. */
export interface StepsState {
  failed: boolean;
  steps: Record<string, StepContext>;
}

function statusOf(state: StepsState, job: JobScope): Status {
  const cancelled = job.signal.aborted;
  return { success: !state.failed && !cancelled, failure: state.failed, cancelled };
}

export function jobStatus(state: StepsState, job: JobScope): Result {
  return job.signal.aborted ? "cancelled" : state.failed ? "failure" : "success";
}

function stepContexts(
  job: JobScope,
  state: StepsState,
  env: Record<string, string>,
  extra: Contexts = {},
): Contexts {
  return {
    ...job.contexts,
    env,
    steps: state.steps,
    job: { ...(job.contexts.job as object), status: jobStatus(state, job) },
    ...extra,
  };
}

function masked(job: JobScope, text: string): string {
  return applyMasks(
    text,
    job.masks.filter((mask) => mask.length > 0),
  );
}

/** Reads a step's output as the runner does: commands out, annotations kept, masks applied. */
function absorbLog(job: JobScope, stdout: string, stderr: string): void {
  const { annotations, masks, logLines } = parseCommands(stdout);
  job.masks.push(...masks.filter(Boolean));
  for (const annotation of annotations)
    job.annotate({ ...annotation, message: masked(job, annotation.message) });
  for (const line of [...logLines, ...stderr.split("\n")])
    if (line.trim()) job.log(masked(job, line));
}

function fileCommands(job: JobScope) {
  const dir = join(job.runnerTemp, "_runner_file_commands");
  mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  const files = {
    GITHUB_OUTPUT: join(dir, `set_output_${id}`),
    GITHUB_ENV: join(dir, `set_env_${id}`),
    GITHUB_PATH: join(dir, `add_path_${id}`),
    GITHUB_STEP_SUMMARY: join(dir, `step_summary_${id}`),
  };
  for (const file of Object.values(files)) writeFileSync(file, "");
  return files;
}

function absorbFiles(
  job: JobScope,
  exportedEnv: Record<string, string>,
  addedPath: string[],
  summary: string,
) {
  Object.assign(job.env, exportedEnv);
  job.path.unshift(...[...addedPath].reverse());
  job.record.summary += summary;
}

function processEnv(job: JobScope, env: Record<string, string>): Record<string, string> {
  return { ...job.baseEnv, ...env, PATH: [...job.path, job.baseEnv.PATH ?? ""].join(":") };
}

async function runStepScript(
  job: JobScope,
  script: string,
  shell: string | undefined,
  cwd: string,
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<Outcome> {
  const files = fileCommands(job);
  const kind = `run (${shellCommandLine(shell).line})`;
  const result = await runScript(script, {
    shell,
    cwd,
    env: { ...processEnv(job, env), ...files },
    runnerTemp: job.runnerTemp,
    signal,
    cancelTimings: job.cancelTimings,
    onSpawn: (pid) => job.groups.push(pid),
    timeoutMs: job.stepTimeoutMs,
  });
  absorbLog(job, result.stdout, result.stderr);
  absorbFiles(
    job,
    parseFileCommands(readFileSync(files.GITHUB_ENV, "utf8")),
    readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean),
    readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
  );
  if (result.exitCode !== 0) job.log(`Error: Process completed with exit code ${result.exitCode}.`);
  return {
    ok: result.exitCode === 0,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, "utf8")),
    kind,
  };
}

function loadAction(dir: string): ActionTemplate & { root: TemplateToken } {
  const file = {
    name: join(dir, "action.yml"),
    content: readFileSync(join(dir, "action.yml"), "utf8"),
  };
  const parsed = parseAction(file, new NoOperationTraceWriter());
  if (!parsed.value) throw new Error(`${file.name} does not parse`);
  return { ...convertActionTemplate(parsed.context, parsed.value), root: parsed.value };
}

/** with: values for an action's inputs, defaults applied; unknown ones warned about as GitHub does. */
function actionInputs(
  job: JobScope,
  action: ActionTemplate,
  given: Record<string, string>,
  contexts: Contexts,
) {
  const known = new Set((action.inputs ?? []).map((input) => input.id));
  const unknown = Object.keys(given).filter((name) => !known.has(name));
  if (unknown.length > 0)
    job.annotate({
      level: "warning",
      message: `Unexpected input(s) '${unknown.join("', '")}', valid inputs are ['${[...known].join("', '")}']`,
      properties: {},
    });
  const inputs: Record<string, string> = {};
  for (const input of action.inputs ?? []) {
    if (input.id in given) inputs[input.id] = given[input.id] as string;
    else if (input.default) inputs[input.id] = asString(evaluateToken(input.default, contexts));
  }
  return inputs;
}

async function runJavaScriptAction(
  job: JobScope,
  name: string,
  root: string,
  given: Record<string, string>,
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<Outcome> {
  const {
    GITHUB_OUTPUT: _o,
    GITHUB_ENV: _e,
    GITHUB_PATH: _p,
    GITHUB_STEP_SUMMARY: _s,
    GITHUB_EVENT_PATH: _v,
    ...stepEnv
  } = processEnv(job, env);
  const run = await runAction(name, {
    inputs: given,
    env: stepEnv,
    event: job.event,
    eventName: job.eventName,
    cwd: job.workspace,
    signal,
    cancelTimings: job.cancelTimings,
    onSpawn: (pid) => job.groups.push(pid),
    timeoutMs: 10 * 60_000,
    root,
  });
  absorbLog(job, run.stdout, run.stderr);
  absorbFiles(job, run.exportedEnv, run.addedPath, run.summary);
  return {
    ok: run.exitCode === 0,
    outputs: run.outputs,
    kind: `package action ${name} (node dist/${name}/index.js)`,
  };
}

async function runComposite(
  job: JobScope,
  dir: string,
  action: ActionTemplate & { root: TemplateToken },
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<Outcome> {
  if (action.runs.using !== "composite") throw new Error("not a composite action");
  const raw = member(member(action.root, "runs"), "steps");
  const state: StepsState = { failed: false, steps: {} };
  const extra = { inputs };
  await runSteps(
    job,
    action.runs.steps,
    (i) => (raw && "get" in raw ? (raw as { get(i: number): TemplateToken }).get(i) : undefined),
    state,
    {
      extraContexts: extra,
      extraEnv: { ...env, GITHUB_ACTION_PATH: dir },
      composite: true,
    },
  );
  const contexts = stepContexts(job, state, job.env, extra);
  const outputs = Object.fromEntries(
    (action.outputs ?? []).map((output) => [
      output.id,
      output.value ? asString(evaluateToken(output.value, contexts)) : "",
    ]),
  );
  return { ok: !state.failed, outputs, kind: "composite" };
}

async function runUses(
  job: JobScope,
  uses: string,
  given: Record<string, string>,
  env: Record<string, string>,
  signal: AbortSignal,
  contexts: Contexts,
): Promise<Outcome> {
  const resolved = resolveAction(uses, job.origin, job.workspace, job.resolver, job.kit);
  if (resolved.kind === "third-party") {
    const standIn = STAND_INS[resolved.name];
    if (!standIn) {
      job.log(`no stand-in for ${resolved.name}: the local runner cannot run it`);
      return { ok: false, outputs: {}, kind: `third-party ${resolved.name} (no stand-in)` };
    }
    const result = await standIn({
      env: processEnv(job, env),
      inputs: given,
      workspace: job.workspace,
      artifacts: job.artifacts,
      source: job.source,
      repository: job.repository,
      sha: job.sha,
      caches: job.caches,
      token: String((job.contexts.github as { token?: unknown }).token ?? ""),
      signProvenance: job.signProvenance,
    });
    for (const line of result.log) job.log(`[stand-in ${resolved.name}] ${line}`);
    if (result.ok && result.post) job.posts.push({ name: resolved.name, run: result.post });
    absorbFiles(job, result.exportedEnv ?? {}, result.addedPath ?? [], "");
    return {
      ok: result.ok,
      outputs: result.outputs ?? {},
      kind: `stand-in for ${resolved.name}@${resolved.ref}`,
    };
  }
  job.log(resolved.note);
  if (!existsSync(join(resolved.dir, "action.yml"))) {
    // The runner's own words for a local action nobody checked out.
    job.log(
      `Error: Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '${resolved.dir}'. Did you forget to run actions/checkout before running your local action?`,
    );
    return { ok: false, outputs: {}, kind: `local ${uses} (missing)` };
  }
  const action = loadAction(resolved.dir);
  const inputs = actionInputs(job, action, given, contexts);
  if (action.runs.using === "composite")
    return runComposite(job, resolved.dir, action, inputs, env);
  if (resolved.kind !== "package")
    throw new Error(`${uses}: only this package's JavaScript actions can run here`);
  return runJavaScriptAction(job, resolved.name, resolved.root, inputs, env, signal);
}

export interface RunStepsOptions {
  extraContexts?: Contexts;
  extraEnv?: Record<string, string>;
  composite?: boolean;
}

function stepName(step: Step, raw: TemplateToken | undefined, contexts: Contexts): string {
  if (step.name) return asString(evaluateToken(step.name, contexts));
  if ("uses" in step) return `Run ${step.uses.value}`;
  if ("run" in step)
    return `Run ${String(raw ? asString(evaluateToken(member(raw, "run") as TemplateToken, contexts)) : "").split("\n")[0]}`;
  return step.id;
}

export async function runSteps(
  job: JobScope,
  steps: Step[],
  rawOf: (index: number) => TemplateToken | undefined,
  state: StepsState,
  options: RunStepsOptions = {},
): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const raw = rawOf(index);
    const env = { ...job.env, ...options.extraEnv };
    const contexts = stepContexts(job, state, env, options.extraContexts);
    const condition = step.if?.expression ?? "success()";
    // Composite steps' if: strings come unwrapped from the action converter.
    const wrapped = options.composite ? ensureStatusFunction(condition, undefined) : condition;
    const name = stepName(step, raw, contexts);
    const run = truthy(evaluateExpression(wrapped, contexts, statusOf(state, job)));
    if (!run) {
      job.log(`- ${name}: skipped (if: ${condition})`);
      job.record.steps.push({
        name,
        outcome: "skipped",
        conclusion: "skipped",
        kind: "skipped",
        ms: 0,
      });
      if (!step.id.startsWith("__"))
        state.steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
      continue;
    }
    const stepEnv = { ...env, ...evaluateStrings("env" in step ? step.env : undefined, contexts) };
    const evalContexts = { ...contexts, env: stepEnv };
    // A step that runs after a cancel (always(), cancelled()) is not cancelled again.
    const signal = job.signal.aborted ? NO_CANCEL : job.signal;
    job.log(`- ${name}`);
    const began = Date.now();
    let outcome: Outcome;
    try {
      if ("run" in step) {
        let script = asString(evaluateToken(step.run, evalContexts));
        const replaced = job.replaceRuns[script.trim()];
        if (replaced) {
          job.log(
            `[stand-in run] '${script.trim()}' replaced by '${replaced.run}': ${replaced.because}`,
          );
          script = replaced.run;
        }
        const shellToken = member(raw, "shell");
        const shell = shellToken
          ? asString(evaluateToken(shellToken, evalContexts))
          : options.composite
            ? undefined
            : job.defaults.shell;
        if (options.composite && !shell)
          throw new Error("a composite action's run step must name a shell");
        const wdToken = member(raw, "working-directory");
        const wd = wdToken
          ? asString(evaluateToken(wdToken, evalContexts))
          : job.defaults.workingDirectory;
        const cwd = wd ? (isAbsolute(wd) ? wd : join(job.workspace, wd)) : job.workspace;
        outcome = await runStepScript(job, script, shell, cwd, stepEnv, signal);
      } else if ("uses" in step) {
        const given = evaluateStrings(member(raw, "with"), evalContexts);
        outcome = await runUses(job, step.uses.value, given, stepEnv, signal, evalContexts);
      } else {
        throw new Error(`step ${step.id}: only run: and uses: steps are supported`);
      }
    } catch (error) {
      job.log(`Error: ${error instanceof Error ? error.message : String(error)}`);
      job.annotate({
        level: "error",
        message: error instanceof Error ? error.message : String(error),
        properties: {},
      });
      outcome = { ok: false, outputs: {}, kind: "runner error" };
    }
    const continueOnError = step["continue-on-error"];
    const tolerated =
      continueOnError === true ||
      (typeof continueOnError === "object" && truthy(evaluateToken(continueOnError, evalContexts)));
    const result: Result =
      signal.aborted && !outcome.ok ? "cancelled" : outcome.ok ? "success" : "failure";
    const conclusion: Result = result === "failure" && tolerated ? "success" : result;
    if (conclusion === "failure") state.failed = true;
    if (!step.id.startsWith("__"))
      state.steps[step.id] = { outputs: outcome.outputs, outcome: result, conclusion };
    job.record.steps.push({
      name,
      outcome: result,
      conclusion,
      kind: outcome.kind,
      ms: Date.now() - began,
    });
  }
}

/**
 * The post steps of the stand-ins, newest first, as the runner runs `post:` after the job's
 * steps; each declares `post-if: success()`, so none runs after a failed or cancelled step.
 */
export function runPosts(job: JobScope, state: StepsState): void {
  for (const post of [...job.posts].reverse()) {
    const name = `Post ${post.name}`;
    if (state.failed || job.signal.aborted) {
      job.log(`- ${name}: skipped (post-if: success())`);
      job.record.steps.push({
        name,
        outcome: "skipped",
        conclusion: "skipped",
        kind: "skipped",
        ms: 0,
      });
      continue;
    }
    job.log(`- ${name}`);
    const began = Date.now();
    const result = post.run();
    for (const line of result.log) job.log(`[stand-in ${post.name}] ${line}`);
    const outcome: Result = result.ok ? "success" : "failure";
    if (!result.ok) state.failed = true;
    job.record.steps.push({
      name,
      outcome,
      conclusion: outcome,
      kind: `post of the stand-in for ${post.name}`,
      ms: Date.now() - began,
    });
  }
}
