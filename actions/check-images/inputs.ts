/** The inputs of check-images; keys are the camelCase of the action.yml names. */
import { field, input, problem } from "../shared/inputs.js";

/** A JSON object of strings, kept as entries so that every bad one can be named. */
const stringMap = field<[string, string][] | undefined>((v) => {
  if (v === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(v);
  } catch {
    return problem('must be a JSON object of image name to string, e.g. {"web":"sha256:…"}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return problem('must be a JSON object of image name to string, e.g. {"web":"sha256:…"}');
  const entries = Object.entries(value);
  const notString = entries.find(([, item]) => typeof item !== "string");
  return notString
    ? problem(
        `must map every image name to a string, got ${JSON.stringify(notString[1])} for '${notString[0]}'`,
      )
    : (entries as [string, string][]);
});

export const inputs = {
  digests: stringMap,
  imageRefs: stringMap,
  names: input.lines(),
  imagePrefix: input.optionalText(),
  requireImages: input.boolean(false),
};
