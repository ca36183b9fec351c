/**
 * What both kits share; needs only @pulumi/pulumi. The kits are their own subpaths, so a
 * Kubernetes-only team never needs @pulumi/aws (nor an AWS-only team @pulumi/kubernetes):
 * `pulumi-preview-kit/components/kubernetes` and `pulumi-preview-kit/components/aws`.
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
