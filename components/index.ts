/**
 * Everything; needs both @pulumi/kubernetes and @pulumi/aws. Programs using one kit import
 * `pulumi-preview-kit/components/kubernetes` or `.../aws` instead.
 */
export { typeToken } from "./args.js";
export { digest, imageRef, imageRefOf, type ImageRef } from "./digest.js";
export {
  parseStackName,
  qualifiedStackName,
  VerifiedStackReference,
  type StackKind,
} from "./stack.js";
export { standardTags, type StandardTagsArgs } from "./tags.js";
export * from "./kubernetes/index.js";
export * from "./aws/index.js";
