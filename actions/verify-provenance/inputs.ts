/** The inputs of verify-provenance; keys are the camelCase of the action.yml names. */
import { PATH_COMPONENT_PATTERN } from "../../components/image-reference.js";
import { field, input, problem, quoted, rule, splitLines } from "../shared/inputs.js";
import { fullSha } from "../shared/schemas.js";

const jsonObject = field<Record<string, unknown> | undefined>((v) => {
  if (v === undefined) return undefined;
  try {
    const value = JSON.parse(v) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // refused below
  }
  return problem(
    'must be a JSON object of image name to REPOSITORY@sha256:<64 hex>, e.g. {"web":"ghcr.io/org/app/web@sha256:…"}',
  );
});

export const inputs = {
  images: field<string[]>((v) => {
    const names = v === undefined ? [] : splitLines(v);
    if (names.length === 0) return problem("is required");
    const bad = names.find((name) => !PATH_COMPONENT_PATTERN.test(name));
    return bad === undefined
      ? names
      : problem(
          `must be image names, one a line, each one lowercase path component (letters and digits, separated by '.', '_', '__' or dashes), got '${quoted(bad)}'`,
          { quote: false },
        );
  }),
  imageRefs: jsonObject,
  signerRepository: input.text(
    rule(
      /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
      "OWNER/REPO (job.workflow_repository of the kit's workflow)",
    ),
  ),
  signerWorkflow: field((v) => {
    const path = v ?? ".github/workflows/build-images.yml";
    return /^\.github\/workflows\/[A-Za-z0-9._/-]+\.ya?ml$/.test(path)
      ? path
      : problem("must be a workflow path, e.g. .github/workflows/build-images.yml");
  }),
  trustedRoot: input.optionalText(),
  commit: input.optionalText(fullSha),
  pullRequest: field<number | undefined>((v) =>
    v === undefined
      ? undefined
      : /^[1-9]\d{0,9}$/.test(v)
        ? Number(v)
        : problem("must be a pull request number"),
  ),
  before: input.optionalText(fullSha),
  githubToken: input.text(),
};
