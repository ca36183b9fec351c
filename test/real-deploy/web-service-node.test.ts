/**
 * The kit's WebService on a real node: a small program of the kit's components (a namespace
 * and a WebService of the node's FROM-scratch echo image, by digest) deployed by the
 * pulumi-deploy bundle with the real Pulumi CLI and Kubernetes provider, awaiting readiness
 * (no skipAwait): `up` returns only once the pod is Ready through the component's HTTP probes
 * and the Service has its endpoint. Then the Service answers HTTP at its ClusterIP, and the
 * kit's health-check action (its bundle, as the runner runs it)
 * reports it healthy; after `destroy` the namespace and its pods are gone.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, startControlPlane } from "../support/control-plane.js";
import {
  DEPLOY_ENGINES,
  deployProgram,
  type KitDeploy,
  stageProgram,
} from "../support/kit-deploy.js";
import { leftovers, nodeEngines, NODE_SETUP_TIMEOUT_MS } from "../support/node.js";
import { runAction } from "../harness/run-action.js";

const bin = nodeEngines(...DEPLOY_ENGINES);
const NAMESPACE = "web-on-node";
const STEP_TIMEOUT = 300_000;

/** The program: the kit's components only, as a consumer writes them. */
const PROGRAM = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WebService } from "../../components/kubernetes/web-service.js";

const config = new pulumi.Config();
const provider = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig") });
const namespace = new k8s.core.v1.Namespace(
  "ns",
  {
    metadata: {
      name: "${NAMESPACE}",
      labels: { "pod-security.kubernetes.io/enforce": "restricted" },
    },
  },
  { provider },
);
const web = new WebService(
  "web",
  {
    provider,
    namespace: { name: "${NAMESPACE}", hasQuota: false },
    container: { name: "web", image: config.require("image") },
    port: 8080,
    probes: { path: "/healthz", initialDelaySeconds: 0 },
  },
  { dependsOn: [namespace] },
);
export const service = web.serviceName;
export const notAwaited = web.notAwaited;
`;

describe.skipIf(!bin)("WebService deployed with await on a real node", () => {
  let plane: ControlPlane;
  let target: KitDeploy;
  let workspace: string;
  let nodeDir: string;

  beforeAll(async () => {
    plane = await startControlPlane(bin!, { node: true });
    nodeDir = plane.node!.dir;
    target = stageProgram("web-on-node", PROGRAM, bin!, STEP_TIMEOUT);
    workspace = target.workspace;
  }, NODE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await plane?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  }, 120_000);

  const deploy = (command: string) =>
    deployProgram(target, "web-on-node", {
      command,
      "stack-name": "dev",
      config: JSON.stringify({
        kubeconfig: { value: plane.kubeconfig(), secret: true },
        image: { value: plane.node!.images.echo },
      }),
    });

  it(
    "up waits for the Ready pod, and the Service answers HTTP and passes the health check",
    async () => {
      const started = Date.now();
      const up = await deploy("up");
      const upMs = Date.now() - started;
      expect(up.exitCode, up.stdout + up.stderr).toBe(0);
      const outputs = JSON.parse(up.outputs.outputs ?? "{}") as Record<string, unknown>;
      expect(outputs.notAwaited).toEqual([]);

      // Await on: the rollout was complete when `up` returned.
      const { body: deployment } = await plane.admin<{
        status: { readyReplicas?: number };
      }>("GET", `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`);
      expect(deployment.status.readyReplicas).toBe(1);

      const { body: service } = await plane.admin<{ spec: { clusterIP: string } }>(
        "GET",
        `/api/v1/namespaces/${NAMESPACE}/services/${String(outputs.service)}`,
      );
      const url = `http://${service.spec.clusterIP}:8080/`;
      const answer = await fetch(url, { signal: AbortSignal.timeout(5000) });
      expect(answer.status).toBe(200);
      // The echo server names the pod from POD_NAME, which the component does not set.
      expect(await answer.text()).toBe("hello from  at /\n");

      const check = await runAction("health-check", {
        inputs: {
          urls: url,
          "timeout-seconds": "30",
          "initial-delay-seconds": "1",
          "max-delay-seconds": "2",
        },
      });
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
      expect(check.outputs).toEqual({ healthy: "true", unhealthy: "" });
      console.log(`pulumi up with await on the node: ${upMs} ms`);
    },
    STEP_TIMEOUT,
  );

  it(
    "destroy removes the workload, and the node leaves nothing after stop",
    async () => {
      const destroy = await deploy("destroy");
      expect(destroy.exitCode, destroy.stdout + destroy.stderr).toBe(0);
      await plane.waitFor(
        "the namespace gone",
        async () => (await plane.admin("GET", `/api/v1/namespaces/${NAMESPACE}`)).status === 404,
        120_000,
      );
      await plane.stop();
      expect(leftovers(nodeDir)).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
