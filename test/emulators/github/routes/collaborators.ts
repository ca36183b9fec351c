/** `GET /repos/{owner}/{repo}/collaborators/{username}/permission`, e.g. for approval gates. */
import { simpleUser } from "../objects.js";
import { notFound, ok } from "../router.js";
import type { RouteRegistry } from "../server.js";

export function registerCollaboratorRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/collaborators/{username}/permission", "read", (request) => {
    const { owner = "", repo = "", username = "" } = request.params;
    const account = request.state.accounts.get(username.toLowerCase());
    if (!account) return notFound();
    const permission = request.state.permissionOf(owner, repo, account.login);
    const roleName = { admin: "admin", write: "write", read: "read", none: "none" }[permission];
    return ok({
      permission,
      role_name: roleName,
      user: {
        ...simpleUser(request.baseUrl, account),
        permissions: {
          admin: permission === "admin",
          maintain: permission === "admin",
          push: permission === "admin" || permission === "write",
          triage: permission !== "none",
          pull: permission !== "none",
        },
        role_name: roleName,
      },
    });
  });
}
