/** What to build, decided from the inputs and the event before Docker is started. */
import type { Inputs } from "../shared/inputs.js";
import type { CacheMode, inputs } from "./inputs.js";
import { defaultTags, fullReferences, uniqueTags, type BuildCommit } from "./tags.js";

export interface BuildPlan {
  image: string;
  /** Full references `image:tag`, each once. */
  references: string[];
  context: string;
  file?: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  platforms: string[];
  push: boolean;
  cache: CacheMode;
  /** Empty for the trusted (default-branch) cache; else the scope this build writes to. */
  cacheScope: string;
  provenance: boolean;
}

export interface PlanContext extends BuildCommit {
  /** `https://github.com/owner/repo`. */
  sourceUrl: string;
  /** Push is impossible: a fork's pull request has no write token and no secrets. */
  fork: boolean;
  now: Date;
}

/** The OCI labels every image gets; the user's labels are added and win on a clash. */
function ociLabels(context: PlanContext): Record<string, string> {
  return {
    "org.opencontainers.image.source": context.sourceUrl,
    "org.opencontainers.image.revision": context.sha,
    "org.opencontainers.image.created": context.now.toISOString(),
  };
}

export function planBuild(given: Inputs<typeof inputs>, context: PlanContext): BuildPlan {
  const tags = given.tags.length > 0 ? uniqueTags(given.tags) : defaultTags(context);
  return {
    image: given.image,
    references: fullReferences(given.image, tags),
    context: given.context,
    file: given.file,
    buildArgs: given.buildArgs,
    labels: { ...ociLabels(context), ...given.labels },
    target: given.target,
    platforms: given.platforms,
    push: given.push && !context.fork,
    cache: given.cache,
    cacheScope: given.cacheScope ?? "",
    provenance: given.provenance,
  };
}

/** `--flag value` for each entry, in a stable order. */
function repeated(flag: string, values: readonly string[]): string[] {
  return values.flatMap((value) => [flag, value]);
}

function pairs(record: Record<string, string>): string[] {
  return Object.entries(record).map(([key, value]) => `${key}=${value}`);
}

/** The flags `docker build` and `docker buildx build` spell alike. */
export function commonBuildFlags(plan: BuildPlan): string[] {
  return [
    ...(plan.file ? ["--file", plan.file] : []),
    ...repeated("--tag", plan.references),
    ...repeated("--label", pairs(plan.labels)),
    ...repeated("--build-arg", pairs(plan.buildArgs)),
    ...(plan.target ? ["--target", plan.target] : []),
  ];
}
