/** The BuildKit path (`docker buildx build`): its arguments and the digest from its metadata file. */
import { ActionError } from "../shared/errors.js";
import { DIGEST_PATTERN } from "../shared/schemas.js";
import { commonBuildFlags, type BuildPlan } from "./plan.js";

function cacheArgs(plan: BuildPlan): string[] {
  switch (plan.cache) {
    case "gha": {
      // Scoped by image so several images built in one repository keep separate caches.
      const scope = `scope=${plan.image}`;
      return ["--cache-from", `type=gha,${scope}`, "--cache-to", `type=gha,${scope},mode=max`];
    }
    case "registry": {
      const ref = `type=registry,ref=${plan.image}:buildcache`;
      // Without a push there is no write access to the registry to store the cache in.
      return ["--cache-from", ref, ...(plan.push ? ["--cache-to", `${ref},mode=max`] : [])];
    }
    case "none":
      return [];
  }
}

export function buildxArgs(plan: BuildPlan, metadataFile: string): string[] {
  return [
    "buildx",
    "build",
    ...commonBuildFlags(plan),
    ...(plan.platforms.length > 0 ? ["--platform", plan.platforms.join(",")] : []),
    ...cacheArgs(plan),
    `--provenance=${plan.provenance}`,
    // Not pushing: keep a single-platform image in the engine; a multi-platform one
    // cannot be loaded into the classic image store, so it stays in the build cache.
    ...(plan.push ? ["--push"] : plan.platforms.length <= 1 ? ["--load"] : []),
    "--metadata-file",
    metadataFile,
    plan.context,
  ];
}

/**
 * The pushed manifest's digest from buildx's metadata file: `containerimage.digest`, which
 * is the image index's digest when attestations or several platforms make one.
 */
export function digestFromMetadata(text: string): string {
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ActionError("buildx wrote a metadata file that is not JSON", {
      title: "Missing digest",
    });
  }
  const digest = metadata["containerimage.digest"];
  if (typeof digest !== "string") {
    throw new ActionError("buildx's metadata file has no containerimage.digest", {
      title: "Missing digest",
    });
  }
  if (!DIGEST_PATTERN.test(digest)) {
    throw new ActionError(
      `buildx reported '${digest}' as the digest, not sha256: + 64 lowercase hex`,
      {
        title: "Malformed digest",
      },
    );
  }
  return digest;
}
