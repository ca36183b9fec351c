/** The inputs of cleanup-namespace; keys are the camelCase of the action.yml names. */
import { field, input, problem, rule } from "../shared/inputs.js";
import { compileNamePattern, PatternError } from "./name-pattern.js";

const DEFAULT_ALLOWED_PATTERN = "^preview-pr-[0-9]+$";
/** The label the kit's app program puts on a preview's namespace, and on no shared one. */
export const DEFAULT_REQUIRED_LABEL = "preview-kit/pull-request";

/** RFC 1123 label: what the API server accepts as a namespace name. */
export const namespaceName = rule(
  (value) => value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value),
  "a namespace name (lowercase letters, digits and '-', at most 63 characters)",
);

const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** `value` undefined: the label must be there, with any value. */
export interface RequiredLabel {
  key: string;
  value?: string;
}

const requiredLabel = field((text) => {
  const given = text ?? DEFAULT_REQUIRED_LABEL;
  const eq = given.indexOf("=");
  const key = eq < 0 ? given : given.slice(0, eq);
  const value = eq < 0 ? undefined : given.slice(eq + 1);
  return LABEL_KEY.test(key) && (value === undefined || LABEL_VALUE.test(value))
    ? { key, ...(value === undefined ? {} : { value }) }
    : problem("must be KEY or KEY=VALUE, a label such as preview-kit/pull-request");
});

/** Matched against the whole name, in linear time (see name-pattern.ts for the syntax). */
const allowedPattern = field((text) => {
  try {
    return compileNamePattern(text ?? DEFAULT_ALLOWED_PATTERN);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    return problem(`must be a pattern of the supported syntax (${error.message})`);
  }
});

export const inputs = {
  namespace: input.text(namespaceName),
  // File content; parsed after the cheap checks, and never echoed in an error.
  kubeconfig: input.optionalText(),
  context: input.optionalText(),
  allowedPattern,
  requiredLabel,
  timeoutSeconds: input.integer({ min: 1, max: 3600, fallback: 120 }),
  force: input.boolean(false),
  dryRun: input.boolean(false),
};
