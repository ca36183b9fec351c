/**
 * The faults a local API server cannot produce on demand, on the Kubernetes emulator: a
 * storm of 503 and 429 answers (an overloaded or restarting API server, API priority and
 * fairness throttling). Everything else cleanup-namespace does is tested against the real
 * control plane in ../cleanup-namespace.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { runAction } from "../../harness/run-action.js";
import {
  createKubernetesEmulator,
  type KubernetesEmulator,
} from "../../emulators/kubernetes/server.js";

let emulator: KubernetesEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("cleanup-namespace under API faults (emulator)", () => {
  it("retries 503 and 429 answers and deletes once", async () => {
    const emu = (emulator = await createKubernetesEmulator({
      namespaces: { "preview-pr-20": { labels: { "preview-kit/pull-request": "20" } } },
    }));
    emu.injectFault({
      method: "DELETE",
      path: "/api/v1/namespaces/preview-pr-20",
      code: 503,
      times: 2,
    });
    emu.injectFault({
      method: "GET",
      path: "/api/v1/namespaces/preview-pr-20",
      code: 429,
      times: 1,
    });
    const run = await runAction("cleanup-namespace", {
      inputs: { kubeconfig: emu.kubeconfig(), namespace: "preview-pr-20", "timeout-seconds": "2" },
    });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("deleted");
    const deletes = emu.requests.filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => r.code)).toEqual([503, 503, 200]);
    expect(run.log).toContain("GET /api/v1/namespaces/preview-pr-20: HTTP 429, retrying");
  });
});
