/**
 * A candidate set of images (from the `image-refs` input, or a preview Deployment's
 * `digests`) held against the configured images: exactly the configured names, each at the
 * repository the kit's build pushes it to (IMAGE-PREFIX + NAME), pinned by a whole digest.
 */
import { imageRefProblem, isDigest } from "../../components/image-reference.js";
import type { Candidate } from "./verify.js";

const shown = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** The candidates, or one line per problem. `form` says what each value is. */
export function candidatesOf(
  given: Record<string, unknown>,
  form: "image-refs" | "digests",
  repositories: ReadonlyMap<string, string>,
): Candidate[] | string[] {
  const problems: string[] = [];
  const candidates: Candidate[] = [];
  const configured = [...repositories.keys()].join(", ");
  for (const [name, value] of Object.entries(given)) {
    const repository = repositories.get(name);
    if (repository === undefined) {
      problems.push(
        `Image '${shown(name)}' (${shown(value)}) is not one of the configured images (${configured}): production promotes exactly those`,
      );
      continue;
    }
    if (typeof value !== "string") {
      problems.push(
        `Image '${name}' is ${shown(value)}, not a ${form === "digests" ? "digest" : "reference"}`,
      );
      continue;
    }
    const ref = form === "digests" ? `${repository}@${value}` : value;
    const at = ref.lastIndexOf("@");
    const problem =
      form === "digests" && !isDigest(value) ? "not a whole sha256 digest" : imageRefProblem(ref);
    if (problem) {
      problems.push(`Image '${name}' (${shown(value)}): ${problem}`);
      continue;
    }
    if (ref.slice(0, at) !== repository) {
      problems.push(
        `Image '${name}' is ${shown(ref)}, not in the configured repository ${repository}`,
      );
      continue;
    }
    candidates.push({ name, repository, digest: ref.slice(at + 1) });
  }
  for (const name of repositories.keys())
    if (!(name in given))
      problems.push(`Image '${name}' is configured but has no digest to promote`);
  return problems.length > 0 ? problems : candidates;
}
