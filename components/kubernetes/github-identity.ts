import { z } from "zod";
import { parseArgs, typeToken } from "../args.js";

/** The `iss` of every token GitHub Actions' OIDC service issues. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** The Kubernetes user a pull request's jobs authenticate as: `preview-kit:pr:<N>`. */
export const PREVIEW_USER_PREFIX = "preview-kit:pr:";

/** A pull request's username, as a regular expression (RE2 and JavaScript alike). */
export const PREVIEW_USER_PATTERN = `^${PREVIEW_USER_PREFIX}[0-9]+$`;

/** The group every pull request's user is in: what PreviewDeployer's rights are bound to. */
export const PREVIEWS_GROUP = "preview-kit:previews";

/**
 * The user (and its group) of the kit's cleanup workflow run on the default branch: a merged
 * pull request's close and the scheduled sweep, whose `ref` is no pull request's.
 */
export const PREVIEW_CLEANUP_USER = "preview-kit:cleanup";
export const PREVIEW_CLEANUP_GROUP = "preview-kit:preview-cleanup";

/** A pull request run's `ref`, as GitHub sets it on `pull_request` runs of an unmerged one. */
const PULL_REQUEST_REF = "^refs/pull/[0-9]+/merge$";

/** The Kubernetes username of pull request `n`'s jobs. */
export function previewUser(n: number): string {
  return `${PREVIEW_USER_PREFIX}${n}`;
}

const authenticatorArgs = z.strictObject({
  /** `owner/name`, exactly as GitHub spells it in the token's `repository` claim. */
  repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "owner/name"),
  /** The audience the jobs ask GitHub for: the platform's choice, e.g. the cluster's URL. */
  audience: z.string().min(1),
  /** Where the API server fetches GitHub's discovery document instead, e.g. a mirror. */
  discoveryURL: z.url({ protocol: /^https$/ }).optional(),
  /** PEM CA(s) for the discovery fetch; default the API server's system roots. */
  certificateAuthority: z.string().includes("-----BEGIN CERTIFICATE-----").optional(),
  cleanup: z
    .strictObject({
      workflow: z
        .string()
        .regex(
          /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[A-Za-z0-9_.-]+\.ya?ml$/,
          "owner/name/.github/workflows/FILE.yml",
        ),
      ref: z
        .string()
        .regex(/^refs\/heads\/[A-Za-z0-9_./-]+$/, "refs/heads/BRANCH")
        .default("refs/heads/main"),
    })
    .optional(),
});

export interface GithubPreviewAuthenticatorArgs {
  /** `owner/name` of the repository whose pull requests deploy previews. */
  repository: string;
  /** The audience the preview jobs request their token for (e.g. the API server's URL). */
  audience: string;
  /** Another URL of GitHub's `/.well-known/openid-configuration` (the issuer stays GitHub's). */
  discoveryURL?: string;
  /** PEM CA certificates for fetching discovery and keys; default the system's. */
  certificateAuthority?: string;
  /**
   * The kit's cleanup workflow, whose runs on `ref` (default `refs/heads/main`) authenticate as
   * `preview-kit:cleanup`, which may only delete what previews made: a merged pull request's
   * close and the scheduled sweep run on the default branch, not as a pull request. `workflow`
   * is its `job_workflow_ref` without `@…`, e.g. `acme/preview-kit/.github/workflows/cleanup-preview.yml`.
   */
  cleanup?: { workflow: string; ref?: string };
}

/** One entry of an AuthenticationConfiguration's `jwt` list (apiserver.config.k8s.io/v1). */
export interface JwtAuthenticator {
  /** Whose tokens: GitHub's issuer, where its keys are found, and the audience. */
  issuer: {
    /** The tokens' `iss`. */
    url: string;
    /** Where discovery is fetched instead of `<url>/.well-known/openid-configuration`. */
    discoveryURL?: string;
    /** PEM CA(s) for the discovery and keys fetches. */
    certificateAuthority?: string;
    /** The one audience a token must name. */
    audiences: string[];
  };
  /** CEL over the token's claims: all must hold, or the token authenticates nobody. */
  claimValidationRules: { expression: string; message: string }[];
  /** CEL making the user from the claims. */
  claimMappings: {
    /** `preview-kit:pr:<N>`. */
    username: { expression: string };
    /** `preview-kit:previews`. */
    groups: { expression: string };
  };
  /** CEL over the user made: all must hold. */
  userValidationRules: { expression: string; message: string }[];
}

/**
 * The JWT authenticator a cluster admin adds to their API server's AuthenticationConfiguration
 * (`--authentication-config`, Kubernetes structured authentication) so that each pull
 * request's jobs authenticate as their own user, `preview-kit:pr:<N>`, in the group
 * `preview-kit:previews`, with the token GitHub Actions gives a job with `id-token: write`.
 *
 * Only a pull request's run gets in: GitHub sets `ref` to `refs/pull/<N>/merge` on
 * `pull_request` runs of an unmerged pull request, and nobody can push a ref under
 * `refs/pull/`, so a push, a schedule, a dispatch or `pull_request_target` (whose `ref` is a
 * branch) has no identity here; with `cleanup`, but the kit's cleanup workflow on the default
 * branch (a merged pull request's close, the sweep), as `preview-kit:cleanup`. The repository
 * is pinned: another repository's pull request 7 is not this one's.
 */
export function githubPreviewAuthenticator(raw: GithubPreviewAuthenticatorArgs): JwtAuthenticator {
  const args = parseArgs(
    typeToken("kubernetes", "githubPreviewAuthenticator"),
    "jwt",
    authenticatorArgs,
    raw,
  );
  const { cleanup } = args;
  const pullRequest = `claims.ref.matches('${PULL_REQUEST_REF}')`;
  const prUser = `'${PREVIEW_USER_PREFIX}' + claims.ref.split('/')[2]`;
  return {
    issuer: {
      url: GITHUB_ACTIONS_ISSUER,
      ...(args.discoveryURL ? { discoveryURL: args.discoveryURL } : {}),
      ...(args.certificateAuthority ? { certificateAuthority: args.certificateAuthority } : {}),
      audiences: [args.audience],
    },
    claimValidationRules: [
      {
        // The repository's name is the token's, validated above: no quote can reach the CEL.
        expression: `claims.repository == '${args.repository}'`,
        message: `only ${args.repository}'s workflow runs deploy previews`,
      },
      {
        // Names and refs validated above: no quote can reach the CEL.
        expression: cleanup
          ? `${pullRequest} || (claims.ref == '${cleanup.ref}' && has(claims.job_workflow_ref) && claims.job_workflow_ref.startsWith('${cleanup.workflow}@'))`
          : pullRequest,
        message: cleanup
          ? `only a pull request's run (ref refs/pull/<N>/merge) deploys a preview, and ${cleanup.workflow} on ${cleanup.ref} cleans up`
          : "only a pull request's run (ref refs/pull/<N>/merge) deploys a preview",
      },
    ],
    claimMappings: {
      username: {
        expression: cleanup ? `${pullRequest} ? ${prUser} : '${PREVIEW_CLEANUP_USER}'` : prUser,
      },
      groups: {
        expression: cleanup
          ? `${pullRequest} ? ['${PREVIEWS_GROUP}'] : ['${PREVIEW_CLEANUP_GROUP}']`
          : `['${PREVIEWS_GROUP}']`,
      },
    },
    userValidationRules: [
      {
        expression: `user.username.matches('${PREVIEW_USER_PATTERN}')${cleanup ? ` || user.username == '${PREVIEW_CLEANUP_USER}'` : ""}`,
        message: "a preview's user is its pull request's number (or the kit's cleanup)",
      },
    ],
  };
}

/**
 * The script `githubTokenExec` runs (`node -e`, argv[1] the audience): asks the job's OIDC
 * endpoint for a token (GitHub Actions gives a job with `id-token: write`
 * ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN) and prints it as an
 * ExecCredential, expiring when the token does so that the client asks again. Errors name the
 * cause on stderr and never quote a token.
 */
const TOKEN_SCRIPT = `
const fail = (why) => { process.stderr.write("github-oidc credential: " + why + "\\n"); process.exit(1); };
const audience = process.argv[1];
const { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer } = process.env;
if (!url || !bearer) fail("ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN unset: the job needs permissions id-token: write");
const endpoint = new URL(url);
endpoint.searchParams.set("audience", audience);
fetch(endpoint, { headers: { authorization: "Bearer " + bearer }, signal: AbortSignal.timeout(30000) })
  .then(async (response) => {
    if (!response.ok) fail("the OIDC endpoint answered HTTP " + response.status);
    const { value } = await response.json();
    if (typeof value !== "string") fail("the OIDC endpoint's answer has no token");
    const { exp } = JSON.parse(Buffer.from(value.split(".")[1] ?? "", "base64url").toString());
    process.stdout.write(JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: value, ...(Number.isInteger(exp) ? { expirationTimestamp: new Date(exp * 1000).toISOString() } : {}) },
    }));
  })
  .catch((error) => fail(error instanceof Error ? error.name + ": " + error.message : "request failed"));
`;

/**
 * A kubeconfig user's `exec` section (client.authentication.k8s.io/v1) that authenticates as
 * the job's GitHub Actions OIDC token for `audience`: `node` runs a script inline, so the job
 * needs Node (every GitHub-hosted runner has it) and nothing installed.
 */
export function githubTokenExec(audience: string): object {
  return {
    apiVersion: "client.authentication.k8s.io/v1",
    command: "node",
    args: ["-e", TOKEN_SCRIPT, audience],
    interactiveMode: "Never",
    provideClusterInfo: false,
  };
}
