/**
 * cleanup-namespace as the runner runs it (the bundle in a child process) against a real
 * control plane: etcd, kube-apiserver with RBAC, and kube-controller-manager, whose
 * namespace controller deletes a namespace's content and then its `kubernetes` finalizer.
 * The action reaches the API server through a recording pass-through, so what was or was
 * not requested is asserted from the log of requests, and what happened from the server.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { leakedSecrets, runAction, type ActionRun } from "../harness/run-action.js";
import {
  controlPlaneEngines,
  startControlPlane,
  type ControlPlane,
  type PolicyRule,
} from "../support/control-plane.js";
import { startKubeProxy, type KubeProxy } from "../support/kube-proxy.js";
import { type ConnectProxy, startConnectProxy } from "../support/connect-proxy.js";

const bin = controlPlaneEngines();

/** What the action needs: read and delete namespaces, finalize them, list what is left. */
const READ_NAMESPACES: PolicyRule = {
  apiGroups: [""],
  resources: ["namespaces"],
  verbs: ["get"],
};
const DELETE_NAMESPACES: PolicyRule = {
  apiGroups: [""],
  resources: ["namespaces"],
  verbs: ["delete"],
};
const FINALIZE: PolicyRule = {
  apiGroups: [""],
  resources: ["namespaces/finalize"],
  verbs: ["update"],
};
const LIST_ALL: PolicyRule = { apiGroups: ["*"], resources: ["*"], verbs: ["list"] };

const PREVIEW = (pr: number) => ({ "preview-kit/pull-request": String(pr) });
const WIDGETS = "/apis/example.com/v1";

let plane: ControlPlane;
let proxy: KubeProxy;
/** The ServiceAccount token with every permission the cleanup needs. */
let token: string;

beforeAll(async () => {
  if (!bin) return;
  plane = await startControlPlane(bin);
  proxy = await startKubeProxy(plane);
  token = await plane.token("cleanup", [READ_NAMESPACES, DELETE_NAMESPACES, FINALIZE, LIST_ALL]);
  // A custom resource whose finalizer nobody removes: its CRD, created here.
  await plane.admin("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        },
      ],
    },
  });
  await plane.waitFor(
    "the Widget CRD",
    async () => (await plane.admin("GET", `${WIDGETS}`)).status === 200,
  );
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await plane?.stop();
});

afterEach(() => {
  if (proxy) proxy.requests.length = 0;
});

async function createNamespace(name: string, labels: Record<string, string>) {
  const response = await plane.admin<{ metadata: { uid: string } }>("POST", "/api/v1/namespaces", {
    metadata: { name, labels },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function create(namespace: string, collection: string, object: object) {
  const prefix = collection.startsWith("/apis") ? collection : `/api/v1`;
  const plural = collection.startsWith("/apis") ? "widgets" : collection;
  const response = await plane.admin("POST", `${prefix}/namespaces/${namespace}/${plural}`, object);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

const widget = (name: string) => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name, finalizers: ["example.com/hold"] },
});

/** Removes the finalizers of a Widget, as the controller nobody runs would have. */
async function release(namespace: string, name: string) {
  const path = `${WIDGETS}/namespaces/${namespace}/widgets/${name}`;
  const current = await plane.admin<{ metadata: object }>("GET", path);
  await plane.admin("PUT", path, {
    ...current.body,
    metadata: { ...current.body.metadata, finalizers: [] },
  });
}

async function namespaceState(name: string) {
  const response = await plane.admin<{
    metadata: { uid: string; deletionTimestamp?: string };
    spec: { finalizers?: string[] };
    status: { phase: string };
  }>("GET", `/api/v1/namespaces/${name}`);
  return response.status === 404 ? undefined : response.body;
}

/**
 * Deletes a namespace as the admin and waits for the namespace controller's condition: its
 * first pass takes seconds on a busy machine, and the tests that look at a stuck
 * namespace need it stuck already (the action's own DELETE then answers 200 again).
 */
async function stuckTerminating(name: string, condition: string) {
  await plane.admin("DELETE", `/api/v1/namespaces/${name}`);
  await plane.waitFor(`${condition} on ${name}`, async () => {
    const response = await plane.admin<{
      status: { conditions?: { type: string; status: string }[] };
    }>("GET", `/api/v1/namespaces/${name}`);
    return (response.body.status.conditions ?? []).some(
      (c) => c.type === condition && c.status === "True",
    );
  });
}

async function cleanup(
  inputs: Record<string, string>,
  options: { token?: string; exec?: object; proxyUrl?: string; env?: Record<string, string> } = {},
) {
  const { proxyUrl, env, ...kube } = options;
  let kubeconfig = plane.kubeconfig({ server: proxy.url, token: options.token ?? token, ...kube });
  if (proxyUrl) {
    const config = parse(kubeconfig) as { clusters: { cluster: Record<string, string> }[] };
    for (const { cluster } of config.clusters) cluster["proxy-url"] = proxyUrl;
    kubeconfig = JSON.stringify(config);
  }
  const run = await runAction("cleanup-namespace", { inputs: { kubeconfig, ...inputs }, env });
  // Whatever happened, neither the kubeconfig nor its token may be readable.
  expect(leakedSecrets(run, [kubeconfig, options.token ?? token])).toEqual([]);
  return run;
}

const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);
const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === "warning").map((a) => a.message);
const calls = (method: string, suffix = "") =>
  proxy.requests.filter((r) => r.method === method && r.path.endsWith(suffix));

describe.skipIf(!bin)("cleanup-namespace on a real control plane", () => {
  it("deletes a namespace: the namespace controller removes its content, then the namespace", async () => {
    await createNamespace("preview-pr-1", PREVIEW(1));
    await create("preview-pr-1", "configmaps", {
      metadata: { name: "settings" },
      data: { a: "1" },
    });
    await create("preview-pr-1", "secrets", { metadata: { name: "db" }, stringData: { p: "x" } });
    await create("preview-pr-1", "services", {
      metadata: { name: "web" },
      spec: { ports: [{ port: 80 }] },
    });
    const run = await cleanup({ namespace: "preview-pr-1", "timeout-seconds": "30" });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(JSON.parse(run.outputs.leftovers ?? "")).toEqual([]);
    expect(await namespaceState("preview-pr-1")).toBeUndefined();
    expect(calls("DELETE").map((r) => r.status)).toEqual([200]);
    // Only the namespace checked: the DELETE names its uid.
    expect(calls("DELETE")[0]?.body).toMatchObject({ preconditions: { uid: expect.any(String) } });
    expect(calls("PUT", "/finalize")).toEqual([]);
    expect(run.summary).toContain("| `preview-pr-1` | deleted |");

    const again = await cleanup({ namespace: "preview-pr-1" });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.result).toBe("already-absent");
    expect(calls("DELETE")).toHaveLength(1);
  });

  it("with force, names what holds a namespace and what forcing orphans, finalizes it and proves it gone", async () => {
    await createNamespace("preview-pr-2", PREVIEW(2));
    await create("preview-pr-2", WIDGETS, widget("db"));
    // The API server's own admission adds kubernetes.io/pvc-protection; no controller here lifts it.
    await create("preview-pr-2", "persistentvolumeclaims", {
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    // As a cloud's service controller marks the load balancer it created.
    await create("preview-pr-2", "services", {
      metadata: { name: "edge", finalizers: ["service.kubernetes.io/load-balancer-cleanup"] },
      spec: { type: "LoadBalancer", ports: [{ port: 443 }] },
    });
    await stuckTerminating("preview-pr-2", "NamespaceFinalizersRemaining");
    const run = await cleanup({ namespace: "preview-pr-2", "timeout-seconds": "2", force: "true" });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("forced");
    expect(JSON.parse(run.outputs.leftovers ?? "")).toEqual(
      expect.arrayContaining([
        {
          apiVersion: "example.com/v1",
          kind: "Widget",
          name: "db",
          finalizers: ["example.com/hold"],
        },
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          name: "data",
          finalizers: ["kubernetes.io/pvc-protection"],
        },
        {
          apiVersion: "v1",
          kind: "Service",
          name: "edge",
          finalizers: ["service.kubernetes.io/load-balancer-cleanup"],
        },
      ]),
    );
    expect(run.log).toMatch(
      /NamespaceFinalizersRemaining: Some content in the namespace has finalizers remaining: /,
    );
    const [warning, ...more] = warnings(run);
    expect(more).toEqual([]);
    expect(warning).toContain("Forcing namespace 'preview-pr-2' orphans 3 object(s)");
    expect(warning).toContain("Widget db (example.com/hold)");
    expect(warning).toContain("PersistentVolumeClaim data (kubernetes.io/pvc-protection)");
    expect(warning).toContain("Service edge (service.kubernetes.io/load-balancer-cleanup)");
    expect(calls("PUT", "/finalize").map((r) => r.status)).toEqual([200]);
    expect(await namespaceState("preview-pr-2")).toBeUndefined();
    // Orphaned indeed: the widget outlives its namespace in storage.
    const stored = await plane.admin<{ items: { metadata: { name: string } }[] }>(
      "GET",
      `${WIDGETS}/widgets`,
    );
    expect(stored.body.items.map((i) => i.metadata.name)).toContain("db");
    expect(run.summary).toContain("| `preview-pr-2` | forced (finalizers cleared) |");
  });

  it("without force (the default), fails with the namespace's own conditions in one line and leaves it Terminating", async () => {
    await createNamespace("preview-pr-3", PREVIEW(3));
    await create("preview-pr-3", WIDGETS, widget("db"));
    await stuckTerminating("preview-pr-3", "NamespaceFinalizersRemaining");
    const run = await cleanup({ namespace: "preview-pr-3", "timeout-seconds": "2" });

    expect(run.exitCode).toBe(1);
    const [error, ...others] = errors(run);
    expect(others).toEqual([]);
    expect(error).not.toContain("\n");
    expect(error).toMatch(
      /^Namespace 'preview-pr-3' is still Terminating after 2 s and force is off: .*NamespaceFinalizersRemaining: Some content in the namespace has finalizers remaining: example.com\/hold in 1 resource instances/,
    );
    expect(calls("PUT", "/finalize")).toEqual([]);
    expect((await namespaceState("preview-pr-3"))?.status.phase).toBe("Terminating");
    expect(run.summary).toContain("still Terminating (force is off)");
    await release("preview-pr-3", "db");
  });

  it("an aggregated API without a backend (NamespaceDeletionDiscoveryFailure): fails without force, forced with it", async () => {
    const apiService = "/apis/apiregistration.k8s.io/v1/apiservices/v1.broken.example.com";
    await plane.admin("POST", "/apis/apiregistration.k8s.io/v1/apiservices", {
      metadata: { name: "v1.broken.example.com" },
      spec: {
        group: "broken.example.com",
        version: "v1",
        service: { namespace: "ci", name: "no-such-backend", port: 443 },
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 1000,
        versionPriority: 15,
      },
    });
    try {
      await createNamespace("preview-pr-4", PREVIEW(4));
      await stuckTerminating("preview-pr-4", "NamespaceDeletionDiscoveryFailure");
      const refused = await cleanup({ namespace: "preview-pr-4", "timeout-seconds": "2" });
      expect(refused.exitCode).toBe(1);
      expect(errors(refused)).toEqual([
        expect.stringMatching(
          /^Namespace 'preview-pr-4' is still Terminating after 2 s and force is off: NamespaceDeletionDiscoveryFailure: Discovery failed for some groups, 1 failing: .*broken\.example\.com\/v1/,
        ),
      ]);

      const forced = await cleanup({
        namespace: "preview-pr-4",
        "timeout-seconds": "2",
        force: "true",
      });
      expect(forced.exitCode, forced.stdout).toBe(0);
      expect(forced.outputs.result).toBe("forced");
      expect(forced.log).toContain("NamespaceDeletionDiscoveryFailure:");
      expect(forced.summary).toMatch(/Could not list: .*broken\.example\.com\/v1 \(HTTP 503\)/);
      expect(await namespaceState("preview-pr-4")).toBeUndefined();
    } finally {
      await plane.admin("DELETE", apiService);
    }
  });

  it("a namespace recreated between the check and the delete survives: the uid precondition answers 409", async () => {
    const first = await createNamespace("preview-pr-5", PREVIEW(5));
    let second: { metadata: { uid: string } } | undefined;
    proxy.onRequest(
      { method: "DELETE", path: "/api/v1/namespaces/preview-pr-5" },
      async ({ body }) => {
        // Another job deletes the preview and deploys it again, right after the guards ran.
        await plane.admin("DELETE", "/api/v1/namespaces/preview-pr-5");
        await plane.waitFor(
          "the old namespace to go",
          async () => !(await namespaceState("preview-pr-5")),
        );
        second = await createNamespace("preview-pr-5", PREVIEW(5));
        return body;
      },
    );
    const run = await cleanup({ namespace: "preview-pr-5", force: "true", "timeout-seconds": "2" });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Namespace 'preview-pr-5' was replaced by a new one (its uid changed) after it was checked: the new namespace is left alone",
    ]);
    expect(calls("DELETE")).toMatchObject([
      { status: 409, body: { preconditions: { uid: first.metadata.uid } } },
    ]);
    expect(calls("PUT", "/finalize")).toEqual([]);
    const survivor = await namespaceState("preview-pr-5");
    expect(survivor?.metadata.uid).toBe(second?.metadata.uid);
    expect(survivor?.status.phase).toBe("Active");
    expect(survivor?.spec.finalizers).toEqual(["kubernetes"]);
  });

  it("a live namespace answering 409 to DELETE is never finalized: decided by its deletionTimestamp", async () => {
    await createNamespace("preview-pr-6", PREVIEW(6));
    // A conflicting precondition on the way, as a webhook or proxy could cause: the real 409.
    proxy.onRequest({ method: "DELETE", path: "/api/v1/namespaces/preview-pr-6" }, ({ body }) => ({
      ...(body as object),
      preconditions: { ...(body as { preconditions: object }).preconditions, resourceVersion: "1" },
    }));
    const run = await cleanup({ namespace: "preview-pr-6", force: "true", "timeout-seconds": "2" });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^Deleting namespace 'preview-pr-6' answered 409 Conflict \(.*Precondition failed.*\) but the namespace is not being deleted \(no deletionTimestamp\): nothing was forced$/,
      ),
    ]);
    expect(calls("DELETE").map((r) => r.status)).toEqual([409]);
    expect(calls("PUT", "/finalize")).toEqual([]);
    const live = await namespaceState("preview-pr-6");
    expect(live?.metadata.deletionTimestamp).toBeUndefined();
    expect(live?.spec.finalizers).toEqual(["kubernetes"]);
  });

  it("continues a half-finished run: a namespace already Terminating is deleted again (200 on v1.37) and waited for", async () => {
    await createNamespace("preview-pr-7", PREVIEW(7));
    await create("preview-pr-7", WIDGETS, widget("db"));
    await plane.admin("DELETE", "/api/v1/namespaces/preview-pr-7");
    setTimeout(() => void release("preview-pr-7", "db"), 1500);
    const run = await cleanup({ namespace: "preview-pr-7", "timeout-seconds": "20" });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(calls("DELETE").map((r) => r.status)).toEqual([200]);
  });

  it.each([
    [
      "without delete on namespaces",
      "no-delete",
      [READ_NAMESPACES, FINALIZE, LIST_ALL],
      `Forbidden to delete namespace 'preview-pr-8': the kubeconfig's user needs the RBAC permission verbs ["delete"] on resources ["namespaces"] in apiGroups [""] (cluster scope, e.g. a ClusterRole). Nothing was deleted.`,
    ],
    [
      "without namespaces/finalize, when force is on",
      "no-finalize",
      [READ_NAMESPACES, DELETE_NAMESPACES, LIST_ALL],
      `Forbidden to clear the finalizers of namespace 'preview-pr-8': the kubeconfig's user needs the RBAC permission verbs ["update"] on resources ["namespaces/finalize"] in apiGroups [""] (cluster scope, e.g. a ClusterRole). Nothing was deleted.`,
    ],
  ])("a token %s: one actionable line, nothing half-done", async (_title, account, rules, line) => {
    if (!(await namespaceState("preview-pr-8"))) await createNamespace("preview-pr-8", PREVIEW(8));
    const limited = await plane.token(account, rules);
    const run = await cleanup({ namespace: "preview-pr-8", force: "true" }, { token: limited });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([line]);
    expect(calls("DELETE")).toEqual([]);
    expect(run.outputs).toEqual({});
    expect((await namespaceState("preview-pr-8"))?.status.phase).toBe("Active");
  });

  it.each([
    [
      "kube-system, even with a pattern that allows everything",
      "kube-system",
      { "allowed-pattern": ".*" },
      "it is a system namespace",
    ],
    [
      "a name outside the default pattern",
      "production",
      {},
      "does not match allowed-pattern '^preview-pr-[0-9]+$'",
    ],
    [
      "a name that only contains the pattern",
      "preview-pr-1-prod",
      { "allowed-pattern": "preview-pr-[0-9]+" },
      "does not match",
    ],
  ])("refuses %s without a single API call", async (_title, namespace, inputs, why) => {
    const run = await cleanup({ namespace, ...inputs });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([expect.stringContaining(why)]);
    expect(errors(run)[0]).toContain("Nothing was deleted");
    expect(proxy.requests).toEqual([]);
    expect(run.outputs).toEqual({});
  });

  it("refuses a shared namespace a broad pattern lets through: it lacks the preview label", async () => {
    await createNamespace("ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx" });
    const run = await cleanup({ namespace: "ingress-nginx", "allowed-pattern": ".*" });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Refusing to delete namespace 'ingress-nginx': required-label preview-kit/pull-request is not on the namespace (it has no such label). Nothing was deleted.",
    ]);
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/v1/namespaces/ingress-nginx",
    ]);
    expect((await namespaceState("ingress-nginx"))?.status.phase).toBe("Active");
  });

  it("deletes nothing in a dry run", async () => {
    await createNamespace("preview-pr-9", PREVIEW(9));
    const run = await cleanup({ namespace: "preview-pr-9", "dry-run": "true" });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("dry-run");
    expect(proxy.requests.every((r) => r.method === "GET")).toBe(true);
    expect((await namespaceState("preview-pr-9"))?.status.phase).toBe("Active");
  });

  it("rejects bad inputs before any API call", async () => {
    const run = await cleanup({
      namespace: "preview-pr-10",
      "allowed-pattern": "preview-(",
      "required-label": "=no-key",
      "timeout-seconds": "0",
    });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'allowed-pattern' must be a pattern of the supported syntax (missing ')' at position 10), got 'preview-('",
      "Input 'required-label' must be KEY or KEY=VALUE, a label such as preview-kit/pull-request, got '=no-key'",
      "Input 'timeout-seconds' must be an integer from 1 to 3600, got '0'",
    ]);
    expect(proxy.requests).toEqual([]);
  });

  it("a pattern that backtracks catastrophically in a RegExp is matched at once", async () => {
    const name = `${"a".repeat(62)}x`;
    const started = Date.now();
    const run = await cleanup({ namespace: name, "allowed-pattern": "(a+)+b" });

    expect(errors(run)).toEqual([
      `Refusing to delete namespace '${name}': the name does not match allowed-pattern '(a+)+b'. Nothing was deleted.`,
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  describe("an exec credential plugin whose token expires mid-wait", () => {
    /**
     * A plugin (as `aws eks get-token`) that hands out the given tokens in turn, the last
     * one repeating, and writes a line per call to `calls`.
     */
    function plugin(tokens: { token: string; ttlSeconds?: number }[]) {
      const dir = mkdtempSync(join(tmpdir(), "exec-plugin-"));
      const calls = join(dir, "calls");
      const script = join(dir, "get-token.mjs");
      writeFileSync(
        script,
        [
          `import { appendFileSync, existsSync, readFileSync } from "node:fs";`,
          `const tokens = ${JSON.stringify(tokens)};`,
          `const calls = ${JSON.stringify(calls)};`,
          `const n = existsSync(calls) ? readFileSync(calls, "utf8").split("\\n").filter(Boolean).length : 0;`,
          `appendFileSync(calls, new Date().toISOString() + "\\n");`,
          `const { token, ttlSeconds } = tokens[Math.min(n, tokens.length - 1)];`,
          `const status = { token };`,
          `if (ttlSeconds) status.expirationTimestamp = new Date(Date.now() + ttlSeconds * 1000).toISOString();`,
          `process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status }));`,
        ].join("\n"),
      );
      const exec = {
        apiVersion: "client.authentication.k8s.io/v1",
        command: process.execPath,
        args: [script],
        interactiveMode: "Never",
      };
      const count = () =>
        existsSync(calls) ? readFileSync(calls, "utf8").split("\n").filter(Boolean).length : 0;
      return { exec, count };
    }

    const rules = [READ_NAMESPACES, DELETE_NAMESPACES, FINALIZE, LIST_ALL];

    it("asks the plugin again once its expirationTimestamp passes", async () => {
      const [first, second] = [
        await plane.token("exec-a", rules),
        await plane.token("exec-b", rules),
      ];
      const { exec, count } = plugin([{ token: first, ttlSeconds: 3 }, { token: second }]);
      await createNamespace("preview-pr-11", PREVIEW(11));
      await create("preview-pr-11", WIDGETS, widget("db"));
      const running = cleanup({ namespace: "preview-pr-11", "timeout-seconds": "30" }, { exec });
      await plane.waitFor("a second plugin call", async () => count() >= 2, 20_000);
      await release("preview-pr-11", "db");
      const run = await running;

      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.result).toBe("deleted");
      expect(count()).toBe(2);
      expect(run.masks).toEqual(expect.arrayContaining([first, second]));
      expect(leakedSecrets(run, [first, second])).toEqual([]);
    });

    it("asks the plugin again when the server rejects its token (401)", async () => {
      const [first, second] = [
        await plane.token("exec-c", rules),
        await plane.token("exec-d", rules),
      ];
      const { exec, count } = plugin([{ token: first }, { token: second }]);
      await createNamespace("preview-pr-12", PREVIEW(12));
      await create("preview-pr-12", WIDGETS, widget("db"));
      const running = cleanup({ namespace: "preview-pr-12", "timeout-seconds": "30" }, { exec });
      await plane.waitFor("the deletion to start", async () =>
        Boolean((await namespaceState("preview-pr-12"))?.metadata.deletionTimestamp),
      );
      // The first token's ServiceAccount goes: the real server now answers 401 to it.
      await plane.admin("DELETE", "/api/v1/namespaces/ci/serviceaccounts/exec-c");
      await plane.waitFor("a second plugin call", async () => count() >= 2, 20_000);
      await release("preview-pr-12", "db");
      const run = await running;

      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.result).toBe("deleted");
      expect(run.log).toContain("HTTP 401, asking the credential plugin for a new token");
      expect(proxy.requests.some((r) => r.status === 401)).toBe(true);
      expect(leakedSecrets(run, [first, second])).toEqual([]);
    });
  });

  // Issue #23 item 7: kubectl honours HTTPS_PROXY / NO_PROXY and the kubeconfig's proxy-url;
  // the action went straight to the server. A real CONNECT proxy, started here, records
  // each tunnel it opens.
  describe("through a proxy, as kubectl goes", () => {
    let connect: ConnectProxy;
    beforeAll(async () => {
      connect = await startConnectProxy();
    });
    afterAll(() => connect?.close());
    afterEach(() => {
      if (connect) connect.tunnels.length = 0;
    });
    const apiHost = () => new URL(proxy.url).host;

    it("HTTPS_PROXY: every request tunnels through it; NO_PROXY exempts the server", async () => {
      await createNamespace("preview-pr-20", PREVIEW(20));
      const run = await cleanup(
        { namespace: "preview-pr-20", "timeout-seconds": "30" },
        { env: { HTTPS_PROXY: connect.url, NO_PROXY: "" } },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.result).toBe("deleted");
      expect(connect.tunnels.length).toBeGreaterThan(0);
      expect(new Set(connect.tunnels)).toEqual(new Set([apiHost()]));

      connect.tunnels.length = 0;
      await createNamespace("preview-pr-21", PREVIEW(21));
      const exempt = await cleanup(
        { namespace: "preview-pr-21", "timeout-seconds": "30" },
        { env: { HTTPS_PROXY: connect.url, NO_PROXY: "127.0.0.1" } },
      );
      expect(exempt.exitCode, exempt.stdout).toBe(0);
      expect(connect.tunnels).toEqual([]);
    });

    it("the kubeconfig's proxy-url: used although NO_PROXY names the server, as client-go does", async () => {
      await createNamespace("preview-pr-22", PREVIEW(22));
      const run = await cleanup(
        { namespace: "preview-pr-22", "timeout-seconds": "30" },
        { proxyUrl: connect.url, env: { NO_PROXY: "127.0.0.1", HTTPS_PROXY: "" } },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.result).toBe("deleted");
      expect(new Set(connect.tunnels)).toEqual(new Set([apiHost()]));
    });

    it("a proxy that refuses: the error names the cluster and the proxy, not [secret]", async () => {
      const closed = `http://127.0.0.1:${await connect.closedPort()}`;
      const run = await cleanup({ namespace: "preview-pr-23" }, { proxyUrl: closed });
      expect(run.exitCode).toBe(1);
      const [error] = errors(run);
      expect(error).toMatch(
        /^Cannot reach the Kubernetes API of cluster '[^']+' \(context '[^']+'\): /,
      );
      expect(error).toContain(`through the kubeconfig's proxy-url ${new URL(closed).host}`);
      expect(error).not.toContain("[secret]");
      expect(run.outputs).toEqual({});
    });
  });
});
