/**
 * The emulator against the real control plane: each scenario runs on both, and what they
 * answer (status codes, Status bodies, namespace states and conditions) must be the same.
 * The emulator stays for what a local server cannot do on demand (429/503 storms); this
 * test is what keeps it honest for everything else it models.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  controlPlaneEngines,
  startControlPlane,
  type ControlPlane,
} from "../../support/control-plane.js";
import { createKubernetesEmulator, type KubernetesEmulator } from "./server.js";
import { until } from "../../support/until.js";

const bin = controlPlaneEngines();
const VIEWER = "viewer";
const WIDGETS = "/apis/example.com/v1";

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

type Caller = "admin" | "viewer" | "invalid";

/** One API server, real or emulated, and the few set-ups that differ between them. */
interface Backend {
  call(method: string, path: string, body?: object, as?: Caller): Promise<Answer>;
  /** A Widget that carries a finalizer nobody removes. */
  stuckWidget(namespace: string, name: string): Promise<void>;
  /** An aggregated API whose backend does not exist. */
  breakGroup(): Promise<void>;
  /** The namespace once the namespace controller has acted on its deletion. */
  terminating(namespace: string, type: string): Promise<Answer>;
}

function send(
  url: string,
  ca: Buffer,
  method: string,
  path: string,
  body: object | undefined,
  token: string | undefined,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        ca,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          "Content-Type": "application/json",
          Accept: "application/json",
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => {
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const hasCondition = (answer: Answer, type: string) =>
  (
    (answer.body.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []
  ).some((c) => c.type === type && c.status === "True");

async function realBackend(plane: ControlPlane): Promise<Backend> {
  const ca = Buffer.from(plane.caData, "base64");
  const admin = await plane.token("conformance-admin", [
    { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
  ]);
  const viewer = await plane.token(VIEWER, []);
  const tokens: Record<Caller, string> = { admin, viewer, invalid: "not-a-token-0123456789" };
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
    async () => (await plane.admin("GET", WIDGETS)).status === 200,
  );
  const call = (method: string, path: string, body?: object, as: Caller = "admin") =>
    send(plane.url, ca, method, path, body, tokens[as]);
  return {
    call,
    stuckWidget: async (namespace, name) => {
      await call("POST", `${WIDGETS}/namespaces/${namespace}/widgets`, {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name, finalizers: ["example.com/hold"] },
      });
    },
    breakGroup: async () => {
      await call("POST", "/apis/apiregistration.k8s.io/v1/apiservices", {
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
    },
    terminating: async (namespace, type) => {
      let answer: Answer | undefined;
      await until(async () => {
        answer = await call("GET", `/api/v1/namespaces/${namespace}`);
        return hasCondition(answer, type);
      });
      return answer!;
    },
  };
}

function emulatedBackend(emu: KubernetesEmulator): Backend {
  const ca = Buffer.from(emu.caData ?? "", "base64");
  const viewer = emu.state.addUser(`system:serviceaccount:ci:${VIEWER}`);
  emu.state.forbid(viewer, { verb: "get", resource: "namespaces" });
  emu.state.forbid(viewer, { verb: "update", resource: "namespaces/finalize" });
  emu.state.resources.register({
    group: "example.com",
    version: "v1",
    kind: "Widget",
    plural: "widgets",
    namespaced: true,
  });
  const tokens: Record<Caller, string> = {
    admin: emu.token,
    viewer,
    invalid: "not-a-token-0123456789",
  };
  const call = (method: string, path: string, body?: object, as: Caller = "admin") =>
    send(emu.url, ca, method, path, body, tokens[as]);
  return {
    call,
    stuckWidget: async (namespace, name) => {
      emu.state.addObject(namespace, {
        apiVersion: "example.com/v1",
        kind: "Widget",
        name,
        finalizers: ["example.com/hold"],
      });
    },
    breakGroup: async () => emu.state.breakGroupVersion("broken.example.com/v1"),
    terminating: (namespace) => call("GET", `/api/v1/namespaces/${namespace}`),
  };
}

/** What must agree: volatile fields (uids, versions, times) only as present or absent. */
function comparable(answer: Answer): unknown {
  const scrub = (value: unknown, key = ""): unknown => {
    if (Array.isArray(value)) return value.map((v) => scrub(v));
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => !["managedFields", "lastTransitionTime"].includes(k))
          .map(([k, v]) => [k, scrub(v, k)]),
      );
    if (["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp"].includes(key))
      return "<set>";
    return value;
  };
  return { status: answer.status, body: scrub(answer.body) };
}

const namespaceBody = (name: string) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name },
});

/** Each scenario returns what it observed; both backends must observe the same. */
const SCENARIOS: Record<string, (b: Backend, ns: string) => Promise<unknown>> = {
  "404 NotFound for an object that does not exist": async (b, ns) =>
    comparable(await b.call("GET", `/api/v1/namespaces/${ns}/pods/abc`)),

  "403 Forbidden names the user, verb, resource and the namespace itself": async (b, ns) =>
    comparable(await b.call("GET", `/api/v1/namespaces/${ns}`, undefined, "viewer")),

  "409 AlreadyExists on a second create": async (b, ns) => {
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "twice" } };
    const first = await b.call("POST", `/api/v1/namespaces/${ns}/configmaps`, configMap);
    const second = await b.call("POST", `/api/v1/namespaces/${ns}/configmaps`, configMap);
    return [first.status, comparable(second)];
  },

  "401 for a token the server does not know": async (b) =>
    comparable(await b.call("GET", "/api/v1/namespaces", undefined, "invalid")),

  "DELETE: Terminating, and a second DELETE answers the same (200 on v1.37)": async (b, ns) => {
    await b.stuckWidget(ns, "held");
    const first = await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    const second = await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    const { metadata, spec, status } = first.body as {
      metadata: { deletionTimestamp?: string };
      spec: object;
      status: { phase: string };
    };
    return [
      first.status,
      Boolean(metadata.deletionTimestamp),
      spec,
      status.phase,
      // The conditions depend on when the namespace controller got to it: not compared here.
      comparable({
        status: second.status,
        body: {
          ...second.body,
          status: { phase: (second.body.status as { phase: string }).phase },
        },
      }),
    ];
  },

  "a finalizer nobody removes: the controller's conditions": async (b, ns) => {
    await b.stuckWidget(ns, "held");
    await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    const stuck = await b.terminating(ns, "NamespaceFinalizersRemaining");
    return comparable({ status: stuck.status, body: { status: stuck.body.status } });
  },

  "new content is refused in a Terminating namespace": async (b, ns) => {
    await b.stuckWidget(ns, "held");
    await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    return comparable(
      await b.call("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "late" } }),
    );
  },

  "finalize with a stale resourceVersion is 409 Conflict": async (b, ns) => {
    await b.stuckWidget(ns, "held");
    const before = await b.call("GET", `/api/v1/namespaces/${ns}`);
    await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    return comparable(
      await b.call("PUT", `/api/v1/namespaces/${ns}/finalize`, {
        ...before.body,
        spec: { finalizers: [] },
      }),
    );
  },

  "finalize forbidden by RBAC": async (b, ns) =>
    comparable(
      await b.call(
        "PUT",
        `/api/v1/namespaces/${ns}/finalize`,
        { ...namespaceBody(ns), spec: { finalizers: [] } },
        "viewer",
      ),
    ),

  "finalize of a Terminating namespace removes it": async (b, ns) => {
    await b.stuckWidget(ns, "held");
    await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    const current = await b.call("GET", `/api/v1/namespaces/${ns}`);
    const finalized = await b.call("PUT", `/api/v1/namespaces/${ns}/finalize`, {
      ...current.body,
      spec: { finalizers: [] },
    });
    const after = await b.call("GET", `/api/v1/namespaces/${ns}`);
    return [
      finalized.status,
      finalized.body.spec,
      (finalized.body.status as { phase: string }).phase,
      after.status,
    ];
  },

  "an aggregated API without a backend keeps even an empty namespace Terminating": async (
    b,
    ns,
  ) => {
    await b.breakGroup();
    await b.call("DELETE", `/api/v1/namespaces/${ns}`);
    const stuck = await b.terminating(ns, "NamespaceDeletionDiscoveryFailure");
    const discovery = await b.call("GET", "/apis/broken.example.com/v1");
    const condition = (stuck.body.status as { conditions: { type: string }[] }).conditions.find(
      (c) => c.type === "NamespaceDeletionDiscoveryFailure",
    );
    return [discovery.status, comparable({ status: 200, body: { condition } })];
  },

  "discovery lists the finalize subresource": async (b) => {
    const core = (await b.call("GET", "/api/v1")).body.resources as {
      name: string;
      verbs: string[];
    }[];
    return core.find((r) => r.name === "namespaces/finalize");
  },
};

describe.skipIf(!bin)("the Kubernetes emulator answers as the real API server", () => {
  let plane: ControlPlane;
  let emulator: KubernetesEmulator;
  let real: Backend;
  let emulated: Backend;

  beforeAll(async () => {
    plane = await startControlPlane(bin!);
    real = await realBackend(plane);
    emulator = await createKubernetesEmulator({
      user: "system:serviceaccount:ci:conformance-admin",
    });
    emulated = emulatedBackend(emulator);
  }, 120_000);

  afterAll(async () => {
    await emulator?.close();
    await plane?.stop();
  });

  // The broken aggregated API keeps every later namespace Terminating: it runs after the deletions.
  it.each(Object.keys(SCENARIOS).map((name, i) => [name, i]))("%s", async (name, i) => {
    const scenario = SCENARIOS[name]!;
    const ns = `conformance-${i}`;
    const observed = [];
    for (const backend of [real, emulated]) {
      await backend.call("POST", "/api/v1/namespaces", namespaceBody(ns));
      observed.push(await scenario(backend, ns));
    }
    expect(observed[1], "emulator").toEqual(observed[0]);
  });
});
