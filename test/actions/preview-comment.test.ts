/**
 * The preview-comment bundle run as the runner runs it, against the GitHub emulator.
 * Each test uses its own pull request, so the emulator's state is shared but not mixed.
 */
import { writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatMarker } from "../../actions/preview-comment/marker.js";
import { leakedSecrets, runAction } from "../harness/run-action.js";
import type { RunOptions } from "../harness/run-action.js";
import {
  APP_BOT,
  createGitHubEmulator,
  GITHUB_ACTIONS_BOT,
  TOKENS,
} from "../emulators/github/server.js";
import type { GitHubEmulator } from "../emulators/github/server.js";

const OWNER = "octo-org";
const REPO = "octo-repo";
const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const ROUTES = {
  /** The listing, with the token's identity (`viewer`), is one GraphQL query a page. */
  list: "POST /graphql",
  create: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  update: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  remove: "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
  user: "GET /user",
};

let gh: GitHubEmulator;
beforeAll(async () => {
  gh = await createGitHubEmulator();
});
afterAll(() => gh.close());
beforeEach(() => {
  gh.requests.reset();
  gh.faults.clear();
});

let nextPr = 100;
/** A fresh pull request for one test. */
function newPr(fields: { headRepo?: string } = {}): number {
  const number = nextPr++;
  gh.state.addPull(OWNER, REPO, number, { headSha: SHA_A, ...fields });
  return number;
}

function prEvent(number: number, sha = SHA_A, headRepo = `${OWNER}/${REPO}`) {
  return {
    pull_request: {
      number,
      head: { sha, repo: { full_name: headRepo } },
      base: { repo: { full_name: `${OWNER}/${REPO}` } },
    },
  };
}

function comment(
  pr: number,
  inputs: Record<string, string>,
  options: RunOptions & { sha?: string } = {},
) {
  return runAction("preview-comment", {
    eventName: "pull_request",
    event: prEvent(pr, options.sha),
    ...options,
    inputs,
    env: { GITHUB_API_URL: gh.url, ...options.env },
  });
}

const commentsOn = (pr: number) => gh.state.commentsOf(OWNER, REPO, pr);
const botMarker = (key: string, runId: number, sha = SHA_A) =>
  formatMarker({ key, sha, runId, runAttempt: 1 });

describe("preview-comment", () => {
  it("creates, then updates, then leaves an unchanged comment alone", async () => {
    const pr = newPr();
    const first = await comment(pr, { status: "deploying" });
    expect(first.exitCode).toBe(0);
    expect(first.outputs.result).toBe("created");
    expect(commentsOn(pr)).toHaveLength(1);
    const [created] = commentsOn(pr);
    expect(created?.author).toBe(GITHUB_ACTIONS_BOT.login);
    expect(first.outputs["comment-id"]).toBe(String(created?.id));
    expect(first.outputs["comment-url"]).toContain(`#issuecomment-${created?.id}`);

    const inputs = {
      status: "ready",
      urls: "web=https://pr-1.example.com",
      images: `web=ghcr.io/acme/web@${DIGEST}`,
    };
    const second = await comment(pr, inputs);
    expect(second.outputs.result).toBe("updated");
    expect(commentsOn(pr)).toHaveLength(1);
    expect(commentsOn(pr)[0]?.body).toContain("Ready");
    expect(commentsOn(pr)[0]?.body).toContain(DIGEST);

    gh.requests.reset();
    const third = await comment(pr, inputs);
    expect(third.outputs.result).toBe("unchanged");
    expect(third.outputs["comment-id"]).toBe(String(created?.id));
    expect(gh.requests.count(ROUTES.update)).toBe(0);
    expect(gh.requests.count()).toBe(1);
    expect(third.summary).toContain("unchanged");
  });

  it("goes through HTTP_PROXY as the runner's tools do, and straight to a host NO_PROXY exempts (CIDR forms too)", async () => {
    const seen: string[] = [];
    // A forward proxy: absolute-form request lines, passed on to the emulator.
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const upstream = request(req.url ?? "", { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const pr = newPr();
      const through = await comment(pr, { status: "deploying" }, { env: { HTTP_PROXY: proxyUrl } });
      expect(through.exitCode).toBe(0);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((line) => line.includes(gh.url))).toBe(true);

      seen.length = 0;
      const exempt = await comment(
        pr,
        { status: "ready" },
        { env: { HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" } },
      );
      expect(exempt.outputs.result).toBe("updated");
      expect(seen).toEqual([]);

      // #23 item 11: NO_PROXY's CIDR form, as curl and kubectl read it (Node's own does not).
      const byCidr = await comment(
        pr,
        { status: "deploying" },
        { env: { HTTP_PROXY: proxyUrl, NO_PROXY: "10.0.0.0/8, 127.0.0.0/8" } },
      );
      expect(byCidr.outputs.result).toBe("updated");
      expect(seen).toEqual([]);
      const otherNetwork = await comment(
        pr,
        { status: "ready" },
        { env: { HTTP_PROXY: proxyUrl, NO_PROXY: "10.0.0.0/8,::1/128" } },
      );
      expect(otherNetwork.outputs.result).toBe("updated");
      expect(seen.length).toBeGreaterThan(0);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("keeps one comment per key", async () => {
    const pr = newPr();
    await comment(pr, { status: "ready", key: "web-stack" });
    await comment(pr, { status: "failed", key: "api-stack" });
    const again = await comment(pr, { status: "ready", key: "api-stack" });
    expect(again.outputs.result).toBe("updated");
    const bodies = commentsOn(pr).map((c) => c.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('key="web-stack"');
    expect(bodies[1]).toContain('key="api-stack"');
  });

  it("upserts on a PR with 250 comments in at most 4 requests, even when ours is the oldest", async () => {
    const pr = newPr();
    const ours = gh.state.addComment(
      OWNER,
      REPO,
      pr,
      `${botMarker("preview", 4000)}\nold`,
      GITHUB_ACTIONS_BOT.login,
    );
    gh.state.seedComments(OWNER, REPO, pr, 249, { author: "octo-contributor" });
    gh.requests.reset();
    const run = await comment(pr, { status: "ready" });
    expect(run.outputs).toMatchObject({ result: "updated", "comment-id": String(ours.id) });
    expect(gh.requests.count(ROUTES.list)).toBe(3);
    expect(gh.requests.count(ROUTES.update)).toBe(1);
    expect(gh.requests.count()).toBeLessThanOrEqual(4);
  });

  it("cuts 70,000 characters of details to fit 65,536 and puts the whole text in the job summary", async () => {
    const pr = newPr();
    const line = "~ kubernetes:apps/v1:Deployment web update [diff: ~spec]"; // 56 characters
    const lines = Array.from({ length: 1250 }, (_, i) => `${line} ${String(i).padStart(4, "0")}`);
    const text = ["```diff", ...lines, "```", "LAST-LINE-OF-THE-PLAN"].join("\n");
    expect(text.length).toBeGreaterThan(70_000);
    const run = await comment(
      pr,
      { status: "ready", "details-file": "plan.md" },
      {
        cwd: await tempDirWith("plan.md", text),
      },
    );
    expect(run.exitCode).toBe(0);
    const body = commentsOn(pr)[0]?.body ?? "";
    expect([...body].length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("Details cut to fit GitHub's 65,536-character limit");
    expect(body).toContain("https://github.com/octo-org/octo-repo/actions/runs/4242");
    expect(body).not.toContain("LAST-LINE-OF-THE-PLAN");
    expect(body.match(/^```/gm)?.length ?? 0).toBeGreaterThan(0);
    expect((body.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
    expect(run.summary).toContain("LAST-LINE-OF-THE-PLAN");
    expect(run.summary).toContain(lines.at(-1));
  });

  it("never lets a run for an older commit overwrite a newer run's comment", async () => {
    const pr = newPr();
    const newer = await comment(
      pr,
      { status: "ready" },
      { sha: SHA_B, env: { GITHUB_RUN_ID: "5001" } },
    );
    expect(newer.outputs.result).toBe("created");
    gh.state.addRun(OWNER, REPO, 5001, SHA_B);
    gh.requests.reset();
    const older = await comment(
      pr,
      { status: "failed" },
      { sha: SHA_A, env: { GITHUB_RUN_ID: "5000", GITHUB_RUN_ATTEMPT: "3" } },
    );
    expect(older.exitCode).toBe(0);
    expect(older.outputs.result).toBe("skipped");
    expect(older.log).toContain("run 5001 (attempt 1, commit bbbb");
    expect(gh.requests.count(ROUTES.update)).toBe(0);
    expect(commentsOn(pr)[0]?.body).toContain(`sha="${SHA_B}"`);
    // A re-run of the newer run (same id, next attempt) may update it.
    const rerun = await comment(
      pr,
      { status: "failed" },
      { sha: SHA_B, env: { GITHUB_RUN_ID: "5001", GITHUB_RUN_ATTEMPT: "2" } },
    );
    expect(rerun.outputs.result).toBe("updated");
  });

  it("succeeds with a warning and the job summary on a fork's read-only token", async () => {
    const pr = newPr({ headRepo: "forker/octo-repo" });
    const run = await comment(
      pr,
      { status: "ready", "github-token": TOKENS.readOnly, urls: "web=https://pr.example.com" },
      {
        event: prEvent(pr, SHA_A, "forker/octo-repo"),
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("skipped");
    expect(run.outputs["comment-id"]).toBeUndefined();
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: "warning", message: expect.stringContaining("read-only") }),
    ]);
    expect(run.summary).toContain("https://pr.example.com");
    expect(commentsOn(pr)).toHaveLength(0);
  });

  it("retries a secondary rate limit (retry-after) and a 502, then succeeds", async () => {
    const pr = newPr();
    gh.faults.inject("bad-gateway", { route: ROUTES.list });
    gh.faults.inject("secondary-rate-limit", { route: ROUTES.create, retryAfter: 1 });
    const run = await comment(pr, { status: "ready" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("created");
    expect(gh.requests.all().map((r) => [r.route, r.status])).toEqual([
      [ROUTES.list, 502],
      [ROUTES.list, 200],
      [ROUTES.create, 403],
      [ROUTES.create, 201],
      // After a create, the listing again: a racing run may have created one too.
      [ROUTES.list, 200],
    ]);
    expect(commentsOn(pr)).toHaveLength(1);
  });

  it("rejects a truncated digest before any API call", async () => {
    const pr = newPr();
    const run = await comment(pr, {
      status: "ready",
      images: "web=ghcr.io/acme/web@sha256:0123456789ab",
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Input 'images' line 1 ('web') must be NAME=REGISTRY/REPOSITORY@sha256:<64 lowercase hex>",
    ]);
    expect(run.outputs).toEqual({});
    expect(run.summary).toBe("");
    expect(gh.requests.count()).toBe(0);
  });

  it("never touches a user's comment that quotes the marker", async () => {
    const pr = newPr();
    const quoted = `${botMarker("preview", 9999)}\nI copied the bot's comment`;
    const user = gh.state.addComment(OWNER, REPO, pr, quoted, "octo-contributor");
    const run = await comment(pr, { status: "ready" });
    expect(run.outputs.result).toBe("created");
    expect(gh.state.comments.get(user.id)).toMatchObject({
      body: quoted,
      updatedAt: user.updatedAt,
    });
    expect(commentsOn(pr)).toHaveLength(2);
  });

  it("cleans up duplicates left by races, keeping the oldest", async () => {
    const pr = newPr();
    const [oldest, ...duplicates] = [1, 2, 3].map((i) =>
      gh.state.addComment(
        OWNER,
        REPO,
        pr,
        `${botMarker("preview", 4000 + i)}\ncopy ${i}`,
        GITHUB_ACTIONS_BOT.login,
      ),
    );
    const run = await comment(pr, { status: "ready" }, { env: { GITHUB_RUN_ID: "6000" } });
    expect(run.outputs).toMatchObject({ result: "updated", "comment-id": String(oldest?.id) });
    expect(commentsOn(pr).map((c) => c.id)).toEqual([oldest?.id]);
    expect(gh.requests.count(ROUTES.remove)).toBe(duplicates.length);
  });

  it("recreate posts a new comment at the bottom and deletes the old one", async () => {
    const pr = newPr();
    const old = gh.state.addComment(
      OWNER,
      REPO,
      pr,
      `${botMarker("preview", 4000)}\nold`,
      GITHUB_ACTIONS_BOT.login,
    );
    gh.state.seedComments(OWNER, REPO, pr, 2);
    const run = await comment(pr, { status: "ready", mode: "recreate" });
    expect(run.outputs.result).toBe("created");
    const after = commentsOn(pr);
    expect(after.map((c) => c.id)).not.toContain(old.id);
    expect(after.at(-1)?.id).toBe(Number(run.outputs["comment-id"]));
    expect(after.at(-1)?.body).toContain("Ready");
  });

  it("delete removes this key's comment only, and is idempotent", async () => {
    const pr = newPr();
    await comment(pr, { status: "ready", key: "keep" });
    await comment(pr, { status: "ready", key: "gone" });
    const run = await comment(pr, { mode: "delete", key: "gone" });
    expect(run.outputs).toEqual({ result: "deleted" });
    expect(commentsOn(pr).map((c) => c.body)).toEqual([expect.stringContaining('key="keep"')]);
    const again = await comment(pr, { mode: "delete", key: "gone" });
    expect(again.outputs).toEqual({ result: "unchanged" });
  });

  it("with a personal token, owns the comments of the token's user (GraphQL viewer) and not the bot's", async () => {
    const pr = newPr();
    const bots = gh.state.addComment(
      OWNER,
      REPO,
      pr,
      `${botMarker("preview", 1)}\nbot`,
      GITHUB_ACTIONS_BOT.login,
    );
    const run = await comment(pr, { status: "ready", "github-token": TOKENS.pat });
    expect(run.outputs.result).toBe("created");
    expect(gh.requests.count(ROUTES.user)).toBe(0);
    expect(run.masks).toContain(TOKENS.pat);
    expect(leakedSecrets(run, [TOKENS.pat])).toEqual([]);
    expect(commentsOn(pr).at(-1)?.author).toBe("octo-maintainer");
    expect(gh.state.comments.get(bots.id)?.body).toContain("\nbot");
    const again = await comment(pr, { status: "failed", "github-token": TOKENS.pat });
    expect(again.outputs.result).toBe("updated");
    expect(commentsOn(pr)).toHaveLength(2);
  });

  it("neutralises mentions and HTML in the details, outside code blocks", async () => {
    const pr = newPr();
    const details =
      "Ping @octo-maintainer <img src=x onerror=alert(1)></details>\n```\n@kept <b>as code</b>\n```";
    const run = await comment(
      pr,
      { status: "ready", "details-file": "d.md" },
      { cwd: await tempDirWith("d.md", details) },
    );
    expect(run.exitCode).toBe(0);
    const body = commentsOn(pr)[0]?.body ?? "";
    expect(body).toContain(
      "Ping @\u200bocto-maintainer &lt;img src=x onerror=alert(1)&gt;&lt;/details&gt;",
    );
    expect(body).toContain("\n@kept <b>as code</b>\n");
    expect(body.match(/<\/details>/g)).toHaveLength(1);
  });

  it("fails in one line on a bad token and on a missing pull request number", async () => {
    const pr = newPr();
    const bad = await comment(pr, { status: "ready", "github-token": "ghp_not_a_real_token" });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.map((a) => a.message)).toEqual([
      "Could not list the comments of pull request #" +
        pr +
        ": HTTP 401: Bad credentials - https://docs.github.com/rest (the token is invalid or expired)",
    ]);
    const noPr = await runAction("preview-comment", {
      inputs: { status: "ready" },
      env: { GITHUB_API_URL: gh.url },
    });
    expect(noPr.annotations.map((a) => a.message)).toEqual([
      "Input 'pr-number' is required when the event is not about a pull request",
    ]);
  });
});

describe("preview-comment: identities, lost answers, races and forged markers", () => {
  it("a GitHub App's installation token owns its own comments: upsert updates, delete deletes", async () => {
    const pr = newPr();
    // The workflow token's comment with the same key belongs to github-actions[bot], not the app.
    const workflows = gh.state.addComment(
      OWNER,
      REPO,
      pr,
      `${botMarker("preview", 1)}\nby the workflow token`,
      GITHUB_ACTIONS_BOT.login,
    );
    const app = { "github-token": TOKENS.app };
    const first = await comment(pr, { status: "deploying", ...app });
    expect(first.outputs.result).toBe("created");
    expect(commentsOn(pr).at(-1)?.author).toBe(APP_BOT.login);
    const second = await comment(pr, { status: "ready", ...app });
    expect(second.outputs).toMatchObject({
      result: "updated",
      "comment-id": first.outputs["comment-id"],
    });
    expect(commentsOn(pr)).toHaveLength(2);
    const removed = await comment(pr, { mode: "delete", ...app });
    expect(removed.outputs.result).toBe("deleted");
    expect(commentsOn(pr).map((c) => c.id)).toEqual([workflows.id]);
    expect(gh.state.comments.get(workflows.id)?.body).toContain("by the workflow token");
  });

  it.each(["bad-gateway", "reset"] as const)(
    "a comment POST whose answer is lost after GitHub wrote it (%s) is not sent again",
    async (kind) => {
      const pr = newPr();
      gh.faults.inject(kind, { route: ROUTES.create, afterHandling: true });
      const run = await comment(pr, { status: "ready" });
      expect(run.exitCode).toBe(0);
      expect(commentsOn(pr)).toHaveLength(1);
      expect(run.outputs).toMatchObject({
        result: "created",
        "comment-id": String(commentsOn(pr)[0]?.id),
      });
      expect(gh.requests.count(ROUTES.create)).toBe(1);
    },
  );

  it("a comment POST that failed before GitHub wrote it is sent again once the listing shows no comment", async () => {
    const pr = newPr();
    gh.faults.inject("bad-gateway", { route: ROUTES.create });
    const run = await comment(pr, { status: "ready" });
    expect(run.exitCode).toBe(0);
    expect(gh.requests.all().map((r) => [r.route, r.status])).toEqual([
      [ROUTES.list, 200],
      [ROUTES.create, 502],
      [ROUTES.list, 200],
      [ROUTES.create, 201],
      [ROUTES.list, 200],
    ]);
    expect(commentsOn(pr)).toHaveLength(1);
  });

  it("tries a 401 or a missing pull request once: trying again cannot help", async () => {
    const pr = newPr();
    const bad = await comment(pr, { status: "ready", "github-token": "ghp_not_a_real_token" });
    expect(bad.exitCode).toBe(1);
    expect(gh.requests.count()).toBe(1);
    gh.requests.reset();
    const missing = await comment(pr, { status: "ready", "pr-number": "99999" });
    expect(missing.annotations.map((a) => a.message)).toEqual([
      "Pull request #99999 was not found in octo-org/octo-repo",
    ]);
    expect(gh.requests.count()).toBe(1);
  });

  it("racing runs leave one comment, and both comment-id outputs name it", async () => {
    const pr = newPr();
    gh.holdUntil(ROUTES.create, 2);
    const [a, b] = await Promise.all(
      ["7001", "7002"].map((id) =>
        comment(pr, { status: "ready" }, { env: { GITHUB_RUN_ID: id } }),
      ),
    );
    expect(gh.requests.count(ROUTES.create)).toBe(2);
    const left = commentsOn(pr);
    expect(left).toHaveLength(1);
    expect(a?.outputs["comment-id"]).toBe(String(left[0]?.id));
    expect(b?.outputs["comment-id"]).toBe(String(left[0]?.id));
    // The newer run's body is the one kept.
    expect(left[0]?.body).toContain('run="7002"');
  });

  it("a marker claiming a run this repository never had does not freeze the comment", async () => {
    const pr = newPr();
    const forged = gh.state.addComment(
      OWNER,
      REPO,
      pr,
      `${botMarker("preview", 99_999_999_999)}\nfrom another workflow`,
      GITHUB_ACTIONS_BOT.login,
    );
    const run = await comment(pr, { status: "ready" });
    expect(run.outputs).toMatchObject({ result: "updated", "comment-id": String(forged.id) });
    expect(run.log).toContain("which this repository has no record of");
    expect(gh.state.comments.get(forged.id)?.body).toContain('run="4242"');
  });
});

describe("#23 item 9: bidi controls, a summary over the runner's 1 MiB", () => {
  it("removes bidirectional override and isolate characters from the comment and the summary", async () => {
    const pr = newPr();
    const text = "access = \u202e\u2066 // admin only \u2069\u2066 if (isAdmin)\u2069 \u200f";
    const run = await comment(
      pr,
      { status: "ready", "details-file": "plan.md" },
      { cwd: await tempDirWith("plan.md", text) },
    );
    expect(run.exitCode, run.log).toBe(0);
    const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
    expect(commentsOn(pr)[0]?.body).toContain("// admin only");
    expect(commentsOn(pr)[0]?.body).not.toMatch(bidi);
    expect(run.summary).not.toMatch(bidi);
  });

  it("details over 1 MiB: the summary keeps under the limit, the comment says the full text is in the log", async () => {
    const pr = newPr();
    const line = "~ kubernetes:apps/v1:Deployment web update [diff: ~spec] ".padEnd(100, "x");
    const text = [...Array.from({ length: 12_000 }, () => line), "LAST-LINE-OF-THE-PLAN"].join(
      "\n",
    );
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const run = await comment(
      pr,
      { status: "ready", "details-file": "plan.md" },
      { cwd: await tempDirWith("plan.md", text) },
    );
    expect(run.exitCode, run.log.slice(0, 2000)).toBe(0);
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1024 * 1024);
    const body = commentsOn(pr)[0]?.body ?? "";
    expect(body).toContain(
      "the full text is over the job summary's 1 MiB limit, so it is in the [step's log]",
    );
    expect(run.summary).toContain("over the job summary's 1 MiB limit");
    expect(run.log).toContain("LAST-LINE-OF-THE-PLAN");
  });
});

async function tempDirWith(name: string, content: string): Promise<string> {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "preview-comment-"));
  writeFileSync(join(dir, name), content);
  return dir;
}
