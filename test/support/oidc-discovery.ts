/**
 * STAND-IN for GitHub Actions' OIDC discovery (https://token.actions.githubusercontent.com
 * /.well-known/openid-configuration and its `jwks_uri`), as the API server's JWT authenticator
 * fetches it: over HTTPS, on loopback, with a certificate from a CA this test makes. The
 * document names GitHub's issuer (tokens must say it), but the keys are the OIDC stand-in's
 * (test/workflow-runner/oidc.ts), not GitHub's: only an authenticator pointed here with
 * `discoveryURL` and `certificateAuthority` accepts its tokens.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JWK } from "jose";
import { issueCertificate, makeCertificateAuthority, servingExtensions } from "./control-plane.js";
import { GITHUB_OIDC_ISSUER } from "../workflow-runner/oidc.js";

export interface OidcDiscovery {
  /** https://127.0.0.1:PORT/.well-known/openid-configuration */
  discoveryURL: string;
  /** PEM of the CA that signed the server's certificate. */
  certificateAuthority: string;
  /** How many times the discovery document and the keys were fetched. */
  fetches: { discovery: number; keys: number };
  close(): Promise<void>;
}

export async function startOidcDiscovery(jwk: JWK): Promise<OidcDiscovery> {
  const dir = mkdtempSync(join(tmpdir(), "oidc-discovery-"));
  try {
    makeCertificateAuthority(dir);
    issueCertificate(dir, "serving", "/CN=oidc-discovery", servingExtensions());
    const fetches = { discovery: 0, keys: 0 };
    let origin = "";
    const server = createServer(
      {
        cert: readFileSync(join(dir, "serving.crt")),
        key: readFileSync(join(dir, "serving.key")),
      },
      (request, response) => {
        const json = (body: object) => {
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify(body));
        };
        if (request.url === "/.well-known/openid-configuration") {
          fetches.discovery += 1;
          // GitHub's document's fields (subject_types_supported, ... trimmed to what a
          // verifier reads): the issuer is GitHub's string, the keys are here.
          json({
            issuer: GITHUB_OIDC_ISSUER,
            jwks_uri: `${origin}/.well-known/jwks`,
            response_types_supported: ["id_token"],
            subject_types_supported: ["public", "pairwise"],
            id_token_signing_alg_values_supported: ["RS256", "ES256"],
            claims_supported: [
              "sub",
              "aud",
              "exp",
              "iat",
              "iss",
              "jti",
              "nbf",
              "ref",
              "repository",
            ],
          });
        } else if (request.url === "/.well-known/jwks") {
          fetches.keys += 1;
          json({ keys: [jwk] });
        } else {
          response.writeHead(404).end();
        }
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const certificateAuthority = readFileSync(join(dir, "ca.crt"), "utf8");
    rmSync(dir, { recursive: true, force: true });
    return {
      discoveryURL: `${origin}/.well-known/openid-configuration`,
      certificateAuthority,
      fetches,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
