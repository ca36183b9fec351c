/** The inputs of deploy-gate; keys are the camelCase of the action.yml names. */
import { inputs as imageInputs } from "../check-images/inputs.js";
import { namespaceName } from "../cleanup-namespace/inputs.js";
import { field, input, problem, rule } from "../shared/inputs.js";
import { bareStack, environmentName, fullSha, qualifiedStack } from "../shared/schemas.js";

export const STEPS = ["gate", "current", "urls", "names", "protection"] as const;
export type Step = (typeof STEPS)[number];

export const KINDS = ["dev", "preview", "production"] as const;
export type Kind = (typeof KINDS)[number];

const stack = rule(
  (value) => qualifiedStack.test(value) || bareStack.test(value),
  "ORG/PROJECT/STACK, or a bare STACK on a file:// or s3:// backend",
);

/** ORG/PROJECT of a preview stack in Pulumi Cloud. */
const stackProject = rule(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "ORG/PROJECT");

/**
 * A tag name pattern as "Deployment branches and tags" takes it (fnmatch: `*`, `?`, `[...]`):
 * characters a tag name may hold.
 */
const tagRule = rule(/^[A-Za-z0-9._/*?[\]-]{1,255}$/, "a tag name pattern such as v*");

/** The stack outputs as pulumi-deploy's `outputs` hands them on: a JSON object. */
const stackOutputs = field<Record<string, unknown>>((v) => {
  if (v === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(v);
  } catch {
    return problem("must be a JSON object of stack outputs (the outputs output of pulumi-deploy)", {
      quote: false,
    });
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : problem("must be a JSON object of stack outputs (the outputs output of pulumi-deploy)", {
        quote: false,
      });
});

export const inputs = {
  // Optional as a schema because action.yml defaults it to the workflow token; an
  // explicitly empty one is refused in settings.ts.
  githubToken: input.optionalText(),
  step: input.oneOf(STEPS),
  environmentKind: field((v) =>
    v === undefined || (KINDS as readonly string[]).includes(v)
      ? (v as Kind | undefined)
      : problem(`must be one of ${KINDS.join(", ")}`),
  ),
  stack: input.optionalText(stack),
  // deploy.yml's number input defaults to 0: no pull request.
  prNumber: field((v) => {
    if (v === undefined || v === "0") return undefined;
    return /^[1-9]\d{0,9}$/.test(v) ? Number(v) : problem("must be a pull request number");
  }),
  headSha: input.optionalText(fullSha),
  environment: input.optionalText(environmentName),
  approvalEnvironment: field((v) => {
    const value = v ?? "preview-approval";
    return environmentName.test(value) ? value : problem(`must be ${environmentName.expected}`);
  }),
  deploymentEnvironment: input.optionalText(environmentName),
  stackProject: input.optionalText(stackProject),
  namespace: input.optionalText(namespaceName),
  requireReviewers: input.boolean(false),
  allowSelfReview: input.boolean(false),
  tagRule: input.optionalText(tagRule),
  destroyOnFailure: input.boolean(false),
  config: input.optionalText(),
  imageRefs: imageInputs.imageRefs,
  outputs: stackOutputs,
  urlOutputs: input.lines(rule(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "a stack output name")),
  healthCheck: input.boolean(true),
};
