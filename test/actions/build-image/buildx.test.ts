import { describe, expect, it } from "vitest";
import { buildxArgs, digestFromMetadata } from "../../../actions/build-image/buildx.js";
import type { BuildPlan } from "../../../actions/build-image/plan.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    image: "ghcr.io/org/web",
    references: ["ghcr.io/org/web:sha-0123456", "ghcr.io/org/web:pr-7"],
    context: "web",
    buildArgs: {},
    labels: { "org.opencontainers.image.revision": "0123456" },
    platforms: [],
    push: true,
    cache: "none",
    cacheScope: "",
    provenance: false,
    ...overrides,
  };
}

/** The value following each occurrence of a flag. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1] as string] : []));
}

describe("buildxArgs", () => {
  it("pushes, tags, labels, writes the metadata file and ends with the context", () => {
    const args = buildxArgs(
      plan({ buildArgs: { NODE_ENV: "production", EMPTY: "" } }),
      "/tmp/m.json",
    );
    expect(args.slice(0, 2)).toEqual(["buildx", "build"]);
    expect(values(args, "--tag")).toEqual(["ghcr.io/org/web:sha-0123456", "ghcr.io/org/web:pr-7"]);
    expect(values(args, "--label")).toEqual(["org.opencontainers.image.revision=0123456"]);
    expect(values(args, "--build-arg")).toEqual(["NODE_ENV=production", "EMPTY="]);
    expect(values(args, "--metadata-file")).toEqual(["/tmp/m.json"]);
    expect(args).toContain("--push");
    expect(args).not.toContain("--load");
    expect(args.at(-1)).toBe("web");
  });

  it("says provenance explicitly either way", () => {
    expect(buildxArgs(plan(), "m")).toContain("--provenance=false");
    expect(buildxArgs(plan({ provenance: true }), "m")).toContain("--provenance=true");
  });

  it("passes file, target and platforms", () => {
    const args = buildxArgs(
      plan({
        file: "web/Dockerfile.prod",
        target: "runtime",
        platforms: ["linux/amd64", "linux/arm64"],
      }),
      "m",
    );
    expect(values(args, "--file")).toEqual(["web/Dockerfile.prod"]);
    expect(values(args, "--target")).toEqual(["runtime"]);
    expect(values(args, "--platform")).toEqual(["linux/amd64,linux/arm64"]);
  });

  it("omits what was not asked for", () => {
    const args = buildxArgs(plan(), "m");
    for (const flag of [
      "--file",
      "--target",
      "--platform",
      "--cache-from",
      "--cache-to",
      "--build-arg",
    ]) {
      expect(args).not.toContain(flag);
    }
  });

  it("uses the GitHub Actions cache scoped by image", () => {
    const args = buildxArgs(plan({ cache: "gha" }), "m");
    expect(values(args, "--cache-from")).toEqual(["type=gha,scope=ghcr.io/org/web"]);
    expect(values(args, "--cache-to")).toEqual(["type=gha,scope=ghcr.io/org/web,mode=max"]);
  });

  it("uses IMAGE:buildcache as registry cache, writing it only when pushing", () => {
    const pushing = buildxArgs(plan({ cache: "registry" }), "m");
    expect(values(pushing, "--cache-from")).toEqual([
      "type=registry,ref=ghcr.io/org/web:buildcache",
    ]);
    expect(values(pushing, "--cache-to")).toEqual([
      "type=registry,ref=ghcr.io/org/web:buildcache,mode=max",
    ]);
    const notPushing = buildxArgs(plan({ cache: "registry", push: false }), "m");
    expect(values(notPushing, "--cache-to")).toEqual([]);
  });

  it("a scoped (pull request) build reads the trusted cache but writes only its own", () => {
    const registry = buildxArgs(plan({ cache: "registry", cacheScope: "pr-7" }), "m");
    expect(values(registry, "--cache-from")).toEqual([
      "type=registry,ref=ghcr.io/org/web:buildcache",
      "type=registry,ref=ghcr.io/org/web:buildcache-pr-7",
    ]);
    expect(values(registry, "--cache-to")).toEqual([
      "type=registry,ref=ghcr.io/org/web:buildcache-pr-7,mode=max",
    ]);
    const gha = buildxArgs(plan({ cache: "gha", cacheScope: "pr-7" }), "m");
    expect(values(gha, "--cache-from")).toEqual([
      "type=gha,scope=ghcr.io/org/web",
      "type=gha,scope=ghcr.io/org/web-pr-7",
    ]);
    expect(values(gha, "--cache-to")).toEqual(["type=gha,scope=ghcr.io/org/web-pr-7,mode=max"]);
  });

  it("loads a single-platform image when not pushing, and cannot load several", () => {
    const single = buildxArgs(plan({ push: false }), "m");
    expect(single).toContain("--load");
    expect(single).not.toContain("--push");
    const multi = buildxArgs(plan({ push: false, platforms: ["linux/amd64", "linux/arm64"] }), "m");
    expect(multi).not.toContain("--load");
    expect(multi).not.toContain("--push");
  });
});

describe("digestFromMetadata", () => {
  it("reads containerimage.digest of a single-platform push (provenance off)", () => {
    const metadata = {
      "buildx.build.ref": "builder/builder0/x1",
      "containerimage.config.digest": `sha256:${"cd".repeat(32)}`,
      "containerimage.descriptor": {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: DIGEST,
        size: 1042,
      },
      "containerimage.digest": DIGEST,
      "image.name": "ghcr.io/org/web:sha-0123456,ghcr.io/org/web:pr-7",
    };
    expect(digestFromMetadata(JSON.stringify(metadata))).toBe(DIGEST);
  });

  it("reads the index digest when attestations make an index", () => {
    const index = `sha256:${"ef".repeat(32)}`;
    const metadata = {
      "containerimage.descriptor": {
        mediaType: "application/vnd.oci.image.index.v1+json",
        digest: index,
        size: 856,
      },
      "containerimage.digest": index,
    };
    expect(digestFromMetadata(JSON.stringify(metadata))).toBe(index);
  });

  it("fails on a missing, short, upper-case or non-JSON digest", () => {
    expect(() => digestFromMetadata("{}")).toThrow(/no containerimage.digest/);
    expect(() =>
      digestFromMetadata(JSON.stringify({ "containerimage.digest": "sha256:abc" })),
    ).toThrow(/Malformed|not sha256/);
    expect(() =>
      digestFromMetadata(JSON.stringify({ "containerimage.digest": DIGEST.toUpperCase() })),
    ).toThrow(/not sha256/);
    expect(() => digestFromMetadata("not json")).toThrow(/not JSON/);
  });
});
