/**
 * A registry double that demands a bearer token the way ghcr.io and Docker Hub do: 401 with
 * a `WWW-Authenticate: Bearer realm=...` challenge, a token endpoint that checks Basic
 * credentials, and manifests only for a valid token. Counts requests for assertions.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenRegistry {
  url: string;
  host: string;
  requests: { method: string; path: string; accept?: string; authorization?: string }[];
  close(): Promise<void>;
}

export interface TokenRegistryOptions {
  /** `user:password` the token endpoint accepts; undefined lets anyone have a pull token. */
  credentials?: string;
  /** Manifests by `repo:tag` -> digest header to send (undefined: none on HEAD). */
  manifests: Record<string, { digest?: string; body: string }>;
  scheme?: "bearer" | "basic";
}

const TOKEN = "registry-token-0001";

export async function startTokenRegistry(options: TokenRegistryOptions): Promise<TokenRegistry> {
  const requests: TokenRegistry["requests"] = [];
  let base = "";
  const authorized = (req: IncomingMessage) => {
    const auth = req.headers.authorization ?? "";
    if (options.scheme === "basic")
      return auth === `Basic ${Buffer.from(options.credentials ?? "").toString("base64")}`;
    return auth === `Bearer ${TOKEN}`;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      accept: req.headers.accept,
      authorization: req.headers.authorization,
    });
    if (url.pathname === "/token") {
      const given = req.headers.authorization;
      const expected =
        options.credentials && `Basic ${Buffer.from(options.credentials).toString("base64")}`;
      if (expected && given !== expected) {
        res.writeHead(401).end();
        return;
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ token: TOKEN }));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [, repo, tag] = match as unknown as [string, string, string];
    if (!authorized(req)) {
      const challenge =
        options.scheme === "basic"
          ? 'Basic realm="registry"'
          : `Bearer realm="${base}/token",service="test-registry",scope="repository:${repo}:pull"`;
      res.writeHead(401, { "www-authenticate": challenge }).end();
      return;
    }
    const manifest = options.manifests[`${repo}:${decodeURIComponent(tag)}`];
    if (!manifest) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = {
      "content-type": "application/vnd.oci.image.manifest.v1+json",
    };
    if (manifest.digest) headers["docker-content-digest"] = manifest.digest;
    res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : manifest.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
