/** The inputs of attest-images; keys are the camelCase of the action.yml names. */
import { field, input, problem } from "../shared/inputs.js";

const imageRefs = field<[string, unknown][]>((v) => {
  if (v === undefined) return problem("is required");
  try {
    const value = JSON.parse(v) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return Object.entries(value);
  } catch {
    // refused below
  }
  return problem(
    'must be a JSON object of image name to REPOSITORY@sha256:<64 hex>, e.g. {"web":"ghcr.io/org/app/web@sha256:…"}',
  );
});

export const inputs = {
  imageRefs,
  githubToken: input.text(),
};
