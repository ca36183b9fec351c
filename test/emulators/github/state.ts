/**
 * Everything the emulated GitHub knows, in plain maps a test can seed and inspect.
 * Time is a logical clock (one second per write) so ordering by `created_at` is exact.
 */

import type { JobScopes } from "./scopes.js";

export type Permission = "admin" | "write" | "read";

export interface Account {
  login: string;
  id: number;
  type: "User" | "Bot";
}

/** What a token is: whose identity it carries and what it may do in every repository. */
export interface TokenGrant {
  account: Account;
  permission: Permission;
  /** Installation tokens (`ghs_`) cannot read `/user` and word their 403s differently. */
  installation: boolean;
  /** A workflow job's token: the `permissions:` it was granted (see scopes.ts). */
  scopes?: JobScopes;
}

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issue: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredPull {
  owner: string;
  repo: string;
  number: number;
  title: string;
  author: string;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** `owner/repo` of the head; differs from the base for a fork's PR. */
  headRepo: string;
  state: "open" | "closed";
  /** Set when merged: the commit the merge made on the base branch. */
  mergeCommitSha?: string;
  /** Its last activity (ISO 8601); default the emulator's fixed 2026-01-01. */
  updatedAt?: string;
}

export interface StoredRun {
  id: number;
  owner: string;
  repo: string;
  headSha: string;
  runAttempt: number;
  /** The workflow file, e.g. `.github/workflows/preview.yml`. */
  path: string;
  event: string;
  headBranch: string | null;
  /** `owner/repo` the head commit came from (a fork's for a fork's pull request). */
  headRepo: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  /** Who triggered it. */
  actor: string;
}

/** A commit of the emulated history: enough for `compare` and `commits/{ref}`. */
export interface StoredCommit {
  sha: string;
  parents: string[];
  message: string;
}

/** The workflow token's identity, as the real API reports it. */
export const GITHUB_ACTIONS_BOT: Account = {
  login: "github-actions[bot]",
  id: 41898282,
  type: "Bot",
};

/** A GitHub App's bot: what an installation token made with actions/create-github-app-token writes as. */
export const APP_BOT: Account = { login: "my-app[bot]", id: 2_000_001, type: "Bot" };

/** Tokens every emulator knows; `workflow` is the harness's default `${{ github.token }}`. */
export const TOKENS = {
  workflow: "ghs_testtoken0000000000000000000000000000",
  app: "ghs_myappinstallation00000000000000000000",
  readOnly: "ghs_readonly0000000000000000000000000000",
  pat: "ghp_maintainer000000000000000000000000000",
  nonAdmin: "ghp_developer0000000000000000000000000000",
} as const;

const EPOCH = Date.parse("2026-01-01T00:00:00Z");
const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

export class GitHubState {
  readonly accounts = new Map<string, Account>();
  readonly tokens = new Map<string, TokenGrant>();
  readonly comments = new Map<number, StoredComment>();
  readonly pulls = new Map<string, StoredPull>();
  /** `owner/repo` -> login -> permission. */
  readonly collaborators = new Map<string, Map<string, Permission>>();
  /** Workflow runs by id, for `GET /repos/{owner}/{repo}/actions/runs/{run_id}`. */
  readonly runs = new Map<number, StoredRun>();
  /** `owner/repo` -> sha -> commit: the history `compare` walks. */
  readonly commits = new Map<string, Map<string, StoredCommit>>();
  private readonly extensions = new Map<string, unknown>();
  private ids = 1_000_000;
  private ticks = 0;

  constructor() {
    this.addAccount(GITHUB_ACTIONS_BOT);
    const maintainer = this.addAccount({ login: "octo-maintainer", id: 1001, type: "User" });
    const developer = this.addAccount({ login: "octo-developer", id: 1002, type: "User" });
    this.addAccount({ login: "octo-contributor", id: 1003, type: "User" });
    this.addToken(TOKENS.workflow, {
      account: GITHUB_ACTIONS_BOT,
      permission: "write",
      installation: true,
    });
    this.addAccount(APP_BOT);
    this.addToken(TOKENS.app, { account: APP_BOT, permission: "write", installation: true });
    this.addToken(TOKENS.readOnly, {
      account: GITHUB_ACTIONS_BOT,
      permission: "read",
      installation: true,
    });
    this.addToken(TOKENS.pat, { account: maintainer, permission: "admin", installation: false });
    this.addToken(TOKENS.nonAdmin, {
      account: developer,
      permission: "write",
      installation: false,
    });
  }

  nextId(): number {
    return ++this.ids;
  }

  /** The emulator's clock: advances one second per call. */
  now(): string {
    return new Date(EPOCH + ++this.ticks * 1000).toISOString().replace(".000Z", "Z");
  }

  addAccount(account: Account): Account {
    this.accounts.set(account.login.toLowerCase(), account);
    return account;
  }

  account(login: string): Account {
    const found = this.accounts.get(login.toLowerCase());
    return (
      found ??
      this.addAccount({ login, id: this.nextId(), type: login.endsWith("[bot]") ? "Bot" : "User" })
    );
  }

  addToken(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant);
  }

  /** Per-route-module state (e.g. deployments) without widening this class. */
  extension<T>(name: string, create: () => T): T {
    if (!this.extensions.has(name)) this.extensions.set(name, create());
    return this.extensions.get(name) as T;
  }

  // Pull requests (issues exist only as pull requests here).

  addPull(
    owner: string,
    repo: string,
    number: number,
    fields: Partial<StoredPull> = {},
  ): StoredPull {
    const pull: StoredPull = {
      owner,
      repo,
      number,
      title: `Pull request ${number}`,
      author: "octo-contributor",
      headSha: "1111111111111111111111111111111111111111",
      headRef: `feature-${number}`,
      baseRef: "main",
      headRepo: `${owner}/${repo}`,
      state: "open",
      ...fields,
    };
    this.pulls.set(`${key(owner, repo)}#${number}`, pull);
    return pull;
  }

  pull(owner: string, repo: string, number: number): StoredPull | undefined {
    return this.pulls.get(`${key(owner, repo)}#${number}`);
  }

  // Issue comments.

  addComment(
    owner: string,
    repo: string,
    issue: number,
    body: string,
    author: string,
  ): StoredComment {
    const at = this.now();
    const comment = {
      id: this.nextId(),
      owner,
      repo,
      issue,
      body,
      author,
      createdAt: at,
      updatedAt: at,
    };
    this.comments.set(comment.id, comment);
    return comment;
  }

  /** Seeds `n` comments by `author` (default a user), creating the PR when missing. */
  seedComments(
    owner: string,
    repo: string,
    issue: number,
    n: number,
    options: { author?: string; body?: (i: number) => string } = {},
  ): StoredComment[] {
    if (!this.pull(owner, repo, issue)) this.addPull(owner, repo, issue);
    const author = options.author ?? "octo-contributor";
    this.account(author);
    return Array.from({ length: n }, (_, i) =>
      this.addComment(owner, repo, issue, options.body?.(i) ?? `Comment ${i + 1}`, author),
    );
  }

  /** The comments of one issue, oldest first (the order the API lists them in). */
  commentsOf(owner: string, repo: string, issue: number): StoredComment[] {
    return [...this.comments.values()]
      .filter((c) => key(c.owner, c.repo) === key(owner, repo) && c.issue === issue)
      .sort((a, b) => a.id - b.id);
  }

  // Workflow runs.

  addRun(
    owner: string,
    repo: string,
    id: number,
    headSha: string,
    runAttempt = 1,
    fields: Partial<Omit<StoredRun, "id" | "owner" | "repo" | "headSha" | "runAttempt">> = {},
  ): StoredRun {
    const run: StoredRun = {
      id,
      owner,
      repo,
      headSha,
      runAttempt,
      path: ".github/workflows/preview.yml",
      event: "pull_request",
      headBranch: null,
      headRepo: `${owner}/${repo}`,
      status: "completed",
      conclusion: "success",
      actor: "octo-developer",
      ...fields,
    };
    this.runs.set(id, run);
    return run;
  }

  // Commits.

  addCommit(owner: string, repo: string, sha: string, parents: string[], message = sha): void {
    const map = this.commits.get(key(owner, repo)) ?? new Map<string, StoredCommit>();
    map.set(sha.toLowerCase(), { sha: sha.toLowerCase(), parents, message });
    this.commits.set(key(owner, repo), map);
  }

  commit(owner: string, repo: string, sha: string): StoredCommit | undefined {
    return this.commits.get(key(owner, repo))?.get(sha.toLowerCase());
  }

  /** `sha` and every commit it descends from, nearest first (breadth-first). */
  ancestry(owner: string, repo: string, sha: string): string[] {
    const seen = new Set<string>();
    const queue = [sha.toLowerCase()];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commit(owner, repo, next)?.parents ?? []));
    }
    return [...seen];
  }

  // Collaborators.

  setPermission(owner: string, repo: string, login: string, permission: Permission): void {
    this.account(login);
    const repoKey = key(owner, repo);
    const map = this.collaborators.get(repoKey) ?? new Map<string, Permission>();
    map.set(login.toLowerCase(), permission);
    this.collaborators.set(repoKey, map);
  }

  permissionOf(owner: string, repo: string, login: string): Permission | "none" {
    return this.collaborators.get(key(owner, repo))?.get(login.toLowerCase()) ?? "none";
  }
}
