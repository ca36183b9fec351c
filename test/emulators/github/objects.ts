/**
 * The JSON objects the REST API returns, built from stored state. Their keys and value
 * types are checked against recorded real responses by `shapes.test.ts`.
 */
import type { Account, GitHubState, StoredComment, StoredCommit, StoredPull } from "./state.js";

export const WEB = "https://github.com";
/** The node-id prefix of an issue comment. */
export const COMMENT_NODE = "012:IssueComment";

/** A REST `node_id` / GraphQL `id`: base64 of the type's prefix and the database id. */
export function nodeId(prefix: string, id: number): string {
  return Buffer.from(`${prefix}${id}`).toString("base64");
}

export function simpleUser(api: string, account: Account) {
  const u = `${api}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId("04:User", account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: `${WEB}/${account.type === "Bot" ? `apps/${account.login.replace("[bot]", "")}` : account.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** `GET /user`: the simple user plus the profile fields. */
export function privateUser(api: string, account: Account) {
  return {
    ...simpleUser(api, account),
    name: account.login,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: null,
    public_repos: 2,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: "2020-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

function association(state: GitHubState, owner: string, repo: string, login: string): string {
  if (login.toLowerCase() === owner.toLowerCase()) return "OWNER";
  return state.permissionOf(owner, repo, login) === "none" ? "NONE" : "COLLABORATOR";
}

const emptyReactions = (url: string) => ({
  url,
  total_count: 0,
  "+1": 0,
  "-1": 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

export function issueComment(api: string, state: GitHubState, c: StoredComment) {
  const repoApi = `${api}/repos/${c.owner}/${c.repo}`;
  const url = `${repoApi}/issues/comments/${c.id}`;
  return {
    url,
    html_url: `${WEB}/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${repoApi}/issues/${c.issue}`,
    id: c.id,
    node_id: nodeId(COMMENT_NODE, c.id),
    user: simpleUser(api, state.account(c.author)),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: association(state, c.owner, c.repo, c.author),
    body: c.body,
    reactions: emptyReactions(`${url}/reactions`),
    performed_via_github_app: null,
  };
}

export function repository(api: string, state: GitHubState, fullName: string) {
  const [owner = "", name = ""] = fullName.split("/");
  const r = `${api}/repos/${fullName}`;
  const id = [...fullName].reduce((sum, ch) => (sum * 31 + ch.charCodeAt(0)) % 1_000_000, 7);
  return {
    id,
    node_id: nodeId("010:Repository", id),
    name,
    full_name: fullName,
    private: false,
    owner: simpleUser(api, state.account(owner)),
    html_url: `${WEB}/${fullName}`,
    description: null,
    fork: false,
    url: r,
    default_branch: "main",
    visibility: "public",
    clone_url: `${WEB}/${fullName}.git`,
    created_at: "2020-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    pushed_at: "2026-01-01T00:00:00Z",
  };
}

/** The short repository a workflow run names (GitHub's minimal-repository there). */
export function minimalRepository(api: string, state: GitHubState, fullName: string) {
  const {
    default_branch: _branch,
    visibility: _visibility,
    clone_url: _clone,
    created_at: _created,
    updated_at: _updated,
    pushed_at: _pushed,
    ...minimal
  } = repository(api, state, fullName);
  return minimal;
}

export function pullRequest(api: string, state: GitHubState, p: StoredPull) {
  const repoApi = `${api}/repos/${p.owner}/${p.repo}`;
  const html = `${WEB}/${p.owner}/${p.repo}/pull/${p.number}`;
  const id = 500_000 + p.number;
  const branch = (ref: string, sha: string, fullName: string) => ({
    label: `${fullName.split("/")[0]}:${ref}`,
    ref,
    sha,
    user: simpleUser(api, state.account(fullName.split("/")[0] ?? "")),
    repo: repository(api, state, fullName),
  });
  return {
    url: `${repoApi}/pulls/${p.number}`,
    id,
    node_id: nodeId("011:PullRequest", id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi}/issues/${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: simpleUser(api, state.account(p.author)),
    body: null,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: p.updatedAt ?? "2026-01-01T00:00:00Z",
    closed_at: p.state === "closed" ? "2026-01-01T00:00:00Z" : null,
    merged_at: p.mergeCommitSha ? "2026-01-01T00:00:00Z" : null,
    merge_commit_sha: p.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    labels: [],
    milestone: null,
    draft: false,
    commits_url: `${repoApi}/pulls/${p.number}/commits`,
    review_comments_url: `${repoApi}/pulls/${p.number}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${p.number}/comments`,
    statuses_url: `${repoApi}/statuses/${p.headSha}`,
    head: branch(p.headRef, p.headSha, p.headRepo),
    base: branch(p.baseRef, "2222222222222222222222222222222222222222", `${p.owner}/${p.repo}`),
    _links: {
      self: { href: `${repoApi}/pulls/${p.number}` },
      html: { href: html },
      issue: { href: `${repoApi}/issues/${p.number}` },
      comments: { href: `${repoApi}/issues/${p.number}/comments` },
      review_comments: { href: `${repoApi}/pulls/${p.number}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${repoApi}/pulls/${p.number}/commits` },
      statuses: { href: `${repoApi}/statuses/${p.headSha}` },
    },
    author_association: "CONTRIBUTOR",
    auto_merge: null,
    active_lock_reason: null,
    merged: Boolean(p.mergeCommitSha),
    mergeable: true,
    rebaseable: true,
    mergeable_state: "clean",
    merged_by: null,
    comments: state.commentsOf(p.owner, p.repo, p.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

/** A commit as `GET /repos/{owner}/{repo}/commits/{ref}` and `compare` list it (no files). */
export function commitObject(api: string, owner: string, repo: string, c: StoredCommit) {
  const repoApi = `${api}/repos/${owner}/${repo}`;
  const html = `${WEB}/${owner}/${repo}/commit/${c.sha}`;
  const person = {
    name: "octo-developer",
    email: "octo-developer@users.noreply.github.com",
    date: "2026-01-01T00:00:00Z",
  };
  return {
    sha: c.sha,
    node_id: nodeId("04:Commit", Number.parseInt(c.sha.slice(0, 6), 16)),
    commit: {
      author: person,
      committer: person,
      message: c.message,
      tree: { sha: c.sha, url: `${repoApi}/git/trees/${c.sha}` },
      url: `${repoApi}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    url: `${repoApi}/commits/${c.sha}`,
    html_url: html,
    comments_url: `${repoApi}/commits/${c.sha}/comments`,
    author: null,
    committer: null,
    parents: c.parents.map((sha) => ({
      sha,
      url: `${repoApi}/commits/${sha}`,
      html_url: `${WEB}/${owner}/${repo}/commit/${sha}`,
    })),
  };
}
