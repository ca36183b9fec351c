/**
 * STAND-IN for the npm registry's publishing side, the endpoints `npm view` and
 * `npm publish` (npm CLI 11) call, with npm's trusted publishing:
 *
 * - `GET /{name}`: the packument (`{ name, versions, dist-tags }`), 404 `{ error: "Not found" }`
 *   before the first publish; `GET /{name}/-/{file}.tgz`: a published tarball;
 * - `POST /-/npm/v1/oidc/token/exchange/package/{name}` (npm docs, "Trusted publishing for npm
 *   packages"): the job's OIDC token (audience `npm:<registry host>`) as bearer, checked against
 *   the package's trusted publisher (repository, workflow file, environment), answers a
 *   short-lived publish token `{ token }` for that package only; 401 otherwise;
 * - `PUT /{name}`: a publish (the document npm sends: the version's manifest, its dist-tag and
 *   `_attachments` with the tarball and, with --provenance, the `<name>-<version>.sigstore`
 *   bundle), only with a token the exchange issued for that package; a version published
 *   before is 403, as npm refuses to publish over it.
 *
 * Every other package's packument (an install resolving a lockfile entry without `resolved`)
 * comes from the `upstream` registry, as a proxying registry serves it; the packages with a
 * trusted publisher here are never looked up there. Not the registry: no users, no stored npm
 * token, no other endpoint (404 for the rest).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { OidcStandIn } from "../../workflow-runner/oidc.js";

/** npm's trusted publisher of a package: who may publish it by OIDC. */
export interface TrustedPublisher {
  /** OWNER/REPO. */
  repository: string;
  /** The workflow's file name under .github/workflows/, e.g. release.yml. */
  workflow: string;
  environment?: string;
}

export interface Published {
  name: string;
  version: string;
  tarball: Buffer;
  manifest: Record<string, unknown>;
  /** The Sigstore bundle npm attached (--provenance), parsed. */
  provenance?: { dsseEnvelope?: { payload: string; payloadType: string } };
  /** The OIDC claims of the job whose token was exchanged for the publish token. */
  publishedBy: Record<string, unknown>;
}

export interface NpmRegistryStandIn {
  url: string;
  published: Published[];
  /** Every request, `METHOD path -> status`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startNpmRegistry(options: {
  oidc: OidcStandIn;
  /** The packages hosted here, by name. */
  trusted: Record<string, TrustedPublisher>;
  /** Where other packages' packuments come from (default npm's public registry). */
  upstream?: string;
  /** Gets a `[stand-in npm registry]` line per token exchange and publish. */
  log?: (line: string) => void;
}): Promise<NpmRegistryStandIn> {
  const log = options.log ?? (() => {});
  const upstream = options.upstream ?? "https://registry.npmjs.org/";
  const published: Published[] = [];
  const requests: string[] = [];
  const tokens = new Map<string, { name: string; claims: Record<string, unknown> }>();
  let host = "";

  const exchange = async (name: string, bearer: string) => {
    const publisher = options.trusted[name];
    if (!publisher) return undefined;
    const claims = await options.oidc.verify(bearer, `npm:${host}`).catch(() => undefined);
    if (!claims) return undefined;
    const [path] = String(claims.workflow_ref ?? "").split("@");
    const matches =
      claims.repository === publisher.repository &&
      path === `${publisher.repository}/.github/workflows/${publisher.workflow}` &&
      (publisher.environment === undefined || claims.environment === publisher.environment);
    if (!matches) return undefined;
    const token = `npm_oidc${randomBytes(16).toString("hex")}`;
    tokens.set(token, { name, claims: claims as Record<string, unknown> });
    return token;
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
        const bearer = /^bearer (\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
        const reply = (status: number, body: unknown, type = "application/json") => {
          requests.push(`${request.method} ${path} -> ${status}`);
          response.writeHead(status, { "content-type": type });
          response.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
        };
        const exchangeMatch = /^\/-\/npm\/v1\/oidc\/token\/exchange\/package\/(.+)$/.exec(path);
        if (request.method === "POST" && exchangeMatch) {
          const token = await exchange(exchangeMatch[1] as string, bearer);
          log(
            `[stand-in npm registry] OIDC token exchange for ${exchangeMatch[1]}: ${token ? "a publish token" : "refused"}`,
          );
          return token
            ? reply(201, { token })
            : reply(401, { message: "OIDC token exchange failed: no trusted publisher matches" });
        }
        const tarballMatch = /^\/(.+)\/-\/(.+\.tgz)$/.exec(path);
        if (request.method === "GET" && tarballMatch) {
          const found = published.find(
            (p) => `${p.name.split("/").pop()}-${p.version}.tgz` === tarballMatch[2],
          );
          return found
            ? reply(200, found.tarball, "application/octet-stream")
            : reply(404, { error: "Not found" });
        }
        const name = path.slice(1);
        if (request.method === "GET" && !(name in options.trusted)) {
          const proxied = await fetch(
            new URL(encodeURIComponent(name).replace(/^%40/, "@"), upstream),
            {
              headers: { accept: request.headers.accept ?? "application/json" },
              signal: AbortSignal.timeout(60_000),
            },
          ).catch(() => undefined);
          if (!proxied) return reply(502, { error: "upstream registry unreachable" });
          return reply(proxied.status, Buffer.from(await proxied.arrayBuffer()));
        }
        if (request.method === "GET") {
          const versions = published.filter((p) => p.name === name);
          if (versions.length === 0) return reply(404, { error: "Not found" });
          return reply(200, {
            name,
            "dist-tags": { latest: versions.at(-1)!.version },
            versions: Object.fromEntries(versions.map((p) => [p.version, p.manifest])),
          });
        }
        if (request.method === "PUT") {
          const grant = tokens.get(bearer);
          if (!grant || grant.name !== name)
            return reply(401, { error: "unauthorized: no publish token for this package" });
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
            versions: Record<string, Record<string, unknown>>;
            _attachments: Record<string, { data: string }>;
          };
          const [version, manifest] = Object.entries(body.versions)[0] ?? [];
          if (!version || !manifest) return reply(400, { error: "no version in the document" });
          if (published.some((p) => p.name === name && p.version === version))
            return reply(403, {
              error: `You cannot publish over the previously published versions: ${version}.`,
            });
          const attachment = (suffix: string) =>
            Object.entries(body._attachments).find(([file]) => file.endsWith(suffix))?.[1];
          const tgz = attachment(".tgz");
          if (!tgz) return reply(400, { error: "no tarball attached" });
          const tarball = Buffer.from(tgz.data, "base64");
          const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
          if ((manifest.dist as { integrity?: string } | undefined)?.integrity !== integrity)
            return reply(400, { error: "the tarball does not match dist.integrity" });
          const bundle = attachment(".sigstore");
          published.push({
            name,
            version,
            tarball,
            manifest,
            provenance: bundle ? JSON.parse(bundle.data) : undefined,
            publishedBy: grant.claims,
          });
          tokens.delete(bearer);
          log(`[stand-in npm registry] published ${name}@${version}`);
          return reply(200, { ok: true });
        }
        return reply(404, { error: "Not found" });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  host = "127.0.0.1";
  return {
    url: `http://127.0.0.1:${port}/`,
    published,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
