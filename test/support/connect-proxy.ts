/**
 * A forward proxy as corporate networks run them: HTTP CONNECT opens a TCP tunnel to the
 * host:port asked for, and the TLS inside is the client's and the server's own. It records
 * each tunnel's target, so a test knows what went through it.
 */
import { createServer } from "node:http";
import { type AddressInfo, connect as tcpConnect, createServer as tcpServer } from "node:net";

export interface ConnectProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** host:port of each tunnel opened, in order. */
  tunnels: string[];
  /** A port nothing listens on (a proxy that is down). */
  closedPort(): Promise<number>;
  close(): void;
}

export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const server = createServer((_request, response) => {
    // Plain requests are not what a client of an https server sends: refuse them visibly.
    response.writeHead(405).end();
  });
  server.on("connect", (request, client, head) => {
    const target = request.url ?? "";
    tunnels.push(target);
    const [host, port] = [
      target.slice(0, target.lastIndexOf(":")),
      target.slice(target.lastIndexOf(":") + 1),
    ];
    const upstream = tcpConnect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    closedPort: () =>
      new Promise((resolve) => {
        const probe = tcpServer().listen(0, "127.0.0.1", () => {
          const { port: free } = probe.address() as AddressInfo;
          probe.close(() => resolve(free));
        });
      }),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
