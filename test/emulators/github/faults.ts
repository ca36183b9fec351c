/**
 * Failures the emulator answers with instead of the real handler, queued by a test:
 * each fault applies to the next `times` requests of one route (or of any route).
 */
import { errorBody } from "./router.js";
import type { Reply } from "./router.js";

export type FaultKind =
  | "secondary-rate-limit"
  | "primary-rate-limit"
  | "primary-rate-limit-429"
  | "too-many-requests"
  | "bad-gateway"
  | "service-unavailable"
  | "reset";

export interface FaultOptions {
  /** A route as the emulator names it (`GET /repos/{owner}/{repo}/pulls/{pull_number}`); any route when omitted. */
  route?: string;
  /** How many requests get the fault (default 1). */
  times?: number;
  /** Seconds in `retry-after`, or until `x-ratelimit-reset` (default 1). */
  retryAfter?: number;
  /**
   * The request is carried out first and only its answer is the fault: a 502 after GitHub
   * acted, or (`reset`) a connection closed before any answer.
   */
  afterHandling?: boolean;
}

export interface Fault {
  kind: FaultKind;
  route?: string;
  remaining: number;
  retryAfter: number;
  afterHandling: boolean;
}

const SECONDARY =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID {id}.";
const SECONDARY_DOCS =
  "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits";
const PRIMARY_DOCS =
  "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit";

export class FaultQueue {
  private queue: Fault[] = [];

  inject(kind: FaultKind, options: FaultOptions = {}): void {
    this.queue.push({
      kind,
      route: options.route,
      remaining: options.times ?? 1,
      retryAfter: options.retryAfter ?? 1,
      afterHandling: options.afterHandling ?? false,
    });
  }

  /** Faults not yet served. */
  pending(): number {
    return this.queue.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault for this request, if one is queued for its route; consumes it. */
  take(route: string | undefined): Fault | undefined {
    const fault = this.queue.find(
      (f) => f.remaining > 0 && (f.route === undefined || f.route === route),
    );
    if (!fault) return undefined;
    fault.remaining--;
    this.queue = this.queue.filter((f) => f.remaining > 0);
    return fault;
  }
}

/** The response GitHub sends for a fault; rate-limit headers are filled in by the server. */
export function faultReply(fault: Fault, requestId: string): Reply & { rateLimited?: boolean } {
  const retryAfter = String(fault.retryAfter);
  switch (fault.kind) {
    case "secondary-rate-limit":
      return {
        status: 403,
        body: { message: SECONDARY.replace("{id}", requestId), documentation_url: SECONDARY_DOCS },
        headers: { "retry-after": retryAfter },
      };
    case "primary-rate-limit":
    case "primary-rate-limit-429": {
      const reset = String(Math.ceil(Date.now() / 1000) + fault.retryAfter);
      return {
        status: fault.kind === "primary-rate-limit" ? 403 : 429,
        body: {
          message: "API rate limit exceeded for installation ID 1.",
          documentation_url: PRIMARY_DOCS,
        },
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      };
    }
    case "too-many-requests":
      return {
        status: 429,
        body: errorBody(429, "Too Many Requests"),
        headers: { "retry-after": retryAfter },
      };
    case "bad-gateway":
    case "reset":
      return { status: 502, body: { message: "Server Error" } };
    case "service-unavailable":
      return {
        status: 503,
        body: { message: "Service Unavailable" },
        headers: { "retry-after": retryAfter },
      };
  }
}
