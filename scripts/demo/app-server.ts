/** A tiny HTTP server standing in for the deployed web and API, so the health check is real. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface AppStandIn {
  /** host:port, what the base stack exports as the preview domain. */
  host: string;
  close(): Promise<void>;
}

export async function startAppStandIn(): Promise<AppStandIn> {
  const server = createServer((request, response) => {
    const known = /^\/pr-\d+\/(web|api)\/?$/.test(request.url ?? "");
    response.writeHead(known ? 200 : 404, { "content-type": "text/plain" });
    response.end(known ? "ok\n" : "not found\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
