/**
 * verify-provenance as the runner runs it (the bundle), against attestations signed for
 * real: @actions/attest signs through the Sigstore project's own mock Fulcio and timestamp
 * authority (test/support/sigstore.ts), the bundles are stored in the GitHub emulator, and
 * the action verifies them with @sigstore/verify against a trusted root of the mocks' keys.
 * Each refusal plays an attacker: a digest nobody attested, a signature by another workflow
 * (a branch's own in the caller repository), a build of another pull request or commit,
 * another repository, extra or missing images, a tampered or foreign statement, a forged
 * preview Deployment.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attest, attestProvenance } from "@actions/attest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repository as repositoryObject } from "../emulators/github/objects.js";
import { attestationStore } from "../emulators/github/routes/attestations.js";
import { deploymentStore } from "../emulators/github/routes/deployments.js";
import { createGitHubEmulator, type GitHubEmulator } from "../emulators/github/server.js";
import { runAction } from "../harness/run-action.js";
import {
  createSigstoreStandIn,
  type GitHubJob,
  type SigstoreStandIn,
} from "../support/sigstore.js";

const OWNER = "acme";
const REPO = "shop";
const KIT = "preview-kit/kit";
const KIT_BUILD = `${KIT}/.github/workflows/build-images.yml@refs/tags/v1`;
const PREFIX = "ghcr.io/acme/shop/";
const sha = (c: string) => c.repeat(40);
const digest = (c: string) => `sha256:${c.repeat(64 / c.length)}`;

// main before the merge, the PR's head H, GitHub's test merge of PR 7, the push to main.
const BASE = sha("b");
const HEAD = sha("c");
const TEST_MERGE = sha("d");
const MERGED = sha("e");
// Pull request 8: another head, its own test merge.
const HEAD_8 = sha("8");
const TEST_MERGE_8 = sha("9");
// A base the merged commit does not contain (PR 7 built while it targeted another branch).
const OTHER_BASE = sha("a");
const RETARGETED_MERGE = sha("f");

let gh: GitHubEmulator;
let sigstore: SigstoreStandIn;
let trustedRoot: string;
let repositoryId: string;

/** A job of the kit's build workflow called by the caller's preview for pull request 7. */
function buildJob(fields: Partial<GitHubJob> = {}): GitHubJob {
  return {
    repository: `${OWNER}/${REPO}`,
    repositoryId,
    eventName: "pull_request",
    ref: "refs/pull/7/merge",
    sha: TEST_MERGE,
    workflowRef: `${OWNER}/${REPO}/.github/workflows/preview.yml@refs/pull/7/merge`,
    jobWorkflowRef: KIT_BUILD,
    ...fields,
  };
}

/** Signs build provenance for `name`@`d` as `job` and stores it as GitHub would. */
async function attested(name: string, d: string, job: GitHubJob = buildJob()) {
  sigstore.actAs(job);
  const { bundle } = await attestProvenance({
    subjects: [{ name: `${PREFIX}${name}`, digest: { sha256: d.slice(7) } }],
    token: "unused",
    sigstore: "github",
    skipWrite: true,
  });
  attestationStore(gh.state).add(OWNER, REPO, bundle);
  return bundle;
}

function promote(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction("verify-provenance", {
    inputs: {
      images: "web\napi",
      "signer-repository": KIT,
      "trusted-root": trustedRoot,
      ...inputs,
    },
    env: {
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_REPOSITORY_ID: repositoryId,
      GITHUB_SHA: MERGED,
      ...env,
    },
    eventName: env.GITHUB_EVENT_NAME ?? "push",
    event: { before: BASE },
  });
}

const refs = (web: string, api: string) =>
  JSON.stringify({ web: `${PREFIX}web@${web}`, api: `${PREFIX}api@${api}` });
const errors = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);

beforeAll(async () => {
  gh = await createGitHubEmulator();
  sigstore = await createSigstoreStandIn();
  repositoryId = String(repositoryObject("", gh.state, `${OWNER}/${REPO}`).id);
  const dir = mkdtempSync(join(tmpdir(), "trusted-root-"));
  trustedRoot = join(dir, "trusted_root.json");
  writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRoot));
  const s = gh.state;
  s.addCommit(OWNER, REPO, BASE, []);
  s.addCommit(OWNER, REPO, HEAD, [BASE]);
  s.addCommit(OWNER, REPO, TEST_MERGE, [BASE, HEAD]);
  s.addCommit(OWNER, REPO, MERGED, [BASE, HEAD]);
  s.addCommit(OWNER, REPO, HEAD_8, [BASE]);
  s.addCommit(OWNER, REPO, TEST_MERGE_8, [BASE, HEAD_8]);
  s.addCommit(OWNER, REPO, OTHER_BASE, [BASE]);
  s.addCommit(OWNER, REPO, RETARGETED_MERGE, [OTHER_BASE, HEAD]);
  s.addPull(OWNER, REPO, 7, { headSha: HEAD, mergeCommitSha: MERGED, state: "closed" });
  s.addPull(OWNER, REPO, 8, { headSha: HEAD_8, state: "open" });
}, 60_000);

afterAll(async () => {
  sigstore?.close();
  await gh?.close();
});

describe("verify-provenance promotes what the kit's build attested for the merged head", () => {
  it("promotes a pull_request build of the head (GitHub's test merge refs/pull/7/merge)", async () => {
    await attested("web", digest("1"));
    await attested("api", digest("2"));
    const run = await promote({ "image-refs": refs(digest("1"), digest("2")) });
    expect(errors(run)).toEqual([]);
    expect(JSON.parse(run.outputs["image-refs"]!)).toEqual({
      web: `${PREFIX}web@${digest("1")}`,
      api: `${PREFIX}api@${digest("2")}`,
    });
    expect(run.outputs["pull-request"]).toBe("7");
    expect(run.outputs["head-sha"]).toBe(HEAD);
    // It read the attestations, never a run or a Deployment, to decide.
    expect(gh.requests.count("GET /repos/{owner}/{repo}/attestations/{subject_digest}")).toBe(2);
  });

  it("promotes a dispatch-path preview (workflow_dispatch on the head commit itself)", async () => {
    const dispatched = buildJob({
      eventName: "workflow_dispatch",
      ref: "refs/heads/feature-7",
      sha: HEAD,
      workflowRef: `${OWNER}/${REPO}/.github/workflows/preview.yml@refs/heads/feature-7`,
    });
    await attested("web", digest("3"), dispatched);
    await attested("api", digest("4"), dispatched);
    const run = await promote({ "image-refs": refs(digest("3"), digest("4")) });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  it("promotes a merge queue's build of the pushed commit, found through the queue's Deployment", async () => {
    // Pull request 11 at HEAD_11, queued: the queue's commit QUEUED is what main moved to.
    const [HEAD_11, QUEUED] = [sha("1"), sha("2")];
    gh.state.addCommit(OWNER, REPO, HEAD_11, [BASE]);
    gh.state.addCommit(OWNER, REPO, QUEUED, [BASE, HEAD_11]);
    gh.state.addPull(OWNER, REPO, 11, {
      headSha: HEAD_11,
      mergeCommitSha: QUEUED,
      state: "closed",
    });
    const queueRef = `refs/heads/gh-readonly-queue/main/pr-11-${HEAD_11}`;
    const queued = buildJob({
      eventName: "merge_group",
      ref: queueRef,
      sha: QUEUED,
      workflowRef: `${OWNER}/${REPO}/.github/workflows/preview.yml@${queueRef}`,
    });
    await attested("web", digest("c1"), queued);
    await attested("api", digest("c2"), queued);
    deploymentStore(gh.state).addDeployment(OWNER, REPO, {
      sha: QUEUED,
      environment: "merge-queue",
      payload: { images: JSON.parse(refs(digest("c1"), digest("c2"))) },
    });
    const run = await promote({}, { GITHUB_SHA: QUEUED });
    expect(errors(run)).toEqual([]);
    expect(JSON.parse(run.outputs.digests!)).toEqual({ web: digest("c1"), api: digest("c2") });
    expect(run.outputs["pull-request"]).toBe("11");
  });

  it("takes the candidates from the preview Deployments only as a hint: a forged newest one is passed over", async () => {
    const store = deploymentStore(gh.state);
    store.addDeployment(OWNER, REPO, {
      sha: HEAD,
      environment: "preview-pr-7",
      payload: { images: JSON.parse(refs(digest("1"), digest("2"))) },
    });
    // An insider's Deployment, newer, with their own image's digest (never attested).
    store.addDeployment(OWNER, REPO, {
      sha: HEAD,
      environment: "preview-pr-7",
      payload: { images: JSON.parse(refs(digest("6"), digest("2"))), preview_kit: { run_id: 1 } },
    });
    const run = await promote({});
    expect(errors(run)).toEqual([]);
    expect(JSON.parse(run.outputs.digests!)).toEqual({ web: digest("1"), api: digest("2") });
  });
});

describe("verify-provenance refuses, naming the image, the digest and why, and sets no output", () => {
  const refused = async (inputs: Record<string, string>, env: Record<string, string> = {}) => {
    const run = await promote(inputs, env);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({});
    return errors(run).join("\n");
  };

  it("a digest no build attested (an insider's image)", async () => {
    const message = await refused({ "image-refs": refs(digest("6"), digest("2")) });
    expect(message).toContain(`Image 'web' (${PREFIX}web@${digest("6")}) has no attestation`);
  });

  it("a digest only a branch's own workflow in the caller repository attested", async () => {
    // Same repository, same head commit even: but the signer is not the kit's build workflow.
    await attested(
      "web",
      digest("7"),
      buildJob({
        eventName: "push",
        ref: "refs/heads/evil",
        sha: HEAD,
        workflowRef: `${OWNER}/${REPO}/.github/workflows/evil.yml@refs/heads/evil`,
        jobWorkflowRef: `${OWNER}/${REPO}/.github/workflows/evil.yml@refs/heads/evil`,
      }),
    );
    const message = await refused({ "image-refs": refs(digest("7"), digest("2")) });
    expect(message).toMatch(
      new RegExp(
        `Image 'web' \\(${PREFIX}web@${digest("7")}\\) is not proven: it was signed by https://github.com/acme/shop/.github/workflows/evil.yml@refs/heads/evil, not the kit's`,
      ),
    );
  });

  it("a digest built for another pull request", async () => {
    await attested("web", digest("8"), buildJob({ ref: "refs/pull/8/merge", sha: TEST_MERGE_8 }));
    const message = await refused({ "image-refs": refs(digest("8"), digest("2")) });
    expect(message).toContain(
      `Image 'web' (${PREFIX}web@${digest("8")}) is not proven: it was built for refs/pull/8/merge, not pull request #7`,
    );
  });

  it("a digest built from another commit (a push build of a branch)", async () => {
    await attested(
      "web",
      digest("9"),
      buildJob({ eventName: "push", ref: "refs/heads/feature-8", sha: HEAD_8 }),
    );
    const message = await refused({ "image-refs": refs(digest("9"), digest("2")) });
    expect(message).toContain(`it was built from ${HEAD_8}, not the merged head ${HEAD}`);
  });

  it("a test merge against a base the merged commit does not contain (a retargeted pull request)", async () => {
    await attested("web", digest("a"), buildJob({ sha: RETARGETED_MERGE }));
    const message = await refused({ "image-refs": refs(digest("a"), digest("2")) });
    expect(message).toContain(`whose base ${OTHER_BASE} is not in ${MERGED}`);
  });

  it("a digest built for another repository, or one of the same name made again", async () => {
    await attested("web", digest("b"), buildJob({ repository: "acme/other" }));
    expect(await refused({ "image-refs": refs(digest("b"), digest("2")) })).toContain(
      "it was built for https://github.com/acme/other, not https://github.com/acme/shop",
    );
    await attested("web", digest("c"), buildJob({ repositoryId: "999" }));
    expect(await refused({ "image-refs": refs(digest("c"), digest("2")) })).toContain(
      `it was built for repository id 999, not ${repositoryId}`,
    );
  });

  it("a token of another issuer", async () => {
    // attestProvenance itself refuses such a token; a signer need not use it.
    sigstore.actAs(buildJob({ issuer: "https://token.example.com" }));
    const { bundle } = await attest({
      subjects: [{ name: `${PREFIX}web`, digest: { sha256: "d".repeat(64) } }],
      predicateType: "https://slsa.dev/provenance/v1",
      predicate: {},
      token: "unused",
      sigstore: "github",
      skipWrite: true,
    });
    attestationStore(gh.state).add(OWNER, REPO, bundle);
    expect(await refused({ "image-refs": refs(digest("d"), digest("2")) })).toContain(
      "it was signed with a token of https://token.example.com, not GitHub Actions",
    );
  });

  it("an extra image key and a missing one", async () => {
    const extra = JSON.parse(refs(digest("1"), digest("2"))) as Record<string, string>;
    extra.worker = `${PREFIX}worker@${digest("1")}`;
    expect(await refused({ "image-refs": JSON.stringify(extra) })).toContain(
      "Image 'worker' (ghcr.io/acme/shop/worker@",
    );
    expect(
      await refused({ "image-refs": JSON.stringify({ web: `${PREFIX}web@${digest("1")}` }) }),
    ).toContain("Image 'api' is configured but has no digest to promote");
  });

  it("one image's attested digest offered as another's, and images of two prefixes", async () => {
    // Both digests are the kit's build of the merged head: but web's would run as api.
    const swapped = await refused({
      "image-refs": JSON.stringify({
        web: `${PREFIX}api@${digest("2")}`,
        api: `${PREFIX}web@${digest("1")}`,
      }),
    });
    expect(swapped).toContain(
      `Image 'web' is ${PREFIX}api@${digest("2")}, whose repository is not PREFIX + 'web' as build-images pushes it`,
    );
    const mixed = await refused({
      "image-refs": JSON.stringify({
        web: `ghcr.io/evil/web@${digest("1")}`,
        api: `${PREFIX}api@${digest("2")}`,
      }),
    });
    expect(mixed).toContain(
      "The images are not from one build: their repositories have different prefixes (web: ghcr.io/evil/, api: ghcr.io/acme/shop/)",
    );
  });

  it("a statement tampered with after signing", async () => {
    const bundle = structuredClone(await attested("web", digest("e"))) as {
      dsseEnvelope: { payload: string };
    };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString());
    statement.subject[0].digest.sha256 = "5".repeat(64);
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
    attestationStore(gh.state).add(OWNER, REPO, bundle);
    const message = await refused({ "image-refs": refs(digest("5"), digest("2")) });
    expect(message).toContain(
      `Image 'web' (${PREFIX}web@${digest("5")}) is not proven: its signature does not verify`,
    );
  });

  it("a signed statement of another kind, and one whose subjects do not include the digest", async () => {
    sigstore.actAs(buildJob());
    const { bundle } = await attest({
      subjects: [{ name: `${PREFIX}web`, digest: { sha256: "f".repeat(64) } }],
      predicateType: "https://spdx.dev/Document/v2.3",
      predicate: {},
      token: "unused",
      sigstore: "github",
      skipWrite: true,
    });
    attestationStore(gh.state).add(OWNER, REPO, bundle);
    expect(await refused({ "image-refs": refs(digest("f"), digest("2")) })).toContain(
      "it attests https://spdx.dev/Document/v2.3, not build provenance",
    );
    // A store that files a genuine bundle of digest 1 under another digest.
    const genuine = attestationStore(gh.state).of(OWNER, REPO, digest("1"))[0]!;
    attestationStore(gh.state).attestations.push({
      ...genuine,
      id: gh.state.nextId(),
      subjectDigests: [`sha256:${"0".repeat(64)}`],
    });
    expect(
      await refused({ "image-refs": refs(`sha256:${"0".repeat(64)}`, digest("2")) }),
    ).toContain("its signed subjects do not include this digest");
  });

  it("a Deployment hint with only forged digests, and a head nobody previewed", async () => {
    deploymentStore(gh.state).addDeployment(OWNER, REPO, {
      sha: HEAD_8,
      environment: "preview-pr-8",
      payload: {
        images: {
          ...JSON.parse(refs(digest("6"), digest("2"))),
          worker: `${PREFIX}worker@${digest("6")}`,
        },
      },
    });
    gh.state.addCommit(OWNER, REPO, sha("7"), [BASE, HEAD_8]);
    gh.state.addPull(OWNER, REPO, 8, {
      headSha: HEAD_8,
      mergeCommitSha: sha("7"),
      state: "closed",
    });
    expect(await refused({}, { GITHUB_SHA: sha("7") })).toContain(
      `Image 'worker' (${PREFIX}worker@`,
    );
    gh.state.addCommit(OWNER, REPO, sha("6"), [BASE]);
    gh.state.addCommit(OWNER, REPO, sha("5"), [BASE, sha("6")]);
    gh.state.addPull(OWNER, REPO, 9, {
      headSha: sha("6"),
      mergeCommitSha: sha("5"),
      state: "closed",
    });
    expect(await refused({}, { GITHUB_SHA: sha("5") })).toContain(
      "make the preview workflow a required status check",
    );
  });

  it("a commit no pull request merged, and a run on merge_group instead of the push", async () => {
    expect(
      await refused({ "image-refs": refs(digest("1"), digest("2")) }, { GITHUB_SHA: BASE }),
    ).toContain("was not merged from a pull request");
    expect(
      await refused(
        { "image-refs": refs(digest("1"), digest("2")) },
        { GITHUB_EVENT_NAME: "merge_group" },
      ),
    ).toBe(
      "Production runs on the push a merge queue makes to the branch, not on merge_group: build the queue's commit on merge_group in the preview workflow (action-docs/examples/preview.yml) and call deploy-production on push",
    );
  });

  it("a merge queue's build of another entry, or of a commit the branch did not move to", async () => {
    const queueRef = (n: number, head: string) =>
      `refs/heads/gh-readonly-queue/main/pr-${n}-${head}`;
    await attested(
      "web",
      digest("e1"),
      buildJob({ eventName: "merge_group", ref: queueRef(8, HEAD_8), sha: MERGED }),
    );
    expect(await refused({ "image-refs": refs(digest("e1"), digest("2")) })).toBe(
      `Image 'web' (${PREFIX}web@${digest("e1")}) is not proven: it was built for ${queueRef(8, HEAD_8)}, not the merge queue's entry of pull request #7 (${queueRef(7, HEAD)})`,
    );
    await attested(
      "web",
      digest("f1"),
      buildJob({ eventName: "merge_group", ref: queueRef(7, HEAD), sha: TEST_MERGE }),
    );
    expect(await refused({ "image-refs": refs(digest("f1"), digest("2")) })).toBe(
      `Image 'web' (${PREFIX}web@${digest("f1")}) is not proven: it was built by the merge queue from ${TEST_MERGE}, not ${MERGED}, the commit the branch moved to`,
    );
  });

  it("a build of the head when the head was behind the branch, and no record of a queue's build", async () => {
    // main held OTHER_BASE before the merge; the head H lacks it.
    const why = `is not proven: it was built from the head ${HEAD} of pull request #7, which was 1 commit(s) behind the branch when merged: only the merge queue's build of the merged commit is promoted then`;
    // One annotation per refused image.
    const run = await promote({
      "image-refs": refs(digest("1"), digest("2")),
      before: OTHER_BASE,
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      `Image 'web' (${PREFIX}web@${digest("1")}) ${why}`,
      `Image 'api' (${PREFIX}api@${digest("2")}) ${why}`,
    ]);
    expect(await refused({ before: OTHER_BASE })).toContain(
      "Pull request #7 was 1 commit(s) behind the branch when merged",
    );
  });

  it("bad inputs, before any request", async () => {
    const before = gh.requests.all().length;
    const message = await refused({
      images: "Web",
      "image-refs": "[]",
      "signer-repository": "not a repo",
    });
    expect(message).toContain("Input 'image-refs' must be a JSON object");
    expect(message).toContain("Input 'images' must be image names, one a line");
    expect(message).toContain("Input 'signer-repository' must be OWNER/REPO");
    expect(gh.requests.all().length).toBe(before);
  });
});
