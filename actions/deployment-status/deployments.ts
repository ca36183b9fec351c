/** The deployment REST calls this action makes, each one request (or one listing). */
import type { Endpoints } from "@octokit/types";
import { ActionError } from "../shared/errors.js";
import { gitHubError, httpStatus, type GitHubClient } from "../shared/github.js";
import { retry } from "../shared/retry.js";
import { RUN_KEY, type Payload } from "./payload.js";

export type Deployment =
  Endpoints["GET /repos/{owner}/{repo}/deployments/{deployment_id}"]["response"]["data"];
export type DeploymentStatus =
  Endpoints["GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}"]["response"]["data"];
/** Deployment ids are typed as bigint-capable by the OpenAPI description. */
export type DeploymentId = Deployment["id"];
export type StatusState =
  Endpoints["POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"]["parameters"]["state"];

export interface Repo {
  owner: string;
  repo: string;
}

export interface NewDeployment {
  ref: string;
  environment: string;
  description: string;
  payload: Payload;
  transient: boolean;
  production: boolean;
}

export interface NewStatus {
  state: StatusState;
  description: string;
  environmentUrl?: string;
  logUrl?: string;
}

/** GitHub allows 140 characters; longer descriptions are refused with a 422. */
function shortDescription(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

/** Every deployment of an environment (optionally of one ref), newest first, all pages. */
export async function listDeployments(
  client: GitHubClient,
  repo: Repo,
  environment: string,
  ref?: string,
): Promise<Deployment[]> {
  try {
    return await client.paginate("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      environment,
      ...(ref ? { ref } : {}),
      per_page: 100,
    });
  } catch (error) {
    throw gitHubError(`list the deployments of environment '${environment}'`, error);
  }
}

/** A deployment of the environment and whether it still counts as active. */
export interface DeploymentState {
  id: number;
  /** No status yet, or a newest status other than `inactive`. */
  active: boolean;
}

const STATES_QUERY = `query($owner: String!, $repo: String!, $environment: String!, $after: String) {
  repository(owner: $owner, name: $repo) {
    deployments(environments: [$environment], first: 100, after: $after) {
      nodes { databaseId latestStatus { state } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface StatesPage {
  repository: {
    deployments: {
      nodes: ({ databaseId: number | null; latestStatus: { state: string } | null } | null)[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
}

/**
 * Every deployment of an environment with its newest state, 100 a GraphQL query: REST
 * needs one more request per deployment for its status.
 */
export async function deploymentStates(
  client: GitHubClient,
  repo: Repo,
  environment: string,
): Promise<DeploymentState[]> {
  const states: DeploymentState[] = [];
  let after: string | null = null;
  try {
    do {
      const page: StatesPage = await client.graphql<StatesPage>(STATES_QUERY, {
        ...repo,
        environment,
        after,
      });
      const connection = page.repository?.deployments;
      if (!connection)
        throw new ActionError(`Repository ${repo.owner}/${repo.repo} was not found`, {
          title: "Repository not found",
        });
      for (const node of connection.nodes) {
        if (node?.databaseId == null) continue;
        states.push({ id: node.databaseId, active: node.latestStatus?.state !== "INACTIVE" });
      }
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
  } catch (error) {
    if (error instanceof ActionError) throw error;
    throw gitHubError(`read the deployments of environment '${environment}'`, error);
  }
  return states;
}

/** The newest deployment of this environment and ref that the run `runId` created. */
export async function findRunDeployment(
  client: GitHubClient,
  repo: Repo,
  environment: string,
  ref: string,
  runId: string,
): Promise<Deployment | undefined> {
  try {
    for await (const page of client.paginate.iterator("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      environment,
      ref,
      per_page: 100,
    })) {
      const found = page.data.find((deployment) => {
        const payload = deployment.payload as Payload | string;
        const stamp =
          typeof payload === "object"
            ? (payload[RUN_KEY] as { run_id?: unknown } | undefined)
            : undefined;
        return String(stamp?.run_id) === runId;
      });
      if (found) return found;
    }
    return undefined;
  } catch (error) {
    throw gitHubError(`look for the deployment this run created in '${environment}'`, error);
  }
}

export async function getDeployment(
  client: GitHubClient,
  repo: Repo,
  id: DeploymentId,
): Promise<Deployment> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}", {
      ...repo,
      deployment_id: Number(id),
    });
    return data;
  } catch (error) {
    if (httpStatus(error) === 404) {
      throw new ActionError(
        `Deployment ${id} was not found in ${repo.owner}/${repo.repo}: pass the deployment-id output of this environment's start step`,
        {
          title: "Deployment not found",
        },
      );
    }
    throw gitHubError(`read deployment ${id}`, error);
  }
}

/**
 * Creates the deployment once. The client never repeats a POST: a 5xx can come after
 * GitHub created it, so before trying again we look for it by this run's stamp.
 */
export async function createDeployment(
  client: GitHubClient,
  repo: Repo,
  wanted: NewDeployment,
  findExisting: () => Promise<Deployment | undefined>,
  attempts = 4,
): Promise<Deployment> {
  let tried = false;
  const createOnce = async (): Promise<Deployment> => {
    if (tried) {
      const existing = await findExisting();
      if (existing) return existing;
    }
    tried = true;
    const response = await client.request("POST /repos/{owner}/{repo}/deployments", {
      ...repo,
      ref: wanted.ref,
      task: "deploy",
      environment: wanted.environment,
      description: shortDescription(wanted.description),
      payload: wanted.payload,
      // Merging the default branch into the ref, or waiting for its checks, is the
      // workflow's business; this action records what the workflow deploys.
      auto_merge: false,
      required_contexts: [],
      transient_environment: wanted.transient,
      production_environment: wanted.production,
    });
    if (!("id" in response.data)) {
      throw new ActionError(
        `GitHub did not create the deployment: ${response.data.message ?? `HTTP ${response.status}`}`,
        { title: "Deployment not created" },
      );
    }
    return response.data;
  };
  try {
    return await retry(createOnce, {
      tries: attempts,
      waitMs: (failures) => failures * failures * 500,
      retryError: unanswered,
    });
  } catch (error) {
    if (error instanceof ActionError) throw error;
    throw gitHubError(`create a deployment of ${wanted.ref} in '${wanted.environment}'`, error);
  }
}

/** A 5xx, or no status at all: the request never got an answer, so it may have been done or not. */
function unanswered(error: unknown): boolean {
  const status = httpStatus(error);
  return !(error instanceof ActionError) && (status === undefined || status >= 500);
}

/**
 * Whether GitHub counts the environment as production: its newest deployment was created
 * with `production_environment` (GitHub's default for an environment named `production`).
 */
export async function markedProduction(
  client: GitHubClient,
  repo: Repo,
  environment: string,
): Promise<boolean> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      environment,
      per_page: 1,
    });
    return data[0]?.production_environment === true;
  } catch (error) {
    throw gitHubError(`read the newest deployment of environment '${environment}'`, error);
  }
}

/** The deployment's newest status, if it has any. */
export async function latestStatus(
  client: GitHubClient,
  repo: Repo,
  id: DeploymentId,
): Promise<DeploymentStatus | undefined> {
  try {
    const { data } = await client.request(
      "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      {
        ...repo,
        deployment_id: Number(id),
        per_page: 1,
      },
    );
    return data[0];
  } catch (error) {
    throw gitHubError(`read the statuses of deployment ${id}`, error);
  }
}

/**
 * Adds a status, tried again on a 5xx or a connection that got no answer. Unlike a
 * deployment, a status needs no look before the retry: GitHub may have recorded the first
 * one, and a second identical status is harmless (the newest status is the deployment's
 * state; GitHub counts nothing per status), while giving up would leave the environment
 * "in progress" or active.
 */
export async function createStatus(
  client: GitHubClient,
  repo: Repo,
  id: DeploymentId,
  status: NewStatus,
  attempts = 4,
): Promise<DeploymentStatus> {
  const createOnce = async () => {
    const { data } = await client.request(
      "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      {
        ...repo,
        deployment_id: Number(id),
        state: status.state,
        description: shortDescription(status.description),
        ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
        ...(status.logUrl ? { log_url: status.logUrl } : {}),
      },
    );
    return data;
  };
  try {
    return await retry(createOnce, {
      tries: attempts,
      waitMs: (failures) => failures * failures * 500,
      retryError: unanswered,
    });
  } catch (error) {
    throw gitHubError(`set deployment ${id} to ${status.state}`, error);
  }
}

export type EnvironmentDeletion = "deleted" | "absent" | "forbidden";

/** Deletes an environment; a token without admin rights is an answer, not a failure. */
export async function deleteEnvironment(
  client: GitHubClient,
  repo: Repo,
  environment: string,
): Promise<EnvironmentDeletion> {
  try {
    await client.request("DELETE /repos/{owner}/{repo}/environments/{environment_name}", {
      ...repo,
      environment_name: environment,
    });
    return "deleted";
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) return "absent";
    if (status === 403) return "forbidden";
    throw gitHubError(`delete environment '${environment}'`, error);
  }
}
