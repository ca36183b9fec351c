import { z } from "zod";
import { imageRef } from "../../components/digest.js";

/**
 * The `images` config object: name → `registry/repo@sha256:<64 hex>`, as the pulumi-deploy
 * action writes it with `pulumi config set --path images.<name> <ref>`.
 */
export function imagesConfig<const N extends string>(required: readonly N[]) {
  return z
    .record(z.string(), imageRef)
    .prefault({})
    .superRefine((value, ctx) => {
      for (const name of required) {
        if (value[name] === undefined) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `missing: set it with 'pulumi config set --path images.${name} <registry/repo@sha256:<64 hex>>'`,
          });
        }
      }
    })
    .transform((value) => value as Record<N, string> & Record<string, string>);
}
