/**
 * Deployments, deployment statuses and environments, with GitHub's semantics:
 * - lists are newest first, paginated with `Link`; deployments filter by `environment`,
 *   `ref`, `sha` and `task`;
 * - creating a deployment resolves `ref` (422 "No ref found"), checks `required_contexts`
 *   against commit statuses (409), merges the default branch into a branch that is behind
 *   when `auto_merge` is on (202, no deployment), and creates the environment;
 * - a `success` status with `auto_inactive` (the default) adds an `inactive` status to every
 *   earlier non-transient deployment of the same environment whose newest state is
 *   `success`; transient deployments are never touched (GitHub's documented rule);
 * - deleting an environment needs admin rights (403 otherwise) and answers 404 when absent;
 * - an environment's `deployment_branch_policy` is null (any branch may deploy, GitHub's
 *   default), `{protected_branches: true, custom_branch_policies: false}` or the reverse;
 *   with custom policies, `GET .../environments/{name}/deployment-branch-policies` lists
 *   them as `{total_count, branch_policies: [{id, node_id, name, type}]}`, paginated
 *   (https://docs.github.com/en/rest/deployments/environments#get-an-environment,
 *   https://docs.github.com/en/rest/deployments/branch-policies#list-deployment-branch-policies).
 * Tests seed and inspect it through `deploymentStore(gh.state)`.
 */
import { nodeId, simpleUser, WEB } from "../objects.js";
import { HttpError, created, noContent, notFound, ok, validationFailed } from "../router.js";
import type { Reply, RouteRequest } from "../router.js";
import type { RouteRegistry } from "../server.js";
import type { GitHubState } from "../state.js";
import { linkHeader, paginate } from "./comments.js";

export const DEPLOYMENT_STATES = [
  "error",
  "failure",
  "inactive",
  "in_progress",
  "queued",
  "pending",
  "success",
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface StoredDeployment {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  originalEnvironment: string;
  environment: string;
  description: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
  transient: boolean;
  production: boolean;
}

export interface StoredStatus {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  creator: string;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface StoredEnvironment {
  id: number;
  owner: string;
  repo: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Logins of the required reviewers (a protection rule), none by default. */
  reviewers?: string[];
  /** The rule's "Prevent self-review": who started the run may not approve it. */
  preventSelfReview?: boolean;
  /**
   * "Deployment branches and tags": absent for "No restriction" (GitHub's default);
   * `protected` for "Protected branches only"; a list for "Selected branches and tags".
   */
  branchPolicy?: "protected" | BranchPolicy[];
}

/** One name pattern of "Selected branches and tags" (GitHub matches it with fnmatch). */
export interface BranchPolicy {
  name: string;
  type: "branch" | "tag";
}

export interface Branch {
  sha: string;
  /** Behind the default branch: `auto_merge` merges it (202) before a deployment. */
  behind?: boolean;
  /** Merging the default branch into it conflicts: `auto_merge` answers 409. */
  conflicts?: boolean;
}

const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
const DESCRIPTION_LIMIT = 140;
const DEFAULT_BRANCH_SHA = "2222222222222222222222222222222222222222";

export class DeploymentStore {
  readonly deployments = new Map<number, StoredDeployment>();
  /** Deployment id -> its statuses, oldest first. */
  readonly statuses = new Map<number, StoredStatus[]>();
  readonly environments = new Map<string, StoredEnvironment>();
  /** `owner/repo` -> branch name -> branch. `main` exists in every repository. */
  readonly branches = new Map<string, Map<string, Branch>>();
  /** sha -> context -> state, for `required_contexts`. */
  readonly commitStatuses = new Map<string, Map<string, string>>();

  constructor(private readonly state: GitHubState) {}

  addBranch(owner: string, repo: string, name: string, branch: Branch): void {
    const map = this.branches.get(repoKey(owner, repo)) ?? new Map<string, Branch>();
    map.set(name, branch);
    this.branches.set(repoKey(owner, repo), map);
  }

  setCommitStatus(
    sha: string,
    context: string,
    state: "success" | "failure" | "pending" | "error",
  ): void {
    const map = this.commitStatuses.get(sha) ?? new Map<string, string>();
    map.set(context, state);
    this.commitStatuses.set(sha, map);
  }

  /** The commit a ref names, as GitHub resolves `ref` on create; undefined when unknown. */
  resolve(owner: string, repo: string, ref: string): string | undefined {
    if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    const name = ref.replace(/^refs\/(?:heads|tags)\//, "");
    const branch = this.branches.get(repoKey(owner, repo))?.get(name);
    if (branch) return branch.sha;
    if (name === "main") return DEFAULT_BRANCH_SHA;
    const pull = /^refs\/pull\/(\d+)\/(head|merge)$/.exec(ref);
    const stored = pull ? this.state.pull(owner, repo, Number(pull[1])) : undefined;
    if (stored)
      return pull?.[2] === "head" ? stored.headSha : "3333333333333333333333333333333333333333";
    const byHeadRef = [...this.state.pulls.values()].find(
      (p) => repoKey(p.owner, p.repo) === repoKey(owner, repo) && p.headRef === name,
    );
    return byHeadRef?.headSha;
  }

  environment(owner: string, repo: string, name: string): StoredEnvironment | undefined {
    return this.environments.get(`${repoKey(owner, repo)}/${name.toLowerCase()}`);
  }

  ensureEnvironment(owner: string, repo: string, name: string): StoredEnvironment {
    const existing = this.environment(owner, repo, name);
    if (existing) return existing;
    const at = this.state.now();
    const environment = {
      id: this.state.nextId(),
      owner,
      repo,
      name,
      createdAt: at,
      updatedAt: at,
    };
    this.environments.set(`${repoKey(owner, repo)}/${name.toLowerCase()}`, environment);
    return environment;
  }

  deleteEnvironment(owner: string, repo: string, name: string): boolean {
    return this.environments.delete(`${repoKey(owner, repo)}/${name.toLowerCase()}`);
  }

  /** Adds a deployment directly (for seeding); the API route goes through the same path. */
  addDeployment(
    owner: string,
    repo: string,
    fields: Partial<Omit<StoredDeployment, "id" | "owner" | "repo">> & { sha: string },
  ): StoredDeployment {
    const at = this.state.now();
    const environment = fields.environment ?? "production";
    const deployment: StoredDeployment = {
      ref: fields.sha,
      task: "deploy",
      payload: {},
      originalEnvironment: environment,
      description: null,
      creator: "octo-maintainer",
      createdAt: at,
      updatedAt: at,
      transient: false,
      production: environment === "production",
      ...fields,
      environment,
      id: this.state.nextId(),
      owner,
      repo,
    };
    this.deployments.set(deployment.id, deployment);
    this.ensureEnvironment(owner, repo, environment);
    return deployment;
  }

  /** Adds a status and applies `auto_inactive` as GitHub does for a new `success`. */
  addStatus(
    deployment: StoredDeployment,
    fields: Partial<Omit<StoredStatus, "id" | "deploymentId">> & { state: DeploymentState },
    autoInactive = true,
  ): StoredStatus {
    const at = this.state.now();
    const status: StoredStatus = {
      creator: deployment.creator,
      description: "",
      environment: deployment.environment,
      logUrl: "",
      environmentUrl: "",
      createdAt: at,
      ...fields,
      id: this.state.nextId(),
      deploymentId: deployment.id,
    };
    this.statuses.set(deployment.id, [...(this.statuses.get(deployment.id) ?? []), status]);
    deployment.updatedAt = at;
    if (status.state === "success" && autoInactive) {
      for (const earlier of this.deploymentsOf(deployment.owner, deployment.repo)) {
        if (
          earlier.id < deployment.id &&
          earlier.environment === deployment.environment &&
          !earlier.transient &&
          this.latest(earlier.id)?.state === "success"
        ) {
          this.addStatus(earlier, { state: "inactive", creator: status.creator }, false);
        }
      }
    }
    return status;
  }

  /** A repository's deployments, newest first (the order the API lists them in). */
  deploymentsOf(owner: string, repo: string): StoredDeployment[] {
    return [...this.deployments.values()]
      .filter((d) => repoKey(d.owner, d.repo) === repoKey(owner, repo))
      .sort((a, b) => b.id - a.id);
  }

  latest(deploymentId: number): StoredStatus | undefined {
    return this.statuses.get(deploymentId)?.at(-1);
  }

  /** Deployments of an environment whose newest status is not `inactive` (none counts as active). */
  activeIn(owner: string, repo: string, environment: string): StoredDeployment[] {
    return this.deploymentsOf(owner, repo).filter(
      (d) => d.environment === environment && this.latest(d.id)?.state !== "inactive",
    );
  }
}

export function deploymentStore(state: GitHubState): DeploymentStore {
  return state.extension("deployments", () => new DeploymentStore(state));
}

export function deploymentObject(api: string, state: GitHubState, d: StoredDeployment) {
  const repoApi = `${api}/repos/${d.owner}/${d.repo}`;
  return {
    url: `${repoApi}/deployments/${d.id}`,
    id: d.id,
    node_id: nodeId("010:Deployment", d.id),
    task: d.task,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${repoApi}/deployments/${d.id}/statuses`,
    repository_url: repoApi,
    creator: simpleUser(api, state.account(d.creator)),
    sha: d.sha,
    ref: d.ref,
    payload: d.payload,
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  };
}

export function deploymentStatusObject(
  api: string,
  state: GitHubState,
  d: StoredDeployment,
  s: StoredStatus,
) {
  const repoApi = `${api}/repos/${d.owner}/${d.repo}`;
  return {
    url: `${repoApi}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId("016:DeploymentStatus", s.id),
    state: s.state,
    creator: simpleUser(api, state.account(s.creator)),
    description: s.description,
    environment: s.environment,
    // GitHub copies log_url into the legacy target_url.
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${repoApi}/deployments/${d.id}`,
    repository_url: repoApi,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}

export function environmentObject(api: string, e: StoredEnvironment) {
  return {
    id: e.id,
    node_id: nodeId("011:Environment", e.id),
    name: e.name,
    url: `${api}/repos/${e.owner}/${e.repo}/environments/${encodeURIComponent(e.name)}`,
    html_url: `${WEB}/${e.owner}/${e.repo}/deployments/activity_log?environments_filter=${encodeURIComponent(e.name)}`,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    can_admins_bypass: true,
    protection_rules: e.reviewers?.length
      ? [
          {
            id: e.id + 1,
            node_id: nodeId("011:ProtectionRule", e.id + 1),
            type: "required_reviewers",
            prevent_self_review: e.preventSelfReview ?? false,
            reviewers: e.reviewers.map((login) => ({ type: "User", reviewer: { login } })),
          },
        ]
      : [],
    deployment_branch_policy:
      e.branchPolicy === undefined
        ? null
        : {
            protected_branches: e.branchPolicy === "protected",
            custom_branch_policies: e.branchPolicy !== "protected",
          },
  };
}

type Body = Record<string, unknown>;

function bodyOf(request: RouteRequest): Body {
  const body = request.body;
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

function optionalString(body: Body, field: string, resource: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") validationFailed(resource, field, `${field} must be a string`);
  return value;
}

function optionalBoolean(body: Body, field: string, resource: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") validationFailed(resource, field, `${field} must be a boolean`);
  return value;
}

function deploymentOf(request: RouteRequest): StoredDeployment {
  const { owner = "", repo = "", deployment_id } = request.params;
  const deployment = deploymentStore(request.state).deployments.get(Number(deployment_id));
  if (!deployment || repoKey(deployment.owner, deployment.repo) !== repoKey(owner, repo))
    return notFound();
  return deployment;
}

function createDeployment(request: RouteRequest): Reply {
  const { owner = "", repo = "" } = request.params;
  const store = deploymentStore(request.state);
  const body = bodyOf(request);
  const ref = optionalString(body, "ref", "Deployment");
  if (!ref) throw new HttpError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
  const environment = optionalString(body, "environment", "Deployment") ?? "production";
  if (environment.length === 0 || environment.length > 255) {
    validationFailed("Deployment", "environment", "environment must be 1 to 255 characters");
  }
  const payload = body.payload ?? {};
  if (typeof payload !== "object" && typeof payload !== "string") {
    validationFailed("Deployment", "payload", "payload must be an object or a string");
  }
  const requiredContexts = body.required_contexts;
  if (
    requiredContexts !== undefined &&
    (!Array.isArray(requiredContexts) || requiredContexts.some((c) => typeof c !== "string"))
  ) {
    validationFailed(
      "Deployment",
      "required_contexts",
      "required_contexts must be an array of strings",
    );
  }
  const autoMerge = optionalBoolean(body, "auto_merge", "Deployment") ?? true;
  const transient = optionalBoolean(body, "transient_environment", "Deployment") ?? false;
  const production =
    optionalBoolean(body, "production_environment", "Deployment") ?? environment === "production";

  const sha = store.resolve(owner, repo, ref);
  if (!sha) throw new HttpError(422, `No ref found for: ${ref}`);

  const branch = store.branches.get(repoKey(owner, repo))?.get(ref.replace(/^refs\/heads\//, ""));
  if (autoMerge && branch?.conflicts)
    throw new HttpError(409, `Conflict merging main into ${ref}.`);
  if (autoMerge && branch?.behind) {
    branch.behind = false;
    branch.sha = request.state.now().replace(/\D/g, "").padEnd(40, "a").slice(0, 40);
    return { status: 202, body: { message: `Auto-merged main into ${ref} on deployment.` } };
  }

  // Without `required_contexts` GitHub requires every context reported on the commit.
  const statuses = store.commitStatuses.get(sha) ?? new Map<string, string>();
  const contexts = (requiredContexts as string[] | undefined) ?? [...statuses.keys()];
  const failing = contexts.filter((context) => statuses.get(context) !== "success");
  if (failing.length > 0) {
    throw new HttpError(409, `Conflict: Commit status checks failed for ${ref}.`, {
      errors: [
        {
          contexts: failing.map((context) => ({
            context,
            state: statuses.get(context) ?? "missing",
          })),
          resource: "Deployment",
          field: "required_contexts",
        },
      ],
    });
  }

  const deployment = store.addDeployment(owner, repo, {
    sha,
    ref,
    task: optionalString(body, "task", "Deployment") ?? "deploy",
    payload,
    environment,
    description: optionalString(body, "description", "Deployment") ?? null,
    creator: request.grant.account.login,
    transient,
    production,
  });
  return created(deploymentObject(request.baseUrl, request.state, deployment));
}

function createStatus(request: RouteRequest): Reply {
  const store = deploymentStore(request.state);
  const deployment = deploymentOf(request);
  const body = bodyOf(request);
  const state = body.state;
  if (typeof state !== "string" || !(DEPLOYMENT_STATES as readonly string[]).includes(state)) {
    validationFailed(
      "DeploymentStatus",
      "state",
      `state is not included in the list (${DEPLOYMENT_STATES.join(", ")})`,
    );
  }
  const description = optionalString(body, "description", "DeploymentStatus") ?? "";
  if (description.length > DESCRIPTION_LIMIT) {
    validationFailed(
      "DeploymentStatus",
      "description",
      `description is too long (maximum is ${DESCRIPTION_LIMIT} characters)`,
    );
  }
  const environment = optionalString(body, "environment", "DeploymentStatus");
  if (environment && environment !== deployment.environment) {
    deployment.environment = environment;
    store.ensureEnvironment(deployment.owner, deployment.repo, environment);
  }
  const status = store.addStatus(
    deployment,
    {
      state: state as DeploymentState,
      creator: request.grant.account.login,
      description,
      logUrl:
        optionalString(body, "log_url", "DeploymentStatus") ??
        optionalString(body, "target_url", "DeploymentStatus") ??
        "",
      environmentUrl: optionalString(body, "environment_url", "DeploymentStatus") ?? "",
    },
    optionalBoolean(body, "auto_inactive", "DeploymentStatus") ?? true,
  );
  return created(deploymentStatusObject(request.baseUrl, request.state, deployment, status));
}

export function registerDeploymentRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/deployments", "read", (request) => {
    const { owner = "", repo = "" } = request.params;
    const filters = ["environment", "ref", "sha", "task"] as const;
    const wanted = Object.fromEntries(
      filters.map((name) => [name, request.query.get(name) ?? undefined]),
    );
    const list = deploymentStore(request.state)
      .deploymentsOf(owner, repo)
      .filter((d) =>
        filters.every((name) => wanted[name] === undefined || wanted[name] === d[name]),
      )
      .map((d) => deploymentObject(request.baseUrl, request.state, d));
    return paginate(request, list);
  });

  route("POST /repos/{owner}/{repo}/deployments", "write", createDeployment);

  route("GET /repos/{owner}/{repo}/deployments/{deployment_id}", "read", (request) =>
    ok(deploymentObject(request.baseUrl, request.state, deploymentOf(request))),
  );

  route("DELETE /repos/{owner}/{repo}/deployments/{deployment_id}", "write", (request) => {
    const store = deploymentStore(request.state);
    const deployment = deploymentOf(request);
    const sameEnvironment = store
      .deploymentsOf(deployment.owner, deployment.repo)
      .filter((d) => d.environment === deployment.environment);
    if (store.latest(deployment.id)?.state !== "inactive" && sameEnvironment.length > 1) {
      throw new HttpError(
        422,
        "We cannot delete an active deployment unless it is the only deployment in a given environment.",
      );
    }
    store.deployments.delete(deployment.id);
    store.statuses.delete(deployment.id);
    return noContent();
  });

  route("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", "read", (request) => {
    const deployment = deploymentOf(request);
    const statuses = [...(deploymentStore(request.state).statuses.get(deployment.id) ?? [])]
      .reverse()
      .map((s) => deploymentStatusObject(request.baseUrl, request.state, deployment, s));
    return paginate(request, statuses);
  });

  route(
    "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}",
    "read",
    (request) => {
      const deployment = deploymentOf(request);
      const status = deploymentStore(request.state)
        .statuses.get(deployment.id)
        ?.find((s) => s.id === Number(request.params.status_id));
      return status
        ? ok(deploymentStatusObject(request.baseUrl, request.state, deployment, status))
        : notFound();
    },
  );

  route("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", "write", createStatus);

  route("GET /repos/{owner}/{repo}/environments", "read", (request) => {
    const { owner = "", repo = "" } = request.params;
    const environments = [...deploymentStore(request.state).environments.values()]
      .filter((e) => repoKey(e.owner, e.repo) === repoKey(owner, repo))
      .map((e) => environmentObject(request.baseUrl, e));
    return ok({ total_count: environments.length, environments });
  });

  route("GET /repos/{owner}/{repo}/environments/{environment_name}", "read", (request) => {
    const { owner = "", repo = "", environment_name = "" } = request.params;
    const environment = deploymentStore(request.state).environment(owner, repo, environment_name);
    return environment ? ok(environmentObject(request.baseUrl, environment)) : notFound();
  });

  route(
    "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies",
    "read",
    (request) => {
      const { owner = "", repo = "", environment_name = "" } = request.params;
      const environment = deploymentStore(request.state).environment(owner, repo, environment_name);
      if (!environment) return notFound();
      const policies = Array.isArray(environment.branchPolicy) ? environment.branchPolicy : [];
      const items = policies.map((policy, index) => ({
        id: environment.id * 100 + index,
        node_id: nodeId("011:DeploymentBranchPolicy", environment.id * 100 + index),
        name: policy.name,
        type: policy.type,
      }));
      const perPage = Math.min(Math.max(Number(request.query.get("per_page")) || 30, 1), 100);
      const page = Math.max(Number(request.query.get("page")) || 1, 1);
      const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
      const link = linkHeader(request.url, request.baseUrl, page, lastPage);
      return ok(
        {
          total_count: items.length,
          branch_policies: items.slice((page - 1) * perPage, page * perPage),
        },
        link ? { link } : undefined,
      );
    },
  );

  route("DELETE /repos/{owner}/{repo}/environments/{environment_name}", "admin", (request) => {
    const { owner = "", repo = "", environment_name = "" } = request.params;
    return deploymentStore(request.state).deleteEnvironment(owner, repo, environment_name)
      ? noContent()
      : notFound();
  });
}
