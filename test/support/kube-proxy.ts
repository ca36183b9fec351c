/**
 * A recording pass-through in front of the real API server: the action under test talks
 * to it as to the cluster (same CA, same serving certificate), every answer is the real
 * server's, and the test reads which requests were made. A hook may act just before a
 * request is forwarded (recreate the namespace, as a concurrent job would) or change its
 * body (a stale precondition, as a webhook or proxy that conflicts would); it never invents
 * an answer.
 */
import type { IncomingHttpHeaders } from "node:http";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import type { ControlPlane } from "./control-plane.js";

export interface SeenRequest {
  method: string;
  /** Path without the query. */
  path: string;
  status: number;
  body?: unknown;
}

export interface ProxyHook {
  (request: { method: string; path: string; body: unknown }): Promise<unknown> | unknown;
}

export interface KubeProxy {
  url: string;
  requests: SeenRequest[];
  /** Runs before each matching request is forwarded; returns the body to forward. */
  onRequest(match: { method: string; path: string }, hook: ProxyHook, times?: number): void;
  close(): Promise<void>;
}

export async function startKubeProxy(plane: ControlPlane): Promise<KubeProxy> {
  const requests: SeenRequest[] = [];
  const hooks: { method: string; path: string; hook: ProxyHook; left: number }[] = [];
  const upstream = new URL(plane.url);
  const ca = Buffer.from(plane.caData, "base64");

  const server = createServer(plane.serving, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const method = req.method ?? "GET";
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text ? (JSON.parse(text) as unknown) : undefined;
        const hook = hooks.find((h) => h.left > 0 && h.method === method && h.path === path);
        if (hook) {
          hook.left--;
          body = await hook.hook({ method, path, body });
        }
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
        delete headers["content-length"];
        if (payload) headers["content-length"] = String(Buffer.byteLength(payload));
        const forward = request(
          `${plane.url}${req.url ?? "/"}`,
          { method, headers, ca, timeout: 30_000 },
          (answer) => {
            const seen: SeenRequest = { method, path, status: answer.statusCode ?? 0 };
            if (body !== undefined) seen.body = body;
            requests.push(seen);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on("error", () => res.writeHead(502).end());
        forward.end(payload);
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    onRequest: (match, hook, times = 1) => hooks.push({ ...match, hook, left: times }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
