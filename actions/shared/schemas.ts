/** Value rules shared across actions; digests are whole at every boundary. */
import { rule } from "./inputs.js";

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** `sha256:` and 64 lowercase hex: never a 12-character short form. */
export const digest = rule(DIGEST_PATTERN, "sha256: followed by 64 lowercase hex characters");

const REPOSITORY =
  /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** An image repository without tag or digest, e.g. `ghcr.io/org/web`. */
export const repository = rule(
  REPOSITORY,
  "an image repository without tag or digest, e.g. ghcr.io/org/web",
);

/** `registry/repository@sha256:<64 hex>`: an image pinned by digest, never by tag. */
export const imageRef = rule((value) => {
  const at = value.lastIndexOf("@");
  return at > 0 && REPOSITORY.test(value.slice(0, at)) && DIGEST_PATTERN.test(value.slice(at + 1));
}, "REGISTRY/REPOSITORY@sha256:<64 lowercase hex>");

/** `org/project/stack`: the only form that cannot silently resolve in the wrong org. */
export const qualifiedStack = rule(
  /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
  "ORG/PROJECT/STACK",
);

export const httpUrl = rule((value) => {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}, "an http(s) URL");
