/**
 * `GET /user` and `GET /users/{username}`. An installation token (the workflow's
 * `ghs_` token) has no user: GitHub answers `/user` with 403 "Resource not accessible
 * by integration", and its comments are written by `github-actions[bot]`.
 */
import { privateUser, simpleUser } from "../objects.js";
import { HttpError, notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";

export function registerUserRoutes({ route }: RouteRegistry): void {
  route("GET /user", "authenticated", (request) => {
    if (request.grant.installation)
      throw new HttpError(403, "Resource not accessible by integration");
    return ok(privateUser(request.baseUrl, request.grant.account));
  });

  route("GET /users/{username}", "authenticated", (request) => {
    const account = request.state.accounts.get((request.params.username ?? "").toLowerCase());
    return account ? ok(simpleUser(request.baseUrl, account)) : notFound();
  });
}
