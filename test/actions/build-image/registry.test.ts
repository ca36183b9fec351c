import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { savedCredentials } from "../../../actions/build-image/docker-config.js";
import { locateRepository } from "../../../actions/build-image/reference.js";
import {
  MANIFEST_ACCEPT,
  manifestDigest,
  parseChallenge,
} from "../../../actions/build-image/registry.js";
import { ActionError } from "../../../actions/shared/errors.js";
import { startTokenRegistry, type TokenRegistry } from "./token-registry.js";

const DIGEST = `sha256:${"5e".repeat(32)}`;
let registry: TokenRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

describe("locateRepository", () => {
  it.each([
    ["ghcr.io/org/web", "ghcr.io", "https://ghcr.io", "org/web"],
    [
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/day",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com",
      "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
      "day",
    ],
    ["127.0.0.1:5000/a/b", "127.0.0.1:5000", "http://127.0.0.1:5000", "a/b"],
    ["localhost/a", "localhost", "http://localhost", "a"],
    ["org/web", "docker.io", "https://registry-1.docker.io", "org/web"],
    ["nginx", "docker.io", "https://registry-1.docker.io", "library/nginx"],
  ])("%s", (image, host, apiBase, path) => {
    expect(locateRepository(image)).toEqual({ host, apiBase, path });
  });
});

describe("parseChallenge", () => {
  it("reads quoted and bare parameters", () => {
    expect(
      parseChallenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"',
      ),
    ).toEqual({
      scheme: "bearer",
      params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:o/r:pull" },
    });
    expect(parseChallenge("Basic realm=ecr")).toEqual({
      scheme: "basic",
      params: { realm: "ecr" },
    });
  });
});

describe("manifestDigest", () => {
  it("answers a bearer challenge with the credentials and sends the manifest Accept types", async () => {
    registry = await startTokenRegistry({
      credentials: "bot:s3cret",
      manifests: { "org/web:v1": { digest: DIGEST, body: "{}" } },
    });
    const location = { host: registry.host, apiBase: registry.url, path: "org/web" };
    const digest = await manifestDigest(location, "v1", {
      credentials: { username: "bot", password: "s3cret" },
    });
    expect(digest).toBe(DIGEST);
    expect(registry.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      "HEAD /v2/org/web/manifests/v1",
      "GET /token",
      "HEAD /v2/org/web/manifests/v1",
    ]);
    const tokenRequest = registry.requests[1];
    expect(tokenRequest?.path).toContain("service=test-registry");
    expect(tokenRequest?.path).toContain(`scope=${encodeURIComponent("repository:org/web:pull")}`);
    expect(tokenRequest?.authorization).toBe(
      `Basic ${Buffer.from("bot:s3cret").toString("base64")}`,
    );
    for (const manifestRequest of [registry.requests[0], registry.requests[2]]) {
      expect(manifestRequest?.accept).toBe(MANIFEST_ACCEPT);
    }
    expect(MANIFEST_ACCEPT).toContain("application/vnd.oci.image.index.v1+json");
    expect(MANIFEST_ACCEPT).toContain("application/vnd.docker.distribution.manifest.list.v2+json");
  });

  it("gets an anonymous token for a public repository", async () => {
    registry = await startTokenRegistry({
      manifests: { "org/web:v1": { digest: DIGEST, body: "{}" } },
    });
    const location = { host: registry.host, apiBase: registry.url, path: "org/web" };
    expect(await manifestDigest(location, "v1")).toBe(DIGEST);
    expect(registry.requests[1]?.authorization).toBeUndefined();
  });

  it("fails with a hint when the token endpoint refuses the credentials", async () => {
    registry = await startTokenRegistry({ credentials: "bot:right", manifests: {} });
    const location = { host: registry.host, apiBase: registry.url, path: "org/web" };
    await expect(
      manifestDigest(location, "v1", { credentials: { username: "bot", password: "wrong" } }),
    ).rejects.toThrow(/refused a pull token .*HTTP 401 \(check username and password\)/);
  });

  it("answers a Basic challenge with the credentials", async () => {
    registry = await startTokenRegistry({
      scheme: "basic",
      credentials: "AWS:ecr-token",
      manifests: { "day:v1": { digest: DIGEST, body: "{}" } },
    });
    const location = { host: registry.host, apiBase: registry.url, path: "day" };
    expect(
      await manifestDigest(location, "v1", {
        credentials: { username: "AWS", password: "ecr-token" },
      }),
    ).toBe(DIGEST);
    await expect(manifestDigest(location, "v1")).rejects.toThrow(/needs credentials/);
  });

  it("hashes the manifest body when the registry sends no digest header", async () => {
    const body = '{"schemaVersion":2}';
    registry = await startTokenRegistry({ manifests: { "org/web:v1": { body } } });
    const location = { host: registry.host, apiBase: registry.url, path: "org/web" };
    const expected = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    expect(await manifestDigest(location, "v1")).toBe(expected);
  });

  it("tries an unreachable registry three times, then fails with one line", async () => {
    let calls = 0;
    const fetchFn = (() => {
      calls++;
      return Promise.reject(
        Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
      );
    }) as typeof fetch;
    const location = { host: "127.0.0.1:9", apiBase: "http://127.0.0.1:9", path: "org/web" };
    const error = await manifestDigest(location, "v1", { fetchFn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).message).toBe(
      "Could not reach the registry 127.0.0.1:9: ECONNREFUSED",
    );
    expect(calls).toBe(3);
  });

  it("fails on a malformed digest and on a missing tag", async () => {
    registry = await startTokenRegistry({
      manifests: { "org/web:v1": { digest: "sha256:ABC", body: "{}" } },
    });
    const location = { host: registry.host, apiBase: registry.url, path: "org/web" };
    await expect(manifestDigest(location, "v1")).rejects.toThrow(/gave 'sha256:ABC'/);
    await expect(manifestDigest(location, "v2")).rejects.toThrow(/HTTP 404/);
  });
});

describe("savedCredentials", () => {
  it("reads a docker login's auths entry from DOCKER_CONFIG", () => {
    const dir = mkdtempSync(join(tmpdir(), "docker-config-"));
    const auth = (value: string) => ({ auth: Buffer.from(value).toString("base64") });
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({
        auths: {
          "ghcr.io": auth("bot:pat:with:colons"),
          "https://index.docker.io/v1/": auth("hub:pw"),
        },
      }),
    );
    const env = { DOCKER_CONFIG: dir };
    expect(savedCredentials("ghcr.io", env)).toEqual({
      username: "bot",
      password: "pat:with:colons",
    });
    expect(savedCredentials("docker.io", env)).toEqual({ username: "hub", password: "pw" });
    expect(savedCredentials("quay.io", env)).toBeUndefined();
    expect(savedCredentials("ghcr.io", { DOCKER_CONFIG: join(dir, "missing") })).toBeUndefined();
  });
});
