/**
 * The part of fetch that API clients use (Octokit, the registry client), on Node's own
 * http/https rather than its built-in fetch: fetch's HTTP stack (undici and its WebAssembly
 * parser) takes 30–40 ms to load at the first request, which made a whole comment upsert
 * slower than its peers (`npm run bench`). Requests go through the proxy HTTPS_PROXY /
 * HTTP_PROXY name unless NO_PROXY exempts the host (proxy.ts). Bodies are
 * read whole: these are API answers, not downloads.
 */
import * as http from "node:http";
import * as https from "node:https";
import { agentProxyEnv, proxyFor } from "./proxy.js";

/** An agent for `url` through the proxy the kit's one rule picks for it (proxy.ts), if any. */
export function proxyAwareAgent(url: URL, keepAlive: boolean): http.Agent {
  const client = url.protocol === "https:" ? https : http;
  return new client.Agent({ proxyEnv: agentProxyEnv(url), keepAlive });
}

/** One kept-alive agent per protocol and proxy (none: direct). */
const keptAlive = new Map<string, http.Agent>();
function agentFor(url: URL): http.Agent {
  const key = `${url.protocol} ${proxyFor(url) ?? ""}`;
  let agent = keptAlive.get(key);
  if (!agent) keptAlive.set(key, (agent = proxyAwareAgent(url, true)));
  return agent;
}

/** Answer headers, names lowercased, read as fetch's `Headers` are read. */
export class AnswerHeaders implements Iterable<[string, string]> {
  private readonly values: Map<string, string>;

  constructor(entries: Iterable<[string, string]>) {
    this.values = new Map([...entries].map(([name, value]) => [name.toLowerCase(), value]));
  }

  get(name: string): string | null {
    return this.values.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.values.entries();
  }
}

/** A whole answer, read as a fetch `Response` is read. */
export class Answer {
  readonly ok: boolean;
  /** Octokit reads `body` only when asked not to parse it; the bytes are all here. */
  readonly body = null;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
    readonly headers: AnswerHeaders,
    private readonly bytes: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  text(): Promise<string> {
    return Promise.resolve(this.bytes.toString("utf8"));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.bytes;
    return Promise.resolve(buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
  }
}

function headerEntries(headers: RequestInit["headers"]): [string, string][] {
  if (!headers) return [];
  // Headers and arrays of pairs iterate as pairs; a plain object does not iterate.
  if (Symbol.iterator in headers) return [...(headers as Iterable<[string, string]>)];
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, value] as [string, string]],
  );
}

function bodyBytes(body: RequestInit["body"]): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError("only string and byte bodies are sent (API requests)");
}

/** Redirects of a read are followed, as fetch does; a write's are handed back. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("This operation was aborted", "AbortError");
}

function exchange(url: URL, init: RequestInit, body: Buffer | undefined): Promise<Answer> {
  const { signal } = init;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const client = url.protocol === "https:" ? https : http;
    const headers = Object.fromEntries(headerEntries(init.headers));
    if (body && !Object.keys(headers).some((name) => name.toLowerCase() === "content-length"))
      headers["content-length"] = String(body.length);
    const request = client.request(url, {
      method: init.method ?? "GET",
      headers,
      agent: agentFor(url),
    });
    const onAbort = () => request.destroy(abortError(signal as AbortSignal));
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    request.on("error", (error) => {
      settle();
      reject(error);
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => {
        settle();
        reject(error);
      });
      response.on("end", () => {
        settle();
        const entries = Object.entries(response.headers).flatMap(([name, value]) =>
          value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]],
        ) as [string, string][];
        resolve(
          new Answer(
            response.statusCode ?? 0,
            response.statusMessage ?? "",
            url.href,
            new AnswerHeaders(entries),
            Buffer.concat(chunks),
          ),
        );
      });
    });
    request.end(body);
  });
}

/** fetch's contract for API calls: the answer read whole, reads' redirects followed. */
export async function send(url: string | URL, init: RequestInit = {}): Promise<Answer> {
  const body = bodyBytes(init.body);
  const method = (init.method ?? "GET").toUpperCase();
  let target = new URL(url);
  let request = init;
  for (let hop = 0; ; hop++) {
    const answer = await exchange(target, request, body);
    const location = answer.headers.get("location");
    const follow = (method === "GET" || method === "HEAD") && init.redirect !== "manual";
    if (!follow || !REDIRECTS.has(answer.status) || !location || hop >= MAX_REDIRECTS)
      return answer;
    const next = new URL(location, target);
    // As fetch does: credentials are not sent on to another origin.
    if (next.origin !== target.origin)
      request = {
        ...request,
        headers: headerEntries(request.headers).filter(
          ([name]) => name.toLowerCase() !== "authorization",
        ),
      };
    target = next;
  }
}
