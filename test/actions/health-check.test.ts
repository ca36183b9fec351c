/**
 * The bundled health-check action as the runner starts it, against a real HTTP server.
 * Issue #23 item 11: its inputs were checked in bash, where a `timeout-seconds` of 20 digits
 * overflowed the shell's arithmetic and a URL's inner spaces were silently deleted (another
 * URL was checked than the one written); they are now decided in typed code.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, leakedSecrets, runAction } from "../harness/run-action.js";

const hits = new Map<string, number>();
let server: Server;
let base: string;

beforeAll(async () => {
  // /flaky answers 503 twice, then 200; /down always 503; /moved redirects.
  server = createServer((request, response) => {
    const count = (hits.get(request.url!) ?? 0) + 1;
    hits.set(request.url!, count);
    if (request.url === "/moved") response.writeHead(302, { location: "/elsewhere" });
    else
      response.writeHead(
        (request.url === "/flaky" && count > 2) || request.url?.startsWith("/ok") ? 200 : 503,
      );
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function check(urls: string, more: Record<string, string> = {}) {
  return runAction("health-check", {
    inputs: {
      urls,
      "timeout-seconds": "20",
      "initial-delay-seconds": "1",
      "max-delay-seconds": "2",
      ...more,
    },
  });
}

const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);

describe("health-check", () => {
  it("retries with backoff until every URL is healthy", async () => {
    const run = await check(`${base}/flaky\n\n  ${base}/ok  \n${base}/moved`);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toEqual({ healthy: "true", unhealthy: "" });
    expect(hits.get("/flaky")).toBe(3);
    expect(hits.get("/ok")).toBe(1);
    expect(hits.get("/elsewhere")).toBeUndefined();
    expect(run.log).toContain("waiting 1s for 1 URL(s)");
    expect(run.log).toContain("waiting 2s for 1 URL(s)");
  });

  it("gives up at the time limit with one error line per unhealthy URL", async () => {
    const run = await check(`${base}/down\n${base}/ok\nhttp://127.0.0.1:9/closed`, {
      "timeout-seconds": "3",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      `${base}/down: HTTP 503 (not healthy within 3s)`,
      "http://127.0.0.1:9/closed: no response (the connection was refused (ECONNREFUSED)) (not healthy within 3s)",
    ]);
    expect(run.outputs).toEqual({
      healthy: "false",
      unhealthy: `${base}/down\nhttp://127.0.0.1:9/closed`,
    });
  });

  it("refuses a URL that is not http(s) and an empty list, before any request", async () => {
    const ftp = await check("ftp://example.com/");
    expect(errors(ftp)).toEqual(["Input 'urls' line 1 must be an http:// or https:// URL"]);
    const none = await check(" \n");
    expect(errors(none)).toEqual(["Input 'urls' is required"]);
    expect(ftp.outputs).toEqual({});
  });

  it("refuses a URL with a space inside instead of checking another URL", async () => {
    hits.clear();
    const run = await check(`${base}/ok\n${base}/o k`);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'urls' line 2 has a space inside the URL: write it percent-encoded (%20)",
    ]);
    expect(hits.size).toBe(0);
    expect(run.outputs).toEqual({});
  });

  it("refuses seconds out of bounds (20 digits overflowed bash) with one line naming the input", async () => {
    const run = await check(`${base}/ok`, {
      "timeout-seconds": "99999999999999999999",
      "max-delay-seconds": "0",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'timeout-seconds' must be an integer from 1 to 21600, got '99999999999999999999'",
      "Input 'max-delay-seconds' must be an integer from 1 to 3600, got '0'",
    ]);
    expect(run.outputs).toEqual({});
  });

  it("never prints URL credentials: masked, and shown as ***@", async () => {
    const run = await check(
      `http://probe:s3cr3tpw@${base.slice(7)}/ok\nhttp://probe:s3cr3tpw@${base.slice(7)}/down`,
      { "timeout-seconds": "1" },
    );
    expect(run.exitCode).toBe(1);
    expect(run.masks).toEqual(expect.arrayContaining(["probe:s3cr3tpw", "s3cr3tpw"]));
    expect(run.log).toContain(`healthy: http://***@${base.slice(7)}/ok (HTTP 200)`);
    expect(errors(run)[0]).toContain(`http://***@${base.slice(7)}/down: HTTP 503`);
    expect(leakedSecrets(run, ["s3cr3tpw"])).toEqual([]);
  });
});
