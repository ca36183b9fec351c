/**
 * `pulumi-version` ranges and `latest` (issue #22): the npm range grammar pulumi/actions v7
 * takes (it resolves with the `semver` package's maxSatisfying), without prereleases.
 */
import { describe, expect, it } from "vitest";
import {
  isExactVersion,
  isVersionSpec,
  parseRange,
  satisfies,
} from "../../../actions/pulumi-deploy/version-range.js";

const ok = (version: string, range: string) => satisfies(version, parseRange(range) ?? []);

describe("pulumi-version ranges", () => {
  it.each([
    ["^3.200.0", "3.274.1", true],
    ["^3.200.0", "4.0.0", false],
    ["^3.200.0", "3.199.9", false],
    ["^0.2.3", "0.2.9", true],
    ["^0.2.3", "0.3.0", false],
    ["^0.0.3", "0.0.4", false],
    ["~3.274", "3.274.9", true],
    ["~3.274.1", "3.275.0", false],
    ["3.x", "3.0.0", true],
    ["3.x", "4.0.0", false],
    ["3", "3.9.9", true],
    ["*", "1.2.3", true],
    [">=3.250.0 <4", "3.274.1", true],
    [">= 3.250.0 < 3.270", "3.274.1", false],
    [">3.274", "3.275.0", true],
    [">3.274", "3.274.9", false],
    ["<=3.274", "3.274.9", true],
    ["<=3.274", "3.275.0", false],
    ["=3.274.1", "3.274.1", true],
    ["2.x || ^3.270.0", "3.274.1", true],
    ["2.x || ^3.280.0", "3.274.1", false],
  ])("%s holds %s: %s", (range, version, expected) => {
    expect(ok(version, range)).toBe(expected);
  });

  it("takes exact versions, latest and ranges; refuses other text and prereleases", () => {
    expect(isExactVersion("3.274.1")).toBe(true);
    expect(isExactVersion("v3.274.1")).toBe(true);
    expect(isExactVersion("^3.274.1")).toBe(false);
    for (const spec of ["latest", "3.274.1", "^3.200.0", ">=3.0.0 <4", "3.x || 4.x"])
      expect(isVersionSpec(spec), spec).toBe(true);
    for (const spec of ["", "newest", "3.274.1-alpha.1", "^3.x.1.2", "$(id)", "3.274.1; rm", "||"])
      expect(isVersionSpec(spec), spec).toBe(false);
    expect(isVersionSpec(`^${"3".repeat(200)}`)).toBe(false);
    // A prerelease never satisfies a range.
    expect(ok("3.275.0-alpha.1", "^3.200.0")).toBe(false);
  });
});
