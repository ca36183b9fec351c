/**
 * The inputs of a Pulumi Cloud login by OIDC (the exchange itself: oidc.ts, loaded only when
 * one is asked for), and the documented rule that ties a scope to the token type asked for
 * (https://www.pulumi.com/docs/reference/cloud-rest-api/oauth-token-exchange/: organization,
 * scope empty or `admin`; team, `team:NAME`; personal, `user:LOGIN`; `runner` tokens are
 * Pulumi Deployments' own and not offered).
 */
import { field, input, problem, rule } from "../inputs.js";

/** Pulumi Cloud's API, where the CLI's default backend lives. */
export const PULUMI_CLOUD_API = "https://api.pulumi.com";

/** Pulumi organization names: letters, digits, `-`, `_` and `.`. */
const organization = rule(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "a Pulumi organization name");

/** The documented scope of each token type; `runner` tokens are Pulumi Deployments' own. */
const SCOPES: readonly { type: string; test: RegExp }[] = [
  { type: "organization", test: /^(?:admin)?$/ },
  { type: "team", test: /^team:[A-Za-z0-9][A-Za-z0-9._-]*$/ },
  { type: "personal", test: /^user:[A-Za-z0-9][A-Za-z0-9._-]*$/ },
];

/** `urn:pulumi:token-type:access_token:<type>` for a scope, undefined if none fits. */
export function requestedTokenType(scope: string): string | undefined {
  const type = SCOPES.find((s) => s.test.test(scope))?.type;
  return type && `urn:pulumi:token-type:access_token:${type}`;
}

/** The inputs of an action that can log in by OIDC; keys as in its action.yml. */
export const oidcInputs = {
  oidcOrganization: input.optionalText(organization),
  oidcScope: field((v) =>
    requestedTokenType(v ?? "") !== undefined
      ? (v ?? "")
      : problem(
          "must be empty or admin (an organization token), team:TEAM (a team token) or user:LOGIN (a personal token)",
        ),
  ),
  // 0: Pulumi Cloud's default lifetime; it may grant less than asked.
  oidcTokenExpiration: input.integer({ min: 0, max: 86_400, fallback: 0 }),
};

export interface OidcLogin {
  oidcOrganization?: string;
  oidcScope: string;
  oidcTokenExpiration: number;
}

/**
 * What keeps an OIDC login from working, checked with the other inputs before anything is
 * requested: a backend that is not Pulumi Cloud, or a stored token next to it.
 */
export function oidcProblems(login: OidcLogin, backend: string | undefined): string[] {
  if (!login.oidcOrganization) {
    return login.oidcScope !== "" || login.oidcTokenExpiration !== 0
      ? ["Inputs 'oidc-scope' and 'oidc-token-expiration' need 'oidc-organization'"]
      : [];
  }
  const problems: string[] = [];
  if (backend !== undefined && !/^https?:\/\//.test(backend))
    problems.push(
      "Input 'oidc-organization' logs in to Pulumi Cloud, but the backend is not Pulumi Cloud (an http(s):// URL)",
    );
  if (process.env.PULUMI_ACCESS_TOKEN)
    problems.push(
      "Input 'oidc-organization' replaces a stored token, but PULUMI_ACCESS_TOKEN is set too: pass only one (delete the stored token once OIDC works)",
    );
  return problems;
}

/** The API behind a backend URL: the console's address names the same service. */
export function apiUrl(backend: string | undefined): string {
  if (backend === undefined) return PULUMI_CLOUD_API;
  const url = new URL(backend);
  if (url.host === "app.pulumi.com") return PULUMI_CLOUD_API;
  return url.origin + url.pathname.replace(/\/+$/, "");
}
