/**
 * Turns parsed inputs into what a step needs: the checks that depend on several inputs, the
 * images (check-images' own rule), a preview's names and config. All before any API call:
 * a refusal here has asked GitHub nothing and written nothing.
 */
import { checkImages, type Checked } from "../check-images/check.js";
import { pullRequest, repository } from "../shared/context.js";
import { InputError } from "../shared/errors.js";
import { inputName, type Inputs, quoted } from "../shared/inputs.js";
import { configProblem, previewConfig } from "./config.js";
import type { DeploymentRule } from "./protection.js";
import type { inputs, Kind, Step } from "./inputs.js";
import { isPreviewStack, previewNames, type PreviewNames } from "./names.js";

interface Common {
  token: string;
  owner: string;
  repo: string;
}

export interface GateSettings extends Common {
  step: "gate";
  kind: Kind;
  stack: string;
  prNumber?: number;
  /** A preview's names; undefined for dev and production. */
  names?: PreviewNames;
  /** The deploy job's environment for a trusted author (and for dev and production). */
  environment: string;
  /** Where an untrusted author's preview waits for a reviewer. */
  approvalEnvironment: string;
  deploymentEnvironment: string;
  requireReviewers: boolean;
  /** Reviewers must be someone other than who started the run (Prevent self-review). */
  requireOthers: boolean;
  config: string;
  images: Checked;
}

export interface CurrentSettings extends Common {
  step: "current";
  kind: Kind;
  prNumber?: number;
  /** The pull request head the images were built from. */
  headSha?: string;
  /** The run's ref and commit (dev and production: still the branch's head?). */
  ref?: string;
  sha?: string;
}

/** An environment the job holds the credentials of, checked for its one rule (the release). */
export interface ProtectionSettings extends Common {
  step: "protection";
  environment: string;
  reviewers: boolean;
  requireOthers: boolean;
  rule: DeploymentRule;
}

export interface UrlsSettings {
  step: "urls";
  outputs: Record<string, unknown>;
  urlOutputs: string[];
  healthCheck: boolean;
}

/** A preview's names, for a workflow that has only its number (the cleanup). */
export interface NamesSettings {
  step: "names";
  names: PreviewNames;
}

export type Settings =
  GateSettings | CurrentSettings | ProtectionSettings | UrlsSettings | NamesSettings;

type Given = Inputs<typeof inputs>;

/** Which step reads each input (githubToken and step: every one). */
const USED_BY: Partial<Record<keyof Given, readonly Step[]>> = {
  environmentKind: ["gate", "current"],
  stack: ["gate"],
  prNumber: ["gate", "current", "names"],
  headSha: ["current"],
  environment: ["gate", "protection"],
  deploymentEnvironment: ["gate", "names"],
  stackProject: ["names"],
  namespace: ["names"],
  requireReviewers: ["gate", "protection"],
  allowSelfReview: ["gate", "protection"],
  tagRule: ["protection"],
  destroyOnFailure: ["gate"],
  config: ["gate"],
  imageRefs: ["gate"],
  outputs: ["urls"],
  urlOutputs: ["urls"],
  healthCheck: ["urls"],
};

/** Set to something else than its default (an input a step ignores must not be given). */
function isSet(key: keyof Given, value: unknown): boolean {
  if (key === "healthCheck") return value === false;
  if (key === "approvalEnvironment") return value !== "preview-approval";
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object" && value !== null) return Object.keys(value).length > 0;
  return value !== undefined && value !== false;
}

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function resolveSettings(given: Given): Settings {
  const problems: string[] = [];
  for (const [key, steps] of Object.entries(USED_BY) as [keyof Given, readonly Step[]][]) {
    if (!steps.includes(given.step) && isSet(key, given[key]))
      problems.push(
        `Input '${inputName(key)}' is only used by step ${steps.join(" and ")}, got step '${given.step}'`,
      );
  }
  const needsToken = ["gate", "current", "protection"].includes(given.step);
  if (needsToken && given.githubToken === undefined)
    problems.push(
      "Input 'github-token' is empty: leave it out to use the workflow token, or pass a token",
    );
  const kind = given.environmentKind;
  if ((given.step === "gate" || given.step === "current") && kind === undefined)
    problems.push(`Input 'environment-kind' is required by step ${given.step}`);
  if (kind === "preview" && given.prNumber === undefined)
    problems.push(
      `Input 'pr-number' is required for a preview (step ${given.step}): the pull request's number`,
    );

  if (given.step === "names") {
    if (given.prNumber === undefined)
      problems.push("Input 'pr-number' is required by step names: the pull request's number");
    if (problems.length > 0 || given.prNumber === undefined) throw new InputError(problems);
    const names = previewNames(given.prNumber, given.stackProject);
    return {
      step: "names",
      names: {
        ...names,
        namespace: given.namespace ?? names.namespace,
        deploymentEnvironment: given.deploymentEnvironment ?? names.deploymentEnvironment,
      },
    };
  }

  if (given.step === "urls") {
    if (problems.length > 0) throw new InputError(problems);
    return {
      step: "urls",
      outputs: given.outputs,
      urlOutputs: given.urlOutputs,
      healthCheck: given.healthCheck,
    };
  }

  if (given.step === "protection") {
    if (given.environment === undefined)
      problems.push("Input 'environment' is required by step protection: the job's environment");
    if (problems.length > 0 || given.environment === undefined) throw new InputError(problems);
    return {
      step: "protection",
      token: given.githubToken ?? "",
      ...repository(),
      environment: given.environment,
      reviewers: given.requireReviewers,
      requireOthers: given.requireReviewers && !given.allowSelfReview,
      rule: given.tagRule ? { type: "tag", name: given.tagRule } : { type: "branch" },
    };
  }

  if (given.step === "current") {
    if (problems.length > 0 || kind === undefined) throw new InputError(problems);
    const event = pullRequest();
    return {
      step: "current",
      token: given.githubToken ?? "",
      ...repository(),
      kind,
      prNumber: given.prNumber,
      // The event's head only when the event is about this very pull request.
      headSha: given.headSha ?? (event?.number === given.prNumber ? event?.headSha : undefined),
      ref: env("GITHUB_REF"),
      sha: env("GITHUB_SHA"),
    };
  }

  if (given.stack === undefined) problems.push("Input 'stack' is required by step gate");
  // A failed `up` of dev or production must leave what runs there, not destroy it.
  if (given.destroyOnFailure && kind !== undefined && kind !== "preview")
    problems.push(
      `Input 'destroy-on-failure' is only for previews, not for environment-kind '${kind}'`,
    );
  const prNumber = given.prNumber;
  const names = kind === "preview" && prNumber !== undefined ? previewNames(prNumber) : undefined;
  if (kind === "preview" && prNumber !== undefined) {
    const problem = configProblem(given.config);
    if (problem) problems.push(problem);
    if (given.stack !== undefined && !isPreviewStack(given.stack, prNumber))
      problems.push(
        `Input 'stack' must be the preview's stack pr-${prNumber} or ORG/PROJECT/pr-${prNumber}, got '${quoted(given.stack)}'`,
      );
  }
  // Whole references only (the one hand-off format); production deploys exactly the ones it
  // is given: at least one.
  const images = checkImages({
    imageRefs: given.imageRefs ?? [],
    names: [],
    requireImages: kind === "production",
  });
  if (Array.isArray(images)) problems.push(...images);
  if (problems.length > 0 || Array.isArray(images) || kind === undefined || !given.stack)
    throw new InputError(problems);

  const environment = given.environment ?? kind;
  return {
    step: "gate",
    token: given.githubToken ?? "",
    ...repository(),
    kind,
    stack: given.stack,
    prNumber,
    names: names && { ...names, stack: given.stack },
    environment,
    approvalEnvironment: given.approvalEnvironment,
    deploymentEnvironment:
      given.deploymentEnvironment ?? names?.deploymentEnvironment ?? environment,
    requireReviewers: given.requireReviewers,
    requireOthers: given.requireReviewers && !given.allowSelfReview,
    config:
      kind === "preview" && prNumber !== undefined
        ? previewConfig(given.config, prNumber)
        : (given.config ?? ""),
    images,
  };
}
