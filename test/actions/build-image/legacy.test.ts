import { describe, expect, it } from "vitest";
import {
  confirmDigest,
  digestFromPushOutput,
  legacyBuildArgs,
  legacyLimitations,
} from "../../../actions/build-image/legacy.js";
import type { BuildPlan } from "../../../actions/build-image/plan.js";

const DIGEST = `sha256:${"0a".repeat(32)}`;

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    image: "127.0.0.1:5000/org/web",
    references: ["127.0.0.1:5000/org/web:v1"],
    context: ".",
    buildArgs: { A: "1" },
    labels: { team: "web" },
    platforms: [],
    push: true,
    cache: "none",
    cacheScope: "",
    provenance: false,
    ...overrides,
  };
}

describe("legacyBuildArgs", () => {
  it("builds with tags, labels, build args, file, target and one platform", () => {
    expect(
      legacyBuildArgs(plan({ file: "Dockerfile.x", target: "prod", platforms: ["linux/amd64"] })),
    ).toEqual([
      "build",
      "--file",
      "Dockerfile.x",
      "--tag",
      "127.0.0.1:5000/org/web:v1",
      "--label",
      "team=web",
      "--build-arg",
      "A=1",
      "--target",
      "prod",
      "--platform",
      "linux/amd64",
      ".",
    ]);
  });

  it("refuses several platforms, which need buildx", () => {
    expect(() => legacyBuildArgs(plan({ platforms: ["linux/amd64", "linux/arm64"] }))).toThrow(
      /needs buildx/,
    );
  });

  it("names what the classic builder will not do", () => {
    expect(legacyLimitations(plan())).toEqual([]);
    expect(legacyLimitations(plan({ cache: "gha", provenance: true }))).toEqual([
      expect.stringContaining("cache 'gha' needs buildx"),
      expect.stringContaining("provenance needs buildx"),
    ]);
  });
});

describe("digestFromPushOutput", () => {
  const output = [
    "The push refers to repository [127.0.0.1:5000/org/web]",
    "634959d47868: Pushed",
    `v1: digest: ${DIGEST} size: 524`,
  ].join("\n");

  it("reads the digest line of the tag", () => {
    expect(digestFromPushOutput(output, "v1")).toBe(DIGEST);
  });

  it("fails when the tag has no digest line", () => {
    expect(() => digestFromPushOutput(output, "v2")).toThrow(/no digest for tag v2/);
  });

  it("fails on a malformed digest", () => {
    expect(() => digestFromPushOutput("v1: digest: sha256:1234 size: 1", "v1")).toThrow(
      /not sha256/,
    );
  });
});

describe("confirmDigest", () => {
  const other = `sha256:${"0b".repeat(32)}`;

  it("passes when push output, registry and earlier tags agree", () => {
    expect(confirmDigest("r:v1", DIGEST, DIGEST)).toBe("confirmed");
    expect(confirmDigest("r:v2", DIGEST, DIGEST, DIGEST)).toBe("confirmed");
  });

  it("fails when docker push and the registry disagree", () => {
    expect(() => confirmDigest("r:v1", other, DIGEST)).toThrow(
      `The registry serves ${DIGEST} for r:v1, but docker push reported ${other}`,
    );
  });

  it("calls a later tag moved when this push reported our digest but a newer build has written it since", () => {
    expect(confirmDigest("r:pr-7", DIGEST, other, DIGEST)).toBe("moved");
  });

  it("still fails when the first tag was moved: the digest would be unconfirmed", () => {
    expect(() => confirmDigest("r:pr-7", DIGEST, other)).toThrow(/docker push reported/);
  });

  it("fails when a later tag's push reported another image than the first", () => {
    expect(() => confirmDigest("r:v2", DIGEST, DIGEST, other)).toThrow(
      /but sha256:0b.* for the tags before it/,
    );
  });
});
