/**
 * A small Kubernetes REST client over node:http(s): the kubeconfig's TLS and credentials,
 * JSON in and out, and retries of what is transient (429, 5xx, dropped connections).
 *
 * Not client-node's generated API classes: those load the whole model serializer and
 * undici, 4 MB bundled for CoreV1Api alone, against a 1 MB budget for an action. Nor its
 * ExecAuth: that one runs plugins unbounded in time with the whole environment; see
 * exec-credential.ts.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from "node:https";
import { cancelSignal } from "../cancel.js";
import { ActionError } from "../errors.js";
import { agentProxyEnv, proxyFor } from "../proxy.js";
import { isTransientStatus, retry } from "../retry.js";
import { addMask } from "../runner.js";
import { ExecCredentialError, ExecCredentials } from "./exec-credential.js";
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
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
]);
const CERTIFICATE_CODE = /CERT|SIGNATURE|SELF_SIGNED/;

type Method = "GET" | "DELETE" | "PUT" | "POST";

export interface KubeClientOptions {
  /** Told of each retry, e.g. to log it; the message names the method and path only. */
  onRetry?: (message: string) => void;
  /** Per request (each try), default 30 s. */
  timeoutMs?: number;
  /**
   * Send credentials to a plain http server even without insecure-skip-tls-verify, as
   * kubectl does. Off by default: a client that changes the cluster keeps them off the wire.
   */
  allowPlainHttp?: boolean;
  /**
   * The environment an exec credential plugin runs with (before the kubeconfig's own `env`
   * entries); default this process's. A kubeconfig from elsewhere gets a minimal one.
   */
  execEnv?: NodeJS.ProcessEnv;
}

/**
 * Any failure of the client. `reason` says why in words that hold nothing from the
 * kubeconfig (no server, token or certificate), for callers that must not even show the
 * server; the message may name the server, which the kubeconfig loader masked.
 */
export class KubeRequestError extends ActionError {
  override readonly name = "KubeRequestError";

  constructor(
    readonly reason: string,
    message: string,
    options: { title: string; details?: string[]; cause?: unknown },
  ) {
    super(message, options);
  }
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? "";

function unreachableReason(code: string, timeoutMs: number): string {
  if (CERTIFICATE_CODE.test(code))
    return `the server's certificate does not verify against the kubeconfig's certificate authority (${code})`;
  if (code === "ETIMEDOUT") return `no answer within ${timeoutMs / 1000}s`;
  if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
  if (code === "ABORT_ERR") return "the step was cancelled";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `the server's host name does not resolve (${code})`;
  return `request failed (${code || "unknown error"})`;
}

/**
 * The proxy as kubectl (client-go) picks it: the cluster's `proxy-url` for every request
 * when the kubeconfig sets one, else HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts the
 * server (the kit's one rule, proxy.ts, read as client-go reads it). Node's agents tunnel through it (CONNECT for https). A password in `proxy-url` is
 * masked; a scheme other than http(s) (socks5) is refused, as Node cannot speak it.
 */
function kubeProxyEnv(cluster: KubeTarget["cluster"], server: URL): NodeJS.ProcessEnv {
  if (!cluster.proxyUrl) return agentProxyEnv(server);
  const url = URL.parse(cluster.proxyUrl);
  if (url?.password) {
    addMask(url.password);
    addMask(decodeURIComponent(url.password));
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new KubeRequestError(
      "the kubeconfig's proxy-url is not an http(s) URL",
      `Cluster '${cluster.name}' has a proxy-url that is not an http(s) URL (socks5 is not supported)`,
      { title: "Invalid kubeconfig" },
    );
  }
  return { HTTPS_PROXY: url.href, HTTP_PROXY: url.href };
}

/** " (through the proxy host:port ...)" when one may be on the way; the host only, no credentials. */
function proxyNote(cluster: KubeTarget["cluster"], server: URL): string {
  if (cluster.proxyUrl)
    return ` (through the kubeconfig's proxy-url ${URL.parse(cluster.proxyUrl)?.host})`;
  const name = server.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY";
  const value = proxyFor(server);
  const host = value ? URL.parse(value)?.host : undefined;
  return host ? ` (through ${name} ${host})` : "";
}

export class KubeClient {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly timeoutMs: number;
  private readonly onRetry: (message: string) => void;
  private readonly staticHeaders: Record<string, string>;
  private readonly exec: ExecCredentials | undefined;
  /** Which proxy a failure went through, for its message. */
  private readonly proxyNote: string;

  constructor(
    private readonly target: KubeTarget,
    options: KubeClientOptions = {},
  ) {
    const { cluster, user, baseDir } = target;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.onRetry = options.onRetry ?? (() => {});
    const serverUrl = URL.parse(cluster.server);
    const protocol = serverUrl?.protocol;
    if (!serverUrl || (protocol !== "https:" && protocol !== "http:")) {
      throw new KubeRequestError(
        "the kubeconfig's server is not an http(s) URL",
        `Cluster '${cluster.name}' has a server that is not an http(s) URL`,
        { title: "Invalid kubeconfig" },
      );
    }
    const secure = protocol === "https:";
    if (!secure && !cluster.skipTLSVerify && !options.allowPlainHttp) {
      throw new KubeRequestError(
        "the server uses http without insecure-skip-tls-verify: credentials are not sent in clear",
        `Cluster '${cluster.name}' uses http without insecure-skip-tls-verify: refusing to send credentials in clear`,
        { title: "Invalid kubeconfig" },
      );
    }
    const file = (path: string | undefined, data: string | undefined) => {
      if (data) return Buffer.from(data, "base64");
      if (!path) return undefined;
      try {
        return readConfigFile(path, baseDir);
      } catch (error) {
        // The path comes from the kubeconfig: the reason gives the code only.
        const reason = `a file the kubeconfig names cannot be read (${errorCode(error) || "unknown error"})`;
        throw new KubeRequestError(reason, `Cluster '${cluster.name}': ${reason}`, {
          title: "Invalid kubeconfig",
          cause: error,
        });
      }
    };
    const tls: AgentOptions = {
      ca: file(cluster.caFile, cluster.caData),
      cert: file(user.certFile, user.certData),
      key: file(user.keyFile, user.keyData),
      rejectUnauthorized: !cluster.skipTLSVerify,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    };
    const proxyEnv = kubeProxyEnv(cluster, serverUrl);
    this.proxyNote = proxyNote(cluster, serverUrl);
    this.agent = secure
      ? new HttpsAgent({ keepAlive: true, proxyEnv, ...tls })
      : new HttpAgent({ keepAlive: true, proxyEnv });
    this.send = secure ? httpsRequest : httpRequest;
    this.staticHeaders = staticHeaders(target);
    this.exec = user.exec
      ? new ExecCredentials(user.exec as object, options.execEnv ?? process.env)
      : undefined;
  }

  get server(): string {
    return this.target.cluster.server;
  }

  close(): void {
    this.agent.destroy();
  }

  /** `path` from the API root, e.g. `/version`; a server with a path (a proxy) keeps it. */
  async request<T = unknown>(
    method: Method,
    path: string,
    body?: object,
  ): Promise<KubeResponse<T>> {
    const response = await this.retried<T>(method, path, body);
    // A plugin's token can be revoked or expire early: one new one, one more try.
    if (response.status !== 401 || !this.exec) return response;
    this.exec.invalidate();
    this.onRetry(`${method} ${path}: HTTP 401, asking the credential plugin for a new token`);
    return this.retried<T>(method, path, body);
  }

  private async retried<T>(method: Method, path: string, body?: object) {
    try {
      return await retry(async () => this.once<T>(method, path, await this.headers(), body), {
        tries: TRIES,
        waitMs: (failures) => 250 * 2 ** (failures - 1),
        retryResult: (response) => isTransientStatus(response.status),
        retryError: (error) =>
          !(error instanceof ExecCredentialError) && TRANSIENT_CODES.has(errorCode(error)),
        onRetry: (reason) =>
          this.onRetry(
            `${method} ${path}: ${"result" in reason ? `HTTP ${reason.result.status}` : errorCode(reason.error)}, retrying`,
          ),
      });
    } catch (error) {
      if (error instanceof ExecCredentialError) {
        const reason = `the kubeconfig's credential plugin failed: ${error.reason}`;
        throw new KubeRequestError(reason, error.message, { title: error.title, cause: error });
      }
      const code = errorCode(error);
      const reason = unreachableReason(code, this.timeoutMs) + this.proxyNote;
      throw new KubeRequestError(
        reason,
        // The server's address is masked with the kubeconfig's secrets (secrets.ts): named by
        // its cluster instead, which a reader can find in the kubeconfig.
        `Cannot reach the Kubernetes API of cluster '${this.target.cluster.name}' (context '${this.target.contextName}'): ${reason}`,
        { title: "Kubernetes API unreachable", cause: error },
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
        new URL(`${this.server}${path}`),
        {
          method,
          agent: this.agent,
          // Idle time on the socket: a server that never answers fails the try.
          timeout: this.timeoutMs,
          signal: cancelSignal,
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

  private async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...this.staticHeaders, Accept: "application/json" };
    if (this.exec) headers.Authorization = `Bearer ${await this.exec.token()}`;
    return headers;
  }
}

/** Impersonation, a bearer token or basic auth: what does not change while the client lives. */
function staticHeaders(target: KubeTarget): Record<string, string> {
  const { user } = target;
  const headers: Record<string, string> = {};
  if (user.impersonateUser) headers["Impersonate-User"] = user.impersonateUser;
  if (user.authProvider) {
    throw new KubeRequestError(
      "the kubeconfig's user uses an auth-provider, which this client does not support",
      `The kubeconfig user '${user.name}' uses an auth-provider (removed from kubectl in 1.26); use an exec credential plugin or a token`,
      { title: "Unsupported kubeconfig" },
    );
  }
  if (user.exec) return headers;
  if (user.token) {
    headers.Authorization = `Bearer ${user.token.trim()}`;
  } else if (user.username && user.password) {
    const basic = Buffer.from(`${user.username}:${user.password}`).toString("base64");
    addMask(basic);
    headers.Authorization = `Basic ${basic}`;
  }
  return headers;
}
