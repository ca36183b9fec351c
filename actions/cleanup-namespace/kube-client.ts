/**
 * A small Kubernetes REST client over node:http(s): the kubeconfig's TLS and credentials,
 * JSON in and out, and retries of what is transient (429, 5xx, dropped connections).
 *
 * Not client-node's generated API classes: those load the whole model serializer and
 * undici, 4 MB bundled for CoreV1Api alone, against a 1 MB budget for the action. Its
 * ExecAuth (credential plugins such as `aws eks get-token`) is used as is.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from "node:https";
import { ActionError } from "../shared/errors.js";
import { isTransientStatus, retry } from "../shared/retry.js";
import { addMask } from "../shared/runner.js";
import { readConfigFile, type KubeTarget } from "./kubeconfig.js";

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

/** A Kubernetes `Status` failure body (fields the action reads). */
export interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** The first try and three retries. */
const TRIES = 4;
const REQUEST_TIMEOUT_MS = 30_000;
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

type Method = "GET" | "DELETE" | "PUT";

export class KubeClient {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private credentials: Promise<Record<string, string>> | undefined;

  constructor(
    private readonly target: KubeTarget,
    private readonly onRetry: (message: string) => void = () => {},
  ) {
    const { cluster, user, baseDir } = target;
    const secure = cluster.server.startsWith("https:");
    if (!secure && !cluster.skipTLSVerify) {
      // The same rule as client-node: plain http only when TLS checks are waived explicitly.
      throw new ActionError(
        `Cluster '${cluster.name}' uses http without insecure-skip-tls-verify: refusing to send credentials in clear`,
        {
          title: "Invalid kubeconfig",
        },
      );
    }
    const file = (path: string | undefined, data: string | undefined) =>
      data ? Buffer.from(data, "base64") : path ? readConfigFile(path, baseDir) : undefined;
    const tls: AgentOptions = {
      ca: file(cluster.caFile, cluster.caData),
      cert: file(user.certFile, user.certData),
      key: file(user.keyFile, user.keyData),
      rejectUnauthorized: !cluster.skipTLSVerify,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    };
    this.agent = secure
      ? new HttpsAgent({ keepAlive: true, ...tls })
      : new HttpAgent({ keepAlive: true });
    this.send = secure ? httpsRequest : httpRequest;
  }

  get server(): string {
    return this.target.cluster.server;
  }

  close(): void {
    this.agent.destroy();
  }

  async request<T = unknown>(
    method: Method,
    path: string,
    body?: object,
  ): Promise<KubeResponse<T>> {
    const headers = { ...(await this.authHeaders()), Accept: "application/json" };
    const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? "";
    try {
      return await retry(() => this.once<T>(method, path, headers, body), {
        tries: TRIES,
        waitMs: (failures) => 250 * 2 ** (failures - 1),
        retryResult: (response) => isTransientStatus(response.status),
        retryError: (error) => TRANSIENT_CODES.has(errorCode(error)),
        onRetry: (reason) =>
          this.onRetry(
            `${method} ${path}: ${"result" in reason ? `HTTP ${reason.result.status}` : errorCode(reason.error)}, retrying`,
          ),
      });
    } catch (error) {
      const code = errorCode(error);
      throw new ActionError(
        `Cannot reach the Kubernetes API at ${this.server}: ${code || (error as Error).message}`,
        {
          title: "Kubernetes API unreachable",
          details:
            code.includes("CERT") || code.includes("SIGNATURE") || code.includes("SELF_SIGNED")
              ? [
                  "The server's certificate does not verify against the kubeconfig's certificate-authority-data.",
                ]
              : [],
          cause: error,
        },
      );
    }
  }

  private once<T>(
    method: Method,
    path: string,
    headers: Record<string, string>,
    body?: object,
  ): Promise<KubeResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = this.send(
        new URL(path, `${this.server}/`),
        {
          method,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers:
            payload === undefined
              ? headers
              : {
                  ...headers,
                  "Content-Type": "application/json",
                  "Content-Length": String(Buffer.byteLength(payload)),
                },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // Proxies and load balancers answer in HTML; keep the text for the error.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () =>
        req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" })),
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** Bearer token, exec credential plugin or basic auth; computed once, masked. */
  private authHeaders(): Promise<Record<string, string>> {
    this.credentials ??= (async () => {
      const { user } = this.target;
      const headers: Record<string, string> = {};
      if (user.impersonateUser) headers["Impersonate-User"] = user.impersonateUser;
      if (user.exec || user.authProvider) {
        const { ExecAuth } = await import("@kubernetes/client-node/dist/exec_auth.js");
        const auth = new ExecAuth();
        if (!auth.isAuthProvider(user)) {
          throw new ActionError(
            `The kubeconfig user '${user.name}' uses an auth-provider this action does not support; use an exec credential plugin or a token`,
            {
              title: "Unsupported kubeconfig",
            },
          );
        }
        const options: { headers?: Record<string, string> } = { headers: {} };
        try {
          await auth.applyAuthentication(user, options as never);
        } catch (error) {
          throw new ActionError(
            `The kubeconfig's credential plugin failed: ${(error as Error).message.split("\n")[0]}`,
            {
              title: "Kubernetes credentials",
              cause: error,
            },
          );
        }
        const authorization = options.headers?.Authorization;
        if (authorization) {
          addMask(authorization.replace(/^Bearer /, ""));
          headers.Authorization = authorization;
        }
      } else if (user.token) {
        headers.Authorization = `Bearer ${user.token.trim()}`;
      } else if (user.username && user.password) {
        const basic = Buffer.from(`${user.username}:${user.password}`).toString("base64");
        addMask(basic);
        headers.Authorization = `Basic ${basic}`;
      }
      return headers;
    })();
    return this.credentials;
  }
}
