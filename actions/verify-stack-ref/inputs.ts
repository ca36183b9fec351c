import { input, rule } from "../shared/inputs.js";

const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const OUTPUT_TYPES = ["string", "number", "boolean", "object", "array"] as const;

/** Org-qualified, because `project/stack` or `stack` resolves in whatever org the credentials default to. */
const stackRef = rule(
  /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
  "ORG/PROJECT/STACK (an org-less name resolves in whichever org the credentials default to, so it can read the wrong stack)",
);

const requiredOutput = rule(
  (line) => {
    const [name = "", type, ...rest] = line.split(":");
    return (
      OUTPUT_NAME.test(name) &&
      rest.length === 0 &&
      (type === undefined || (OUTPUT_TYPES as readonly string[]).includes(type))
    );
  },
  `NAME or NAME:TYPE with TYPE one of ${OUTPUT_TYPES.join(", ")}`,
);

const backendUrl = rule(
  /^(?:https?|file|s3|gs|azblob):\/\/\S*$/,
  "a Pulumi backend URL: https://..., file://..., s3://..., gs://... or azblob://...",
);

export const inputs = {
  stackRef: input.text(stackRef),
  requiredOutputs: input.lines(requiredOutput),
  workDir: input.optionalText(),
  kubeconfigOutput: input.optionalText(rule(OUTPUT_NAME, "an output name")),
  cloudUrl: input.optionalText(backendUrl),
};
