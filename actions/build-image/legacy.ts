/** The classic builder path (`docker build` then `docker push`), for engines without buildx. */
import { ActionError } from "../shared/errors.js";
import { DIGEST_PATTERN } from "../shared/schemas.js";
import { commonBuildFlags, type BuildPlan } from "./plan.js";

/** What the classic builder cannot do, said before it runs; the step goes on without it. */
export function legacyLimitations(plan: BuildPlan): string[] {
  const notes: string[] = [];
  if (plan.cache !== "none")
    notes.push(`cache '${plan.cache}' needs buildx: building without a cache`);
  if (plan.provenance)
    notes.push("provenance needs buildx: the image has no provenance attestation");
  return notes;
}

export function legacyBuildArgs(plan: BuildPlan): string[] {
  if (plan.platforms.length > 1) {
    throw new ActionError(`Building for ${plan.platforms.join(", ")} needs buildx`, {
      title: "buildx missing",
      details: ["Add docker/setup-buildx-action before this step, or build one platform."],
    });
  }
  return [
    "build",
    ...commonBuildFlags(plan),
    ...(plan.platforms.length === 1 ? ["--platform", plan.platforms[0] as string] : []),
    plan.context,
  ];
}

/** The digest `docker push` reports for `tag`: its `<tag>: digest: sha256:... size: N` line. */
export function digestFromPushOutput(output: string, tag: string): string {
  const line = output.split(/\r?\n/).find((l) => l.startsWith(`${tag}: digest: `));
  const digest = line?.split(" ")[2];
  if (!digest) {
    throw new ActionError(`docker push printed no digest for tag ${tag}`, {
      title: "Missing digest",
    });
  }
  if (!DIGEST_PATTERN.test(digest)) {
    throw new ActionError(
      `docker push reported '${digest}' for tag ${tag}, not sha256: + 64 lowercase hex`,
      {
        title: "Malformed digest",
      },
    );
  }
  return digest;
}

/**
 * The registry's answer for the first tag is the digest: `docker push`'s line must agree with
 * it, or something else wrote the tag meanwhile and the step fails. A later tag may be one
 * that other builds write too (`pr-N`, moved by every push to the pull request): when
 * `docker push` reported this build's digest for it but the registry now serves another, a
 * newer build moved it after this push. That is `moved`, not a failure: the digest output is
 * this build's, confirmed on the first tag (by default `sha-<commit>`, this commit's alone).
 */
export function confirmDigest(
  reference: string,
  reported: string,
  served: string,
  earlier?: string,
): "confirmed" | "moved" {
  if (earlier !== undefined && reported === earlier && served !== reported) return "moved";
  if (reported === served && (earlier === undefined || earlier === served)) return "confirmed";
  throw new ActionError(
    reported !== served
      ? `The registry serves ${served} for ${reference}, but docker push reported ${reported}`
      : `The registry serves ${served} for ${reference}, but ${earlier} for the tags before it`,
    { title: "Digest mismatch" },
  );
}
