/**
 * The emulator against answers recorded from real API servers (recorded/*.json, each
 * naming its public source), and its namespace lifecycle step by step on a fake clock.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  createKubernetesEmulator,
  type EmulatorOptions,
  type KubernetesEmulator,
} from "./server.js";

interface Recorded {
  source: string;
  response?: Record<string, unknown>;
  kubectl?: string;
  status?: { conditions: Record<string, string>[]; phase: string };
  content?: Record<string, number>;
  finalizer?: string;
}

const recorded = (name: string): Recorded =>
  JSON.parse(readFileSync(new URL(`recorded/${name}`, import.meta.url), "utf8")) as Recorded;

/** Conditions without their timestamps, which only say when the recording was made. */
const withoutTimes = (conditions: Record<string, unknown>[] = []) =>
  conditions.map(({ lastTransitionTime: _time, ...rest }) => rest);

let emulator: KubernetesEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<KubernetesEmulator> {
  emulator = await createKubernetesEmulator(options);
  return emulator;
}

async function call(
  emu: KubernetesEmulator,
  method: string,
  path: string,
  body?: object,
  token: string | null = emu.token,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ca = emu.caData ? Buffer.from(emu.caData, "base64") : undefined;
  const send = emu.url.startsWith("https") ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      `${emu.url}${path}`,
      {
        method,
        ca,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          "Content-Type": "application/json",
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe("Status objects match recorded API answers", () => {
  it("404 NotFound, field for field and in order", async () => {
    const emu = await start({ namespaces: { default: {} } });
    const answer = await call(emu, "GET", "/api/v1/namespaces/default/pods/abc");
    expect(answer.status).toBe(404);
    expect(JSON.stringify(answer.body)).toBe(
      JSON.stringify(recorded("status-not-found.json").response),
    );
  });

  it("403 Forbidden names the user, verb, resource, group and the namespace itself", async () => {
    const emu = await start({
      user: "system:serviceaccount:prefect:prefect-worker",
      forbid: [{ verb: "get", resource: "namespaces" }],
      namespaces: { "kube-system": {} },
    });
    const answer = await call(emu, "GET", "/api/v1/namespaces/kube-system");
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body)).toBe(
      JSON.stringify(recorded("status-forbidden-namespace.json").response),
    );
  });

  it("409 AlreadyExists on a second create", async () => {
    const emu = await start({ namespaces: { default: {} } });
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "mock-2" } };
    expect((await call(emu, "POST", "/api/v1/namespaces/default/services", service)).status).toBe(
      201,
    );
    const answer = await call(emu, "POST", "/api/v1/namespaces/default/services", service);
    expect(JSON.stringify(answer.body)).toBe(
      JSON.stringify(recorded("status-already-exists.json").response),
    );
  });

  it("401 without a token", async () => {
    const emu = await start();
    const answer = await call(emu, "GET", "/api/v1/namespaces", undefined, null);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });
});

describe("namespace deletion matches recorded Terminating namespaces", () => {
  it("pods that never go: the conditions and the finalize response of a real cluster", async () => {
    const real = recorded("namespace-finalize-pods-remaining.json").response as {
      spec: object;
      status: { phase: string; conditions: Record<string, unknown>[] };
    };
    const emu = await start({
      namespaces: {
        "kubernetes-dashboard": {
          content: [
            {
              apiVersion: "v1",
              kind: "Pod",
              name: "dashboard-metrics-scraper-7bc864c59-cm7q6",
              removeAfterMs: Infinity,
            },
            {
              apiVersion: "v1",
              kind: "Pod",
              name: "kubernetes-dashboard-6ff574dd47-4vf28",
              removeAfterMs: Infinity,
            },
          ],
        },
      },
    });
    const deleted = await call(emu, "DELETE", "/api/v1/namespaces/kubernetes-dashboard");
    expect(deleted.body).toMatchObject({
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Terminating" },
    });

    const stuck = await call(emu, "GET", "/api/v1/namespaces/kubernetes-dashboard");
    const status = stuck.body.status as { conditions: Record<string, unknown>[] };
    expect(withoutTimes(status.conditions)).toEqual(withoutTimes(real.status.conditions));

    const finalized = await call(emu, "PUT", "/api/v1/namespaces/kubernetes-dashboard/finalize", {
      ...stuck.body,
      spec: { finalizers: [] },
    });
    expect(finalized.status).toBe(200);
    expect(finalized.body.spec).toEqual(real.spec);
    expect((finalized.body.status as { phase: string }).phase).toBe(real.status.phase);
    expect(Object.keys(finalized.body.metadata as object)).toEqual(
      expect.arrayContaining(Object.keys((real as { metadata?: object }).metadata ?? {})),
    );
    expect((await call(emu, "GET", "/api/v1/namespaces/kubernetes-dashboard")).status).toBe(404);
    expect(emu.state.orphans.map((o) => o.metadata.name)).toHaveLength(2);
  });

  it("custom resources held by a finalizer: the conditions of a real Trident namespace", async () => {
    const real = recorded("namespace-terminating-finalizers.json");
    const emu = await start({ namespaces: { trident: {} } });
    for (const [groupResource, count] of Object.entries(real.content ?? {})) {
      const [plural, ...group] = groupResource.split(".");
      const kind = (plural as string).replace(/s$/, "");
      emu.state.resources.register({
        group: group.join("."),
        version: "v1",
        kind,
        plural: plural as string,
        namespaced: true,
      });
      for (let i = 0; i < count; i++) {
        emu.state.addObject("trident", {
          apiVersion: `${group.join(".")}/v1`,
          kind,
          name: `${kind}-${i}`,
          finalizers: [real.finalizer as string],
        });
      }
    }
    await call(emu, "DELETE", "/api/v1/namespaces/trident");
    const stuck = await call(emu, "GET", "/api/v1/namespaces/trident");
    const status = stuck.body.status as { phase: string; conditions: Record<string, unknown>[] };
    expect(status.phase).toBe(real.status?.phase);
    expect(withoutTimes(status.conditions)).toEqual(withoutTimes(real.status?.conditions));
  });
});

describe("namespace lifecycle", () => {
  it("Terminating while content goes away, then gone; timestamps move only on a status change", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const emu = await start({
      clock: () => now,
      namespaces: {
        "preview-pr-7": {
          content: [
            { apiVersion: "apps/v1", kind: "Deployment", name: "web", removeAfterMs: 5000 },
            { apiVersion: "v1", kind: "ConfigMap", name: "settings", removeAfterMs: 1000 },
          ],
        },
      },
    });
    await call(emu, "DELETE", "/api/v1/namespaces/preview-pr-7");
    const remaining = () =>
      emu.state
        .namespace("preview-pr-7")
        ?.status.conditions?.find((c) => c.type === "NamespaceContentRemaining");
    expect(remaining()?.message).toBe(
      "Some resources are remaining: configmaps. has 1 resource instances, deployments.apps has 1 resource instances",
    );
    now += 2000;
    expect(remaining()).toMatchObject({
      status: "True",
      message: "Some resources are remaining: deployments.apps has 1 resource instances",
      lastTransitionTime: "2026-01-01T00:00:00Z",
    });
    expect(emu.state.content("preview-pr-7").map((o) => o.metadata.name)).toEqual(["web"]);
    now += 4000;
    expect(emu.state.namespace("preview-pr-7")).toBeUndefined();
    expect(emu.state.orphans).toEqual([]);
  });

  it("new content is refused in a Terminating namespace", async () => {
    const emu = await start({
      namespaces: {
        "preview-pr-8": {
          content: [{ apiVersion: "v1", kind: "Pod", name: "p", removeAfterMs: Infinity }],
        },
      },
    });
    await call(emu, "DELETE", "/api/v1/namespaces/preview-pr-8");
    const answer = await call(emu, "POST", "/api/v1/namespaces/preview-pr-8/configmaps", {
      metadata: { name: "late" },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe(
      'configmaps "late" is forbidden: unable to create new content in namespace preview-pr-8 because it is being terminated',
    );
  });

  it("finalize with a stale resourceVersion is a 409 Conflict", async () => {
    const emu = await start({ namespaces: { "preview-pr-9": {} } });
    emu.state.addObject("preview-pr-9", {
      apiVersion: "v1",
      kind: "Pod",
      name: "p",
      removeAfterMs: Infinity,
    });
    const before = await call(emu, "GET", "/api/v1/namespaces/preview-pr-9");
    // Deleting changes the namespace (phase, conditions): the read above is now stale.
    await call(emu, "DELETE", "/api/v1/namespaces/preview-pr-9");
    const answer = await call(emu, "PUT", "/api/v1/namespaces/preview-pr-9/finalize", {
      ...before.body,
      spec: { finalizers: [] },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toBe(
      'Operation cannot be fulfilled on namespaces "preview-pr-9": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("an unavailable aggregated API keeps even an empty namespace Terminating", async () => {
    const emu = await start({ namespaces: { "preview-pr-10": {} } });
    emu.state.breakGroupVersion("metrics.k8s.io/v1beta1");
    await call(emu, "DELETE", "/api/v1/namespaces/preview-pr-10");
    const conditions = emu.state.namespace("preview-pr-10")?.status.conditions ?? [];
    expect(conditions.find((c) => c.type === "NamespaceDeletionDiscoveryFailure")).toMatchObject({
      status: "True",
      reason: "DiscoveryFailed",
      message:
        "Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stale GroupVersion discovery: metrics.k8s.io/v1beta1",
    });
    expect((await call(emu, "GET", "/apis/metrics.k8s.io/v1beta1")).status).toBe(503);
  });

  it("RBAC denial of the finalize subresource only", async () => {
    const emu = await start({
      forbid: [{ verb: "update", resource: "namespaces/finalize" }],
      namespaces: { "preview-pr-11": {} },
    });
    expect((await call(emu, "GET", "/api/v1/namespaces/preview-pr-11")).status).toBe(200);
    const answer = await call(emu, "PUT", "/api/v1/namespaces/preview-pr-11/finalize", {
      spec: { finalizers: [] },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe(
      'namespaces "preview-pr-11" is forbidden: User "system:serviceaccount:ci:preview-cleanup" cannot update resource "namespaces/finalize" in API group "" in the namespace "preview-pr-11"',
    );
    expect(emu.requests.at(-1)).toMatchObject({
      method: "PUT",
      verb: "update",
      resource: "namespaces",
      subresource: "finalize",
      code: 403,
    });
  });
});

describe("discovery and clients", () => {
  it("serves /version, /api, /apis and resource lists with the finalize subresource", async () => {
    const emu = await start({
      namespaces: { a: { content: [{ apiVersion: "example.com/v1", kind: "Widget", name: "w" }] } },
    });
    expect((await call(emu, "GET", "/version")).body).toMatchObject({
      major: "1",
      gitVersion: expect.stringMatching(/^v1\./),
    });
    expect((await call(emu, "GET", "/api")).body).toMatchObject({
      kind: "APIVersions",
      versions: ["v1"],
    });
    const groups = (await call(emu, "GET", "/apis")).body.groups as { name: string }[];
    expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(["apps", "example.com"]));
    const core = (await call(emu, "GET", "/api/v1")).body.resources as {
      name: string;
      verbs: string[];
    }[];
    expect(core.find((r) => r.name === "namespaces/finalize")?.verbs).toEqual(["update"]);
    const custom = (await call(emu, "GET", "/apis/example.com/v1")).body.resources as {
      name: string;
      namespaced: boolean;
    }[];
    expect(custom).toEqual([expect.objectContaining({ name: "widgets", namespaced: true })]);
  });

  it("the kubeconfig works with the official @kubernetes/client-node (TLS with its CA, bearer token)", async () => {
    const emu = await start({ namespaces: { "preview-pr-12": { labels: { team: "web" } } } });
    const k8s = await import("@kubernetes/client-node");
    const config = new k8s.KubeConfig();
    config.loadFromString(emu.kubeconfig());
    const core = config.makeApiClient(k8s.CoreV1Api);
    const namespace = await core.readNamespace({ name: "preview-pr-12" });
    expect(namespace.metadata?.labels).toEqual({
      team: "web",
      "kubernetes.io/metadata.name": "preview-pr-12",
    });
    await expect(core.readNamespace({ name: "absent" })).rejects.toMatchObject({ code: 404 });
    expect(emu.requests.map((r) => r.user)).toEqual([
      "system:serviceaccount:ci:preview-cleanup",
      "system:serviceaccount:ci:preview-cleanup",
    ]);
  });

  it("a second context can carry another user's token", async () => {
    const emu = await start();
    const readOnly = emu.state.addUser("system:serviceaccount:ci:viewer");
    const text = emu.kubeconfig({
      second: { context: "viewer", token: readOnly },
      currentContext: "viewer",
    });
    expect(text).toContain("current-context: viewer");
    expect(text).toContain(readOnly);
  });

  it("injected faults answer the next matching requests", async () => {
    const emu = await start({ namespaces: { a: {} } });
    emu.injectFault({ method: "GET", path: "/api/v1/namespaces/a", code: 503, times: 1 });
    expect((await call(emu, "GET", "/api/v1/namespaces/a")).status).toBe(503);
    expect((await call(emu, "GET", "/api/v1/namespaces/a")).status).toBe(200);
  });
});
