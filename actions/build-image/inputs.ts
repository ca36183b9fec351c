/** The inputs of build-image; keys are the camelCase of the action.yml names. */
import { field, input, problem, quoted, rule, splitLines } from "../shared/inputs.js";
import { registryHost, repository } from "../shared/schemas.js";
import { sanitiseTag, tagProblem, type TagRequest } from "./tags.js";

const CACHE_MODES = ["gha", "registry", "none"] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const STAGE = rule(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a build stage name");
const anyValue = rule(() => true, "VALUE");

/** Multiline tags; each checked and sanitised here so a bad one stops the step before Docker. */
const tags = field((text): TagRequest[] | ReturnType<typeof problem> => {
  const requests: TagRequest[] = [];
  for (const [index, requested] of splitLines(text ?? "").entries()) {
    const wrong = tagProblem(requested);
    if (wrong) return problem(`line ${index + 1} must be ${wrong}, got '${quoted(requested)}'`);
    requests.push({ requested, tag: sanitiseTag(requested) as string });
  }
  return requests;
});

/** `linux/amd64,linux/arm64`: commas or lines. */
const platforms = field((text) => {
  const list = (text ?? "")
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = list.find((p) => !PLATFORM.test(p));
  return bad === undefined
    ? list
    : problem(
        `must be OS/ARCH[/VARIANT] platforms, e.g. linux/amd64,linux/arm64, got '${quoted(bad)}'`,
      );
});

/** Becomes part of a tag (`buildcache-pr-42`), so a tag's characters, kept short. */
const CACHE_SCOPE = rule(/^[a-z0-9][a-z0-9_.-]{0,100}$/, "a cache scope such as pr-42");

export const inputs = {
  image: input.text(repository),
  context: input.path("directory", "."),
  file: input.optionalPath("file"),
  tags,
  buildArgs: input.keyValues(anyValue, /^[A-Za-z_][A-Za-z0-9_]*$/),
  target: input.optionalText(STAGE),
  platforms,
  labels: input.keyValues(anyValue, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  push: input.boolean(true),
  registry: input.optionalText(registryHost),
  username: input.optionalText(),
  password: input.optionalText(),
  cache: input.oneOf(CACHE_MODES, "none"),
  cacheScope: input.optionalText(CACHE_SCOPE),
  provenance: input.boolean(false),
  timeoutMinutes: input.timeoutMinutes(60),
};
