/** Whether the job that signed was a job of the kit's build workflow (any ref of the kit). */
import { GITHUB_ACTIONS_ISSUER, type GitHubIdentity } from "./identity.js";

export interface ExpectedSigner {
  serverUrl: string;
  /** OWNER/REPO of the kit, as `job.workflow_repository` names it. */
  repository: string;
  /** The build workflow's path in it, e.g. `.github/workflows/build-images.yml`. */
  workflow: string;
}

export function signerProblem(
  identity: GitHubIdentity,
  expected: ExpectedSigner,
): string | undefined {
  if (identity.issuer !== GITHUB_ACTIONS_ISSUER)
    return `it was signed with a token of ${identity.issuer ?? "no issuer"}, not GitHub Actions`;
  const uri = identity.buildSignerUri ?? "";
  const prefix = `${expected.serverUrl}/${expected.repository}/${expected.workflow}@`;
  // Owner and repository names are case-insensitive on GitHub; the path is not.
  const repositoryPart = `${expected.serverUrl}/${expected.repository}/`;
  const matches =
    uri.length > prefix.length &&
    uri.slice(0, repositoryPart.length).toLowerCase() === repositoryPart.toLowerCase() &&
    uri.slice(repositoryPart.length, prefix.length) === `${expected.workflow}@`;
  if (!matches || identity.subjectAlternativeName !== uri)
    return `it was signed by ${uri || "an unknown workflow"}, not the kit's ${expected.repository}/${expected.workflow}`;
  return undefined;
}
