/**
 * fetch, bounded: each request (answer and body) has a time limit and is aborted when the
 * step is cancelled. Without it a server that accepts the connection and never answers
 * holds a step for undici's 300 s a try, retries included.
 */
import { type CancelledError, cancelSignal } from "./cancel.js";
import { ActionError } from "./errors.js";
import { Answer, AnswerHeaders, send } from "./http-transport.js";

/** Per request, for APIs that answer in well under a second (GitHub, registries). */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * An API's per-request limit; PREVIEW_KIT_REQUEST_TIMEOUT_MS overrides it, so that a test
 * of a server that never answers takes a second, not minutes.
 */
export function requestTimeoutMs(fallback = REQUEST_TIMEOUT_MS): number {
  const fromEnv = Number(process.env.PREVIEW_KIT_REQUEST_TIMEOUT_MS);
  return fromEnv > 0 ? fromEnv : fallback;
}

/** A URL as it may be shown: no credentials, query or fragment (tokens travel there). */
export function shownUrl(url: string | URL): string {
  const parsed = URL.parse(String(url));
  if (!parsed) return "(an invalid URL)";
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Node's codes for a connection that failed or was dropped, in words. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNRESET: "the connection was reset",
  ECONNREFUSED: "the connection was refused",
  ECONNABORTED: "the connection was aborted",
  EPIPE: "the connection was closed while sending",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name did not resolve (DNS lookup failed for now)",
  UND_ERR_SOCKET: "the connection was closed",
};

/**
 * Why a request got no answer, when the network failed it: "the connection was reset
 * (ECONNRESET)". Looked for along the `cause` chain (fetch and Octokit wrap Node's error);
 * undefined for anything else, which is not a network failure.
 */
export function networkFailure(error: unknown): string | undefined {
  for (let at = error, depth = 0; at && depth < 5; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && Object.hasOwn(NETWORK_REASONS, code))
      return `${NETWORK_REASONS[code]} (${code})`;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The request got no (whole) answer in time. Retrying may pass: the server was slow. */
export class RequestTimeoutError extends ActionError {
  override readonly name = "RequestTimeoutError";

  constructor(method: string, url: string | URL, timeoutMs: number) {
    super(`${method} ${shownUrl(url)} got no answer within ${seconds(timeoutMs)}`, {
      title: "Request timed out",
    });
  }
}

export interface BoundedInit extends RequestInit {
  timeoutMs?: number;
  /** For tests and callers that bring their own fetch; default Node's http(s). */
  fetchFn?: typeof fetch;
}

/** A fetch Response read whole into an Answer. */
async function readWhole(response: Response, method: string): Promise<Answer> {
  const noBody = [204, 205, 304].includes(response.status) || method === "HEAD";
  const bytes = noBody ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
  return new Answer(
    response.status,
    response.statusText,
    response.url,
    new AnswerHeaders(response.headers),
    bytes,
  );
}

/**
 * fetch with the whole exchange bounded: the body is read within the same limit and the
 * answer handed back holds it in memory (API answers, not downloads). A cancelled step
 * makes it throw an `AbortError`, which no retry layer repeats (Octokit's included).
 */
export async function boundedFetch(url: string | URL, init: BoundedInit = {}): Promise<Answer> {
  const { timeoutMs = requestTimeoutMs(), fetchFn, ...rest } = init;
  const method = (rest.method ?? "GET").toUpperCase();
  const limit = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([cancelSignal, limit, ...(rest.signal ? [rest.signal] : [])]);
  try {
    if (!fetchFn) return await send(url, { ...rest, signal });
    return await readWhole(await fetchFn(url, { ...rest, signal }), method);
  } catch (error) {
    if (cancelSignal.aborted) {
      const reason = cancelSignal.reason as CancelledError;
      throw new DOMException(`${method} ${shownUrl(url)}: ${reason.message}`, "AbortError");
    }
    if (limit.aborted) throw new RequestTimeoutError(method, url, timeoutMs);
    throw error;
  }
}
