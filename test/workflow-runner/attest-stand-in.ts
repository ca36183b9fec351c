/**
 * STAND-IN for actions/attest-build-provenance (GitHub's action; @actions/attest underneath).
 * What the real one does with `subject-name` and `subject-digest`: asks the job's OIDC token
 * service for a token of audience `sigstore` (so a job without `id-token: write` fails here,
 * as it does on GitHub: no ACTIONS_ID_TOKEN_REQUEST_URL), has Sigstore sign SLSA build
 * provenance of the subject for the identity that token names, and stores the bundle with the
 * repository (`POST /repos/{owner}/{repo}/attestations` with the job token: the emulator
 * refuses a token without `attestations: write`). The signing is the runner's
 * `signProvenance` (the Sigstore project's mock Fulcio and timestamp authority through
 * @actions/attest, test/support/sigstore.ts), not Sigstore's public instance.
 */
import type { StandIn } from "./stand-ins.js";

/** Signs build provenance of `subject` for the job whose OIDC token (audience sigstore) is `token`. */
export type ProvenanceSigner = (
  token: string,
  subject: { name: string; digest: string },
) => Promise<unknown>;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export const attestBuildProvenance: StandIn = async ({ inputs, env, token, signProvenance }) => {
  const name = inputs["subject-name"] ?? "";
  const digest = inputs["subject-digest"] ?? "";
  if (!name || !DIGEST.test(digest))
    return { ok: false, log: [`subject-name and a sha256 subject-digest are required`] };
  if (!signProvenance)
    return { ok: false, log: ["no Sigstore here: the runner was given no signProvenance"] };
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  // @actions/core's getIDToken says this when the job lacks `id-token: write`.
  if (!requestUrl || !requestToken)
    return { ok: false, log: ["Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable"] };
  const url = new URL(requestUrl);
  url.searchParams.set("audience", "sigstore");
  const answer = await fetch(url, {
    headers: { authorization: `Bearer ${requestToken}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!answer.ok) return { ok: false, log: [`the OIDC token service answered ${answer.status}`] };
  const { value: idToken } = (await answer.json()) as { value: string };
  const bundle = await signProvenance(idToken, { name, digest });
  const githubToken = inputs["github-token"] || token;
  const stored = await fetch(`${env.GITHUB_API_URL}/repos/${env.GITHUB_REPOSITORY}/attestations`, {
    method: "POST",
    headers: { authorization: `Bearer ${githubToken}`, "content-type": "application/json" },
    body: JSON.stringify({ bundle }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!stored.ok)
    return {
      ok: false,
      log: [`storing the attestation failed: ${stored.status} ${await stored.text()}`],
    };
  const { id } = (await stored.json()) as { id: number };
  return {
    ok: true,
    log: [
      `signed build provenance of ${name}@${digest} with the local Sigstore stand-in and stored it as attestation ${id}`,
    ],
    outputs: {
      "attestation-id": String(id),
      "attestation-url": `https://github.com/${env.GITHUB_REPOSITORY}/attestations/${id}`,
    },
  };
};
