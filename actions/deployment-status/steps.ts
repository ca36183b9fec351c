/** The three steps: start a deployment, finish it, deactivate an environment. */
import { ActionError } from "../shared/errors.js";
import { createGitHubClient, type GitHubClient } from "../shared/github.js";
import { fullSha } from "../shared/schemas.js";
import { setOutputs } from "../shared/outputs.js";
import { annotate, appendSummary, info } from "../shared/runner.js";
import {
  createDeployment,
  createStatus,
  deleteEnvironment,
  deploymentStates,
  findRunDeployment,
  getDeployment,
  latestStatus,
  listDeployments,
  markedProduction,
  type Deployment,
  type DeploymentId,
  type Repo,
} from "./deployments.js";
import type { Settings } from "./settings.js";
import { deactivationSummary, deploymentSummary, type DeactivationReport } from "./summary.js";

const shortRef = (ref: string) => (fullSha.test(ref) ? ref.slice(0, 7) : ref);

async function start(client: GitHubClient, repo: Repo, settings: Settings): Promise<void> {
  const { environment, ref, runId } = settings;
  const findExisting = () =>
    runId ? findRunDeployment(client, repo, environment, ref, runId) : Promise.resolve(undefined);
  // A rerun of the job (or of the whole run) reuses the deployment this run created rather
  // than adding a second one for the same commit.
  let deployment = await findExisting();
  const reused = deployment !== undefined;
  deployment ??= await createDeployment(
    client,
    repo,
    {
      ref,
      environment,
      description: `Deploy ${shortRef(ref)}${runId ? ` from run ${runId}` : ""}`,
      payload: settings.payload,
      transient: settings.transient,
      production: settings.production,
    },
    findExisting,
  );
  info(
    `${reused ? "Reusing" : "Created"} deployment ${deployment.id} of ${shortRef(ref)} in '${environment}'`,
  );

  const latest = reused ? await latestStatus(client, repo, deployment.id) : undefined;
  const environmentUrl = settings.environmentUrl ?? (latest?.environment_url || undefined);
  const status =
    latest?.state === "in_progress" && (latest.environment_url || undefined) === environmentUrl
      ? latest
      : await createStatus(client, repo, deployment.id, {
          state: "in_progress",
          description: `Deploying ${shortRef(ref)}`,
          environmentUrl,
          logUrl: settings.logUrl,
        });
  report(settings, deployment, status.id, "in_progress", environmentUrl, reused);
}

/** The deployment to finish: the one named, or the newest one this run started. */
async function deploymentToFinish(
  client: GitHubClient,
  repo: Repo,
  settings: Settings,
): Promise<Deployment> {
  const { environment, ref, runId, deploymentId } = settings;
  if (deploymentId !== undefined) {
    const deployment = await getDeployment(client, repo, deploymentId);
    if (deployment.environment !== environment) {
      throw new ActionError(
        `Deployment ${deploymentId} belongs to environment '${deployment.environment}', not '${environment}'`,
        { title: "Wrong deployment" },
      );
    }
    return deployment;
  }
  const found = runId ? await findRunDeployment(client, repo, environment, ref, runId) : undefined;
  if (!found) {
    throw new ActionError(
      `No deployment of ${shortRef(ref)} in '${environment}' was started by this run${runId ? ` (${runId})` : ""}: run step start first, or pass deployment-id`,
      { title: "No deployment to finish" },
    );
  }
  return found;
}

const FINISHED: Record<string, string> = {
  success: "Deployed",
  failure: "Deployment failed:",
  error: "Deployment errored:",
  inactive: "Deployment stopped:",
};

async function finish(client: GitHubClient, repo: Repo, settings: Settings): Promise<void> {
  const state = settings.finalState ?? "success";
  const deployment = await deploymentToFinish(client, repo, settings);
  const latest = await latestStatus(client, repo, deployment.id);
  // Every status carries the URL: GitHub shows the "View deployment" button of the newest one.
  const environmentUrl = settings.environmentUrl ?? (latest?.environment_url || undefined);
  const status =
    latest?.state === state && (latest.environment_url || undefined) === environmentUrl
      ? latest
      : await createStatus(client, repo, deployment.id, {
          state,
          description: `${FINISHED[state]} ${shortRef(deployment.ref)}`,
          environmentUrl,
          logUrl: settings.logUrl,
        });
  if (state === "success") await retireEarlier(client, repo, settings, deployment);
  report(settings, deployment, status.id, state, environmentUrl, false);
}

/**
 * GitHub's auto_inactive skips transient deployments, so a preview redeployed on every push
 * would list each one as active. The successes this one replaces are marked inactive,
 * newest first, until one already is (the previous finish handled the older ones).
 */
async function retireEarlier(
  client: GitHubClient,
  repo: Repo,
  settings: Settings,
  current: Deployment,
): Promise<void> {
  if (!current.transient_environment) return;
  let retired = 0;
  for (const earlier of await listDeployments(client, repo, settings.environment)) {
    if (earlier.id >= current.id) continue;
    const latest = await latestStatus(client, repo, earlier.id);
    if (latest?.state === "inactive") break;
    if (latest?.state !== "success") continue;
    await createStatus(client, repo, earlier.id, {
      state: "inactive",
      description: `Replaced by deployment ${current.id}`,
      logUrl: settings.logUrl,
    });
    retired++;
  }
  if (retired > 0)
    info(`Marked ${retired} earlier deployment(s) of '${settings.environment}' inactive`);
}

function report(
  settings: Settings,
  deployment: Deployment,
  statusId: DeploymentId,
  state: string,
  environmentUrl: string | undefined,
  reused: boolean,
): void {
  setOutputs({ "deployment-id": String(deployment.id), "status-id": String(statusId) });
  info(
    `Deployment ${deployment.id} in '${settings.environment}' is ${state}${environmentUrl ? ` at ${environmentUrl}` : ""}`,
  );
  appendSummary(
    deploymentSummary({
      environment: settings.environment,
      deploymentId: deployment.id,
      state,
      ref: deployment.ref,
      environmentUrl,
      logUrl: settings.logUrl,
      reused,
    }),
  );
}

async function deactivate(client: GitHubClient, repo: Repo, settings: Settings): Promise<void> {
  const { environment } = settings;
  // The name is checked before any call (settings.ts); GitHub's own flag needs one.
  if (!settings.allowProduction && (await markedProduction(client, repo, environment))) {
    throw new ActionError(
      `Environment '${environment}' is a production environment on GitHub (its newest deployment has production_environment): step deactivate refuses it unless allow-production is true`,
      { title: "Production environment" },
    );
  }
  // GitHub's auto_inactive never touches transient deployments, so previews pile up as
  // active ones. Their states are read in bulk; only the active ones get a new status,
  // one at a time (the client paces writes a second apart, as GitHub asks of integrations).
  const deployments = await deploymentStates(client, repo, environment);
  let deactivated = 0;
  for (const deployment of deployments.filter((d) => d.active)) {
    await createStatus(client, repo, deployment.id, {
      state: "inactive",
      description: `Environment ${environment} deactivated`,
      logUrl: settings.logUrl,
    });
    deactivated++;
  }
  info(`Marked ${deactivated} of ${deployments.length} deployment(s) of '${environment}' inactive`);

  let outcome: DeactivationReport["environmentOutcome"] = "kept";
  if (settings.deleteEnvironment) {
    outcome = await deleteEnvironment(client, repo, environment);
    if (outcome === "forbidden") {
      annotate(
        "warning",
        `Environment '${environment}' was kept: deleting it needs a token with repository administration rights (the workflow token has none); its deployments are inactive`,
        { title: "Environment not deleted" },
      );
    } else {
      info(
        outcome === "deleted"
          ? `Deleted environment '${environment}'`
          : `Environment '${environment}' was already gone`,
      );
    }
  }
  setOutputs({ deactivated });
  appendSummary(
    deactivationSummary({
      environment,
      total: deployments.length,
      deactivated,
      environmentOutcome: outcome,
    }),
  );
}

export async function performStep(settings: Settings): Promise<void> {
  const client = createGitHubClient(settings.token);
  const repo = { owner: settings.owner, repo: settings.repo };
  if (settings.step === "start") await start(client, repo, settings);
  else if (settings.step === "finish") await finish(client, repo, settings);
  else await deactivate(client, repo, settings);
}
