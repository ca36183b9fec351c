import { pulumiVersion } from "../pulumi-deploy/inputs.js";
import { input, rule } from "../shared/inputs.js";
import { oidcInputs } from "../shared/pulumi/oidc-inputs.js";
import { backendUrl, qualifiedStack } from "../shared/schemas.js";
import { OUTPUT_NAME, OUTPUT_TYPES, parseRequiredLine } from "./required.js";

/** Org-qualified, because `project/stack` or `stack` resolves in whatever org the credentials default to. */
const stackRef = rule(
  qualifiedStack.test,
  "ORG/PROJECT/STACK (an org-less name resolves in whichever org the credentials default to, so it can read the wrong stack)",
);

const requiredOutput = rule(
  (line) => parseRequiredLine(line) !== undefined,
  `NAME or NAME:TYPE with TYPE one of ${OUTPUT_TYPES.join(", ")}`,
);

export const inputs = {
  stackRef: input.text(stackRef),
  requiredOutputs: input.lines(requiredOutput),
  workDir: input.optionalPath("directory"),
  kubeconfigOutput: input.optionalText(rule(OUTPUT_NAME, "an output name")),
  allowExecPlugin: input.boolean(false),
  execPluginEnv: input.lines(rule(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name")),
  cloudUrl: input.optionalText(backendUrl),
  pulumiVersion: input.optionalText(pulumiVersion),
  // The one minutes rule of pulumi-deploy and build-image; each CLI call is a read, so 10.
  timeoutMinutes: input.timeoutMinutes(10),
  // A short-lived Pulumi Cloud token for this step instead of PULUMI_ACCESS_TOKEN.
  ...oidcInputs,
};
