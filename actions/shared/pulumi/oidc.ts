/**
 * A short-lived Pulumi Cloud token for this step, exchanged for the job's GitHub OIDC token,
 * so no long-lived PULUMI_ACCESS_TOKEN has to be stored. The exchange is the one Pulumi Cloud
 * documents ("OAuth Token Exchange", POST /api/oauth/token, RFC 8693;
 * https://www.pulumi.com/docs/reference/cloud-rest-api/oauth-token-exchange/) and
 * pulumi/auth-actions performs: audience `urn:pulumi:org:<org>` both in GitHub's token and in
 * the request, grant and subject token types fixed, the token type asked for derived from the
 * scope (oidc-inputs.ts). Which subjects get which token is the organization's authorization
 * policy (action-docs/workflows.md, "Pulumi Cloud by OIDC").
 *
 * The token is masked the moment it is read and handed to the CLI through this step's
 * environment only: it is never exported to later steps, written to a file or logged.
 */
import * as z from "zod/mini";
import { ActionError } from "../errors.js";
import { RequestTimeoutError, boundedFetch, shownUrl } from "../http.js";
import { redact } from "../redact.js";
import { isTransientStatus, retry, retryBaseMs } from "../retry.js";
import { addMask, info } from "../runner.js";
import { type OidcLogin, apiUrl, requestedTokenType } from "./oidc-inputs.js";

const GITHUB_ID_TOKEN = z.object({ value: z.string().check(z.minLength(1)) });
const EXCHANGED = z.object({
  access_token: z.string().check(z.minLength(1)),
  issued_token_type: z.optional(z.string()),
  expires_in: z.optional(z.number()),
});
const OAUTH_ERROR = z.object({
  error: z.optional(z.string()),
  error_description: z.optional(z.string()),
});

/** A 429 or 5xx answer: Pulumi Cloud or GitHub may answer the next try. */
class Transient extends ActionError {
  constructor(message: string) {
    super(message, { title: "Pulumi OIDC login failed" });
  }
}

function failure(message: string): ActionError {
  return new ActionError(redact(message), { title: "Pulumi OIDC login failed" });
}

/**
 * One request, tried up to three times while it fails in a way that may pass (a dropped
 * connection, no answer in time, a 429 or 5xx); a refusal (4xx) would say the same again.
 */
async function request<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await retry(attempt, {
      tries: 3,
      waitMs: (failures) => retryBaseMs(2_000) * failures,
      retryError: (error) =>
        !(error instanceof ActionError) ||
        error instanceof Transient ||
        error instanceof RequestTimeoutError,
    });
  } catch (error) {
    if (error instanceof ActionError || (error as Error).name === "AbortError") throw error;
    throw failure(`${what} failed: ${(error as Error).message}`);
  }
}

/** GitHub's OIDC token for the job, with `audience` (as @actions/core's getIDToken asks). */
async function githubIdToken(audience: string): Promise<string> {
  const requestUrl = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken)
    throw failure(
      "The job has no OIDC token to exchange: it needs `permissions: id-token: write` (the kit's workflows grant it only where a Pulumi OIDC organization or a cloud role is named)",
    );
  const url = new URL(requestUrl);
  url.searchParams.set("audience", audience);
  const where = `GitHub's OIDC token request (${shownUrl(url)})`;
  const token = await request(where, async () => {
    const answer = await boundedFetch(url, {
      headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" },
    });
    if (isTransientStatus(answer.status)) throw new Transient(`${where} answered ${answer.status}`);
    if (!answer.ok) throw failure(`${where} answered HTTP ${answer.status}`);
    const parsed = GITHUB_ID_TOKEN.safeParse(await answer.json().catch(() => undefined));
    if (!parsed.success) throw failure(`${where} answered without a token`);
    return parsed.data.value;
  });
  addMask(token);
  return token;
}

/**
 * Exchanges the job's GitHub OIDC token for a Pulumi Cloud access token of `login`'s
 * organization and scope; the token returned is already masked.
 */
export async function pulumiTokenByOidc(
  login: OidcLogin & { oidcOrganization: string },
  backend: string | undefined,
): Promise<string> {
  const audience = `urn:pulumi:org:${login.oidcOrganization}`;
  const subjectToken = await githubIdToken(audience);
  const endpoint = `${apiUrl(backend)}/api/oauth/token`;
  const kind = requestedTokenType(login.oidcScope)?.split(":").pop() ?? "";
  const aToken = `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} token`;
  const body = {
    audience,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: requestedTokenType(login.oidcScope),
    subject_token: subjectToken,
    ...(login.oidcScope ? { scope: login.oidcScope } : {}),
    ...(login.oidcTokenExpiration ? { expiration: login.oidcTokenExpiration } : {}),
  };
  const where = `Pulumi Cloud (${shownUrl(endpoint)})`;
  const exchanged = await request(where, async () => {
    const answer = await boundedFetch(endpoint, {
      method: "POST",
      headers: { accept: "application/vnd.pulumi+8", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await answer.json().catch(() => undefined);
    const parsed = EXCHANGED.safeParse(json);
    // Masked before any other use, a failure's message included.
    if (parsed.success) addMask(parsed.data.access_token);
    if (isTransientStatus(answer.status)) throw new Transient(`${where} answered ${answer.status}`);
    if (!answer.ok) {
      const reason = OAUTH_ERROR.safeParse(json);
      const said = reason.success
        ? [reason.data.error, reason.data.error_description].filter(Boolean).join(": ")
        : "";
      throw failure(
        `${where} refused to exchange the job's OIDC token for ${aToken} of organization ${login.oidcOrganization} (HTTP ${answer.status}${said ? `: ${said.slice(0, 300)}` : ""}); check the organization's OIDC issuer and authorization policy for this job's subject`,
      );
    }
    if (!parsed.success) throw failure(`${where} answered the token exchange without a token`);
    return parsed.data;
  });
  const lifetime = exchanged.expires_in ? `, valid ${exchanged.expires_in} s` : "";
  info(`Logged in to Pulumi Cloud by OIDC: ${aToken} of ${login.oidcOrganization}${lifetime}`);
  return exchanged.access_token;
}
