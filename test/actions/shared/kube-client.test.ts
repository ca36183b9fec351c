/** The shared Kubernetes client against a plain http server: auth, paths, retries, refusals. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { User } from "@kubernetes/client-node/dist/config_types.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KubeClient, KubeRequestError } from "../../../actions/shared/kube/client.js";
import type { KubeTarget } from "../../../actions/shared/kube/kubeconfig.js";
import { thrownBy } from "../../support/errors.js";

const TOKEN = "client-token-0a1b2c3d";

let server: Server | undefined;
let client: KubeClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  vi.restoreAllMocks();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

interface Seen {
  path: string;
  authorization: string;
}

/** Answers each request with the next of `statuses` (the last one repeats). */
async function api(statuses: number[] = [200]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization ?? "" });
    const status = statuses[Math.min(seen.length, statuses.length) - 1] ?? 200;
    res.writeHead(status, { "content-type": "application/json" }).end('{"kind":"Status"}');
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function target(server: string, user: User = { name: "u", token: TOKEN }): KubeTarget {
  return {
    contextName: "ctx",
    cluster: { name: "c", server, skipTLSVerify: false },
    user,
    baseDir: process.cwd(),
  };
}

const failure = (make: () => unknown) => thrownBy(KubeRequestError, make);

describe("KubeClient", () => {
  it("refuses to send credentials over plain http unless allowed, without naming the server", async () => {
    const { url, seen } = await api();
    const refused = failure(() => new KubeClient(target(url)));
    expect(refused.reason).toContain("http without insecure-skip-tls-verify");
    expect(refused.reason).not.toContain("127.0.0.1");

    client = new KubeClient(target(url), { allowPlainHttp: true });
    expect(await client.request("GET", "/version")).toEqual({
      status: 200,
      body: { kind: "Status" },
    });
    expect(seen).toEqual([{ path: "/version", authorization: `Bearer ${TOKEN}` }]);
  });

  it("refuses a server that is not an http(s) URL", () => {
    expect(failure(() => new KubeClient(target("ftp://example"))).reason).toBe(
      "the kubeconfig's server is not an http(s) URL",
    );
  });

  it("keeps the path of a server behind a proxy", async () => {
    const { url, seen } = await api();
    client = new KubeClient(target(`${url}/k8s/clusters/c-1`), { allowPlainHttp: true });
    await client.request("GET", "/api/v1/namespaces/x");
    expect(seen.map((s) => s.path)).toEqual(["/k8s/clusters/c-1/api/v1/namespaces/x"]);
  });

  it("retries 429 and 5xx, telling method and path only; other statuses are answers", async () => {
    const { url, seen } = await api([503, 429, 401]);
    const retries: string[] = [];
    client = new KubeClient(target(url), {
      allowPlainHttp: true,
      onRetry: (message) => retries.push(message),
    });
    expect((await client.request("GET", "/version")).status).toBe(401);
    expect(seen).toHaveLength(3);
    expect(retries).toEqual([
      "GET /version: HTTP 503, retrying",
      "GET /version: HTTP 429, retrying",
    ]);
  });

  it("gives an unreachable server's reason by code, and names its cluster, not its (masked) address", async () => {
    const { url } = await api();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    client = new KubeClient(target(url), { allowPlainHttp: true });
    const error = await client.request("GET", "/version").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeRequestError);
    expect((error as KubeRequestError).reason).toBe("connection refused (ECONNREFUSED)");
    expect((error as KubeRequestError).message).toBe(
      "Cannot reach the Kubernetes API of cluster 'c' (context 'ctx'): connection refused (ECONNREFUSED)",
    );
  });

  it("authenticates through an exec credential plugin and masks the token it returns", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation(
      (chunk) => (written.push(String(chunk)), true),
    );
    const plugin = join(mkdtempSync(join(tmpdir(), "exec-plugin-")), "get-token.mjs");
    const credential = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      status: { token: "exec-token-9z8y7x" },
    };
    writeFileSync(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});`);
    const { url, seen } = await api();
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: process.execPath,
      args: [plugin],
    };
    client = new KubeClient(target(url, { name: "eks", exec }), { allowPlainHttp: true });
    await client.request("GET", "/version");
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer exec-token-9z8y7x"]);
    expect(written).toContain("::add-mask::exec-token-9z8y7x\n");
  });

  it("reports a failing credential plugin with a reason that quotes nothing", async () => {
    const { url } = await api();
    const exec = { command: join(tmpdir(), "no-such-plugin-secret-path"), args: [] };
    client = new KubeClient(target(url, { name: "eks", exec }), { allowPlainHttp: true });
    const error = await client.request("GET", "/version").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeRequestError);
    expect((error as KubeRequestError).reason).toBe(
      "the kubeconfig's credential plugin failed: its command is not installed",
    );
    expect((error as KubeRequestError).message).not.toContain("no-such-plugin-secret-path");
  });

  it("runs the plugin with the environment it is given, the kubeconfig's env and KUBERNETES_EXEC_INFO only", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), "exec-plugin-"));
    const plugin = join(dir, "get-token.mjs");
    writeFileSync(
      plugin,
      [
        `import { writeFileSync } from "node:fs";`,
        `writeFileSync(${JSON.stringify(join(dir, "env.json"))}, JSON.stringify(process.env));`,
        `process.stdout.write(JSON.stringify({ status: { token: "exec-token-env" } }));`,
      ].join("\n"),
    );
    const { url } = await api();
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1",
      command: process.execPath,
      args: [plugin],
      env: [{ name: "AWS_PROFILE", value: "preview" }],
    };
    process.env.PULUMI_ACCESS_TOKEN_FOR_TEST = "pul-secret";
    try {
      client = new KubeClient(target(url, { name: "eks", exec }), {
        allowPlainHttp: true,
        execEnv: { PATH: process.env.PATH },
      });
      await client.request("GET", "/version");
    } finally {
      delete process.env.PULUMI_ACCESS_TOKEN_FOR_TEST;
    }
    const env = JSON.parse(readFileSync(join(dir, "env.json"), "utf8")) as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(["AWS_PROFILE", "KUBERNETES_EXEC_INFO", "PATH"]);
    expect(JSON.parse(env.KUBERNETES_EXEC_INFO ?? "")).toEqual({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      spec: { interactive: false },
    });
  });
});
