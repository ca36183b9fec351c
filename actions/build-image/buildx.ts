/** The BuildKit path (`docker buildx build`): its arguments and the digest from its metadata file. */
import { ActionError } from "../shared/errors.js";
import { DIGEST_PATTERN } from "../shared/schemas.js";
import { commonBuildFlags, type BuildPlan } from "./plan.js";

/**
 * A scoped build (a pull request's) reads the trusted cache and its own but writes only its
 * own: what a pull request's code puts in a cache must never reach a default-branch build.
 */
function cacheArgs(plan: BuildPlan): string[] {
  const scoped = plan.cacheScope !== "";
  switch (plan.cache) {
    case "gha": {
      // Scoped by image so several images built in one repository keep separate caches.
      const trusted = `type=gha,scope=${plan.image}`;
      const own = scoped ? `type=gha,scope=${plan.image}-${plan.cacheScope}` : trusted;
      return [
        ...(scoped ? ["--cache-from", trusted] : []),
        "--cache-from",
        own,
        "--cache-to",
        `${own},mode=max`,
      ];
    }
    case "registry": {
      const trusted = `type=registry,ref=${plan.image}:buildcache`;
      const own = scoped
        ? `type=registry,ref=${plan.image}:buildcache-${plan.cacheScope}`
        : trusted;
      // Without a push there is no write access to the registry to store the cache in.
      return [
        ...(scoped ? ["--cache-from", trusted] : []),
        "--cache-from",
        own,
        ...(plan.push ? ["--cache-to", `${own},mode=max`] : []),
      ];
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
