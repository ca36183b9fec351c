/**
 * STAND-IN for Pulumi Cloud's OIDC token exchange and for GitHub Actions' OIDC token endpoint:
 * neither can run locally. It is not Pulumi Cloud: it checks a request exactly as Pulumi
 * documents it, and decides with the authorization-policy model Pulumi's GitHub guide gives
 * (an audience, a subject pattern, a token type), nothing more.
 *
 * Sources:
 * - POST /api/oauth/token, "OAuth Token Exchange"
 *   (https://www.pulumi.com/docs/reference/cloud-rest-api/oauth-token-exchange/): JSON body
 *   with `audience` = `urn:pulumi:org:ORG`, `grant_type` =
 *   `urn:ietf:params:oauth:grant-type:token-exchange`, `subject_token_type` =
 *   `urn:ietf:params:oauth:token-type:id_token`, `requested_token_type` =
 *   `urn:pulumi:token-type:access_token:{organization,team,personal,runner}`, `scope` (empty or
 *   `admin` for organization, `team:NAME`, `user:LOGIN`, `runner:NAME`), `expiration` (seconds),
 *   `subject_token`; headers `Accept: application/vnd.pulumi+8`, `Content-Type:
 *   application/json`; answer `access_token`, `issued_token_type`, `token_type`, `expires_in`,
 *   `scope`.
 * - Policies: "Configuring OpenID Connect for GitHub"
 *   (https://www.pulumi.com/docs/administration/access-identity/oidc-issuers/github/): issuer
 *   `https://token.actions.githubusercontent.com`, Aud `urn:pulumi:org:<org>`, Sub
 *   `repo:<owner>/<repo>:*`, a token type per policy.
 * The subject tokens come from the one stand-in of GitHub's OIDC token service
 * (test/workflow-runner/oidc.ts), whose signature, issuer, audience and times are checked here.
 * Not documented, so chosen here: a refused exchange answers 401 with an RFC 6749 §5.2 error
 * body.
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type OidcStandIn, startOidcStandIn } from "../../workflow-runner/oidc.js";

export interface TrustPolicy {
  /** Subject pattern, `*` for any run of characters (Pulumi's policy editor's wildcard). */
  sub: string;
  tokenType: "organization" | "team" | "personal";
  /** For team and personal tokens: `team:NAME` / `user:LOGIN` this policy grants. */
  scope?: string;
}

export interface ExchangeRequest {
  headers: Record<string, string | undefined>;
  body: Record<string, unknown>;
  /** The subject token's claims. */
  claims: Record<string, unknown>;
}

export interface TokenExchangeOptions {
  organization: string;
  policies: TrustPolicy[];
  /**
   * The `sub` claim of `jobEnv`'s token (GitHub's default subject format); through the local
   * runner, given `github` as its `oidc`, each job's token carries its own.
   */
  subject?: string;
  /** Answers to give before the real ones, e.g. [503] for one outage. */
  outages?: number[];
  /** The token to issue (default: a random `pul-oidc-...`), so a CLI double can accept only it. */
  token?: string;
}

const DOCUMENTED_FIELDS = [
  "audience",
  "grant_type",
  "subject_token_type",
  "requested_token_type",
  "expiration",
  "scope",
  "subject_token",
];

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );

/** What is wrong with a request by the documentation; undefined when nothing is. */
function documentedProblem(
  request: IncomingMessage,
  body: Record<string, unknown>,
  organization: string,
): string | undefined {
  if (request.method !== "POST") return "method must be POST";
  if (request.headers["content-type"] !== "application/json")
    return "Content-Type must be application/json";
  if (request.headers.accept !== "application/vnd.pulumi+8")
    return "Accept must be application/vnd.pulumi+8";
  const unknown = Object.keys(body).filter((key) => !DOCUMENTED_FIELDS.includes(key));
  if (unknown.length > 0) return `undocumented fields: ${unknown.join(", ")}`;
  if (body.audience !== `urn:pulumi:org:${organization}`) return "audience";
  if (body.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange") return "grant_type";
  if (body.subject_token_type !== "urn:ietf:params:oauth:token-type:id_token")
    return "subject_token_type";
  const type = /^urn:pulumi:token-type:access_token:(organization|team|personal|runner)$/.exec(
    String(body.requested_token_type),
  )?.[1];
  if (!type) return "requested_token_type";
  const scope = body.scope === undefined ? "" : body.scope;
  if (typeof scope !== "string") return "scope must be a string";
  const scopeFits: Record<string, RegExp> = {
    organization: /^(admin)?$/,
    team: /^team:\S+$/,
    personal: /^user:\S+$/,
    runner: /^runner:\S+$/,
  };
  if (!scopeFits[type]?.test(scope)) return `scope '${scope}' does not fit a ${type} token`;
  if (body.expiration !== undefined && !Number.isInteger(body.expiration))
    return "expiration must be a number of seconds";
  if (typeof body.subject_token !== "string") return "subject_token";
  return undefined;
}

export async function startTokenExchange(options: TokenExchangeOptions) {
  const requests: ExchangeRequest[] = [];
  const issued: string[] = [];
  /** Each token issued, with the subject and scope it was issued for. */
  const grants: { token: string; sub: string; scope: string }[] = [];
  const outages = [...(options.outages ?? [])];
  const github: OidcStandIn = await startOidcStandIn();
  const subjectClaims = async (token: string, audience: unknown) =>
    (await github.verify(token, String(audience)).catch(() => undefined)) ?? {};

  const answer = (response: ServerResponse, status: number, body: object) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => void respond());
    const respond = async () => {
      const url = new URL(request.url ?? "/", "http://stand-in");
      if (url.pathname !== "/api/oauth/token") return answer(response, 404, {});
      const outage = outages.shift();
      if (outage) return answer(response, outage, { error: "temporarily_unavailable" });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
      } catch {
        return answer(response, 400, { error: "invalid_request", error_description: "not JSON" });
      }
      // GitHub's signature, issuer, audience and times, as Pulumi Cloud checks them.
      const claims: Record<string, unknown> = await subjectClaims(
        String(body.subject_token),
        body.audience,
      );
      requests.push({
        headers: {
          accept: request.headers.accept,
          "content-type": request.headers["content-type"],
        },
        body,
        claims,
      });
      const problem = documentedProblem(request, body, options.organization);
      if (problem)
        return answer(response, 400, { error: "invalid_request", error_description: problem });
      const type = String(body.requested_token_type).split(":").pop();
      const scope = (body.scope as string | undefined) ?? "";
      const allowed =
        claims.sub !== undefined &&
        options.policies.some(
          (policy) =>
            wildcard(policy.sub).test(String(claims.sub)) &&
            policy.tokenType === type &&
            (policy.scope ?? "") === (type === "organization" ? "" : scope),
        );
      if (!allowed)
        return answer(response, 401, {
          error: "invalid_grant",
          error_description: "no authorization policy matches the subject token",
        });
      const token = options.token ?? `pul-oidc-${randomBytes(16).toString("hex")}`;
      issued.push(token);
      grants.push({ token, sub: String(claims.sub), scope });
      return answer(response, 200, {
        access_token: token,
        issued_token_type: body.requested_token_type,
        token_type: "Bearer",
        expires_in: (body.expiration as number | undefined) ?? 7200,
        scope,
      });
    };
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** The backend URL to log in to (the stand-in's Pulumi Cloud API). */
    url,
    /** GitHub's OIDC token service: the local runner's `oidc`. */
    github,
    /** A job's environment for an OIDC token of `subject` (as the runner sets it). */
    jobEnv: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${github.url}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.request({ sub: options.subject ?? "" }),
    },
    requests,
    issued,
    grants,
    close: async () => {
      await github.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
