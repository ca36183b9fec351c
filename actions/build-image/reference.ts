/** Where an image repository lives: registry host, API base URL and path in the registry. */

export interface RepositoryLocation {
  /** The host as Docker names it (`ghcr.io`, `127.0.0.1:5000`, `docker.io`). */
  host: string;
  /** Base URL of the registry's HTTP API. */
  apiBase: string;
  /** The repository path inside the registry (`org/web`, `library/nginx`). */
  path: string;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

/** Docker's rule: the first component is a host if it has a dot, a port, or is localhost. */
export function locateRepository(image: string): RepositoryLocation {
  const slash = image.indexOf("/");
  const first = slash < 0 ? "" : image.slice(0, slash);
  if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
    // Docker talks plain HTTP to loopback registries; everything else is HTTPS.
    const scheme = LOOPBACK.test(first) ? "http" : "https";
    return { host: first, apiBase: `${scheme}://${first}`, path: image.slice(slash + 1) };
  }
  return {
    host: "docker.io",
    apiBase: "https://registry-1.docker.io",
    path: image.includes("/") ? image : `library/${image}`,
  };
}
