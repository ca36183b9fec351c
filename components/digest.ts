import { z } from "zod";
import { DIGEST_PATTERN as DIGEST, isRepository } from "./image-reference.js";

/**
 * `sha256:` and 64 lowercase hex characters; truncated digests (seed bug 1) are rejected.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const digest = z
  .string()
  .regex(DIGEST, "must be a full digest: 'sha256:' followed by 64 lowercase hex characters");

/**
 * `registry/repo@sha256:<64 hex>`. A tag, or a tag next to the digest, is refused: the image
 * that was previewed must be the image that is promoted.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const imageRef = z.string().superRefine((value, ctx) => {
  const at = value.lastIndexOf("@");
  if (at < 0) {
    ctx.addIssue({
      code: "custom",
      message: `a digest is required (registry/repo@sha256:<64 hex>), got '${value}'`,
    });
    return;
  }
  const repository = value.slice(0, at);
  const hash = value.slice(at + 1);
  if (!isRepository(repository)) {
    ctx.addIssue({
      code: "custom",
      message: `'${repository}' must be a repository without a tag; a digest is required (registry/repo@sha256:<64 hex>)`,
    });
  }
  if (!DIGEST.test(hash)) {
    ctx.addIssue({
      code: "custom",
      message: `'${hash}' is not a full digest; a digest is required: 'sha256:' followed by 64 lowercase hex characters`,
    });
  }
});

/** `registry/repo@sha256:<64 hex>`, as `imageRef` checks it. */
export type ImageRef = string;

/** Joins a repository and a digest into a validated reference. */
export function imageRefOf(repository: string, imageDigest: string): ImageRef {
  return imageRef.parse(`${repository}@${digest.parse(imageDigest)}`);
}
