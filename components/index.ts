/**
 * What both kits share; needs only @pulumi/pulumi. The kits are their own subpaths, so a
 * Kubernetes-only team never needs @pulumi/aws (nor an AWS-only team @pulumi/kubernetes):
 * `pulumi-preview-kit/components/kubernetes` and `pulumi-preview-kit/components/aws`.
 */
import type { Check } from "./check.js";
import { digest as digestSchema, imageRef as imageRefSchema } from "./digest.js";
import { qualifiedStackName as qualifiedStackNameSchema } from "./stack.js";

export { typeToken } from "./args.js";
export type { Check } from "./check.js";
export { imageRefOf, type ImageRef } from "./digest.js";
export { parseStackName, VerifiedStackReference, type StackKind } from "./stack.js";
export { standardTags, type StandardTagsArgs } from "./tags.js";
/** `sha256:` and 64 lowercase hex characters. */
export const digest: Check<string> = digestSchema;
/** `registry/repo@sha256:<64 hex>`: a tag, or a tag next to the digest, is refused. */
export const imageRef: Check<string> = imageRefSchema;
/** `org/project/stack`. */
export const qualifiedStackName: Check<string> = qualifiedStackNameSchema;
