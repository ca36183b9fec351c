/** The inputs of cleanup-namespace; keys are the camelCase of the action.yml names. */
import { field, input, problem, rule } from "../shared/inputs.js";

const DEFAULT_ALLOWED_PATTERN = "^preview-pr-[0-9]+$";

/** RFC 1123 label: what the API server accepts as a namespace name. */
const namespaceName = rule(
  (value) => value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value),
  "a namespace name (lowercase letters, digits and '-', at most 63 characters)",
);

const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export interface RequiredLabel {
  key: string;
  value: string;
}

const requiredLabel = field((text): RequiredLabel | undefined | ReturnType<typeof problem> => {
  if (text === undefined) return undefined;
  const eq = text.indexOf("=");
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  return eq > 0 && LABEL_KEY.test(key) && LABEL_VALUE.test(value)
    ? { key, value }
    : problem("must be KEY=VALUE, a label such as preview.example.com/managed-by=ci");
});

/** The whole name must match: an unanchored pattern must not let `kube-system-x` through. */
const allowedPattern = field((text) => {
  const source = text ?? DEFAULT_ALLOWED_PATTERN;
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return problem("must be a JavaScript regular expression");
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
  force: input.boolean(true),
  dryRun: input.boolean(false),
};
