import { afterEach, describe, expect, it } from "vitest";
import { inputs } from "../../../actions/build-image/inputs.js";
import { planBuild, type PlanContext } from "../../../actions/build-image/plan.js";
import { parseInputs } from "../../../actions/shared/inputs.js";
import { clearInputs, inputProblems, setInputs } from "../../support/inputs.js";

afterEach(clearInputs);

describe("build-image inputs", () => {
  it("reject a bad image, tags, platforms and names in one go", () => {
    setInputs({
      image: "ghcr.io/Org/Web:latest",
      tags: "v1\nghcr.io/org/web:latest",
      platforms: "linux/amd64,windows",
      "build-args": "1BAD=x",
      cache: "s3",
    });
    expect(inputProblems(() => parseInputs(inputs))).toEqual([
      "Input 'image' must be an image repository without tag or digest, e.g. ghcr.io/org/web, got 'ghcr.io/Org/Web:latest'",
      "Input 'tags' line 2 must be a tag, not a reference or digest (the repository goes in 'image'), got 'ghcr.io/org/web:latest'",
      "Input 'build-args' line 1 has a NAME '1BAD' that is not allowed (^[A-Za-z_][A-Za-z0-9_]*$)",
      "Input 'platforms' must be OS/ARCH[/VARIANT] platforms, e.g. linux/amd64,linux/arm64, got 'windows'",
      "Input 'cache' must be one of gha, registry, none, got 's3'",
    ]);
  });
});

describe("planBuild", () => {
  const context: PlanContext = {
    sha: "abcdef0123456789abcdef0123456789abcdef01",
    pullRequest: 9,
    sourceUrl: "https://github.com/octo-org/octo-repo",
    fork: false,
    now: new Date("2026-01-02T03:04:05.000Z"),
  };

  it("tags sha-<7> and pr-<N> by default and sets the OCI labels", () => {
    setInputs({ image: "ghcr.io/org/web", labels: "team=web" });
    const plan = planBuild(parseInputs(inputs), context);
    expect(plan.references).toEqual(["ghcr.io/org/web:sha-abcdef0", "ghcr.io/org/web:pr-9"]);
    expect(plan.labels).toEqual({
      "org.opencontainers.image.source": "https://github.com/octo-org/octo-repo",
      "org.opencontainers.image.revision": context.sha,
      "org.opencontainers.image.created": "2026-01-02T03:04:05.000Z",
      team: "web",
    });
    expect(plan.push).toBe(true);
  });

  it("uses given tags, sanitised and each once, and lets user labels win", () => {
    setInputs({
      image: "ghcr.io/org/web",
      tags: "feature/Login\nfeature-Login\nv1",
      labels: "org.opencontainers.image.source=https://example.com/mirror",
    });
    const plan = planBuild(parseInputs(inputs), context);
    expect(plan.references).toEqual(["ghcr.io/org/web:feature-Login", "ghcr.io/org/web:v1"]);
    expect(plan.labels["org.opencontainers.image.source"]).toBe("https://example.com/mirror");
  });

  it("never pushes from a fork", () => {
    setInputs({ image: "ghcr.io/org/web" });
    expect(planBuild(parseInputs(inputs), { ...context, fork: true }).push).toBe(false);
  });
});
