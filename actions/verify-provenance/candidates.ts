/**
 * A candidate set of images (from the `image-refs` input, or a preview Deployment's `images`)
 * held against the configured names: exactly those names, each a whole
 * `REPOSITORY@sha256:<64 hex>` whose repository is one shared prefix followed by the image's
 * name, as build-images pushes them (PREFIX + NAME). The prefix is read from the set, never
 * typed again: it only has to be the same for every image, so that no image's digest can
 * stand in for another's (`web` deployed from the `api` repository). Which repository may be
 * promoted at all is the attestation's to prove (its signed subject names it).
 */
import { imageRefProblem } from "../../components/image-reference.js";
import type { Candidate } from "./verify.js";

const shown = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
};

/** The candidates, or one line per problem. */
export function candidatesOf(
  given: Record<string, unknown>,
  names: readonly string[],
): Candidate[] | string[] {
  const problems: string[] = [];
  const candidates: Candidate[] = [];
  const prefixes = new Map<string, string>();
  for (const [name, value] of Object.entries(given)) {
    if (!names.includes(name)) {
      problems.push(
        `Image '${shown(name)}' (${shown(value)}) is not one of the configured images (${names.join(", ")}): production promotes exactly those`,
      );
      continue;
    }
    if (typeof value !== "string") {
      problems.push(`Image '${name}' is ${shown(value)}, not a REPOSITORY@sha256:<64 hex>`);
      continue;
    }
    const problem = imageRefProblem(value);
    if (problem) {
      problems.push(`Image '${name}' (${shown(value)}): ${problem}`);
      continue;
    }
    const at = value.lastIndexOf("@");
    const repository = value.slice(0, at);
    if (!repository.endsWith(name) || repository.length === name.length) {
      problems.push(
        `Image '${name}' is ${value}, whose repository is not PREFIX + '${name}' as build-images pushes it: another image's digest cannot stand in for it`,
      );
      continue;
    }
    prefixes.set(name, repository.slice(0, repository.length - name.length));
    candidates.push({ name, repository, digest: value.slice(at + 1) });
  }
  if (new Set(prefixes.values()).size > 1)
    problems.push(
      `The images are not from one build: their repositories have different prefixes (${[...prefixes].map(([name, prefix]) => `${name}: ${prefix}`).join(", ")})`,
    );
  for (const name of names)
    if (!(name in given))
      problems.push(`Image '${name}' is configured but has no digest to promote`);
  return problems.length > 0 ? problems : candidates;
}
