/**
 * The local runner: triggers a consumer's workflow with an event and runs it, with its
 * reusable workflows and actions resolved to this checkout, against the GitHub emulator.
 *
 *   const runner = createRunner({ github, consumerRoot, repository: "acme/shop", ... });
 *   const run = runner.trigger(".github/workflows/preview.yml", { name: "pull_request", payload, sha, ref });
 *   await run.done;            // "success" | "failure" | "cancelled" | "skipped"
 *   run.record.jobs            // per job: result, outputs, steps, annotations, log
 *
 * Real: GitHub's parser and expression language, bash and the runner's shell command lines,
 * the bundled actions as `node dist/<name>/index.js`, composite actions, whatever the steps
 * call (Docker, jq, the Pulumi CLI put on toolPath). Stand-ins, named in the log: the
 * GitHub API (the emulator), the third-party actions (stand-ins.ts), the `gh` CLI (bin/gh).
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProvenanceSigner } from "./attest-stand-in.js";
import { minimatch } from "./branch-filter.js";
import { DEPENDABOT, restrictedForDependabot } from "./dependabot.js";
import { READ_ONLY } from "./permissions.js";
import type { GitHubEmulator } from "../emulators/github/server.js";
import type { CancelTimings } from "../harness/cancel.js";
import { ConcurrencyGroups } from "./concurrency.js";
import { dispatchInputs } from "./dispatch-inputs.js";
import { asString, evaluateStrings, evaluateToken, type Value } from "./expressions.js";
import { runJobs, type WorkflowScope } from "./jobs.js";
import { loadWorkflow, member } from "./load.js";
import type { Result, RunRecord } from "./records.js";
import type { OidcStandIn } from "./oidc.js";
import type { ApprovalRequest, BaseEnvFor, RunState, SecretPrecedence } from "./run-state.js";
import type { ReplacedRun } from "./steps.js";
import type { Resolver } from "./uses.js";

export const GH_STAND_IN_BIN = fileURLToPath(new URL("./bin", import.meta.url));
const PACKAGE_SHA = "0000000000000000000000000000000000c0ffee";

export interface RunnerOptions {
  github: GitHubEmulator;
  /** This checkout (default: the repository these tests are in). */
  packageRoot?: string;
  /** `owner/repo` names meaning this package (default the examples' `OWNER/REPO`). */
  packageRepositories?: string[];
  /** The package at a ref (see Resolver.packageAt); default: this checkout for every ref. */
  packageAt?: Resolver["packageAt"];
  /** The consumer repository's files: its `.github/workflows/` and (default) its tree. */
  consumerRoot: string;
  repository: string;
  /** The consumer's tree at a commit, for the checkout stand-in (default consumerRoot). */
  source?: (sha: string) => string;
  secrets?: Record<string, string>;
  /** The repository's Dependabot secrets: all a run Dependabot started gets (dependabot.ts). */
  dependabotSecrets?: Record<string, string>;
  environmentSecrets?: Record<string, Record<string, string>>;
  /** See SecretPrecedence; default what GitHub documents. */
  environmentSecretPrecedence?: SecretPrecedence;
  vars?: Record<string, string>;
  /** Directories put first on every step's PATH: the Pulumi CLI (double or real), tools. */
  toolPath?: string[];
  /** Environment every step gets (e.g. the Pulumi backend and its credentials). */
  env?: Record<string, string>;
  /** A reviewer of an environment with required reviewers; default: rejects. */
  approve?: (request: ApprovalRequest) => Promise<boolean>;
  cancelTimings?: CancelTimings;
  /** Every log line as it happens (the demo prints them). */
  log?: (line: string) => void;
  /** Called before each job with steps starts; the job waits for it (tests order races). */
  beforeJob?: (run: number, path: string) => Promise<void>;
  /** Where runs keep their files (default a temp dir). */
  root?: string;
  /**
   * The OIDC token service a job with `id-token: write` asks (oidc.ts); without it the
   * request URL answers 404, as a runner without an issuer would fail.
   */
  oidc?: OidcStandIn;
  /**
   * Sigstore for the stand-in of actions/attest-build-provenance (attest-stand-in.ts): signs
   * for the job whose OIDC token it is given; without it that action fails.
   */
  signProvenance?: ProvenanceSigner;
  /**
   * `run:` scripts (trimmed, exactly) replaced by others, e.g. a whole test suite by a part
   * of it where a test cannot afford its time; the log says which and why.
   */
  replaceRuns?: Record<string, ReplacedRun>;
  /** A `run:` step's time limit (default 2 minutes; GitHub's is the job's timeout-minutes). */
  stepTimeoutMs?: number;
}

/**
 * GitHub's default subject claim (OpenID Connect reference, "Example subject claims"): the
 * environment's when the job has one, else the pull request's, else the ref's.
 */
export function oidcSubject(repository: string, event: EventSpec, environment?: string): string {
  if (environment) return `repo:${repository}:environment:${environment}`;
  if (event.name === "pull_request") return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${event.ref}`;
}

export interface EventSpec {
  name: string;
  payload: Record<string, unknown>;
  sha: string;
  ref: string;
  actor?: string;
}

export interface WorkflowRun {
  id: number;
  record: RunRecord;
  done: Promise<Result>;
  cancel(): void;
}

/** Whether the workflow's `on:` takes this event (types and branches filters). */
function triggers(events: Record<string, unknown>, event: EventSpec): boolean {
  if (!(event.name in events)) return false;
  const filter = (events[event.name] ?? {}) as { types?: string[]; branches?: string[] };
  const action = event.payload.action as string | undefined;
  if (filter.types && action && !filter.types.includes(action)) return false;
  if (filter.branches) {
    // A pull request's and a merge group's filter names the branch they merge into (GitHub's
    // changelog "Merge group webhook event and GitHub Actions workflow trigger", 2022-08-18:
    // `merge_group: branches: [main]` runs for "merge groups targeting the main branch").
    const branch = event.name.startsWith("pull_request")
      ? ((event.payload.pull_request as { base?: { ref?: string } })?.base?.ref ?? "")
      : event.name === "merge_group"
        ? ((event.payload.merge_group as { base_ref?: string })?.base_ref ?? "").replace(
            /^refs\/heads\//,
            "",
          )
        : event.ref.replace(/^refs\/heads\//, "");
    if (!filter.branches.some((pattern) => minimatch(branch, pattern))) return false;
  }
  return true;
}

/** The claims GitHub puts in a job's OIDC token (security hardening with OpenID Connect). */
function oidcClaims(
  job: BaseEnvFor,
  github: Record<string, unknown>,
  repository: string,
  event: EventSpec,
): Record<string, string> {
  const ref = String(github.ref);
  return {
    sub: oidcSubject(repository, event, job.environment),
    ref,
    ref_type: String(github.ref_type),
    sha: String(github.sha),
    repository,
    repository_owner: repository.split("/")[0] as string,
    repository_visibility: "public",
    run_id: String(github.run_id),
    run_number: String(github.run_number),
    run_attempt: "1",
    actor: String(github.actor),
    workflow: String(github.workflow),
    event_name: String(github.event_name),
    workflow_ref: String(github.workflow_ref),
    workflow_sha: String(github.workflow_sha),
    job_workflow_ref: job.jobWorkflowRef,
    job_workflow_sha: job.jobWorkflowSha,
    runner_environment: "github-hosted",
    ...(job.environment ? { environment: job.environment } : {}),
  };
}

export function createRunner(options: RunnerOptions) {
  const packageRoot =
    options.packageRoot ?? fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
  const packageRepositories = options.packageRepositories ?? ["OWNER/REPO"];
  const resolver: Resolver = {
    packageRoot,
    consumerRoot: options.consumerRoot,
    packageRepositories,
    consumerIsPackage: packageRepositories.some(
      (name) => name.toLowerCase() === options.repository.toLowerCase(),
    ),
    ...(options.packageAt ? { packageAt: options.packageAt } : {}),
  };
  const root = options.root ?? mkdtempSync(join(tmpdir(), "workflow-runner-"));
  const emit = options.log ?? (() => {});
  const concurrency = new ConcurrencyGroups(emit);
  // GitHub's cache is per repository, across runs: one store for the runner's runs.
  const caches = join(root, "caches");
  const runs: WorkflowRun[] = [];
  let nextId = 7001;

  function trigger(workflowPath: string, event: EventSpec): WorkflowRun {
    const id = nextId++;
    const record: RunRecord = { id, workflow: workflowPath, event: event.name, jobs: [], log: [] };
    const controller = new AbortController();
    const log = (line: string) => {
      record.log.push(line);
      emit(`[run ${id} ${workflowPath.replace(/^.*\//, "")}] ${line}`);
    };
    const done = (async (): Promise<Result> => {
      let loaded: Awaited<ReturnType<typeof loadWorkflow>>;
      try {
        loaded = await loadWorkflow(join(options.consumerRoot, workflowPath), "consumer", resolver);
      } catch (error) {
        // GitHub's "startup failure": the workflow file is refused before any job runs.
        log(`startup failure: ${error instanceof Error ? error.message : String(error)}`);
        return "failure";
      }
      if (!triggers(loaded.template.events as Record<string, unknown>, event)) {
        log(
          `not triggered by ${event.name}${event.payload.action ? `.${String(event.payload.action)}` : ""}`,
        );
        return "skipped";
      }
      // A dispatch's inputs, typed as the workflow declares them; the payload keeps strings.
      let inputs: Record<string, Value> = {};
      if (event.name === "workflow_dispatch") {
        try {
          inputs = dispatchInputs(
            loaded.file.root,
            (event.payload.inputs ?? {}) as Record<string, unknown>,
          );
        } catch (error) {
          log(`dispatch refused: ${error instanceof Error ? error.message : String(error)}`);
          return "failure";
        }
      }
      const pull = event.payload.pull_request as
        | {
            head?: { ref?: string; sha?: string; repo?: { full_name?: string } };
            base?: { ref?: string };
          }
        | undefined;
      const refName = event.ref.replace(/^refs\/(heads|tags)\//, "");
      const actor =
        event.actor ?? (event.payload.sender as { login?: string })?.login ?? "octo-maintainer";
      // The run as the Actions API reports it (GET .../actions/runs/{id}): a pull request's
      // run names the pull request's head, not the merge commit it checks out.
      const [runOwner, runRepo] = options.repository.split("/") as [string, string];
      const stored = options.github.state.addRun(
        runOwner,
        runRepo,
        id,
        pull?.head?.sha ?? event.sha,
        1,
        {
          path: workflowPath,
          event: event.name,
          headBranch: pull?.head?.ref ?? refName,
          headRepo: pull?.head?.repo?.full_name ?? options.repository,
          status: "in_progress",
          conclusion: null,
          actor,
        },
      );
      const dependabot = restrictedForDependabot(event.name, actor);
      const nameToken = member(loaded.file.root, "name");
      const name = nameToken ? asString(evaluateToken(nameToken, {})) : workflowPath;
      const github: Record<string, unknown> = {
        event_name: event.name,
        event: event.payload,
        sha: event.sha,
        ref: event.ref,
        ref_name: refName,
        ref_type: event.ref.startsWith("refs/tags/") ? "tag" : "branch",
        head_ref: pull?.head?.ref ?? "",
        base_ref: pull?.base?.ref ?? "",
        repository: options.repository,
        repository_owner: options.repository.split("/")[0],
        actor,
        triggering_actor: actor,
        run_id: String(id),
        run_number: String(id - 7000),
        run_attempt: "1",
        server_url: "https://github.com",
        api_url: options.github.url,
        graphql_url: `${options.github.url}/graphql`,
        workflow: name,
        workflow_ref: `${options.repository}/${workflowPath}@${event.ref}`,
        workflow_sha: event.sha,
        retention_days: "1",
        action: "",
      };
      const runRoot = join(root, `run-${id}`);
      mkdirSync(join(runRoot, "artifacts"), { recursive: true });
      const state: RunState = {
        id,
        record,
        emulator: options.github,
        resolver,
        repository: options.repository,
        workflowPath,
        packageRepository: packageRepositories[0] as string,
        packageRef: "v1",
        packageSha: PACKAGE_SHA,
        packageRoot,
        github,
        vars: options.vars ?? {},
        event: event.payload,
        eventName: event.name,
        environmentSecrets: dependabot ? {} : (options.environmentSecrets ?? {}),
        defaultScopes: dependabot ? READ_ONLY : undefined,
        environmentSecretPrecedence: options.environmentSecretPrecedence ?? "environment",
        concurrency,
        approve: options.approve ?? (async () => false),
        source: options.source ?? (() => options.consumerRoot),
        root: runRoot,
        artifacts: join(runRoot, "artifacts"),
        caches,
        signProvenance: options.signProvenance,
        replaceRuns: options.replaceRuns ?? {},
        stepTimeoutMs: options.stepTimeoutMs,
        cancelTimings: options.cancelTimings,
        baseEnv: (job) => ({
          HOME: process.env.HOME ?? runRoot,
          PATH: [
            ...(options.toolPath ?? []),
            GH_STAND_IN_BIN,
            dirname(process.execPath),
            process.env.PATH ?? "",
          ].join(":"),
          LANG: "C.UTF-8",
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_REPOSITORY: options.repository,
          GITHUB_REPOSITORY_OWNER: options.repository.split("/")[0] as string,
          GITHUB_EVENT_NAME: event.name,
          GITHUB_EVENT_PATH: job.eventPath,
          GITHUB_SHA: event.sha,
          GITHUB_REF: event.ref,
          GITHUB_REF_NAME: refName,
          GITHUB_HEAD_REF: pull?.head?.ref ?? "",
          GITHUB_BASE_REF: pull?.base?.ref ?? "",
          GITHUB_ACTOR: actor,
          GITHUB_TRIGGERING_ACTOR: actor,
          GITHUB_RUN_ID: String(id),
          GITHUB_RUN_NUMBER: String(id - 7000),
          GITHUB_RUN_ATTEMPT: "1",
          GITHUB_JOB: job.job,
          GITHUB_WORKFLOW: name,
          GITHUB_WORKFLOW_REF: github.workflow_ref as string,
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_API_URL: options.github.url,
          GITHUB_GRAPHQL_URL: `${options.github.url}/graphql`,
          GITHUB_WORKSPACE: job.workspace,
          RUNNER_OS: "Linux",
          RUNNER_ARCH: "X64",
          RUNNER_NAME: "local-runner",
          RUNNER_TEMP: job.runnerTemp,
          RUNNER_TOOL_CACHE: job.toolCache,
          ...(job.idToken
            ? options.oidc
              ? {
                  ACTIONS_ID_TOKEN_REQUEST_URL: options.oidc.url,
                  ACTIONS_ID_TOKEN_REQUEST_TOKEN: options.oidc.request(
                    oidcClaims(job, github, options.repository, event),
                  ),
                }
              : {
                  // No OIDC issuer given: a request for a token gets the emulator's 404.
                  ACTIONS_ID_TOKEN_REQUEST_URL: `${options.github.url}/_oidc/token?run=${id}`,
                  ACTIONS_ID_TOKEN_REQUEST_TOKEN: `oidc-request-${id}`,
                }
            : {}),
          ...options.env,
        }),
        beforeJob: (path) => options.beforeJob?.(id, path) ?? Promise.resolve(),
        log,
      };
      const secrets = dependabot ? (options.dependabotSecrets ?? {}) : (options.secrets ?? {});
      if (dependabot)
        log(
          `started by ${DEPENDABOT} on ${event.name}: a read-only token by default and only Dependabot secrets`,
        );
      const scope: WorkflowScope = {
        run: state,
        loaded,
        file: loaded.file,
        prefix: "",
        inputs,
        secrets,
        env: evaluateStrings(loaded.template.env, {
          github,
          vars: state.vars,
          secrets,
          inputs,
        }),
        signal: controller.signal,
      };
      log(
        `triggered by ${event.name}${event.payload.action ? `.${String(event.payload.action)}` : ""} at ${event.sha.slice(0, 7)}`,
      );
      const outcomes = await runJobs(scope, loaded.template.jobs ?? []);
      const results = [...outcomes.values()].map((o) => o.result);
      const result: Result = controller.signal.aborted
        ? "cancelled"
        : results.includes("failure")
          ? "failure"
          : results.includes("cancelled")
            ? "cancelled"
            : "success";
      log(`conclusion: ${result}`);
      stored.status = "completed";
      stored.conclusion = result;
      return result;
    })();
    const run: WorkflowRun = { id, record, done, cancel: () => controller.abort() };
    runs.push(run);
    return run;
  }

  return { trigger, runs, root };
}

export type Runner = ReturnType<typeof createRunner>;
