/**
 * check-images as the runner runs it (the bundle), and the one image-reference rule it
 * applies (components/image-reference.ts), which components and actions share.
 */
import { describe, expect, it } from "vitest";
import { imageRefProblem, isRepository } from "../../components/image-reference.js";
import { imageRef } from "../../components/digest.js";
import { runAction } from "../harness/run-action.js";

const D = `sha256:${"a".repeat(64)}`;
const errors = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);

describe("the image-reference rule (OCI distribution reference grammar)", () => {
  it.each([
    "web",
    "ghcr.io/acme/shop/web",
    "127.0.0.1:5000/shop/my--svc",
    "localhost:5000/my__svc",
    "registry.example.com/a.b/c_d/e-f",
    "my-registry.io/web",
    "[::1]:5000/web",
  ])("accepts the repository %s", (repository) => {
    expect(isRepository(repository)).toBe(true);
    expect(imageRefProblem(`${repository}@${D}`)).toBeUndefined();
    // The components take exactly what the actions take.
    expect(imageRef.safeParse(`${repository}@${D}`).success).toBe(true);
  });

  it.each([
    "my___svc",
    "Web",
    "ghcr.io/acme/-web",
    "ghcr.io/acme/web-",
    "ghcr.io/acme//web",
    "ghcr.io/acme/web_.x",
    "-registry.io/web",
    `ghcr.io/${"a".repeat(250)}`,
  ])("refuses the repository %s", (repository) => {
    expect(isRepository(repository)).toBe(false);
    expect(imageRefProblem(`${repository}@${D}`)).toMatch(/not an image repository/);
    expect(imageRef.safeParse(`${repository}@${D}`).success).toBe(false);
  });

  it("refuses a tag and a short digest, saying which", () => {
    expect(imageRefProblem(`ghcr.io/acme/web:1.2@${D}`)).toMatch(/carries a tag/);
    expect(imageRefProblem("ghcr.io/acme/web@sha256:abc")).toMatch(/not a whole digest/);
    expect(imageRefProblem("ghcr.io/acme/web:latest")).toMatch(/digest is required/);
  });
});

describe("check-images (bundle)", () => {
  it("joins digests and a prefix into the forms the other steps take", async () => {
    const run = await runAction("check-images", {
      inputs: {
        digests: JSON.stringify({ web: D, "my--svc": D, my__svc: D }),
        "image-prefix": "127.0.0.1:5000/shop/",
      },
    });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.images).toBe(
      [
        `web=127.0.0.1:5000/shop/web@${D}`,
        `my--svc=127.0.0.1:5000/shop/my--svc@${D}`,
        `my__svc=127.0.0.1:5000/shop/my__svc@${D}`,
      ].join("\n"),
    );
    expect(JSON.parse(run.outputs.digests!)).toEqual({ web: D, "my--svc": D, my__svc: D });
    expect(run.outputs["digest-lines"]).toBe(`web=${D}\nmy--svc=${D}\nmy__svc=${D}`);
  });

  it("takes whole references as they are", async () => {
    const run = await runAction("check-images", {
      inputs: { "image-refs": JSON.stringify({ api: `ghcr.io/acme/api@${D}` }) },
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs["image-refs"]!)).toEqual({ api: `ghcr.io/acme/api@${D}` });
  });

  it("checks the repositories of names before a build", async () => {
    const run = await runAction("check-images", {
      inputs: { names: "web\nmy--svc", "image-prefix": "ghcr.io/acme/shop/" },
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.repositories!)).toEqual({
      web: "ghcr.io/acme/shop/web",
      "my--svc": "ghcr.io/acme/shop/my--svc",
    });
  });

  it("names every bad entry, one line each, and writes no output", async () => {
    const run = await runAction("check-images", {
      inputs: {
        digests: JSON.stringify({ web: "sha256:abc", my___svc: D, api: D }),
        "image-prefix": "ghcr.io/Acme/",
      },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'image-prefix' makes 'ghcr.io/Acme/web' of image 'web', which is not an image repository: use a prefix like ghcr.io/org/app- or ghcr.io/org/",
      "Input 'digests' has image 'web', which must be sha256: followed by 64 lowercase hex characters, got 'sha256:abc'",
      "Input 'digests' names image 'my___svc', which must be one lowercase path component: letters and digits, separated by '.', '_', '__' or dashes",
      "Input 'image-prefix' makes 'ghcr.io/Acme/api' of image 'api', which is not an image repository: use a prefix like ghcr.io/org/app- or ghcr.io/org/",
    ]);
    expect(run.outputs).toEqual({});
  });

  it("refuses digests without a prefix: a bare name would resolve on Docker Hub", async () => {
    const run = await runAction("check-images", {
      inputs: { digests: JSON.stringify({ web: D }) },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'image-prefix' is required with digests or names, e.g. ghcr.io/org/app- or ghcr.io/org/",
    ]);
    const none = await runAction("check-images", { inputs: { digests: "{}" } });
    expect(none.exitCode).toBe(0);
    expect(none.outputs.images).toBe("");
  });

  it("refuses a map that is not of strings, and no image when images are required", async () => {
    const bad = await runAction("check-images", {
      inputs: { digests: JSON.stringify({ web: D, pr: 7 }), "image-prefix": "ghcr.io/a/" },
    });
    expect(errors(bad)).toEqual([
      "Input 'digests' must map every image name to a string, got 7 for 'pr'",
    ]);
    const none = await runAction("check-images", {
      inputs: { digests: "{}", "require-images": "true" },
    });
    expect(none.exitCode).toBe(1);
    expect(errors(none)[0]).toMatch(/holds no image/);
  });
});

describe("#23 item 10: credentials in image-refs or image-prefix are never quoted", () => {
  const SECRET = "ghp_imageRegistryToken0123456789";
  it.each([
    [
      "image-refs",
      { "image-refs": JSON.stringify({ web: `https://robot:${SECRET}@ghcr.io/acme/web@${D}` }) },
    ],
    [
      "image-refs",
      { "image-refs": JSON.stringify({ web: `robot:${SECRET}@ghcr.io/acme/web@${D}` }) },
    ],
    [
      "image-prefix",
      {
        digests: JSON.stringify({ web: D }),
        "image-prefix": `https://robot:${SECRET}@ghcr.io/acme/`,
      },
    ],
    [
      "digests",
      { digests: JSON.stringify({ web: `robot:${SECRET}@x` }), "image-prefix": "ghcr.io/acme/" },
    ],
  ])("%s: the value shows as ***", async (_input, inputs) => {
    const run = await runAction("check-images", { inputs });
    expect(run.exitCode).toBe(1);
    expect(errors(run).join("\n")).toContain("'***'");
    expect(run.stdout + run.stderr + run.summary).not.toContain(SECRET);
  });
});
