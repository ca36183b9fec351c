/** Output type checks and the cluster probe. */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { probeCluster } from "../../../actions/verify-stack-ref/probe.js";
import { twoContexts } from "../../support/kubeconfig.js";
import { checkOutputs, parseRequired } from "../../../actions/verify-stack-ref/required.js";

describe("checkOutputs", () => {
  it("tells present, missing and wrong type apart; null is no object", () => {
    const required = parseRequired([
      "a",
      "b:number",
      "c:object",
      "d:array",
      "e:boolean",
      "f:object",
    ]);
    const checks = checkOutputs(required, {
      a: null,
      b: "1",
      c: { x: 1 },
      d: [],
      e: false,
      f: null,
    });
    expect(checks.map((c) => c.status)).toEqual([
      "present",
      "wrong-type",
      "present",
      "present",
      "present",
      "wrong-type",
    ]);
    expect(checkOutputs(parseRequired(["zz"]), {})).toEqual([{ name: "zz", status: "missing" }]);
  });
});

describe("probeCluster", () => {
  let server: Server | undefined;
  let written: string[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });
  const capture = () => {
    written = [];
    vi.spyOn(process.stdout, "write").mockImplementation(
      (chunk) => (written.push(String(chunk)), true),
    );
  };

  /** A /version endpoint answering `status`; records the Authorization header it got. */
  async function cluster(status: number): Promise<{ url: string; auth: string[] }> {
    const auth: string[] = [];
    server = createServer((req, res) => {
      auth.push(req.headers.authorization ?? "");
      res
        .writeHead(req.url === "/version" ? status : 404, { "content-type": "application/json" })
        .end(JSON.stringify({ gitVersion: "v1.31.2" }));
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth };
  }

  it("uses the current context's cluster and user, from text or object", async () => {
    capture();
    const { url, auth } = await cluster(200);
    for (const value of [JSON.stringify(twoContexts(url)), twoContexts(url)]) {
      expect(await probeCluster(value)).toEqual({ reachable: true, version: "v1.31.2" });
    }
    expect(auth).toEqual(["Bearer token-bbbbbb", "Bearer token-bbbbbb"]);
  });

  it.each([401, 403])("counts HTTP %i from /version as reachable", async (status) => {
    capture();
    const { url } = await cluster(status);
    expect(await probeCluster(twoContexts(url))).toEqual({
      reachable: true,
      note: `/version answered HTTP ${status} (credentials not accepted for it)`,
    });
  });

  it("masks credentials and the server, but not short names", async () => {
    capture();
    const { url } = await cluster(200);
    await probeCluster(twoContexts(url));
    const masks = written.join("").match(/^::add-mask::.*$/gm) ?? [];
    expect(masks).toEqual(
      expect.arrayContaining(["::add-mask::token-bbbbbb", `::add-mask::${url}`]),
    );
    expect(masks).not.toContain("::add-mask::cb");
  });

  it("gives a reason, never the content, when it cannot be used", async () => {
    capture();
    expect(await probeCluster("apiVersion: v1\nclusters: [\n  token: abcdefgh")).toEqual({
      reachable: false,
      reason: "the output is not valid kubeconfig YAML",
    });
    expect(await probeCluster({ clusters: [] })).toEqual({
      reachable: false,
      reason: "the kubeconfig names no cluster server",
    });
    expect(await probeCluster(42)).toEqual({
      reachable: false,
      reason: "the output is not a kubeconfig object",
    });
  });

  it("names an unreachable server's failure by its code only", async () => {
    capture();
    const { url } = await cluster(200);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const probe = await probeCluster(twoContexts(url), { timeoutMs: 1000 });
    expect(probe).toEqual({ reachable: false, reason: "connection refused (ECONNREFUSED)" });
    expect(JSON.stringify(probe)).not.toContain("127.0.0.1");
  });
});
