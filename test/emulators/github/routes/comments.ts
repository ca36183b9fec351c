/** Issue comments: list (paginated like GitHub), get, create, update, delete. */
import { issueComment } from "../objects.js";
import { HttpError, created, noContent, notFound, ok, validationFailed } from "../router.js";
import type { Reply, RouteRequest } from "../router.js";
import type { RouteRegistry } from "../server.js";
import type { StoredComment } from "../state.js";

/** GitHub's limit on a comment body, in characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** `Link` as GitHub writes it: prev, next, last, first, each only when it applies. */
export function linkHeader(
  url: URL,
  baseUrl: string,
  page: number,
  lastPage: number,
): string | undefined {
  const link = (n: number, rel: string) => {
    const target = new URL(url.pathname + url.search, baseUrl);
    target.searchParams.set("page", String(n));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(Math.min(page - 1, lastPage), "prev"));
  if (page < lastPage) parts.push(link(page + 1, "next"), link(lastPage, "last"));
  if (page > 1) parts.push(link(1, "first"));
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/** `per_page` (default 30, at most 100) and `page` (from 1), as GitHub reads them. */
export function paginate<T>(request: RouteRequest, items: readonly T[]): Reply {
  const perPage = Math.min(Math.max(Number(request.query.get("per_page")) || 30, 1), 100);
  const page = Math.max(Number(request.query.get("page")) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const link = linkHeader(request.url, request.baseUrl, page, lastPage);
  return ok(items.slice((page - 1) * perPage, page * perPage), link ? { link } : undefined);
}

function validBody(body: unknown): string {
  const text = (body as { body?: unknown } | undefined)?.body;
  if (typeof text !== "string" || text.length === 0) {
    throw new HttpError(
      422,
      'Invalid request.\n\nNo subschema in "anyOf" matched.\n"body" wasn\'t supplied.',
    );
  }
  if ([...text].length > MAX_COMMENT_LENGTH) {
    validationFailed(
      "IssueComment",
      "body",
      `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`,
    );
  }
  return text;
}

function commentOf(request: RouteRequest): StoredComment {
  const { owner = "", repo = "", comment_id } = request.params;
  const comment = request.state.comments.get(Number(comment_id));
  if (
    !comment ||
    comment.owner.toLowerCase() !== owner.toLowerCase() ||
    comment.repo.toLowerCase() !== repo.toLowerCase()
  ) {
    return notFound();
  }
  return comment;
}

export function registerCommentRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", "read", (request) => {
    const { owner = "", repo = "", issue_number } = request.params;
    const issue = Number(issue_number);
    if (!request.state.pull(owner, repo, issue)) notFound();
    const since = request.query.get("since");
    const comments = request.state
      .commentsOf(owner, repo, issue)
      .filter((c) => !since || c.updatedAt >= since)
      .map((c) => issueComment(request.baseUrl, request.state, c));
    return paginate(request, comments);
  });

  route("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", "read", (request) =>
    ok(issueComment(request.baseUrl, request.state, commentOf(request))),
  );

  route("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", "write", (request) => {
    const { owner = "", repo = "", issue_number } = request.params;
    const issue = Number(issue_number);
    if (!request.state.pull(owner, repo, issue)) notFound();
    const comment = request.state.addComment(
      owner,
      repo,
      issue,
      validBody(request.body),
      request.grant.account.login,
    );
    return created(issueComment(request.baseUrl, request.state, comment));
  });

  route("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", "write", (request) => {
    const comment = commentOf(request);
    comment.body = validBody(request.body);
    comment.updatedAt = request.state.now();
    return ok(issueComment(request.baseUrl, request.state, comment));
  });

  route("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", "write", (request) => {
    request.state.comments.delete(commentOf(request).id);
    return noContent();
  });
}
