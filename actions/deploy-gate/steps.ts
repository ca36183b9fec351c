/**
 * The decisions that ask GitHub: the gate (trust, open, environment protection), and at
 * deploy time whether this run is still the one to deploy. Loaded only after the inputs
 * passed, so a refused step never pays for Octokit. Outputs are written last: a refusal
 * writes none.
 */
import { ActionError } from "../shared/errors.js";
import { createGitHubClient } from "../shared/github.js";
import { setOutputs } from "../shared/outputs.js";
import { annotate, info } from "../shared/runner.js";
import { imageOutputs } from "../check-images/check.js";
import type { GitHubClient } from "../shared/github.js";
import { dependabotProblem } from "./dependabot.js";
import {
  branchPolicyProblem,
  type DeploymentRule,
  readEnvironment,
  reviewersProblem,
} from "./protection.js";
import { branchHead, readPull, supersededBy } from "./pull.js";
import type { CurrentSettings, GateSettings, ProtectionSettings } from "./settings.js";
import { authorTrust, type Repo } from "./trust.js";

/** Environments whose deployment branches must be the default branch alone. */
const BRANCH_BOUND_KINDS = new Set(["dev", "production"]);

export async function gate(settings: GateSettings): Promise<void> {
  const dependabot = dependabotProblem(process.env.GITHUB_ACTOR, process.env.GITHUB_EVENT_NAME);
  if (dependabot) throw new ActionError(dependabot, { title: "Started by Dependabot" });
  const client = createGitHubClient(settings.token);
  const repo = { owner: settings.owner, repo: settings.repo };
  let trusted = true;
  let environment = settings.environment;
  let open = true;
  // Only previews are gated by author; dev and production rely on their environment's rules.
  if (settings.kind === "preview" && settings.prNumber !== undefined) {
    const pull = await readPull(client, repo, settings.prNumber);
    const trust = await authorTrust(client, repo, pull.author, settings.prNumber);
    trusted = trust.trusted;
    info(`Author ${pull.author} has '${trust.access}' access: trusted=${trusted}`);
    if (!trusted) {
      environment = settings.approvalEnvironment;
      annotate(
        "notice",
        `${pull.author} has no write access: the deploy waits for a reviewer of environment '${environment}'`,
        { title: "Approval needed" },
      );
    }
    // A cleanup may have run while this run waited for its turn (a close during the build):
    // a plan would then create the stack the cleanup removed, and nothing would remove it.
    if (pull.state !== "open") {
      open = false;
      annotate(
        "notice",
        `pull request #${settings.prNumber} is ${pull.state}: its cleanup removes the preview`,
        { title: "Not planned" },
      );
    }
  }

  // Only production's reviewers must be someone other than who started the run: an
  // untrusted author is no reviewer of the approval environment anyway.
  await requireProtection(client, repo, environment, {
    reviewers: settings.requireReviewers || !trusted,
    requireOthers: settings.requireOthers,
    rule: BRANCH_BOUND_KINDS.has(settings.kind) ? { type: "branch" } : undefined,
  });

  // The one hand-off format: whole references, as lines (pulumi-deploy, preview-comment) and
  // as JSON (the Deployment's payload).
  const { images, "image-refs": imageRefs } = imageOutputs(settings.images);
  setOutputs({
    images,
    "image-refs": imageRefs,
    environment,
    trusted,
    open,
    "deployment-environment": settings.deploymentEnvironment,
    config: settings.config,
    stack: settings.stack,
    namespace: settings.names?.namespace,
  });
  info(
    `${settings.kind} of ${settings.stack}: job environment '${environment}', Deployment environment '${settings.deploymentEnvironment}'`,
  );
}

/** What an environment must have: reviewers, and one deployment rule. */
interface Protection {
  reviewers: boolean;
  requireOthers: boolean;
  rule?: DeploymentRule;
}

/** Throws the first thing the environment lacks; asks GitHub nothing when nothing is needed. */
async function requireProtection(
  client: GitHubClient,
  repo: Repo,
  environment: string,
  needed: Protection,
): Promise<void> {
  if (!needed.reviewers && !needed.rule) return;
  const stored = await readEnvironment(client, repo, environment);
  const problem =
    (needed.reviewers ? reviewersProblem(environment, stored, needed.requireOthers) : undefined) ??
    (needed.rule
      ? await branchPolicyProblem(client, repo, environment, stored, needed.rule)
      : undefined);
  if (problem) throw new ActionError(problem, { title: "Unprotected environment" });
}

/**
 * A job that holds an environment's credentials without a deploy (the kit's own release)
 * refuses to go on unless the environment is bound to its one rule. The check cannot stop a
 * branch's copy of the workflow that leaves it out: what stops that copy is the rule the
 * check makes sure is there.
 */
export async function protection(settings: ProtectionSettings): Promise<void> {
  const client = createGitHubClient(settings.token);
  const repo = { owner: settings.owner, repo: settings.repo };
  await requireProtection(client, repo, settings.environment, settings);
  const rule = settings.rule.type === "tag" ? `tags '${settings.rule.name}'` : "the default branch";
  info(
    `Environment '${settings.environment}' accepts only ${rule}${settings.reviewers ? ", with required reviewers" : ""}`,
  );
}

export async function current(settings: CurrentSettings): Promise<void> {
  const client = createGitHubClient(settings.token);
  const repo = { owner: settings.owner, repo: settings.repo };
  let reason: string | undefined;
  let title = "Superseded";
  if (settings.kind === "preview" && settings.prNumber !== undefined) {
    const pull = await readPull(client, repo, settings.prNumber);
    reason = supersededBy(pull, settings.prNumber, settings.headSha);
    if (pull.state !== "open") title = "Not deployed";
  } else if (settings.ref?.startsWith("refs/heads/") && settings.sha) {
    const branch = settings.ref.slice("refs/heads/".length);
    const head = await branchHead(client, repo, branch);
    if (head !== settings.sha)
      reason = `${branch} moved on to ${head} since this run's ${settings.sha}: that run deploys`;
  }
  if (reason) annotate("notice", reason, { title });
  else info("This run is still the one to deploy");
  setOutputs({ deploy: reason === undefined });
}
