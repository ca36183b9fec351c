/**
 * What a Fulcio certificate says about the GitHub Actions job that got it: the extensions
 * Fulcio writes from the job's OIDC token (Fulcio's OID registry, docs/oid-info.md in
 * sigstore/fulcio, "1.3.6.1.4.1.57264.1.8" onwards; each value a DER UTF8String). The
 * certificate itself is verified by @sigstore/verify before any of this is read.
 */
import { ASN1Obj } from "@sigstore/core";
import type { Signer } from "@sigstore/verify";

/** The issuer of GitHub Actions' OIDC tokens on github.com. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

const OIDS = {
  issuer: "1.3.6.1.4.1.57264.1.8",
  /** `https://github.com/OWNER/REPO/PATH@REF` of the workflow whose job signed (job_workflow_ref). */
  buildSignerUri: "1.3.6.1.4.1.57264.1.9",
  /** `https://github.com/OWNER/REPO` the run belongs to (repository). */
  sourceRepositoryUri: "1.3.6.1.4.1.57264.1.12",
  /** The commit the run was for (sha): for a pull_request run, GitHub's test merge. */
  sourceRepositoryDigest: "1.3.6.1.4.1.57264.1.13",
  /** The ref the run was for (ref), e.g. `refs/pull/7/merge` or `refs/heads/feature`. */
  sourceRepositoryRef: "1.3.6.1.4.1.57264.1.14",
  /** The repository's immutable id (repository_id). */
  sourceRepositoryIdentifier: "1.3.6.1.4.1.57264.1.15",
  /** The event that started the run (event_name). */
  buildTrigger: "1.3.6.1.4.1.57264.1.20",
} as const;

export type GitHubIdentity = { -readonly [K in keyof typeof OIDS]?: string } & {
  subjectAlternativeName?: string;
};

function utf8String(der: Buffer): string | undefined {
  try {
    const value = ASN1Obj.parseBuffer(der as Buffer<ArrayBuffer>);
    return value.tag.number === 12 ? value.value.toString("utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** The GitHub extensions of a verified signer's certificate. */
export function gitHubIdentity(signer: Signer): GitHubIdentity {
  const identity: GitHubIdentity = {
    subjectAlternativeName: signer.identity?.subjectAlternativeName,
  };
  for (const pair of signer.identity?.oids ?? []) {
    const oid = pair.oid?.id.join(".");
    const key = (Object.keys(OIDS) as (keyof typeof OIDS)[]).find((k) => OIDS[k] === oid);
    if (key) identity[key] = utf8String(pair.value);
  }
  return identity;
}
