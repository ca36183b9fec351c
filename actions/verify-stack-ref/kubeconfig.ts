/**
 * Reaches the cluster a kubeconfig output points at: GET /version with the kubeconfig's CA
 * and credentials. Nothing from the kubeconfig (server, token, certificates) ever goes
 * into a message: reasons are error codes and HTTP statuses only.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { parse } from "yaml";
import { kubeconfigSecrets } from "../shared/kubeconfig-secrets.js";
import { addMask } from "../shared/runner.js";

export interface ClusterAccess {
  server: string;
  ca?: Buffer;
  insecure: boolean;
  token?: string;
  cert?: Buffer;
  key?: Buffer;
}

export type Probe =
  { reachable: true; version?: string; note?: string } | { reachable: false; reason: string };

type Named<T> = { name?: string } & T;
interface KubeconfigShape {
  "current-context"?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{
    cluster?: {
      server?: string;
      "certificate-authority-data"?: string;
      "insecure-skip-tls-verify"?: boolean;
    };
  }>[];
  users?: Named<{
    user?: { token?: string; "client-certificate-data"?: string; "client-key-data"?: string };
  }>[];
}

const fromBase64 = (value: string | undefined) =>
  value ? Buffer.from(value, "base64") : undefined;

/** The server and credentials of the current context, or a reason it has none. */
export function parseKubeconfig(value: unknown): ClusterAccess | string {
  let config: KubeconfigShape;
  try {
    config = (typeof value === "string" ? parse(value) : value) as KubeconfigShape;
  } catch {
    return "the output is not valid kubeconfig YAML";
  }
  if (config === null || typeof config !== "object") return "the output is not a kubeconfig object";
  for (const secret of kubeconfigSecrets(config)) addMask(secret);
  const context =
    config.contexts?.find((c) => c.name === config["current-context"])?.context ??
    config.contexts?.[0]?.context;
  const cluster = (
    config.clusters?.find((c) => c.name === context?.cluster) ?? config.clusters?.[0]
  )?.cluster;
  const user = (config.users?.find((u) => u.name === context?.user) ?? config.users?.[0])?.user;
  if (!cluster?.server) return "the kubeconfig names no cluster server";
  return {
    server: cluster.server,
    ca: fromBase64(cluster["certificate-authority-data"]),
    insecure: cluster["insecure-skip-tls-verify"] === true,
    token: user?.token,
    cert: fromBase64(user?.["client-certificate-data"]),
    key: fromBase64(user?.["client-key-data"]),
  };
}

export function probeCluster(access: ClusterAccess, timeoutMs = 10_000): Promise<Probe> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL("version", access.server.endsWith("/") ? access.server : `${access.server}/`);
    } catch {
      resolve({ reachable: false, reason: "the kubeconfig's server is not a URL" });
      return;
    }
    const request = url.protocol === "http:" ? httpRequest : httpsRequest;
    const req = request(
      url,
      {
        method: "GET",
        headers: {
          accept: "application/json",
          ...(access.token ? { authorization: `Bearer ${access.token}` } : {}),
        },
        ca: access.ca,
        cert: access.cert,
        key: access.key,
        rejectUnauthorized: !access.insecure,
        timeout: timeoutMs,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk.slice(0, 4096)));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status === 200) {
            let version: string | undefined;
            try {
              const parsed = JSON.parse(body) as { gitVersion?: unknown };
              if (
                typeof parsed.gitVersion === "string" &&
                /^v?[\w.+-]{1,64}$/.test(parsed.gitVersion)
              )
                version = parsed.gitVersion;
            } catch {
              // A 200 that is not the version document: reachable all the same.
            }
            resolve({ reachable: true, version });
          } else if (status === 401 || status === 403) {
            resolve({
              reachable: true,
              note: `/version answered HTTP ${status} (credentials not accepted for it)`,
            });
          } else {
            resolve({ reachable: false, reason: `/version answered HTTP ${status}` });
          }
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })),
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "unknown error";
      const reason =
        code === "ETIMEDOUT"
          ? `no answer within ${timeoutMs / 1000}s`
          : code === "ECONNREFUSED"
            ? "connection refused (ECONNREFUSED)"
            : code === "ENOTFOUND" || code === "EAI_AGAIN"
              ? `the server's host name does not resolve (${code})`
              : `request failed (${code})`;
      resolve({ reachable: false, reason });
    });
    req.end();
  });
}
