/**
 * The images a step was given, checked one by one against the package's image-reference
 * rule (components/image-reference.ts), and the forms the workflows hand on.
 */
import {
  PATH_COMPONENT_PATTERN,
  imageRefProblem,
  isDigest,
  isRepository,
} from "../../components/image-reference.js";
import { quoted } from "../shared/inputs.js";

export interface Given {
  digests?: [string, string][] | undefined;
  imageRefs?: [string, string][] | undefined;
  names: string[];
  imagePrefix?: string | undefined;
  requireImages: boolean;
}

export interface Checked {
  /** name -> REPOSITORY@DIGEST, in the order given; empty with `names`. */
  refs: Map<string, string>;
  /** name -> repository. */
  repositories: Map<string, string>;
}

/** Every problem, one line each, quoting names and values as every input message does. */
export function checkImages(given: Given): Checked | string[] {
  const problems: string[] = [];
  const sources = [
    given.digests,
    given.imageRefs,
    given.names.length > 0 ? given.names : undefined,
  ];
  const count = sources.filter((source) => source !== undefined).length;
  if (count === 0)
    problems.push(
      "Input 'digests' is required unless image-refs or names is given ({} for no image)",
    );
  if (count > 1)
    problems.push("Input 'digests' cannot go with image-refs or names: give one of them");
  const prefix = given.imagePrefix ?? "";
  if (given.imageRefs && prefix !== "")
    problems.push(
      "Input 'image-prefix' is only for digests or names: image-refs are whole references",
    );

  // Without a prefix a bare name would resolve on Docker Hub: never what a deploy meant.
  if (prefix === "" && ((given.digests?.length ?? 0) > 0 || given.names.length > 0))
    problems.push(
      "Input 'image-prefix' is required with digests or names, e.g. ghcr.io/org/app- or ghcr.io/org/",
    );
  const refs = new Map<string, string>();
  const repositories = new Map<string, string>();
  const named = (input: string, name: string): boolean => {
    if (PATH_COMPONENT_PATTERN.test(name)) return true;
    problems.push(
      `Input '${input}' names image '${quoted(name)}', which must be one lowercase path component: letters and digits, separated by '.', '_', '__' or dashes`,
    );
    return false;
  };
  const repositoryOf = (name: string): string | undefined => {
    const repository = `${prefix}${name}`;
    if (isRepository(repository)) return repository;
    problems.push(
      `Input 'image-prefix' makes '${quoted(repository)}' of image '${name}', which is not an image repository: use a prefix like ghcr.io/org/app- or ghcr.io/org/`,
    );
    return undefined;
  };

  for (const [name, value] of given.imageRefs ?? []) {
    if (!named("image-refs", name)) continue;
    const problem = imageRefProblem(value);
    const shown = quoted(value);
    // The rule's own words quote parts of the value: not when the value is hidden.
    if (problem)
      problems.push(
        `Input 'image-refs' has image '${name}': ${shown === "***" ? "not a REPOSITORY@sha256:<64 hex> reference" : problem}, got '${shown}'`,
      );
    else {
      refs.set(name, value);
      repositories.set(name, value.slice(0, value.lastIndexOf("@")));
    }
  }
  for (const [name, digest] of given.digests ?? []) {
    if (!named("digests", name)) continue;
    const repository = repositoryOf(name);
    if (!isDigest(digest))
      problems.push(
        `Input 'digests' has image '${name}', which must be sha256: followed by 64 lowercase hex characters, got '${quoted(digest)}'`,
      );
    else if (repository) {
      refs.set(name, `${repository}@${digest}`);
      repositories.set(name, repository);
    }
  }
  for (const name of given.names) {
    if (!named("names", name)) continue;
    const repository = repositoryOf(name);
    if (repository) repositories.set(name, repository);
  }
  if (given.requireImages && refs.size === 0 && problems.length === 0)
    problems.push(
      `Input '${given.imageRefs ? "image-refs" : "digests"}' holds no image, and require-images is set: this deploy takes exactly the images it is given`,
    );
  return problems.length > 0 ? problems : { refs, repositories };
}

/** The forms the other steps take, as step outputs (deploy-gate hands on the same ones). */
export function imageOutputs(checked: Checked): Record<string, string | Record<string, string>> {
  const lines = (map: Map<string, string>) =>
    [...map].map(([name, value]) => `${name}=${value}`).join("\n");
  const digests = new Map(
    [...checked.refs].map(([name, ref]) => [name, ref.slice(ref.lastIndexOf("@") + 1)]),
  );
  return {
    images: lines(checked.refs),
    digests: Object.fromEntries(digests),
    "digest-lines": lines(digests),
    "image-refs": Object.fromEntries(checked.refs),
    repositories: Object.fromEntries(checked.repositories),
  };
}
