/**
 * The fetch contract on Node's http(s), checked where it differs from a bare request: redirects
 * and credentials, bodies, headers and aborts, against real loopback servers.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { send } from "../../../actions/shared/http-transport.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(
  handle: (req: IncomingMessage, body: string) => [number, Record<string, string>, string],
): Promise<{
  url: string;
  seen: { method?: string; url?: string; auth?: string; body: string }[];
}> {
  const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const [status, headers, text] = handle(req, body);
      res.writeHead(status, headers);
      res.end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe("send", () => {
  it("reads status, headers and the whole body, and sends a string body with its length", async () => {
    const server = await serve((_req, body) => [
      201,
      { "content-type": "application/json", "X-Thing": "a" },
      JSON.stringify({ echoed: body }),
    ]);
    const answer = await send(`${server.url}/x`, {
      method: "POST",
      headers: { authorization: "token t" },
      body: "hello",
    });
    expect(answer.status).toBe(201);
    expect(answer.ok).toBe(true);
    expect(answer.headers.get("x-thing")).toBe("a");
    expect(answer.headers.get("Content-Type")).toBe("application/json");
    expect(await answer.json()).toEqual({ echoed: "hello" });
    expect(server.seen).toEqual([{ method: "POST", url: "/x", auth: "token t", body: "hello" }]);
  });

  it("follows a read's redirect, keeping credentials on the same origin and dropping them on another", async () => {
    const other = await serve(() => [200, {}, "there"]);
    const first = await serve((req) =>
      req.url === "/same"
        ? [302, { location: "/moved" }, ""]
        : req.url === "/moved"
          ? [307, { location: `${other.url}/final` }, ""]
          : [404, {}, ""],
    );
    const answer = await send(`${first.url}/same`, { headers: { Authorization: "token t" } });
    expect(await answer.text()).toBe("there");
    expect(answer.url).toBe(`${other.url}/final`);
    expect(first.seen.map((s) => s.auth)).toEqual(["token t", "token t"]);
    expect(other.seen.map((s) => s.auth)).toEqual([undefined]);
  });

  it("hands a write's redirect back instead of sending the write again", async () => {
    const server = await serve(() => [307, { location: "/elsewhere" }, ""]);
    const answer = await send(`${server.url}/write`, { method: "PATCH", body: "{}" });
    expect(answer.status).toBe(307);
    expect(server.seen).toHaveLength(1);
  });

  it("rejects with the signal's reason when aborted mid-request", async () => {
    const server = createServer(() => {
      // Never answers.
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const controller = new AbortController();
    const pending = send(url, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("cancelled")), 50);
    await expect(pending).rejects.toThrow("cancelled");
  });
});
