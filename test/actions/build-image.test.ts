/**
 * build-image against the real Docker engine and the registry on 127.0.0.1:5000 that
 * `.ci/services.sh` starts. Nothing here is simulated except, in the rejection tests, a
 * fake `docker` that only records that it was (not) called.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leakedSecrets, runAction, type ActionRun } from "../harness/run-action.js";

const REGISTRY = "127.0.0.1:5000";
const RUN_ID = randomBytes(4).toString("hex");
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PUSH_SHA = "0123456789abcdef0123456789abcdef01234567";
const HEAD_SHA = "feedc0de00000000000000000000000000000001";
const MERGE_SHA = "3e79e0000000000000000000000000000000beef";
const ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** The classic-builder tests only mean something where the action cannot pick buildx. */
const HAS_BUILDX = spawnSync("docker", ["buildx", "version"]).status === 0;

/** A fresh repository per test, so no test sees another's tags. */
function newImage(name: string): { image: string; path: string } {
  const path = `build-image-test/${RUN_ID}/${name}`;
  return { image: `${REGISTRY}/${path}`, path };
}

function docker(...args: string[]) {
  return spawnSync("docker", args, { encoding: "utf8" });
}

/** The registry's own answer: Docker-Content-Digest of the tag's manifest, or undefined on 404. */
async function registryDigest(path: string, tag: string): Promise<string | undefined> {
  const response = await fetch(`http://${REGISTRY}/v2/${path}/manifests/${tag}`, {
    method: "HEAD",
    headers: { accept: ACCEPT },
  });
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return response.headers.get("docker-content-digest") ?? undefined;
}

/** The image config (labels and all) of a pushed tag, read from the registry. */
async function registryConfig(
  path: string,
  tag: string,
): Promise<{ config: { Labels: Record<string, string> } }> {
  const manifest = (await (
    await fetch(`http://${REGISTRY}/v2/${path}/manifests/${tag}`, { headers: { accept: ACCEPT } })
  ).json()) as { config: { digest: string } };
  return (await (
    await fetch(`http://${REGISTRY}/v2/${path}/blobs/${manifest.config.digest}`)
  ).json()) as {
    config: { Labels: Record<string, string> };
  };
}

let contextDir: string;
let realDocker: string;

beforeAll(async () => {
  const info = docker("info", "--format", "{{.ServerVersion}}");
  if (info.status !== 0) {
    throw new Error(
      `No Docker engine answers (docker info failed: ${info.stderr.trim() || info.error?.message}). ` +
        "The build-image suite needs the real engine and registry: run .ci/services.sh (as root) first.",
    );
  }
  const registry = await fetch(`http://${REGISTRY}/v2/`).catch((error: Error) => error);
  if (registry instanceof Error || registry.status !== 200) {
    throw new Error(
      `No registry answers on http://${REGISTRY}/v2/ (${registry instanceof Error ? registry.message : registry.status}). ` +
        "Run .ci/services.sh (as root) first.",
    );
  }
  realDocker = spawnSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).stdout.trim();
  contextDir = mkdtempSync(join(tmpdir(), "build-image-context-"));
  writeFileSync(join(contextDir, "hello.txt"), `hello from ${RUN_ID}\n`);
  writeFileSync(
    join(contextDir, "Dockerfile"),
    "FROM scratch\nARG GREETING=none\nCOPY hello.txt /\n",
  );
});

afterAll(async () => {
  // By ID: images pulled by digest have no tag to name them by.
  const images = docker("image", "ls", "--format", "{{.Repository}} {{.ID}}").stdout.split("\n");
  const ours = images.filter((line) => line.includes(`build-image-test/${RUN_ID}/`));
  const ids = [...new Set(ours.map((line) => line.split(" ")[1] as string))];
  if (ids.length > 0) docker("rmi", "--force", ...ids);
  // Best effort: the registry keeps blobs, but no test repository stays tagged.
  for (const { path, digest } of pushed) {
    await fetch(`http://${REGISTRY}/v2/${path}/manifests/${digest}`, { method: "DELETE" }).catch(
      () => undefined,
    );
  }
});

const pushed: { path: string; digest: string }[] = [];

async function build(
  inputs: Record<string, string>,
  options: Parameters<typeof runAction>[1] = {},
): Promise<ActionRun> {
  const run = await runAction("build-image", {
    cwd: contextDir,
    env: { GITHUB_SHA: PUSH_SHA },
    ...options,
    inputs,
  });
  const path = inputs.image?.slice(REGISTRY.length + 1);
  if (run.outputs.digest && path) pushed.push({ path, digest: run.outputs.digest });
  return run;
}

function outputsOf(run: ActionRun) {
  return {
    digest: run.outputs.digest,
    imageRef: run.outputs["image-ref"],
    tags: run.outputs.tags === undefined ? undefined : (JSON.parse(run.outputs.tags) as string[]),
    seconds: run.outputs["build-seconds"],
  };
}

function expectSuccess(run: ActionRun): void {
  expect(
    run.annotations.filter((a) => a.level === "error"),
    run.log,
  ).toEqual([]);
  expect(run.exitCode, run.log).toBe(0);
}

describe("build-image on a push", () => {
  it("pushes sha-<7>, outputs the registry's digest, labels the image, and the ref pulls", async () => {
    const { image, path } = newImage("push");
    const run = await build({
      image,
      labels: "team=web\ntier=frontend",
      "build-args": "GREETING=hi",
    });
    expectSuccess(run);
    const out = outputsOf(run);

    expect(out.tags).toEqual([`${image}:sha-0123456`]);
    expect(out.digest).toMatch(DIGEST);
    expect(out.digest).toBe(await registryDigest(path, "sha-0123456"));
    expect(out.imageRef).toBe(`${image}@${out.digest}`);
    expect(Number(out.seconds)).toBeGreaterThanOrEqual(0);
    expect(out.seconds).toMatch(/^\d+\.\d$/);

    // Never the local image ID (the config digest), which no registry can resolve.
    const localId = docker(
      "image",
      "inspect",
      "--format",
      "{{.Id}}",
      `${image}:sha-0123456`,
    ).stdout.trim();
    expect(localId).toMatch(DIGEST);
    expect(out.digest).not.toBe(localId);

    const { config } = await registryConfig(path, "sha-0123456");
    expect(config.Labels).toMatchObject({
      "org.opencontainers.image.source": "https://github.com/octo-org/octo-repo",
      "org.opencontainers.image.revision": PUSH_SHA,
      team: "web",
      tier: "frontend",
    });
    expect(Date.parse(config.Labels["org.opencontainers.image.created"] as string)).toBeGreaterThan(
      Date.now() - 600_000,
    );

    expect(run.summary).toContain(image);
    expect(run.summary).toContain(`${image}:sha-0123456`);
    expect(run.summary).toContain(out.digest);
    expect(run.summary).toMatch(/Build time \| \d+\.\d s/);

    expect(docker("rmi", `${image}:sha-0123456`).status).toBe(0);
    const pull = docker("pull", out.imageRef as string);
    expect(pull.status, pull.stderr).toBe(0);
    expect(docker("image", "inspect", out.imageRef as string).status).toBe(0);
  });

  it("pushes custom tags, sanitised to Docker's grammar, all pointing at the digest", async () => {
    const { image, path } = newImage("custom");
    const run = await build({ image, tags: "feature/Login+SSO\nv1.2.3\n.hidden\nv1.2.3" });
    expectSuccess(run);
    const out = outputsOf(run);
    expect(out.tags).toEqual([`${image}:feature-Login-SSO`, `${image}:v1.2.3`, `${image}:hidden`]);
    for (const tag of ["feature-Login-SSO", "v1.2.3", "hidden"]) {
      expect(await registryDigest(path, tag)).toBe(out.digest);
    }
    expect(await registryDigest(path, "sha-0123456")).toBeUndefined();
    expect(run.log).toContain(
      "Tag 'feature/Login+SSO' does not fit Docker's tag grammar: using 'feature-Login-SSO'",
    );
  });

  it("does not push with push: false, and outputs no digest", async () => {
    const { image, path } = newImage("nopush");
    const run = await build({ image, push: "false" });
    expectSuccess(run);
    expect(run.outputs.digest).toBeUndefined();
    expect(run.outputs["image-ref"]).toBeUndefined();
    expect(outputsOf(run).tags).toEqual([`${image}:sha-0123456`]);
    expect(await registryDigest(path, "sha-0123456")).toBeUndefined();
    expect(run.summary).toContain("not pushed: push is false");
  });

  it.skipIf(HAS_BUILDX)(
    "without buildx, warns that cache and provenance need it and still pushes",
    async () => {
      const { image, path } = newImage("legacy-options");
      const run = await build({ image, cache: "gha", provenance: "true" });
      expectSuccess(run);
      expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
        "cache 'gha' needs buildx: building without a cache",
        "provenance needs buildx: the image has no provenance attestation",
      ]);
      expect(run.outputs.digest).toBe(await registryDigest(path, "sha-0123456"));
    },
  );

  it.skipIf(HAS_BUILDX)("without buildx, refuses several platforms before building", async () => {
    const { image, path } = newImage("multi-platform");
    const run = await build({ image, platforms: "linux/amd64,linux/arm64" });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Building for linux/amd64, linux/arm64 needs buildx\nAdd docker/setup-buildx-action before this step, or build one platform.",
    ]);
    expect(docker("image", "inspect", `${image}:sha-0123456`).status).not.toBe(0);
    expect(await registryDigest(path, "sha-0123456")).toBeUndefined();
  });

  it("fails the step with Docker's last lines when the build fails", async () => {
    const { image } = newImage("broken");
    const broken = mkdtempSync(join(tmpdir(), "build-image-broken-"));
    writeFileSync(join(broken, "Dockerfile"), "FROM scratch\nCOPY missing.txt /\n");
    const run = await build({ image }, { cwd: broken });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^docker build failed \(exit code \d+\)/);
    expect(errors[0]?.message).toContain("missing.txt");
    expect(run.outputs).toEqual({});
  });
});

describe("build-image on a pull request", () => {
  const pullRequest = (headRepo: string) => ({
    pull_request: {
      number: 17,
      head: { sha: HEAD_SHA, repo: { full_name: headRepo } },
      base: { repo: { full_name: "octo-org/octo-repo" } },
    },
  });

  it("tags the PR head commit and pr-<N>, never the merge commit", async () => {
    const { image, path } = newImage("pr");
    const run = await build(
      { image },
      {
        eventName: "pull_request",
        event: pullRequest("octo-org/octo-repo"),
        env: { GITHUB_SHA: MERGE_SHA },
      },
    );
    expectSuccess(run);
    const out = outputsOf(run);
    expect(out.tags).toEqual([`${image}:sha-feedc0d`, `${image}:pr-17`]);
    expect(await registryDigest(path, "sha-feedc0d")).toBe(out.digest);
    expect(await registryDigest(path, "pr-17")).toBe(out.digest);
    expect(await registryDigest(path, "sha-3e79e00")).toBeUndefined();
    const { config } = await registryConfig(path, "pr-17");
    expect(config.Labels["org.opencontainers.image.revision"]).toBe(HEAD_SHA);
  });

  it.skipIf(HAS_BUILDX)(
    "a newer build of the pull request moving pr-<N> meanwhile is a warning, and the digest stays this build's",
    async () => {
      const { image, path } = newImage("pr-race");
      // The newer build's image: other content, pushed by the wrapper below.
      const newer = mkdtempSync(join(tmpdir(), "build-image-newer-"));
      writeFileSync(join(newer, "Dockerfile"), "FROM scratch\nCOPY newer.txt /\n");
      writeFileSync(join(newer, "newer.txt"), `newer ${RUN_ID}\n`);
      expect(docker("build", "-q", "-t", `${image}:newer`, newer).status).toBe(0);
      // The real docker; right after this build's push of pr-17, the newer build pushes its
      // image to pr-17, before the action reads the tag back: the race of two quick pushes.
      const real = spawnSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).stdout.trim();
      const bin = mkdtempSync(join(tmpdir(), "docker-race-"));
      writeFileSync(
        join(bin, "docker"),
        [
          "#!/bin/sh",
          `"${real}" "$@" || exit $?`,
          'if [ "$1" = push ] && [ "$2" = "$RACE_TAG" ]; then',
          `  "${real}" tag "$RACE_TAG_NEWER" "$RACE_TAG" && "${real}" push -q "$RACE_TAG" >/dev/null || exit 97`,
          "fi",
          "",
        ].join("\n"),
      );
      chmodSync(join(bin, "docker"), 0o755);
      const run = await build(
        { image },
        {
          eventName: "pull_request",
          event: pullRequest("octo-org/octo-repo"),
          env: {
            GITHUB_SHA: MERGE_SHA,
            RACE_TAG: `${image}:pr-17`,
            RACE_TAG_NEWER: `${image}:newer`,
          },
          path: [bin],
        },
      );
      expectSuccess(run);
      const ours = await registryDigest(path, "sha-feedc0d");
      const moved = await registryDigest(path, "pr-17");
      expect(run.outputs.digest).toBe(ours);
      expect(moved).toMatch(DIGEST);
      expect(moved).not.toBe(ours);
      expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
        `${image}:pr-17 already names ${moved}: another build pushed that tag after this one; this build's digest is ${ours}`,
      ]);
      pushed.push({ path, digest: moved as string });
    },
  );

  it("builds a fork's pull request without pushing, outputs no digest and warns", async () => {
    const { image, path } = newImage("fork");
    const run = await build(
      { image },
      {
        eventName: "pull_request",
        event: pullRequest("someone/octo-repo"),
        env: { GITHUB_SHA: MERGE_SHA },
      },
    );
    expectSuccess(run);
    expect(run.outputs.digest).toBeUndefined();
    expect(run.outputs["image-ref"]).toBeUndefined();
    expect(outputsOf(run).tags).toEqual([`${image}:sha-feedc0d`, `${image}:pr-17`]);
    const warnings = run.annotations.filter((a) => a.level === "warning");
    expect(warnings.map((w) => w.message)).toEqual([
      `Building ${image} without pushing: a pull request from a fork cannot push; no digest is output`,
    ]);
    expect(await registryDigest(path, "pr-17")).toBeUndefined();
    expect(docker("image", "inspect", `${image}:pr-17`).status).toBe(0);
  });
});

describe("build-image login", () => {
  /** A `docker` that records each command line with its DOCKER_CONFIG, then runs the real one. */
  function recorder() {
    const bin = mkdtempSync(join(tmpdir(), "docker-recorder-"));
    const calls = join(bin, "calls.log");
    writeFileSync(
      join(bin, "docker"),
      `#!/bin/sh\nprintf '%s %s\\n' "$DOCKER_CONFIG" "$*" >> '${calls}'\nexec '${realDocker}' "$@"\n`,
    );
    chmodSync(join(bin, "docker"), 0o755);
    const home = join(bin, "home");
    mkdirSync(home);
    return { bin, calls, home };
  }

  it("logs in with the password on stdin, masked, into a config of the step's own that is removed after", async () => {
    const { image, path } = newImage("login");
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const { bin, calls, home } = recorder();
    const run = await build(
      { image, username: "ci-bot", password },
      { path: [bin], env: { GITHUB_SHA: PUSH_SHA, HOME: home } },
    );
    expectSuccess(run);
    expect(run.masks).toContain(password);
    expect(leakedSecrets(run, [password])).toEqual([]);
    const lines = readFileSync(calls, "utf8").trim().split("\n");
    expect(lines.join("\n")).not.toContain(password);
    const login = lines.find((line) =>
      line.endsWith(`login ${REGISTRY} --username ci-bot --password-stdin`),
    );
    const stepConfig = login?.split(" ")[0] ?? "";
    // Every docker command after the login used the step's config, under RUNNER_TEMP...
    expect(stepConfig.startsWith(join(run.runnerTemp, "build-image-docker-"))).toBe(true);
    expect(
      lines.slice(lines.indexOf(login as string)).every((l) => l.startsWith(`${stepConfig} `)),
    ).toBe(true);
    // ...which is gone, and HOME holds no Docker config.
    expect(existsSync(stepConfig)).toBe(false);
    expect(existsSync(join(home, ".docker"))).toBe(false);
    expect(run.outputs.digest).toBe(await registryDigest(path, "sha-0123456"));
  });

  it("a failed build after the login leaves no credential: the job's DOCKER_CONFIG is untouched", async () => {
    const { image } = newImage("login-fails");
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const { bin, calls, home } = recorder();
    const jobConfig = join(bin, "job-docker-config");
    mkdirSync(jobConfig);
    const before = JSON.stringify({
      auths: { "other.example.test": { auth: "b3RoZXI6dG9rZW4=" } },
    });
    writeFileSync(join(jobConfig, "config.json"), before);
    writeFileSync(join(contextDir, "Failing.Dockerfile"), "FROM scratch\nCOPY missing.txt /\n");
    const run = await build(
      { image, username: "ci-bot", password, file: "Failing.Dockerfile" },
      { path: [bin], env: { GITHUB_SHA: PUSH_SHA, HOME: home, DOCKER_CONFIG: jobConfig } },
    );
    expect(run.exitCode).toBe(1);
    expect(readFileSync(join(jobConfig, "config.json"), "utf8")).toBe(before);
    const stepConfig = readFileSync(calls, "utf8")
      .split("\n")
      .find((l) => l.includes(" login "))
      ?.split(" ")[0];
    expect(stepConfig?.startsWith(run.runnerTemp)).toBe(true);
    expect(existsSync(stepConfig as string)).toBe(false);
    expect(existsSync(join(home, ".docker"))).toBe(false);
  });
});

describe("build-image rejects bad inputs before Docker runs", () => {
  let bin: string;
  let calls: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), "docker-fake-"));
    calls = join(bin, "calls.log");
    writeFileSync(join(bin, "docker"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexit 1\n`);
    chmodSync(join(bin, "docker"), 0o755);
  });

  async function rejected(inputs: Record<string, string>): Promise<string[]> {
    const run = await build(inputs, { path: [bin] });
    expect(run.exitCode).toBe(1);
    expect(existsSync(calls), "docker was run").toBe(false);
    expect(run.outputs).toEqual({});
    expect(run.summary).toBe("");
    return run.annotations.map((a) => `${a.level}: ${a.message}`);
  }

  it("rejects an image with a tag or upper case", async () => {
    expect(await rejected({ image: "ghcr.io/Org/web:latest" })).toEqual([
      "error: Input 'image' must be an image repository without tag or digest (at most 255 characters), e.g. ghcr.io/org/web, got 'ghcr.io/Org/web:latest'",
    ]);
  });

  it("rejects a repository name longer than Docker's 255 characters, before Docker fails with 125", async () => {
    const image = `${REGISTRY}/${"a".repeat(256 - REGISTRY.length - 1)}`;
    expect(image).toHaveLength(256);
    expect(await rejected({ image })).toEqual([
      `error: Input 'image' must be an image repository without tag or digest (at most 255 characters), e.g. ghcr.io/org/web, got '${image.slice(0, 80)}…'`,
    ]);
  });

  it("rejects tags that are references or have blanks", async () => {
    expect(await rejected({ image: `${REGISTRY}/x/y`, tags: "v1\nv2 beta" })).toEqual([
      "error: Input 'tags' line 2 must be a tag without blanks, got 'v2 beta'",
    ]);
    expect(await rejected({ image: `${REGISTRY}/x/y`, tags: "x/y@sha256:00" })).toEqual([
      "error: Input 'tags' line 1 must be a tag, not a reference or digest (the repository goes in 'image'), got 'x/y@sha256:00'",
    ]);
  });

  it("rejects a username without a password, and a missing image", async () => {
    expect(await rejected({ image: `${REGISTRY}/x/y`, username: "bot" })).toEqual([
      "error: Input 'password' is required when 'username' is given",
    ]);
    expect(await rejected({})).toEqual(["error: Input 'image' is required"]);
  });

  it("refuses to guess default tags when the event names a pull request but not its head", async () => {
    const run = await build(
      { image: `${REGISTRY}/x/y` },
      {
        path: [bin],
        eventName: "issue_comment",
        event: { issue: { number: 5, pull_request: {} } },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(existsSync(calls), "docker was run").toBe(false);
    expect(run.annotations.map((a) => a.message)).toEqual([
      "The event names pull request #5 but not its head commit\nGive 'tags' explicitly, or run on pull_request or push events.",
    ]);
  });
});
