/** The inputs of deployment-status; keys are the camelCase of the action.yml names. */
import { field, input, problem, rule } from "../shared/inputs.js";
import { environmentName, httpUrl } from "../shared/schemas.js";
import { checkPayload, type Payload } from "./payload.js";

const STEPS = ["start", "finish", "deactivate"] as const;
export type Step = (typeof STEPS)[number];

/** Deployment states, plus `cancelled` from `job.status`, which GitHub has no state for. */
const FINAL_STATUSES = ["success", "failure", "error", "inactive", "cancelled"] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/**
 * `refs/pull/N/merge` is a commit GitHub makes on the fly and drops later: a deployment
 * of it points at nothing the author pushed, and `workflow_dispatch` refuses it (422).
 */
export const deployableRef = rule(
  (value) => !/^refs\/pull\/\d+\/merge$/.test(value) && /^[^\s~^:?*[\\]+$/.test(value),
  "a branch, tag or commit SHA (never a pull request merge ref such as refs/pull/42/merge)",
);

/** Read as a number: one past 2^53 would silently name another deployment. */
const deploymentId = rule(
  (value) => /^[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value)),
  "a deployment id (the `deployment-id` output of the start step)",
);

export const inputs = {
  // Optional as a schema because action.yml defaults it to the workflow token; an
  // explicitly empty one is refused in settings.ts.
  githubToken: input.optionalText(),
  step: input.oneOf(STEPS),
  environment: input.text(environmentName),
  ref: input.optionalText(deployableRef),
  deploymentId: field((v) => {
    if (v === undefined) return undefined;
    return deploymentId.test(v) ? Number(v) : problem(`must be ${deploymentId.expected}`);
  }),
  status: field((v) => {
    if (v === undefined) return undefined;
    const value = v.toLowerCase();
    return (FINAL_STATUSES as readonly string[]).includes(value)
      ? (value as FinalStatus)
      : problem(`must be one of ${FINAL_STATUSES.join(", ")} (e.g. \${{ job.status }})`);
  }),
  environmentUrl: input.optionalText(httpUrl),
  logUrl: input.optionalText(httpUrl),
  payload: field<Payload | undefined>((v) => {
    if (v === undefined) return undefined;
    const checked = checkPayload(v);
    return typeof checked === "string" ? problem(checked) : checked;
  }),
  transient: input.optionalBoolean(),
  production: input.optionalBoolean(),
  deleteEnvironment: input.boolean(false),
  allowProduction: input.boolean(false),
};
