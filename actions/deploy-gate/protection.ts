/**
 * The protection an environment must have before the deploy job runs in it:
 * - required reviewers (production, and the approval environment of an untrusted author's
 *   preview: GitHub creates a missing environment on first use without any), and "Prevent
 *   self-review" where whoever started the run must not approve it;
 * - for dev, production and release, deployment branches limited to the default branch, and
 *   for npm to the release tags: otherwise any branch's workflow reaches the environment's
 *   secrets and OIDC subject (`dev`: with no click at all).
 * GitHub: GET /repos/{owner}/{repo}/environments/{environment_name} (`protection_rules`,
 * `deployment_branch_policy`) and GET .../deployment-branch-policies.
 */
import { gitHubError, httpStatus, type GitHubClient } from "../shared/github.js";
import type { Repo } from "./trust.js";

interface Environment {
  protection_rules?: { type: string; prevent_self_review?: boolean }[];
  deployment_branch_policy?: {
    protected_branches: boolean;
    custom_branch_policies: boolean;
  } | null;
}

/** The environment as GitHub reports it; undefined when it does not exist (yet). */
export async function readEnvironment(
  client: GitHubClient,
  repo: Repo,
  name: string,
): Promise<Environment | undefined> {
  try {
    const { data } = await client.request(
      "GET /repos/{owner}/{repo}/environments/{environment_name}",
      { ...repo, environment_name: name },
    );
    return data as Environment;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw gitHubError(`read environment '${name}'`, error);
  }
}

const SETTINGS = "Settings > Environments";

/** The refusal, or undefined when the environment has the reviewers it needs. */
export function reviewersProblem(
  name: string,
  environment: Environment | undefined,
  requireOthers: boolean,
): string | undefined {
  const rules = (environment?.protection_rules ?? []).filter(
    (rule) => rule.type === "required_reviewers",
  );
  // Required reviewers on a private repository's environment need GitHub Enterprise: on
  // other plans the rule is absent, and this fails rather than deploy unreviewed.
  if (rules.length === 0)
    return `Environment '${name}' has no required reviewers; add them in ${SETTINGS} > ${name} (a private repository needs GitHub Enterprise for them)`;
  if (requireOthers && !rules.some((rule) => rule.prevent_self_review === true))
    return `Environment '${name}' lets the person who started the run approve it: turn on 'Prevent self-review' in ${SETTINGS} > ${name}, or set allow-self-review`;
  return undefined;
}

async function defaultBranch(client: GitHubClient, repo: Repo): Promise<string> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}", { ...repo });
    return data.default_branch;
  } catch (error) {
    throw gitHubError("read the repository's default branch", error);
  }
}

async function branchPolicies(
  client: GitHubClient,
  repo: Repo,
  name: string,
): Promise<{ name?: string; type?: string }[]> {
  try {
    // The plugin unwraps `{total_count, branch_policies}` pages into one list.
    return (await client.paginate(
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies",
      { ...repo, environment_name: name, per_page: 100 },
    )) as { name?: string; type?: string }[];
  } catch (error) {
    throw gitHubError(`list the deployment branch policies of environment '${name}'`, error);
  }
}

/**
 * The one rule "Deployment branches and tags" may hold: the default branch (dev, production,
 * release), or a tag pattern (npm: the release tags `v*`).
 */
export type DeploymentRule = { type: "branch" } | { type: "tag"; name: string };

/**
 * The refusal, or undefined when only `rule` may deploy to the environment: "Selected branches
 * and tags" holding exactly that one rule. "Protected branches only" is refused too: any
 * branch someone protects later would pass.
 */
export async function branchPolicyProblem(
  client: GitHubClient,
  repo: Repo,
  name: string,
  environment: Environment | undefined,
  rule: DeploymentRule = { type: "branch" },
): Promise<string | undefined> {
  const only =
    rule.type === "tag" ? rule : { type: rule.type, name: await defaultBranch(client, repo) };
  const shown = only.type === "tag" ? `tags '${only.name}'` : `'${only.name}'`;
  const fix = `in ${SETTINGS} > ${name} > Deployment branches and tags, choose 'Selected branches and tags' and add only the ${only.type} rule '${only.name}'`;
  const policy = environment?.deployment_branch_policy;
  if (!policy) return `Environment '${name}' lets any branch deploy to it: ${fix}`;
  if (!policy.custom_branch_policies)
    return `Environment '${name}' lets every protected branch deploy to it, not only ${shown}: ${fix}`;
  const rules = await branchPolicies(client, repo, name);
  const others = rules.filter(
    (stored) => stored.name !== only.name || (stored.type ?? "branch") !== only.type,
  );
  if (others.length > 0 || rules.length === 0) {
    const listed = others.map((stored) => `${stored.type ?? "branch"} '${stored.name ?? ""}'`);
    return `Environment '${name}' lets ${listed.join(", ") || "no branch"} deploy to it: ${fix}`;
  }
  return undefined;
}
