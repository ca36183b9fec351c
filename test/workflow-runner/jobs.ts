/**
 * A workflow's jobs as GitHub schedules them: each starts when its `needs` have finished,
 * its `if:` evaluated with the job status functions (success() = every job it depends on,
 * directly or not, succeeded); matrix legs in parallel (fail-fast cancels the others);
 * job-level concurrency and environments (required reviewers wait for an approval);
 * a reusable-workflow job runs the called workflow's jobs with only the inputs and the
 * secrets that workflow declares, and its token permissions capped by the caller job's.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type {
  ReusableWorkflowJob,
  WorkflowJob,
  Job,
} from "@actions/workflow-parser/model/workflow-template";
import { isMapping } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { GITHUB_ACTIONS_BOT } from "../emulators/github/state.js";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import type { JobScopes } from "../emulators/github/scopes.js";
import { killGroup } from "../harness/cancel.js";
import {
  asString,
  evaluateExpression,
  evaluateToken,
  evaluateStrings,
  truthy,
  type Contexts,
  type Value,
} from "./expressions.js";
import { member, rawJob, rawStep, type LoadedWorkflow, type WorkflowFile } from "./load.js";
import { exceeding, parsePermissions, REPOSITORY_DEFAULT } from "./permissions.js";
import type { JobRecord, Result } from "./records.js";
import { jobStatus, runPosts, runSteps, type JobScope, type StepsState } from "./steps.js";
import type { RunState } from "./run-state.js";

/** One workflow file's jobs being run: the caller's, or a called workflow's. */
export interface WorkflowScope {
  run: RunState;
  loaded: LoadedWorkflow;
  file: WorkflowFile;
  /** Name prefix of the jobs: `caller / ` in a called workflow. */
  prefix: string;
  inputs: Record<string, Value>;
  secrets: Record<string, string>;
  /** The caller job's permissions (a called workflow's ceiling), undefined at the top. */
  ceiling?: JobScopes;
  env: Record<string, string>;
  signal: AbortSignal;
}

export interface JobOutcome {
  result: Result;
  outputs: Record<string, string>;
}

const STATUS_RANK: Result[] = ["failure", "cancelled", "success", "skipped"];

function combine(results: Result[]): Result {
  if (results.length === 0) return "skipped";
  for (const result of STATUS_RANK)
    if (results.includes(result) && result !== "skipped") return result;
  return "skipped";
}

/** Every job this one depends on, directly or through others. */
function ancestors(
  job: WorkflowJob,
  all: Map<string, WorkflowJob>,
  seen = new Set<string>(),
): Set<string> {
  for (const need of job.needs ?? []) {
    if (seen.has(need.value)) continue;
    seen.add(need.value);
    const parent = all.get(need.value);
    if (parent) ancestors(parent, all, seen);
  }
  return seen;
}

function matrixLegs(strategy: Value): { legs: Record<string, Value>[]; failFast: boolean } {
  if (!strategy || typeof strategy !== "object" || Array.isArray(strategy))
    return { legs: [{}], failFast: true };
  const failFast = strategy["fail-fast"] !== false;
  const matrix = strategy.matrix;
  if (!matrix || typeof matrix !== "object" || Array.isArray(matrix))
    return { legs: [{}], failFast };
  const { include, exclude, ...axes } = matrix as Record<string, Value>;
  let legs: Record<string, Value>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${key} must be a list`);
    legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [key]: value })));
  }
  const matches = (leg: Record<string, Value>, partial: Record<string, Value>) =>
    Object.entries(partial).every(
      ([key, value]) => JSON.stringify(leg[key]) === JSON.stringify(value),
    );
  if (Array.isArray(exclude))
    legs = legs.filter((leg) => !exclude.some((e) => matches(leg, e as Record<string, Value>)));
  if (Array.isArray(include)) {
    for (const entry of include as Record<string, Value>[]) {
      const onAxes = Object.fromEntries(Object.entries(entry).filter(([key]) => key in axes));
      const hits = Object.keys(axes).length > 0 ? legs.filter((leg) => matches(leg, onAxes)) : [];
      if (hits.length > 0) for (const leg of hits) Object.assign(leg, entry);
      else legs.push({ ...entry });
    }
  }
  if (legs.length === 0) throw new Error("the matrix has no legs");
  return { legs, failFast };
}

function legSuffix(matrix: Record<string, Value>): string {
  const values = Object.values(matrix).map((v) =>
    typeof v === "object" && v !== null ? JSON.stringify(v) : asString(v),
  );
  return values.length > 0 ? ` (${values.join(", ")})` : "";
}

function linkedController(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) controller.abort();
  else parent.addEventListener("abort", () => controller.abort(), { once: true });
  return controller;
}

/** The job's permissions, and the startup error when a called workflow's job asks for more. */
function permissionsOf(
  scope: WorkflowScope,
  job: WorkflowJob,
): { scopes: JobScopes; error?: string } {
  const own =
    parsePermissions(member(rawJob(scope.file, job), "permissions")) ??
    parsePermissions(member(scope.file.root, "permissions"));
  if (!scope.ceiling) return { scopes: own ?? scope.run.defaultScopes ?? REPOSITORY_DEFAULT };
  if (!own) return { scopes: scope.ceiling };
  return { scopes: own, error: exceeding(job.id.value, own, scope.ceiling) };
}

function defaultsOf(file: WorkflowFile, raw: TemplateToken) {
  const run = (token: TemplateToken | undefined) => member(member(token, "defaults"), "run");
  const pick = (key: string) => {
    const token = member(run(raw), key) ?? member(run(file.root), key);
    return token ? token.toString() : undefined;
  };
  return { shell: pick("shell"), workingDirectory: pick("working-directory") };
}

export async function runJobs(
  scope: WorkflowScope,
  jobs: WorkflowJob[],
): Promise<Map<string, JobOutcome>> {
  const all = new Map(jobs.map((job) => [job.id.value, job]));
  const outcomes = new Map<string, JobOutcome>();
  const started = new Map<string, Promise<void>>();

  const start = (job: WorkflowJob): Promise<void> => {
    const existing = started.get(job.id.value);
    if (existing) return existing;
    const promise = (async () => {
      await Promise.all((job.needs ?? []).map((need) => start(all.get(need.value) as WorkflowJob)));
      let outcome: JobOutcome;
      try {
        outcome = await runJob(scope, job, all, outcomes);
      } catch (error) {
        // A runner gap or a workflow GitHub would refuse: the job fails, the run goes on.
        const message = error instanceof Error ? error.message : String(error);
        scope.run.log(`${scope.prefix}${job.id.value}: ${message}`);
        scope.run.record.jobs.push({
          ...emptyRecord(`${scope.prefix}${job.id.value}`, "failure"),
          annotations: [{ level: "error", message, properties: {} }],
        });
        outcome = { result: "failure", outputs: {} };
      }
      outcomes.set(job.id.value, outcome);
    })();
    started.set(job.id.value, promise);
    return promise;
  };
  await Promise.all(jobs.map(start));
  return outcomes;
}

function needsContext(job: WorkflowJob, outcomes: Map<string, JobOutcome>) {
  return Object.fromEntries(
    (job.needs ?? []).map((need) => {
      const outcome = outcomes.get(need.value);
      return [
        need.value,
        { result: outcome?.result ?? "skipped", outputs: outcome?.outputs ?? {} },
      ];
    }),
  );
}

async function runJob(
  scope: WorkflowScope,
  job: WorkflowJob,
  all: Map<string, WorkflowJob>,
  outcomes: Map<string, JobOutcome>,
): Promise<JobOutcome> {
  const { run } = scope;
  const needs = needsContext(job, outcomes);
  const contexts: Contexts = { github: run.github, inputs: scope.inputs, vars: run.vars, needs };
  const upstream = [...ancestors(job, all)].map((id) => outcomes.get(id)?.result ?? "skipped");
  const status = {
    success: upstream.every((r) => r === "success") && !scope.signal.aborted,
    failure: upstream.includes("failure"),
    cancelled: scope.signal.aborted,
  };
  const name = `${scope.prefix}${job.id.value}`;
  let proceed: boolean;
  try {
    proceed = truthy(evaluateExpression(job.if.expression, contexts, status));
  } catch (error) {
    run.log(`${name}: if: ${job.if.expression} fails: ${String(error)}`);
    return { result: "failure", outputs: {} };
  }
  if (!proceed) {
    const result: Result = scope.signal.aborted ? "cancelled" : "skipped";
    run.log(`${name}: ${result} (if: ${job.if.expression})`);
    run.record.jobs.push(emptyRecord(name, result));
    return { result, outputs: {} };
  }

  const strategy = job.strategy ? evaluateToken(job.strategy, contexts) : null;
  const { legs, failFast } = matrixLegs(strategy);
  const group = linkedController(scope.signal);
  const results = await Promise.all(
    legs.map(async (matrix) => {
      const legContexts = {
        ...contexts,
        matrix,
        strategy: { "fail-fast": failFast, "job-total": legs.length },
      };
      const outcome =
        job.type === "reusableWorkflowJob"
          ? await runCall(scope, job, legContexts, group.signal)
          : await runStepsJob(scope, job, legContexts, matrix, group.signal);
      if (outcome.result === "failure" && failFast && legs.length > 1) group.abort();
      return outcome;
    }),
  );
  return {
    result: combine(results.map((r) => r.result)),
    outputs: Object.assign(
      {},
      ...results.map((r) =>
        Object.fromEntries(Object.entries(r.outputs).filter(([, v]) => v !== "")),
      ),
    ),
  };
}

function emptyRecord(path: string, result: Result): JobRecord {
  return {
    path,
    name: path,
    result,
    outputs: {},
    steps: [],
    annotations: [],
    log: [],
    summary: "",
  };
}

/** Waits for the job's concurrency group; false when it was cancelled while waiting. */
async function withConcurrency<T>(
  scope: WorkflowScope,
  token: TemplateToken | undefined,
  contexts: Contexts,
  label: string,
  controller: AbortController,
  body: () => Promise<T>,
  cancelled: () => T,
): Promise<T> {
  if (!token) return body();
  const value = evaluateToken(token, contexts);
  const group =
    typeof value === "string" ? value : asString((value as Record<string, Value>)?.group ?? "");
  const mapping =
    typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  const cancelInProgress = mapping !== undefined && truthy(mapping["cancel-in-progress"] ?? false);
  const queue = mapping?.queue === undefined ? "single" : asString(mapping.queue);
  if (queue !== "single" && queue !== "max")
    throw new Error(`concurrency.queue must be single or max, got '${queue}'`);
  const release = await scope.run.concurrency.acquire(
    group,
    {
      label,
      cancel: (reason) => {
        scope.run.log(`${label}: ${reason}`);
        controller.abort();
      },
    },
    { cancelInProgress, queue },
  );
  if (!release) return cancelled();
  try {
    return await body();
  } finally {
    release();
  }
}

async function runCall(
  scope: WorkflowScope,
  job: ReusableWorkflowJob,
  contexts: Contexts,
  signal: AbortSignal,
): Promise<JobOutcome> {
  const { run } = scope;
  const label = `${scope.prefix}${job.id.value}`;
  const controller = linkedController(signal);
  return withConcurrency(
    scope,
    job.concurrency,
    contexts,
    `run ${run.id} ${label}`,
    controller,
    async () => {
      const called = scope.loaded.calledFile(job);
      run.log(`${label}: calls ${job.ref.value} (${called.path})`);
      let inputs: Record<string, Value>;
      let secrets: Record<string, string>;
      try {
        inputs = callInputs(job, contexts);
        secrets = callSecrets(job, { ...contexts, secrets: scope.secrets }, scope.secrets);
      } catch (error) {
        run.log(`${label}: ${String(error instanceof Error ? error.message : error)}`);
        run.record.jobs.push({
          ...emptyRecord(label, "failure"),
          annotations: [
            {
              level: "error",
              message: String(error instanceof Error ? error.message : error),
              properties: {},
            },
          ],
        });
        return { result: "failure", outputs: {} };
      }
      const { scopes, error } = permissionsOf(scope, job);
      if (error) {
        run.record.jobs.push({
          ...emptyRecord(label, "failure"),
          annotations: [{ level: "error", message: error, properties: {} }],
        });
        return { result: "failure", outputs: {} };
      }
      const inner: WorkflowScope = {
        run,
        loaded: scope.loaded,
        file: called,
        prefix: `${label} / `,
        inputs,
        secrets,
        ceiling: scopes,
        env: evaluateStrings(member(called.root, "env"), {
          github: run.github,
          inputs,
          vars: run.vars,
          secrets,
        }),
        signal: controller.signal,
      };
      const results = await runJobs(inner, job.jobs ?? []);
      const jobsContext = Object.fromEntries([...results].map(([id, outcome]) => [id, outcome]));
      const outputs: Record<string, string> = {};
      if (job.outputs && isMapping(job.outputs)) {
        for (const pair of job.outputs) {
          const value = member(pair.value, "value");
          outputs[pair.key.toString()] = value
            ? asString(
                evaluateToken(value, {
                  github: run.github,
                  inputs,
                  vars: run.vars,
                  jobs: jobsContext,
                }),
              )
            : "";
        }
      }
      const result = controller.signal.aborted
        ? "cancelled"
        : combine(
            [...results.values()]
              .map((r) => r.result)
              .map((r) => (r === "skipped" ? "success" : r)),
          );
      return { result, outputs };
    },
    () => {
      run.record.jobs.push(emptyRecord(label, "cancelled"));
      return { result: "cancelled" as Result, outputs: {} };
    },
  );
}

function callInputs(job: ReusableWorkflowJob, contexts: Contexts): Record<string, Value> {
  const given = job["input-values"]
    ? (evaluateToken(job["input-values"], contexts) as Record<string, Value>)
    : {};
  const inputs: Record<string, Value> = {};
  const definitions = job["input-definitions"];
  const declared = new Set<string>();
  if (definitions && isMapping(definitions)) {
    for (const pair of definitions) {
      const id = pair.key.toString();
      declared.add(id);
      const type = member(pair.value, "type")?.toString() ?? "string";
      const required = member(pair.value, "required")?.toString() === "true";
      const defaultToken = member(pair.value, "default");
      let value: Value | undefined = given[id];
      if (value === undefined || value === null) {
        if (required) throw new Error(`Input required and not supplied: ${id}`);
        value = defaultToken
          ? evaluateToken(defaultToken, { github: contexts.github, inputs })
          : type === "boolean"
            ? false
            : type === "number"
              ? 0
              : "";
      }
      if (type === "number") {
        const number = typeof value === "number" ? value : Number(asString(value));
        if (Number.isNaN(number))
          throw new Error(`Unexpected value '${asString(value)}' for input ${id} of type number`);
        value = number;
      } else if (type === "boolean") {
        if (typeof value !== "boolean") {
          if (value === "true" || value === "false") value = value === "true";
          else
            throw new Error(
              `Unexpected value '${asString(value)}' for input ${id} of type boolean`,
            );
        }
      } else value = asString(value);
      inputs[id] = value;
    }
  }
  for (const id of Object.keys(given))
    if (!declared.has(id))
      throw new Error(`Invalid input, ${id} is not defined in the referenced workflow.`);
  return inputs;
}

/** What the called workflow sees: only the secrets it declares (plus none it does not). */
function callSecrets(
  job: ReusableWorkflowJob,
  contexts: Contexts,
  callerSecrets: Record<string, string>,
): Record<string, string> {
  const passed = job["inherit-secrets"]
    ? { ...callerSecrets }
    : evaluateStrings(job["secret-values"], contexts);
  const definitions = job["secret-definitions"];
  const declared = new Map<string, boolean>();
  if (definitions && isMapping(definitions))
    for (const pair of definitions)
      declared.set(pair.key.toString(), member(pair.value, "required")?.toString() === "true");
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(passed)) {
    if (declared.has(name)) secrets[name] = value;
    else if (!job["inherit-secrets"])
      throw new Error(`Invalid secret, ${name} is not defined in the referenced workflow.`);
  }
  for (const [name, required] of declared)
    if (required && !secrets[name])
      throw new Error(`Secret ${name} is required, but not provided while calling.`);
  return secrets;
}

let nextCheckRunId = 41_000_001;

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80);
}

async function runStepsJob(
  scope: WorkflowScope,
  job: Job,
  contexts: Contexts,
  matrix: Record<string, Value>,
  signal: AbortSignal,
): Promise<JobOutcome> {
  const { run } = scope;
  const raw = rawJob(scope.file, job);
  const display = job.name ? asString(evaluateToken(job.name, contexts)) : job.id.value;
  const path = `${scope.prefix}${display}${job.name ? "" : legSuffix(matrix)}`;
  const controller = linkedController(signal);
  const record = emptyRecord(path, "success");
  record.name = display;
  const cancelledBeforeStart = (): JobOutcome => {
    run.record.jobs.push({ ...record, result: "cancelled" });
    return { result: "cancelled", outputs: {} };
  };
  // A held job is a queued one: a cancel of its run reaches it before it starts.
  await Promise.race([
    run.beforeJob(path),
    new Promise<void>((resolve) =>
      controller.signal.addEventListener("abort", () => resolve(), { once: true }),
    ),
  ]);
  if (controller.signal.aborted) return cancelledBeforeStart();
  return withConcurrency(
    scope,
    job.concurrency,
    contexts,
    `run ${run.id} ${path}`,
    controller,
    async () => {
      run.record.jobs.push(record);
      record.startedAt = Date.now();
      const log = (line: string) => {
        record.log.push(line);
        run.log(`${path}: ${line}`);
      };
      const secrets = { ...scope.secrets };
      // Environment: its secrets, and its required reviewers' approval before any step.
      if (job.environment) {
        // Only the name now: its url is evaluated after the steps, from their outputs.
        const nameToken = isMapping(job.environment)
          ? member(job.environment, "name")
          : job.environment;
        const environment = nameToken ? asString(evaluateToken(nameToken, contexts)) : "";
        if (environment) {
          const [owner, repo] = run.repository.split("/") as [string, string];
          const stored = deploymentStore(run.emulator.state).ensureEnvironment(
            owner,
            repo,
            environment,
          );
          record.environment = environment;
          const own = run.environmentSecrets[environment] ?? {};
          // In a called workflow, the caller's passed secrets may win (see SecretPrecedence).
          const passed =
            scope.ceiling && run.environmentSecretPrecedence === "caller"
              ? Object.fromEntries(Object.entries(scope.secrets).filter(([, v]) => v !== ""))
              : {};
          Object.assign(secrets, own, passed);
          const actor = String(run.github.actor);
          const reviewers = (stored.reviewers ?? []).filter(
            (login) => !stored.preventSelfReview || login.toLowerCase() !== actor.toLowerCase(),
          );
          if (stored.reviewers?.length && reviewers.length === 0) {
            // GitHub offers the approval to nobody: the run waits until it times out.
            log(
              `environment '${environment}': no reviewer but ${actor}, who may not approve their own run`,
            );
            record.result = "failure";
            return { result: "failure", outputs: {} };
          }
          if (reviewers.length) {
            log(`waiting for a reviewer of environment '${environment}' (${reviewers.join(", ")})`);
            const approved = await Promise.race([
              run.approve({ run: run.id, job: path, environment }),
              new Promise<false>((resolve) =>
                controller.signal.addEventListener("abort", () => resolve(false), { once: true }),
              ),
            ]);
            if (controller.signal.aborted) {
              record.result = "cancelled";
              return { result: "cancelled", outputs: {} };
            }
            if (!approved) {
              log(`environment '${environment}': the deployment was rejected`);
              record.result = "failure";
              return { result: "failure", outputs: {} };
            }
            log(`environment '${environment}': approved`);
          }
        }
      }
      const { scopes, error } = permissionsOf(scope, job);
      if (error) {
        record.annotations.push({ level: "error", message: error, properties: {} });
        record.result = "failure";
        return { result: "failure", outputs: {} };
      }
      record.permissions = { ...scopes };
      const token = `ghs_job${randomBytes(16).toString("hex")}`;
      run.emulator.state.addToken(token, {
        account: GITHUB_ACTIONS_BOT,
        permission: "write",
        installation: true,
        scopes,
      });
      const dir = join(run.root, `job-${slug(path)}-${randomBytes(3).toString("hex")}`);
      const workspace = join(dir, "workspace");
      const runnerTemp = join(dir, "temp");
      for (const d of [workspace, runnerTemp, join(dir, "tool-cache")])
        mkdirSync(d, { recursive: true });
      const eventPath = join(dir, "event.json");
      writeFileSync(eventPath, JSON.stringify(run.event));
      const github = { ...run.github, token, job: job.id.value, workspace };
      // A package file: of the checkout at the ref the caller named, or of this checkout.
      const kit = scope.file.kit ?? {
        root: run.packageRoot,
        sha: run.packageSha,
        ref: run.packageRef,
      };
      const jobContext = {
        status: "success",
        // GitHub's check run of this job: unique per job and attempt.
        check_run_id: nextCheckRunId++,
        workflow_ref:
          scope.file.origin === "package"
            ? `${run.packageRepository}/${scope.file.path.slice(kit.root.length + 1)}@${kit.ref}`
            : run.github.workflow_ref,
        workflow_repository:
          scope.file.origin === "package" ? run.packageRepository : run.repository,
        workflow_sha: scope.file.origin === "package" ? kit.sha : run.github.sha,
        workflow_file_path:
          scope.file.origin === "package"
            ? scope.file.path.slice(kit.root.length + 1)
            : run.workflowPath,
      };
      const baseContexts: Contexts = {
        ...contexts,
        github,
        secrets: { ...secrets, GITHUB_TOKEN: token },
        runner: {
          os: "Linux",
          arch: "X64",
          name: "local-runner",
          temp: runnerTemp,
          tool_cache: join(dir, "tool-cache"),
          environment: "self-hosted",
        },
        job: jobContext,
      };
      const masks = [token, ...Object.values(secrets)].filter((value) => value.length > 0);
      const jobEnv = {
        ...scope.env,
        ...evaluateStrings(job.env, { ...baseContexts, env: scope.env }),
      };
      const jobScope: JobScope = {
        record,
        resolver: run.resolver,
        origin: scope.file.origin,
        kit: scope.file.kit,
        workspace,
        runnerTemp,
        artifacts: run.artifacts,
        caches: run.caches,
        signProvenance: run.signProvenance,
        posts: [],
        replaceRuns: run.replaceRuns,
        stepTimeoutMs: run.stepTimeoutMs,
        repository: run.repository,
        sha: run.github.sha as string,
        source: run.source,
        baseEnv: run.baseEnv({
          workspace,
          runnerTemp,
          eventPath,
          job: job.id.value,
          toolCache: join(dir, "tool-cache"),
          idToken: scopes["id-token"] === "write",
          environment: record.environment,
          jobWorkflowRef: jobContext.workflow_ref as string,
          jobWorkflowSha: jobContext.workflow_sha as string,
        }),
        env: jobEnv,
        path: [],
        masks,
        contexts: baseContexts,
        event: run.event,
        eventName: run.eventName,
        signal: controller.signal,
        cancelTimings: run.cancelTimings,
        groups: [],
        defaults: defaultsOf(scope.file, raw),
        log,
        annotate: (annotation) => {
          record.annotations.push(annotation);
          log(
            `${annotation.level}: ${annotation.properties.title ? `${annotation.properties.title}: ` : ""}${annotation.message}`,
          );
        },
      };
      const state: StepsState = { failed: false, steps: {} };
      try {
        await runSteps(jobScope, job.steps, (index) => rawStep(scope.file, job, index), state);
        runPosts(jobScope, state);
      } finally {
        // The runner's orphan cleanup: whatever the steps left running dies with the job.
        for (const pid of jobScope.groups) killGroup(pid);
        run.emulator.state.tokens.delete(token);
      }
      const result = jobStatus(state, jobScope);
      const outputs: Record<string, string> = {};
      if (job.outputs) {
        const values = evaluateStrings(job.outputs, {
          ...baseContexts,
          steps: state.steps,
          job: { ...jobContext, status: result },
          env: jobEnv,
        });
        for (const [key, value] of Object.entries(values)) {
          // GitHub drops an output holding a secret rather than pass it on.
          if (masks.some((mask) => value.includes(mask)))
            log(`Skip output '${key}' since it may contain secret.`);
          else outputs[key] = value;
        }
      }
      record.result = result;
      record.outputs = outputs;
      record.finishedAt = Date.now();
      log(`result: ${result}`);
      return { result, outputs };
    },
    cancelledBeforeStart,
  );
}
