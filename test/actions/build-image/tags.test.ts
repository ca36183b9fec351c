import { describe, expect, it } from "vitest";
import {
  defaultTags,
  fullReferences,
  sanitiseTag,
  tagProblem,
  uniqueTags,
} from "../../../actions/build-image/tags.js";

describe("sanitiseTag", () => {
  it.each([
    ["v1.2.3", "v1.2.3"],
    ["latest", "latest"],
    ["feature/Login+SSO", "feature-Login-SSO"],
    ["renovate/npm-zod-4.x", "renovate-npm-zod-4.x"],
    ["1.0.0+build.5", "1.0.0-build.5"],
    [".hidden", "hidden"],
    ["--x", "x"],
    ["_underscore_first", "_underscore_first"],
    ["ünïcode", "n-code"],
  ])("%s -> %s", (requested, tag) => {
    expect(sanitiseTag(requested)).toBe(tag);
  });

  it("cuts tags to Docker's 128 characters", () => {
    expect(sanitiseTag("a".repeat(300))).toBe("a".repeat(128));
  });

  it("leaves nothing when nothing usable is left", () => {
    expect(sanitiseTag("...")).toBeUndefined();
    expect(sanitiseTag("-")).toBeUndefined();
  });

  it("always yields Docker's tag grammar", () => {
    for (const requested of ["a/b/c", "x y", "%%%a", "a".repeat(200), "ß-1", "..-v"]) {
      const tag = sanitiseTag(requested);
      if (tag !== undefined) expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
    }
  });
});

describe("tagProblem", () => {
  it("accepts what it can sanitise", () => {
    expect(tagProblem("feature/x")).toBeUndefined();
    expect(tagProblem("v1")).toBeUndefined();
  });

  it("refuses references, digests, blanks and tags with nothing left", () => {
    expect(tagProblem("ghcr.io/org/web:latest")).toMatch(/not a reference/);
    expect(tagProblem("sha256@abc")).toMatch(/not a reference/);
    expect(tagProblem("v1 beta")).toMatch(/without blanks/);
    expect(tagProblem("...")).toMatch(/at least one/);
  });
});

describe("default tags", () => {
  const sha = "abcdef0123456789abcdef0123456789abcdef01";

  it("are sha-<7> on a push", () => {
    expect(defaultTags({ sha })).toEqual(["sha-abcdef0"]);
  });

  it("add pr-<N> on a pull request", () => {
    expect(defaultTags({ sha, pullRequest: 42 })).toEqual(["sha-abcdef0", "pr-42"]);
  });

  it("become full references, each once", () => {
    const tags = uniqueTags([
      { requested: "a/b", tag: "a-b" },
      { requested: "a-b", tag: "a-b" },
      { requested: "c", tag: "c" },
    ]);
    expect(fullReferences("ghcr.io/org/web", tags)).toEqual([
      "ghcr.io/org/web:a-b",
      "ghcr.io/org/web:c",
    ]);
  });
});
