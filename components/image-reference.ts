/**
 * The one image-reference rule of the package: the reference grammar of the OCI distribution
 * spec (as github.com/distribution/reference implements it), narrowed by one policy of ours:
 * an image is pinned by a whole `sha256:` digest, never by a tag. The components, the
 * actions and the workflows (through the check-images action) all use this module, so a
 * name one accepts the others accept too (`my--svc` and `my__svc` are valid, `my___svc` is
 * not).
 *
 *   reference        := name "@" digest
 *   name             := [domain "/"] path-component ("/" path-component)*
 *   domain           := host [":" port]
 *   host             := domain-name | "[" IPv6 "]"
 *   domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   path-component   := [a-z0-9]+ (separator [a-z0-9]+)*
 *   separator        := [_.] | "__" | "-"+
 *
 * No dependency: components ship it in lib/, the actions bundle it.
 */

const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[_.]|__|-+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = "\\[[a-fA-F0-9:]+\\]";
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;

/** The distribution spec caps a repository name (domain included) at 255 characters. */
export const MAX_NAME_LENGTH = 255;

/** `sha256:` and 64 lowercase hex characters: never a 12-character short form. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** One path component, e.g. `web` or `my--svc`: the short image names the workflows map. */
export const PATH_COMPONENT_PATTERN = new RegExp(`^${PATH_COMPONENT}$`);

/** A registry host with an optional port, e.g. `ghcr.io` or `127.0.0.1:5000`. */
export const REGISTRY_HOST_PATTERN = new RegExp(`^${DOMAIN}$`);

const NAME_PATTERN = new RegExp(`^${NAME}$`);

export const isDigest = (value: string): boolean => DIGEST_PATTERN.test(value);

/** A repository without tag or digest, e.g. `ghcr.io/org/web` or `127.0.0.1:5000/shop/api`. */
export function isRepository(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(value);
}

/** What is wrong with an image reference, or undefined when it is `REPOSITORY@sha256:<64 hex>`. */
export function imageRefProblem(value: string): string | undefined {
  const at = value.lastIndexOf("@");
  if (at < 0) return "a digest is required (REPOSITORY@sha256:<64 lowercase hex>)";
  const repository = value.slice(0, at);
  const digest = value.slice(at + 1);
  if (!isRepository(repository)) {
    return /:[^/]*$/.test(repository) && isRepository(repository.replace(/:[^/]*$/, ""))
      ? `'${repository}' carries a tag: pin the image by digest only`
      : `'${repository}' is not an image repository (lowercase path components, e.g. ghcr.io/org/web)`;
  }
  if (!isDigest(digest))
    return `'${digest}' is not a whole digest: sha256: followed by 64 lowercase hex characters`;
  return undefined;
}

export const isImageRef = (value: string): boolean => imageRefProblem(value) === undefined;
