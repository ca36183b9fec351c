/**
 * attest-images signs as the kit's build workflow and production's verify-provenance
 * promotes exactly what it signed: attest-images runs in-process (nock can route the
 * Sigstore hosts @actions/attest hard-codes only in this process), as the job of
 * build-images.yml called by the preview of pull request 7, storing through the GitHub
 * emulator; verify-provenance then runs as its bundle. Bad inputs are refused by the
 * bundle before anything is signed (test/repo/action-contracts.test.ts runs it bare too).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run as attestImages } from "../../actions/attest-images/run.js";
import { repository as repositoryObject } from "../emulators/github/objects.js";
import { attestationStore } from "../emulators/github/routes/attestations.js";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { GITHUB_ACTIONS_BOT } from "../emulators/github/state.js";
import { parseFileCommands, runAction } from "../harness/run-action.js";
import { createSigstoreStandIn, type SigstoreStandIn } from "../support/sigstore.js";

const PREFIX = "ghcr.io/acme/shop/";
const sha = (c: string) => c.repeat(40);
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const [BASE, HEAD, TEST_MERGE, MERGED] = [sha("b"), sha("c"), sha("d"), sha("e")];
const ATTEST_TOKEN = "ghs_attestjob000000000000000000000000000";
const DEPLOY_TOKEN = "ghs_deploymentsonly000000000000000000000";

let gh: GitHubEmulator;
let sigstore: SigstoreStandIn;
let trustedRoot: string;
let repositoryId: string;
let temp: string;

beforeAll(async () => {
  gh = await createGitHubEmulator();
  sigstore = await createSigstoreStandIn();
  repositoryId = String(repositoryObject("", gh.state, "acme/shop").id);
  temp = mkdtempSync(join(tmpdir(), "attest-images-"));
  trustedRoot = join(temp, "trusted_root.json");
  writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRoot));
  const s = gh.state;
  s.addCommit("acme", "shop", BASE, []);
  s.addCommit("acme", "shop", HEAD, [BASE]);
  s.addCommit("acme", "shop", TEST_MERGE, [BASE, HEAD]);
  s.addCommit("acme", "shop", MERGED, [BASE, HEAD]);
  s.addPull("acme", "shop", 7, { headSha: HEAD, mergeCommitSha: MERGED, state: "closed" });
  // The attest job's token: `attestations: write`; a deploy job's: no attestations scope.
  s.addToken(ATTEST_TOKEN, {
    account: GITHUB_ACTIONS_BOT,
    permission: "write",
    installation: true,
    scopes: { contents: "read", attestations: "write" },
  });
  s.addToken(DEPLOY_TOKEN, {
    account: GITHUB_ACTIONS_BOT,
    permission: "write",
    installation: true,
    scopes: { contents: "read", deployments: "write" },
  });
}, 60_000);

afterAll(async () => {
  sigstore?.close();
  await gh?.close();
});

/** Runs attest-images' run() as the runner would run its step, in this process. */
async function attestAsKitBuild(imageRefs: object, token: string) {
  sigstore.actAs({
    repository: "acme/shop",
    repositoryId,
    eventName: "pull_request",
    ref: "refs/pull/7/merge",
    sha: TEST_MERGE,
    workflowRef: "acme/shop/.github/workflows/preview.yml@refs/pull/7/merge",
    jobWorkflowRef: "preview-kit/kit/.github/workflows/build-images.yml@refs/tags/v1",
  });
  const output = join(temp, `output-${Date.now()}`);
  writeFileSync(output, "");
  const env = {
    "INPUT_IMAGE-REFS": JSON.stringify(imageRefs),
    "INPUT_GITHUB-TOKEN": token,
    GITHUB_API_URL: gh.url,
    GITHUB_OUTPUT: output,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await attestImages();
    return parseFileCommands(readFileSync(output, "utf8"));
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("attest-images", () => {
  it("signs each image as the kit's build, stores it, and production promotes exactly those", async () => {
    const refs = { web: `${PREFIX}web@${digest("1")}`, api: `${PREFIX}api@${digest("2")}` };
    const outputs = await attestAsKitBuild(refs, ATTEST_TOKEN);
    expect(Object.keys(JSON.parse(outputs["attestation-ids"]!) as object)).toEqual(["web", "api"]);
    expect(gh.requests.count("POST /repos/{owner}/{repo}/attestations")).toBe(2);
    expect(attestationStore(gh.state).of("acme", "shop", digest("1"))).toHaveLength(1);

    const promoted = await runAction("verify-provenance", {
      inputs: {
        images: "web\napi",
        "image-refs": JSON.stringify(refs),
        "signer-repository": "preview-kit/kit",
        "trusted-root": trustedRoot,
      },
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_REPOSITORY: "acme/shop",
        GITHUB_REPOSITORY_ID: repositoryId,
        GITHUB_SHA: MERGED,
      },
      event: { before: BASE },
    });
    expect(promoted.annotations).toEqual([]);
    expect(JSON.parse(promoted.outputs["image-refs"]!)).toEqual(refs);
  });

  it("cannot store without attestations: write, and says so", async () => {
    await expect(
      attestAsKitBuild({ web: `${PREFIX}web@${digest("3")}` }, DEPLOY_TOKEN),
    ).rejects.toThrow(/store the attestation of image 'web'.*attestations: write/);
    expect(attestationStore(gh.state).of("acme", "shop", digest("3"))).toEqual([]);
  });

  it("refuses a reference that is not whole, before signing anything (bundle)", async () => {
    const stored = gh.requests.count("POST /repos/{owner}/{repo}/attestations");
    const run = await runAction("attest-images", {
      inputs: { "image-refs": JSON.stringify({ web: `${PREFIX}web:latest` }) },
      env: { GITHUB_API_URL: gh.url },
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Input 'image-refs' has image 'web': a digest is required (REPOSITORY@sha256:<64 lowercase hex>)",
    ]);
    expect(gh.requests.count("POST /repos/{owner}/{repo}/attestations")).toBe(stored);
  });
});
