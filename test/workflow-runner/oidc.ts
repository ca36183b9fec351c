/**
 * STAND-IN for GitHub Actions' OIDC token service (a job with `id-token: write` gets
 * ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN; a GET of the URL with
 * `audience=` and the request token as bearer answers `{ "value": "<JWT>" }`). The tokens carry
 * GitHub's claim set for the job (docs: "About security hardening with OpenID Connect", the
 * example token: sub, repository, ref, sha, workflow_ref, job_workflow_ref, environment, ...)
 * with GitHub's issuer string, but are signed with this stand-in's own key: only a verifier
 * given `verify` (e.g. the npm registry stand-in) accepts them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload } from "jose";

export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

export interface OidcStandIn {
  url: string;
  /** A request token for a job whose token says `claims` (aud, iss and times added). */
  request(claims: Record<string, string>): string;
  /** Checks a token's signature, issuer, audience and times; its claims. */
  verify(token: string, audience: string): Promise<JWTPayload>;
  /**
   * A token as the service would sign it for `claims`, minted directly (no job): `expiresAt`
   * (seconds since the epoch) for one already expired.
   */
  mint(claims: Record<string, string>, audience: string, expiresAt?: number): Promise<string>;
  /** The public key, as a JWKS entry (`kid` stand-in), for a verifier that fetches keys. */
  jwk: JWK;
  /** Every token handed out: audience and claims, in order. */
  issued: { audience: string; claims: Record<string, string> }[];
  close(): Promise<void>;
}

/** `log` gets a `[stand-in oidc]` line per token handed out. */
export async function startOidcStandIn(
  log: (line: string) => void = () => {},
): Promise<OidcStandIn> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jobs = new Map<string, Record<string, string>>();
  const issued: OidcStandIn["issued"] = [];
  const mint = (claims: Record<string, string>, audience: string, expiresAt?: number) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "stand-in" })
      .setIssuer(GITHUB_OIDC_ISSUER)
      .setAudience(audience)
      .setSubject(claims.sub ?? "")
      .setIssuedAt(expiresAt === undefined ? now : expiresAt - 300)
      .setNotBefore(expiresAt === undefined ? now : expiresAt - 300)
      .setExpirationTime(expiresAt ?? now + 300)
      .sign(privateKey);
  };
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://stand-in");
      const bearer = /^bearer (\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
      const claims = jobs.get(bearer);
      if (!claims) {
        response.writeHead(401, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: "unknown request token" }));
        return;
      }
      const audience =
        url.searchParams.get("audience") ?? "https://github.com/" + claims.repository_owner;
      issued.push({ audience, claims });
      log(
        `[stand-in oidc] a token for ${claims.job_workflow_ref ?? claims.workflow_ref}, audience ${audience}, signed with the stand-in's key (not GitHub's)`,
      );
      const value = await mint(claims, audience);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ count: 1, value }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_apis/oidc/token`;
  return {
    url,
    issued,
    mint,
    jwk: { ...(await exportJWK(publicKey)), kid: "stand-in", alg: "ES256", use: "sig" },
    request(claims) {
      const token = `oidc-request-${randomBytes(8).toString("hex")}`;
      jobs.set(token, claims);
      return token;
    },
    async verify(token, audience) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: GITHUB_OIDC_ISSUER,
        audience,
      });
      return payload;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
