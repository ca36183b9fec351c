/**
 * cleanup-namespace as the runner runs it (the bundle in a child process) against the
 * Kubernetes API emulator. What was or was not deleted is asserted from the emulator's
 * request log and state, never from the action's own words alone.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { leakedSecrets, runAction, type ActionRun } from "../harness/run-action.js";
import {
  createKubernetesEmulator,
  type EmulatorOptions,
  type KubernetesEmulator,
  type SeedObject,
} from "../emulators/kubernetes/server.js";

const STUCK_CONTENT: SeedObject[] = [
  { apiVersion: "v1", kind: "Pod", name: "web-1", removeAfterMs: Infinity },
  { apiVersion: "v1", kind: "Pod", name: "web-2", removeAfterMs: Infinity },
  { apiVersion: "v1", kind: "ConfigMap", name: "settings" },
  {
    apiVersion: "example.com/v1",
    kind: "Widget",
    name: "db",
    finalizers: ["example.com/finalizer"],
  },
];

let emulator: KubernetesEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function cluster(options: EmulatorOptions = {}): Promise<KubernetesEmulator> {
  emulator = await createKubernetesEmulator(options);
  return emulator;
}

async function cleanup(
  emu: KubernetesEmulator,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
) {
  const kubeconfig = emu.kubeconfig();
  const run = await runAction("cleanup-namespace", { inputs: { kubeconfig, ...inputs }, env });
  // Whatever happened, neither the kubeconfig nor its token may be readable.
  expect(leakedSecrets(run, [kubeconfig, emu.token])).toEqual([]);
  return run;
}

const deletes = (emu: KubernetesEmulator) => emu.requests.filter((r) => r.method === "DELETE");
const finalizes = (emu: KubernetesEmulator) =>
  emu.requests.filter((r) => r.subresource === "finalize");
const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === "error").map((a) => a.message);

describe("cleanup-namespace", () => {
  it("deletes a namespace whose content goes away, and reports it", async () => {
    const emu = await cluster({
      namespaces: {
        "preview-pr-12": {
          labels: { "app.kubernetes.io/managed-by": "pulumi" },
          content: [
            { apiVersion: "apps/v1", kind: "Deployment", name: "web", removeAfterMs: 300 },
            { apiVersion: "v1", kind: "Service", name: "web", removeAfterMs: 100 },
          ],
        },
      },
    });
    const run = await cleanup(emu, {
      namespace: "preview-pr-12",
      "required-label": "app.kubernetes.io/managed-by=pulumi",
      "timeout-seconds": "5",
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(JSON.parse(run.outputs.leftovers ?? "")).toEqual([]);
    expect(Number(run.outputs["duration-seconds"])).toBeGreaterThanOrEqual(0.3);
    expect(emu.state.namespace("preview-pr-12")).toBeUndefined();
    expect(deletes(emu)).toHaveLength(1);
    expect(finalizes(emu)).toHaveLength(0);
    expect(run.summary).toContain("| `preview-pr-12` | deleted |");
  });

  it("forces a namespace stuck Terminating: reports conditions and leftovers, clears finalizers, confirms it is gone", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-13": { content: STUCK_CONTENT } } });
    const run = await cleanup(emu, { namespace: "preview-pr-13", "timeout-seconds": "1" });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("forced");
    expect(JSON.parse(run.outputs.leftovers ?? "")).toEqual(
      expect.arrayContaining([
        { apiVersion: "v1", kind: "Pod", name: "web-1" },
        { apiVersion: "v1", kind: "Pod", name: "web-2" },
        {
          apiVersion: "example.com/v1",
          kind: "Widget",
          name: "db",
          finalizers: ["example.com/finalizer"],
        },
      ]),
    );
    expect(JSON.parse(run.outputs.leftovers ?? "")).toHaveLength(3);
    expect(run.log).toContain(
      "NamespaceContentRemaining: Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances",
    );
    expect(run.log).toContain(
      "NamespaceFinalizersRemaining: Some content in the namespace has finalizers remaining: example.com/finalizer in 1 resource instances",
    );
    expect(finalizes(emu)).toMatchObject([{ method: "PUT", code: 200 }]);
    expect(emu.state.namespace("preview-pr-13")).toBeUndefined();
    expect(emu.state.orphans.map((o) => o.metadata.name).sort()).toEqual(["db", "web-1", "web-2"]);
    // Only the resource types the controller named were listed, not every type in discovery.
    const lists = emu.requests.filter((r) => r.verb === "list" && r.namespace === "preview-pr-13");
    expect(lists.map((r) => r.resource).sort()).toEqual(["pods", "widgets"]);
    expect(run.summary).toContain("| `preview-pr-13` | forced (finalizers cleared) |");
    expect(run.summary).toContain("| Widget | `db` | example.com/v1 | example.com/finalizer |");
  });

  it("succeeds on a namespace that does not exist, and is already-absent when rerun after a success", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-14": {} } });
    const first = await cleanup(emu, { namespace: "preview-pr-14", "timeout-seconds": "2" });
    expect(first.outputs.result).toBe("deleted");

    const again = await cleanup(emu, { namespace: "preview-pr-14", "timeout-seconds": "2" });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.result).toBe("already-absent");
    expect(JSON.parse(again.outputs.leftovers ?? "")).toEqual([]);
    expect(deletes(emu)).toHaveLength(1);
    expect(again.summary).toContain("| `preview-pr-14` | already absent |");
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
    const emu = await cluster({ namespaces: { [namespace]: {} } });
    const run = await cleanup(emu, { namespace, ...inputs });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([expect.stringContaining(why)]);
    expect(errors(run)[0]).toContain("Nothing was deleted");
    expect(emu.requests).toEqual([]);
    expect(run.outputs).toEqual({});
    expect(emu.state.namespace(namespace)?.status.phase).toBe("Active");
  });

  it("refuses a namespace without the required label: it is read, never deleted", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-15": { labels: { team: "web" } } } });
    const run = await cleanup(emu, {
      namespace: "preview-pr-15",
      "required-label": "preview=true",
    });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Refusing to delete namespace 'preview-pr-15': required-label preview=true is not on the namespace (it has no such label). Nothing was deleted.",
    ]);
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/v1/namespaces/preview-pr-15",
    ]);
    expect(emu.state.namespace("preview-pr-15")?.status.phase).toBe("Active");
  });

  it("names the RBAC permission in one line when finalize is forbidden", async () => {
    const emu = await cluster({
      forbid: [{ verb: "update", resource: "namespaces/finalize" }],
      namespaces: { "preview-pr-16": { content: STUCK_CONTENT } },
    });
    const run = await cleanup(emu, { namespace: "preview-pr-16", "timeout-seconds": "1" });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      `Forbidden to clear the finalizers of namespace 'preview-pr-16': the kubeconfig's user needs the RBAC permission verbs ["update"] on resources ["namespaces/finalize"] in apiGroups [""] (cluster scope, e.g. a ClusterRole)`,
    ]);
    expect(errors(run)[0]).not.toContain("\n");
    expect(run.log).toContain(
      'User "system:serviceaccount:ci:preview-cleanup" cannot update resource "namespaces/finalize"',
    );
    expect(emu.state.namespace("preview-pr-16")?.status.phase).toBe("Terminating");
    expect(run.outputs).toEqual({});
  });

  it("fails, naming them, when the namespace's own metadata.finalizers keep it after finalize", async () => {
    const emu = await cluster({
      namespaces: {
        "preview-pr-25": {
          finalizers: ["controller.cattle.io/namespace-auth"],
          content: STUCK_CONTENT,
        },
      },
    });
    const run = await cleanup(emu, { namespace: "preview-pr-25", "timeout-seconds": "1" });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Namespace 'preview-pr-25' still exists after its finalizers were cleared; metadata.finalizers still hold it: controller.cattle.io/namespace-auth",
    ]);
    expect(finalizes(emu)).toMatchObject([{ code: 200 }]);
  });

  it("with force off, fails with the conditions and leaves the finalizers alone", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-17": { content: STUCK_CONTENT } } });
    const run = await cleanup(emu, {
      namespace: "preview-pr-17",
      "timeout-seconds": "1",
      force: "false",
    });

    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]).toContain(
      "Namespace 'preview-pr-17' is still Terminating after 1 s and force is off",
    );
    expect(errors(run)[0]).toContain(
      "NamespaceFinalizersRemaining: Some content in the namespace has finalizers remaining",
    );
    expect(finalizes(emu)).toEqual([]);
    expect(run.summary).toContain("still Terminating (force is off)");
  });

  it("deletes nothing in a dry run", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-18": { content: STUCK_CONTENT } } });
    const run = await cleanup(emu, { namespace: "preview-pr-18", "dry-run": "true" });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("dry-run");
    expect(deletes(emu)).toEqual([]);
    expect(emu.requests.every((r) => r.method === "GET")).toBe(true);
    expect(emu.state.namespace("preview-pr-18")?.status.phase).toBe("Active");
    expect(run.summary).toContain("dry run: nothing deleted");
  });

  it("continues a half-finished run: a namespace already Terminating is waited for, not an error", async () => {
    const emu = await cluster({
      namespaces: {
        "preview-pr-19": {
          content: [{ apiVersion: "v1", kind: "Pod", name: "p", removeAfterMs: 400 }],
        },
      },
    });
    emu.state.addObject("preview-pr-19", {
      apiVersion: "v1",
      kind: "Pod",
      name: "q",
      removeAfterMs: 400,
    });
    const kubeconfig = emu.kubeconfig();
    const ca = emu.caData ? Buffer.from(emu.caData, "base64") : undefined;
    const { request } = await import("node:https");
    await new Promise<void>((resolve, reject) =>
      request(
        `${emu.url}/api/v1/namespaces/preview-pr-19`,
        { method: "DELETE", ca, headers: { Authorization: `Bearer ${emu.token}` } },
        (res) => {
          res.resume().on("end", () => resolve());
        },
      )
        .on("error", reject)
        .end(),
    );
    const run = await runAction("cleanup-namespace", {
      inputs: { kubeconfig, namespace: "preview-pr-19", "timeout-seconds": "5" },
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(deletes(emu).map((r) => r.code)).toEqual([200, 409]);
    expect(run.log).toContain("already Terminating");
  });

  it("retries a transient API failure", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-20": {} } });
    emu.injectFault({
      method: "DELETE",
      path: "/api/v1/namespaces/preview-pr-20",
      code: 503,
      times: 2,
    });
    const run = await cleanup(emu, { namespace: "preview-pr-20", "timeout-seconds": "2" });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(deletes(emu).map((r) => r.code)).toEqual([503, 503, 200]);
  });

  it("uses KUBECONFIG from the environment and the context input", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-21": {} } });
    const file = join(mkdtempSync(join(tmpdir(), "kubeconfig-")), "config");
    // The file's current context holds a token the cluster does not accept: the input must win.
    const revoked = "revoked-token-0123456789";
    writeFileSync(
      file,
      emu.kubeconfig({ second: { context: "stale", token: revoked }, currentContext: "stale" }),
    );
    const run = await runAction("cleanup-namespace", {
      inputs: { namespace: "preview-pr-21", context: "emulator", "timeout-seconds": "2" },
      env: { KUBECONFIG: file },
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(new Set(emu.requests.map((r) => r.user))).toEqual(
      new Set(["system:serviceaccount:ci:preview-cleanup"]),
    );
    expect(leakedSecrets(run, [emu.token, revoked])).toEqual([]);
  });

  it("authenticates through an exec credential plugin (as aws eks get-token) and masks its token", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-24": {} } });
    const plugin = join(mkdtempSync(join(tmpdir(), "exec-plugin-")), "get-token.mjs");
    const credential = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      status: { token: emu.token },
    };
    writeFileSync(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});`);
    const config = parse(emu.kubeconfig()) as { users: { user: object }[] };
    config.users[0]!.user = {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: process.execPath,
        args: [plugin],
      },
    };
    const run = await runAction("cleanup-namespace", {
      inputs: { kubeconfig: stringify(config), namespace: "preview-pr-24", "timeout-seconds": "2" },
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    expect(run.masks).toContain(emu.token);
    expect(leakedSecrets(run, [emu.token])).toEqual([]);
  });

  it("rejects bad inputs before any API call", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-22": {} } });
    const run = await cleanup(emu, {
      namespace: "preview-pr-22",
      "allowed-pattern": "preview-(",
      "required-label": "no-equals-sign",
      "timeout-seconds": "0",
      context: "nowhere",
    });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Input 'allowed-pattern' must be a JavaScript regular expression, got 'preview-('",
      "Input 'required-label' must be KEY=VALUE, a label such as preview.example.com/managed-by=ci, got 'no-equals-sign'",
      "Input 'timeout-seconds' must be an integer from 1 to 3600, got '0'",
    ]);
    expect(emu.requests).toEqual([]);
  });

  it("rejects a kubeconfig that is not YAML without quoting it, and an unknown context", async () => {
    const emu = await cluster({ namespaces: { "preview-pr-23": {} } });
    const secret = `token: ${emu.token}\n  : [unbalanced`;
    const bad = await runAction("cleanup-namespace", {
      inputs: { namespace: "preview-pr-23", kubeconfig: secret },
    });
    expect(bad.exitCode).toBe(1);
    expect(errors(bad)).toEqual([
      expect.stringMatching(/^Input 'kubeconfig' must be a kubeconfig \(YAML does not parse/),
    ]);
    expect(leakedSecrets(bad, [emu.token])).toEqual([]);

    const unknown = await cleanup(emu, { namespace: "preview-pr-23", context: "nowhere" });
    expect(errors(unknown)).toEqual([
      "Input 'context' names no context of the kubeconfig, got 'nowhere'; it has: emulator",
    ]);
    expect(emu.requests).toEqual([]);
  });
});
