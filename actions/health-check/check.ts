/**
 * Polls every URL until it answers 2xx/3xx (a redirect is not followed: it is an answer).
 * All URLs share one deadline; between rounds the wait doubles up to its cap, so a slow
 * rollout is not hammered and a dead one fails on time.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { cancelSignal } from "../shared/cancel.js";
import { RequestTimeoutError, boundedFetch, networkFailure } from "../shared/http.js";
import { addMask, info } from "../shared/runner.js";

export interface CheckOptions {
  timeoutSeconds: number;
  initialDelaySeconds: number;
  maxDelaySeconds: number;
}

export interface Unhealthy {
  shown: string;
  last: string;
}

/** What the log and outputs show of a URL: never its credentials, which are masked too. */
export function shownUrl(url: URL): string {
  if (url.username === "" && url.password === "") return url.href;
  for (const secret of [
    `${url.username}:${url.password}`,
    url.password,
    decodeURIComponent(url.password),
  ])
    if (secret.length > 1 && secret !== ":") addMask(secret);
  const bare = new URL(url.href);
  bare.username = "";
  bare.password = "";
  return bare.href.replace(/^(\w+:\/\/)/, "$1***@");
}

async function attempt(url: URL, timeoutMs: number): Promise<{ ok: boolean; last: string }> {
  try {
    const answer = await boundedFetch(url, { redirect: "manual", timeoutMs });
    return { ok: answer.status >= 200 && answer.status < 400, last: `HTTP ${answer.status}` };
  } catch (error) {
    if (error instanceof RequestTimeoutError)
      return { ok: false, last: `no answer within ${Math.round(timeoutMs / 1000)} s` };
    if (cancelSignal.aborted) throw error;
    return { ok: false, last: `no response (${networkFailure(error) ?? "the request failed"})` };
  }
}

export async function checkAll(urls: URL[], options: CheckOptions): Promise<Unhealthy[]> {
  const shown = new Map(urls.map((url) => [url, shownUrl(url)]));
  const last = new Map<URL, string>();
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let delay = options.initialDelaySeconds;
  let pending = urls;
  for (;;) {
    const failing: URL[] = [];
    for (const url of pending) {
      const left = Math.max(deadline - Date.now(), 1000);
      const result = await attempt(url, Math.min(left, 20_000));
      if (result.ok) info(`healthy: ${shown.get(url)} (${result.last})`);
      else {
        last.set(url, result.last);
        failing.push(url);
      }
    }
    pending = failing;
    if (pending.length === 0 || Date.now() + delay * 1000 >= deadline || cancelSignal.aborted)
      break;
    info(`waiting ${delay}s for ${pending.length} URL(s)`);
    await sleep(delay * 1000, undefined, { signal: cancelSignal }).catch(() => undefined);
    delay = Math.min(delay * 2, options.maxDelaySeconds);
  }
  return pending.map((url) => ({ shown: shown.get(url) ?? "", last: last.get(url) ?? "" }));
}
