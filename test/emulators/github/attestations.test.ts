/**
 * The attestation routes as GitHub documents them (https://docs.github.com/rest/repos/attestations):
 * storing needs `attestations: write` on a job token, listing `attestations: read`; a bundle
 * is found by the digests of its statement's subjects and stored unverified.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITHUB_ACTIONS_BOT } from "./state.js";
import { createGitHubEmulator, type GitHubEmulator } from "./server.js";
import type { JobScopes } from "./scopes.js";

let gh: GitHubEmulator;
beforeAll(async () => {
  gh = await createGitHubEmulator();
});
afterAll(() => gh.close());

const statement = (hex: string) =>
  Buffer.from(
    JSON.stringify({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: "ghcr.io/acme/shop/web", digest: { sha256: hex } }],
      predicateType: "https://slsa.dev/provenance/v1",
      predicate: {},
    }),
  ).toString("base64");
const bundle = (hex: string) => ({
  mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
  verificationMaterial: {},
  dsseEnvelope: {
    payload: statement(hex),
    payloadType: "application/vnd.in-toto+json",
    signatures: [],
  },
});

function jobToken(name: string, scopes: JobScopes): string {
  const token = `ghs_${name.padEnd(36, "0")}`;
  gh.state.addToken(token, {
    account: GITHUB_ACTIONS_BOT,
    permission: "write",
    installation: true,
    scopes,
  });
  return token;
}

async function call(method: string, path: string, token: string, body?: object) {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("attestations", () => {
  it("stores with attestations: write and lists by subject digest with attestations: read", async () => {
    const writer = jobToken("attestwriter", { attestations: "write", contents: "read" });
    const reader = jobToken("attestreader", { attestations: "read", contents: "read" });
    const hex = "1".repeat(64);
    const stored = await call("POST", "/repos/acme/shop/attestations", writer, {
      bundle: bundle(hex),
    });
    expect(stored.status).toBe(201);
    expect(stored.body.id).toEqual(expect.any(Number));
    const listed = await call("GET", `/repos/acme/shop/attestations/sha256:${hex}`, reader);
    expect(listed.status).toBe(200);
    expect(listed.body.attestations).toEqual([
      { bundle: bundle(hex), repository_id: expect.any(Number), bundle_url: null },
    ]);
    expect(
      (await call("GET", `/repos/acme/shop/attestations/sha256:${"2".repeat(64)}`, reader)).status,
    ).toBe(404);
  });

  it("refuses a job token without the scope, and a bundle that is no in-toto statement", async () => {
    const noScope = jobToken("deploymentsonly", { deployments: "write", contents: "read" });
    expect(
      (
        await call("POST", "/repos/acme/shop/attestations", noScope, {
          bundle: bundle("3".repeat(64)),
        })
      ).status,
    ).toBe(403);
    expect(
      (await call("GET", `/repos/acme/shop/attestations/sha256:${"1".repeat(64)}`, noScope)).status,
    ).toBe(403);
    const writer = jobToken("attestwriter2", { attestations: "write" });
    expect(
      (
        await call("POST", "/repos/acme/shop/attestations", writer, {
          bundle: { dsseEnvelope: { payload: "e30=" } },
        })
      ).status,
    ).toBe(422);
  });
});
