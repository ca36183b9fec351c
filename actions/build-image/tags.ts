/**
 * Image tags: what the user asked for made to fit Docker's tag grammar
 * (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`), and the defaults that name a build by its commit
 * and pull request.
 */

const MAX_TAG_LENGTH = 128;

/**
 * The tag Docker would accept for `requested`: characters outside the grammar become `-`
 * (so a branch `feature/Login+SSO` becomes `feature-Login-SSO`), leading `.`/`-` go,
 * and it is cut to 128 characters. Undefined when nothing usable is left.
 */
export function sanitiseTag(requested: string): string | undefined {
  const tag = requested
    .replace(/[^A-Za-z0-9_.-]/g, "-")
    .replace(/^[.-]+/, "")
    .slice(0, MAX_TAG_LENGTH);
  return tag === "" ? undefined : tag;
}

/**
 * Why a requested tag is refused rather than sanitised: a reference or digest in place of
 * a tag, or blanks, mean the user meant something this input cannot express.
 */
export function tagProblem(requested: string): string | undefined {
  if (/[:@]/.test(requested))
    return "a tag, not a reference or digest (the repository goes in 'image')";
  if (/\s/.test(requested)) return "a tag without blanks";
  if (sanitiseTag(requested) === undefined) return "a tag with at least one letter, digit or _";
  return undefined;
}

export interface TagRequest {
  requested: string;
  tag: string;
}

/** Sanitised tags in the order asked, each once. */
export function uniqueTags(requests: readonly TagRequest[]): string[] {
  return [...new Set(requests.map((r) => r.tag))];
}

export interface BuildCommit {
  /** The commit the image is built from: a PR's head, never GitHub's merge commit. */
  sha: string;
  pullRequest?: number;
}

/** `sha-<7>` always, `pr-<N>` for a pull request. */
export function defaultTags(commit: BuildCommit): string[] {
  return [
    `sha-${commit.sha.slice(0, 7)}`,
    ...(commit.pullRequest ? [`pr-${commit.pullRequest}`] : []),
  ];
}

export function fullReferences(image: string, tags: readonly string[]): string[] {
  return tags.map((tag) => `${image}:${tag}`);
}
