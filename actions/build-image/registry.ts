/**
 * Reads a tag's manifest digest from the registry itself (the `Docker-Content-Digest` of a
 * manifest request), answering the registry's Basic or Bearer-token challenge as Docker
 * does, so the digest an action outputs is the one a pull by digest will find.
 */
import { createHash } from "node:crypto";
import { ActionError } from "../shared/errors.js";
import { boundedFetch } from "../shared/http.js";
import { isTransientStatus, retry } from "../shared/retry.js";
import { DIGEST_PATTERN } from "../shared/schemas.js";
import type { RepositoryLocation } from "./reference.js";

/** Without these a registry may answer with a converted schema-1 manifest and another digest. */
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"`. */
export function parseChallenge(header: string): Challenge {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  const rest = space < 0 ? "" : header.slice(space + 1);
  for (const match of rest.matchAll(/([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(match[1] as string).toLowerCase()] = (match[2] ?? match[3] ?? "").replace(
      /\\(.)/g,
      "$1",
    );
  }
  return { scheme, params };
}

function basic({ username, password }: Credentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Default Node's own http(s) (boundedFetch); tests bring their own. */
type Fetch = typeof fetch | undefined;

async function bearerToken(
  challenge: Challenge,
  location: RepositoryLocation,
  credentials: Credentials | undefined,
  fetchFn: Fetch,
): Promise<string> {
  const realm = challenge.params.realm;
  if (!realm) {
    throw new ActionError(
      `${location.host} asked for a bearer token without saying where to get one`,
      { title: "Registry authentication failed" },
    );
  }
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  url.searchParams.set("scope", challenge.params.scope ?? `repository:${location.path}:pull`);
  const response = await send(
    fetchFn,
    url,
    { headers: credentials ? { authorization: basic(credentials) } : {} },
    location.host,
  );
  if (!response.ok) {
    throw new ActionError(
      `${location.host} refused a pull token for ${location.path}: HTTP ${response.status}` +
        (credentials ? " (check username and password)" : " (give username and password)"),
      { title: "Registry authentication failed" },
    );
  }
  // A body that is not JSON holds no token either, and is reported as such.
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    access_token?: string;
  };
  const token = body.token ?? body.access_token;
  if (!token) {
    throw new ActionError(`${location.host}'s token endpoint returned no token`, {
      title: "Registry authentication failed",
    });
  }
  return `Bearer ${token}`;
}

/** One registry request, tried again on 429, 5xx and dropped connections. */
async function send(fetchFn: Fetch, url: string | URL, init: RequestInit, host: string) {
  try {
    return await retry(() => boundedFetch(url, { ...init, fetchFn }), {
      tries: 3,
      waitMs: (failures) => 500 * 2 ** (failures - 1),
      retryResult: (response) => isTransientStatus(response.status),
      retryError: () => true,
    });
  } catch (error) {
    // fetch says only "fetch failed" and gives the reason (ECONNREFUSED, ENOTFOUND, ...) as
    // its cause; Node's http(s) gives it on the error itself.
    type Failure = { code?: unknown; message?: unknown };
    const failure = error as Failure & { cause?: Failure };
    const cause = failure.cause ?? failure;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ActionError(`Could not reach the registry ${host}: ${String(reason)}`, {
      title: "Registry unreachable",
      cause: error,
    });
  }
}

export interface ManifestDigestOptions {
  credentials?: Credentials;
  fetchFn?: Fetch;
}

/** The digest the registry serves for `tag`; fails unless it is `sha256:` + 64 lowercase hex. */
export async function manifestDigest(
  location: RepositoryLocation,
  tag: string,
  options: ManifestDigestOptions = {},
): Promise<string> {
  const { credentials, fetchFn } = options;
  const url = `${location.apiBase}/v2/${location.path}/manifests/${encodeURIComponent(tag)}`;
  let authorization: string | undefined;
  const request = (method: "HEAD" | "GET") =>
    send(
      fetchFn,
      url,
      { method, headers: { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) } },
      location.host,
    );

  let response = await request("HEAD");
  if (response.status === 401) {
    const challenge = parseChallenge(response.headers.get("www-authenticate") ?? "");
    if (challenge.scheme === "bearer") {
      authorization = await bearerToken(challenge, location, credentials, fetchFn);
    } else if (challenge.scheme === "basic" && credentials) {
      authorization = basic(credentials);
    } else {
      throw new ActionError(
        `${location.host} needs credentials to read ${location.path}: give username and password`,
        {
          title: "Registry authentication failed",
        },
      );
    }
    response = await request("HEAD");
  }
  if (!response.ok) {
    throw new ActionError(
      `${location.host} answered HTTP ${response.status} for ${location.path}:${tag}`,
      {
        title: "Could not read the pushed digest",
      },
    );
  }
  let digest = response.headers.get("docker-content-digest") ?? undefined;
  if (!digest) {
    // Some registries leave the header off HEAD: the digest is by definition the body's hash.
    const get = await request("GET");
    const body = Buffer.from(await get.arrayBuffer());
    digest =
      get.headers.get("docker-content-digest") ??
      `sha256:${createHash("sha256").update(body).digest("hex")}`;
  }
  if (!DIGEST_PATTERN.test(digest)) {
    throw new ActionError(
      `${location.host} gave '${digest}' as the digest of ${location.path}:${tag}`,
      {
        title: "Malformed digest",
      },
    );
  }
  return digest;
}
