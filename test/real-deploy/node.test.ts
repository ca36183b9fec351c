/**
 * The test node (test/support/node.ts) really runs pods: a Deployment of the FROM-scratch echo
 * image, pulled by digest from the node's registry, becomes Ready through its HTTP readiness
 * probe under the `restricted` Pod Security Standard, and answers HTTP on its pod IP and on its
 * Service's ClusterIP (kube-proxy's nftables rules); the cluster DNS (CoreDNS) the kubelet
 * gives pods resolves the Service's name to it. Then the teardown leaves nothing on the machine.
 */
import { Resolver } from "node:dns/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, startControlPlane } from "../support/control-plane.js";
import { leftovers, NODE_NETWORK, nodeEngines, NODE_SETUP_TIMEOUT_MS } from "../support/node.js";

const bin = nodeEngines("etcd", "kube-apiserver", "kube-controller-manager");
const NAMESPACE = "node-test";

interface Pod {
  metadata: { name: string };
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}

async function get(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return `${response.status} ${await response.text()}`;
}

describe.skipIf(!bin)("a real node beside the control plane", () => {
  let plane: ControlPlane;
  let nodeDir: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const started = Date.now();
    plane = await startControlPlane(bin!, { node: true });
    nodeDir = plane.node!.dir;
    timings.start = Date.now() - started;
    // Long: another node suite may hold the machine's node for minutes first.
  }, NODE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    // Already stopped by the last test unless an earlier one failed.
    await plane?.stop();
    console.log(
      `node timings (ms): ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  }, 120_000);

  it("runs a FROM-scratch pod that answers HTTP on its pod IP and its ClusterIP", async () => {
    const started = Date.now();
    const must = async (path: string, body: object) => {
      const response = await plane.admin<{ message?: string }>("POST", path, body);
      expect(response.status, `${path}: ${response.body?.message}`).toBe(201);
    };
    await must("/api/v1/namespaces", {
      metadata: {
        name: NAMESPACE,
        labels: { "pod-security.kubernetes.io/enforce": "restricted" },
      },
    });
    const labels = { app: "echo" };
    await must(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, {
      metadata: { name: "echo" },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "echo",
                image: plane.node!.images.echo,
                env: [
                  { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                ],
                ports: [{ name: "http", containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 1 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                },
              },
            ],
          },
        },
      },
    });
    await must(`/api/v1/namespaces/${NAMESPACE}/services`, {
      metadata: { name: "echo" },
      spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    });

    let pod: Pod | undefined;
    let pods: Pod[] = [];
    await plane
      .waitFor(
        "the echo pod Ready",
        async () => {
          const { body } = await plane.admin<{ items: Pod[] }>(
            "GET",
            `/api/v1/namespaces/${NAMESPACE}/pods`,
          );
          pods = body.items;
          pod = pods.find((p) =>
            p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
          );
          return !!pod;
        },
        120_000,
      )
      .catch((error: Error) => {
        throw new Error(
          `${error.message.split("\n")[0]}\npods: ${JSON.stringify(pods.map((p) => p.status))}\n${plane.node!.logs()}`,
          { cause: error },
        );
      });
    timings.podReady = Date.now() - started;
    expect(await get(`http://${pod!.status!.podIP}:8080/direct`)).toBe(
      `200 hello from ${pod!.metadata.name} at /direct\n`,
    );

    const { body: service } = await plane.admin<{ spec: { clusterIP: string } }>(
      "GET",
      `/api/v1/namespaces/${NAMESPACE}/services/echo`,
    );
    // kube-proxy programs the Service once it sees the endpoint: poll briefly.
    let answer = "";
    await plane.waitFor(
      "the ClusterIP to answer",
      async () => {
        answer = await get(`http://${service.spec.clusterIP}/via-service`);
        return answer.startsWith("200");
      },
      30_000,
    );
    expect(answer).toBe(`200 hello from ${pod!.metadata.name} at /via-service\n`);
    timings.serviceAnswers = Date.now() - started;

    // The resolver pods get (the kubelet's clusterDNS) knows the Service by name.
    const dns = new Resolver({ timeout: 2000, tries: 2 });
    dns.setServers([NODE_NETWORK.gateway]);
    expect(await dns.resolve4(`echo.${NAMESPACE}.svc.cluster.local`)).toEqual([
      service.spec.clusterIP,
    ]);
  }, 300_000);

  it("leaves nothing on the machine after stop", async () => {
    const started = Date.now();
    await plane.stop();
    timings.stop = Date.now() - started;
    expect(leftovers(nodeDir)).toEqual([]);
  }, 120_000);
});
