/**
 * Releases (https://docs.github.com/rest/releases/releases), the two calls `gh release view`
 * and `gh release create --verify-tag` make: `GET /repos/{owner}/{repo}/releases/tags/{tag}`
 * (404 when there is none) and `POST /repos/{owner}/{repo}/releases` (`tag_name` required; 422
 * "already_exists" for a tag that has a release). The emulator holds no git objects, so it
 * takes the tag as given (gh's --verify-tag checks it against the repository's refs; the
 * release test's git origin holds them). Tests read them through `releaseStore(gh.state)`.
 */
import { created, notFound, ok, validationFailed } from "../router.js";
import type { RouteRegistry } from "../server.js";
import type { GitHubState } from "../state.js";

export interface StoredRelease {
  id: number;
  owner: string;
  repo: string;
  tagName: string;
  name: string;
  body: string;
}

export class ReleaseStore {
  readonly releases: StoredRelease[] = [];
  of(owner: string, repo: string, tag: string): StoredRelease | undefined {
    const key = `${owner}/${repo}`.toLowerCase();
    return this.releases.find(
      (r) => `${r.owner}/${r.repo}`.toLowerCase() === key && r.tagName === tag,
    );
  }
}

export function releaseStore(state: GitHubState): ReleaseStore {
  return state.extension("releases", () => new ReleaseStore());
}

const shape = (release: StoredRelease) => ({
  id: release.id,
  tag_name: release.tagName,
  name: release.name,
  body: release.body,
  draft: false,
  prerelease: false,
});

export function registerReleaseRoutes({ route }: RouteRegistry): void {
  route("GET /repos/{owner}/{repo}/releases/tags/{tag}", "read", (request) => {
    const { owner = "", repo = "", tag = "" } = request.params;
    const found = releaseStore(request.state).of(owner, repo, tag);
    return found ? ok(shape(found)) : notFound();
  });

  route("POST /repos/{owner}/{repo}/releases", "write", (request) => {
    const { owner = "", repo = "" } = request.params;
    const body = (request.body ?? {}) as { tag_name?: unknown; name?: unknown; body?: unknown };
    if (typeof body.tag_name !== "string" || body.tag_name === "")
      validationFailed("Release", "tag_name", "missing_field");
    const store = releaseStore(request.state);
    const tagName = body.tag_name as string;
    if (store.of(owner, repo, tagName)) validationFailed("Release", "tag_name", "already_exists");
    const release: StoredRelease = {
      id: request.state.nextId(),
      owner,
      repo,
      tagName,
      name: typeof body.name === "string" ? body.name : tagName,
      body: typeof body.body === "string" ? body.body : "",
    };
    store.releases.push(release);
    return created(shape(release));
  });
}
