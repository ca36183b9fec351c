/**
 * Sigstore as GitHub runs it for private repositories (its own Fulcio and timestamp
 * authority, no transparency log), made of the Sigstore project's own test services
 * (@sigstore/mock's CA and TSA, built from its low-level exports so that their keys can
 * make a trusted root), plus a stand-in for GitHub Actions' OIDC issuer. Signing goes
 * through @actions/attest unchanged, in-process: nock routes the hosts it hard-codes
 * (fulcio.githubapp.com, timestamp.githubapp.com, token.actions.githubusercontent.com) and
 * the job's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) here. nock does not see `fetch`,
 * so the GitHub API stays a real loopback server (test/emulators/github).
 *
 * Two things the mocks do differently from the real services, mapped here:
 * - real Fulcio makes a GitHub token's certificate SAN `https://github.com/` +
 *   job_workflow_ref (Fulcio docs, "OIDC usage in Fulcio", GitHub Actions); the mock takes
 *   one claim as it is, so the request carries that value as an extra claim for it;
 * - the mocks stamp times with fractional seconds, and the verifier compares a timestamp
 *   against the certificate's validity in whole seconds: both get one whole-second clock,
 *   a second ahead, so the timestamp is never before the certificate.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { fulcioHandler, initializeCA, initializeTSA, tsaHandler } from "@sigstore/mock";
import type { HandlerFn } from "@sigstore/mock";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from "jose";
import nock from "nock";

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
const FULCIO = "https://fulcio.githubapp.com";
const TSA = "https://timestamp.githubapp.com";
const TOKEN_ENDPOINT = "https://pipelines.actions.githubusercontent.test";

/** What a GitHub Actions job is, as its OIDC token says (GitHub's claim set). */
export interface GitHubJob {
  /** OWNER/REPO the run belongs to (the caller of a reusable workflow). */
  repository: string;
  repositoryId: string;
  ownerId?: string;
  eventName: string;
  ref: string;
  sha: string;
  /** The caller's workflow, OWNER/REPO/PATH@REF. */
  workflowRef: string;
  /** The workflow whose job this is (a reusable workflow's own), OWNER/REPO/PATH@REF. */
  jobWorkflowRef: string;
  jobWorkflowSha?: string;
  runId?: string;
  issuer?: string;
}

export interface SigstoreStandIn {
  /** A trusted root (TrustedRoot JSON) holding the mock CA and TSA. */
  trustedRoot: Record<string, unknown>;
  /** Makes the next signatures those of this job: its token, its environment variables. */
  actAs(job: GitHubJob): void;
  close(): void;
}

function claimsOf(job: GitHubJob, audience: string): Record<string, unknown> {
  const [owner = ""] = job.repository.split("/");
  const workflowSha = job.sha;
  return {
    jti: randomUUID(),
    sub: `repo:${job.repository}:ref:${job.ref}`,
    aud: audience,
    ref: job.ref,
    ref_type: job.ref.startsWith("refs/tags/") ? "tag" : "branch",
    sha: job.sha,
    repository: job.repository,
    repository_owner: owner,
    repository_owner_id: job.ownerId ?? "5000",
    repository_id: job.repositoryId,
    repository_visibility: "private",
    run_id: job.runId ?? "4242",
    run_number: "7",
    run_attempt: "1",
    actor: "octo-developer",
    actor_id: "6000",
    workflow: "Preview",
    event_name: job.eventName,
    workflow_ref: job.workflowRef,
    workflow_sha: workflowSha,
    job_workflow_ref: job.jobWorkflowRef,
    job_workflow_sha: job.jobWorkflowSha ?? "f".repeat(40),
    runner_environment: "github-hosted",
    iss: job.issuer ?? GITHUB_ISSUER,
  };
}

/** Real Fulcio's SAN for a GitHub Actions token, carried to the mock as a claim it reads. */
function withGitHubSan(handler: (claim: string) => HandlerFn): HandlerFn {
  const fn = handler("preview_kit_fulcio_san");
  return async (body) => {
    const request = JSON.parse(body) as { credentials: { oidcIdentityToken: string } };
    const token = request.credentials.oidcIdentityToken;
    const claims = decodeJwt(token);
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(
      JSON.stringify({
        ...claims,
        preview_kit_fulcio_san: `https://github.com/${String(claims.job_workflow_ref)}`,
      }),
    ).toString("base64url");
    request.credentials.oidcIdentityToken = `${header}.${payload}.${signature}`;
    return fn(JSON.stringify(request));
  };
}

function route(base: string, path: string, fn: HandlerFn): void {
  nock(base)
    .persist()
    .post(path)
    .reply(async (_uri, body) => {
      const { statusCode, response, contentType } = await fn(
        typeof body === "string" ? body : JSON.stringify(body),
      );
      return [statusCode, response, { "Content-Type": contentType ?? "text/plain" }];
    });
}

export async function createSigstoreStandIn(): Promise<SigstoreStandIn> {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
  const ca = await initializeCA(
    generateKeyPairSync("ec", { namedCurve: "P-256" }),
    undefined,
    clock,
  );
  const tsa = await initializeTSA(generateKeyPairSync("ec", { namedCurve: "P-384" }), clock);
  // The mocks' root and intermediate certificates start at their own creation: on a loaded
  // machine that can be after the clock read above, and every timestamp would then fall
  // before the timestamp authority's certificate. The mocks hold this Date object: set it
  // to a whole second after the last certificate was made.
  clock.setTime(Math.floor(Date.now() / 1000) * 1000 + 1000);
  const fulcio = fulcioHandler(ca);
  route(
    FULCIO,
    fulcio.path,
    withGitHubSan((claim) => fulcioHandler(ca, { subjectClaim: claim }).fn),
  );
  const timestamps = tsaHandler(tsa);
  route(TSA, timestamps.path, timestamps.fn);

  // GitHub Actions' OIDC issuer: discovery, keys, and the job's token endpoint.
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: "preview-kit-test",
    alg: "RS256",
    use: "sig",
  };
  let job: GitHubJob | undefined;
  nock(GITHUB_ISSUER)
    .persist()
    .get("/.well-known/openid-configuration")
    .reply(200, { issuer: GITHUB_ISSUER, jwks_uri: `${GITHUB_ISSUER}/.well-known/jwks` })
    .get("/.well-known/jwks")
    .reply(200, { keys: [jwk] });
  nock(TOKEN_ENDPOINT)
    .persist()
    .get("/idtoken")
    .query(true)
    .reply(async (uri) => {
      if (!job) return [401, "no job"];
      const audience = new URL(uri, TOKEN_ENDPOINT).searchParams.get("audience") ?? "";
      const claims = claimsOf(job, audience);
      const now = Math.floor(Date.now() / 1000);
      const value = await new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid, typ: "JWT" })
        .setIssuedAt(now)
        .setNotBefore(now - 5)
        .setExpirationTime(now + 300)
        .sign(privateKey);
      return [200, { count: 1, value }];
    });
  // Nothing else leaves the process: a request to a host not routed here fails.
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  // nock patches node:http's CommonJS exports; ES modules (@actions/http-client) see the
  // builtins' named exports, which follow only once synced.
  syncBuiltinESMExports();

  const b64 = (bytes: ArrayBufferView) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const validFor = { start: new Date(clock.getTime() - 3_600_000).toISOString() };
  const trustedRoot = {
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [],
    ctlogs: [],
    certificateAuthorities: [
      {
        subject: { organization: "sigstore.mock", commonName: "sigstore" },
        uri: FULCIO,
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor,
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: "sigstore.mock", commonName: "tsa" },
        uri: TSA,
        certChain: {
          certificates: [
            { rawBytes: b64(tsa.intCertificate) },
            { rawBytes: b64(tsa.rootCertificate) },
          ],
        },
        validFor,
      },
    ],
  };

  const saved = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    process.env[name] = value;
  };
  return {
    trustedRoot,
    actAs(next) {
      job = next;
      setEnv("ACTIONS_ID_TOKEN_REQUEST_URL", `${TOKEN_ENDPOINT}/idtoken?api-version=2.0`);
      setEnv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "runtime-token-for-the-id-token-request");
      setEnv("GITHUB_SERVER_URL", "https://github.com");
      setEnv("GITHUB_REPOSITORY", next.repository);
    },
    close() {
      nock.cleanAll();
      nock.enableNetConnect();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
