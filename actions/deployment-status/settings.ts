/**
 * Turns parsed inputs into what a step needs: checks that depend on several inputs, and
 * defaults taken from the run (PR head SHA, run URL). Still before any API call.
 */
import {
  commitSha,
  pullRequest,
  repository,
  runAttempt,
  runId,
  runUrl,
} from "../shared/context.js";
import { InputError } from "../shared/errors.js";
import type { Inputs } from "../shared/inputs.js";
import { RUN_KEY, type Payload } from "./payload.js";
import { deployableRef, type FinalStatus, type inputs, type Step } from "./inputs.js";

/** The states GitHub accepts for a status that ends a deployment: `cancelled` is not one. */
export type FinalState = Exclude<FinalStatus, "cancelled">;

export interface Settings {
  token: string;
  step: Step;
  owner: string;
  repo: string;
  environment: string;
  ref: string;
  deploymentId?: number;
  finalState?: FinalState;
  environmentUrl?: string;
  logUrl?: string;
  /** The user's payload plus the run that created the deployment, to find it on a rerun. */
  payload: Payload;
  runId?: string;
  transient: boolean;
  production: boolean;
  deleteEnvironment: boolean;
  allowProduction: boolean;
}

/** Names GitHub users give preview environments: `pr-42`, `preview-pr-42`, `review/7`. */
export function looksLikePreview(environment: string): boolean {
  return /(?:^|[^a-z])(?:pr|preview|review)(?:[^a-z]|$)/i.test(environment);
}

/** `production`, `prod`, `prd`, `live`, alone or as a word of the name (`eu-prod`, `production-2`). */
export function looksLikeProduction(environment: string): boolean {
  return /(?:^|[^a-z])(?:prod|production|prd|live)(?:[^a-z]|$)/i.test(environment);
}

export function resolveSettings(given: Inputs<typeof inputs>): Settings {
  const problems: string[] = [];
  if (given.githubToken === undefined) {
    problems.push(
      "Input 'github-token' is empty: leave it out to use the workflow token, or pass a token",
    );
  }
  const onlyFor = (name: string, step: Step, isSet: boolean) => {
    if (isSet && given.step !== step)
      problems.push(`Input '${name}' is only used by step ${step}, got step '${given.step}'`);
  };
  onlyFor("status", "finish", given.status !== undefined);
  onlyFor("deployment-id", "finish", given.deploymentId !== undefined);
  onlyFor("delete-environment", "deactivate", given.deleteEnvironment);
  onlyFor("allow-production", "deactivate", given.allowProduction);
  // Deactivating takes the environment's "View deployment" away and, for a transient one,
  // shows it as destroyed: never for production by accident.
  if (
    given.step === "deactivate" &&
    !given.allowProduction &&
    (given.production === true || looksLikeProduction(given.environment))
  ) {
    problems.push(
      `Input 'environment' is '${given.environment}', a production environment: step deactivate refuses it unless allow-production is true`,
    );
  }
  if (given.step === "finish" && given.status === undefined) {
    problems.push("Input 'status' is required by step finish (e.g. status: ${{ job.status }})");
  }
  if (given.transient === true && given.production === true) {
    problems.push("Inputs 'transient' and 'production' cannot both be true");
  }
  // The default comes from the event; GITHUB_SHA of a pull_request event is the merge commit,
  // which is why the PR head wins, and why a merge ref from anywhere is refused.
  const ref = given.ref ?? commitSha();
  if (ref === undefined)
    problems.push("Input 'ref' is required: this run has no pull request head and no GITHUB_SHA");
  else if (!deployableRef.test(ref))
    problems.push(`Input 'ref' must be ${deployableRef.expected}, got '${ref}'`);
  if (problems.length > 0 || ref === undefined || given.githubToken === undefined)
    throw new InputError(problems);

  // As GitHub's own default for `production`, and for the names the deactivate guard knows.
  const production = given.production ?? looksLikeProduction(given.environment);
  const { owner, repo } = repository();
  const id = runId();
  const pr = pullRequest()?.number;
  return {
    token: given.githubToken,
    step: given.step,
    owner,
    repo,
    environment: given.environment,
    ref,
    deploymentId: given.deploymentId,
    finalState: given.status === "cancelled" ? "inactive" : given.status,
    environmentUrl: given.environmentUrl,
    logUrl: given.logUrl ?? runUrl(),
    payload: {
      ...(pr !== undefined && !("pr" in (given.payload ?? {})) ? { pr } : {}),
      ...given.payload,
      [RUN_KEY]: {
        run_id: id,
        run_attempt: runAttempt(),
        job: process.env.GITHUB_JOB || undefined,
      },
    },
    runId: id,
    transient: given.transient ?? (!production && looksLikePreview(given.environment)),
    production,
    deleteEnvironment: given.deleteEnvironment,
    allowProduction: given.allowProduction,
  };
}
