/** Every request the emulator received, for tests that count API calls. */

export interface RecordedRequest {
  method: string;
  /** The matched route (`GET /repos/{owner}/{repo}/...`), or undefined for a 404. */
  route?: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  token?: string;
  status: number;
  /** Set when the answer was an injected fault. */
  fault?: string;
  /** When the request arrived (ms since the epoch), for tests of pacing. */
  at?: number;
}

export class RequestLog {
  private entries: RecordedRequest[] = [];

  record(request: RecordedRequest): void {
    this.entries.push(request);
  }

  all(): readonly RecordedRequest[] {
    return this.entries;
  }

  get length(): number {
    return this.entries.length;
  }

  /** Requests of one route (`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`), or all. */
  count(route?: string): number {
    return route === undefined
      ? this.entries.length
      : this.entries.filter((r) => r.route === route).length;
  }

  /** Requests that were not answered with an injected fault. */
  served(): readonly RecordedRequest[] {
    return this.entries.filter((r) => r.fault === undefined);
  }

  reset(): void {
    this.entries = [];
  }
}
