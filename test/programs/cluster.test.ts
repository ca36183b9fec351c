import { beforeAll, describe, expect, it } from "vitest";
import { awsTaggable, ofType, waitsFor, type ProgramRun } from "../support/pulumi-mocks.js";
import { runScenario } from "../support/program-scenarios.js";

let dev: ProgramRun;
let production: ProgramRun;

beforeAll(async () => {
  dev = await runScenario("cluster/dev");
  production = await runScenario("cluster/production");
});

describe("cluster", () => {
  it("exports kubeconfig, vpcId, clusterName and oidcProviderArn", () => {
    for (const run of [dev, production]) {
      expect(run.outputs).toMatchObject({
        kubeconfig: expect.stringContaining('"kind":"Config"'),
        vpcId: expect.any(String),
        clusterName: expect.any(String),
        oidcProviderArn: expect.stringMatching(/^arn:aws:iam:/),
      });
    }
    expect(dev.outputs.clusterName).toBe("preview-kit-dev");
  });

  it("uses spot nodes and no NAT for dev, and a NAT gateway for production", () => {
    expect(ofType(dev, "aws:eks/nodeGroup:NodeGroup")[0]?.inputs.capacityType).toBe("SPOT");
    expect(ofType(dev, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(ofType(production, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(ofType(production, "aws:eks/nodeGroup:NodeGroup")[0]?.inputs.capacityType).toBe(
      "ON_DEMAND",
    );
  });

  it("tags every taggable resource with the standard tag set, missing none", () => {
    const taggable = dev.resources.filter((r) => awsTaggable(r.type));
    expect(taggable.length).toBeGreaterThan(10);
    for (const resource of taggable) {
      expect(resource.inputs.tags, `${resource.type} ${resource.name}`).toMatchObject({
        Project: "preview-kit",
        ManagedBy: "Pulumi",
        Environment: "dev",
        DeploymentType: "dev",
        CostCenter: "dev",
      });
    }
  });

  it("installs what the preview-base program needs of the cluster", () => {
    const provider = ofType(dev, "pulumi:providers:kubernetes")[0]!;
    expect(String(provider.inputs.kubeconfig)).toContain('"kind":"Config"');
    const cluster = dev.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!;
    // The Helm release needs nodes to run on: its provider waits for the whole cluster.
    expect(waitsFor(dev, provider, cluster)).toBe(true);
    const [storageClass] = ofType(dev, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(storageClass?.inputs).toMatchObject({
      provisioner: "ebs.csi.aws.com",
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    const [release] = ofType(dev, "kubernetes:helm.sh/v3:Release");
    expect(release?.inputs).toMatchObject({
      chart: "aws-load-balancer-controller",
      namespace: "kube-system",
      values: {
        clusterName: "preview-kit-dev",
        serviceAccount: {
          name: "aws-load-balancer-controller",
          annotations: { "eks.amazonaws.com/role-arn": dev.outputs.albControllerRoleArn },
        },
      },
    });
    for (const resource of ofType(dev, "kubernetes")) {
      expect(resource.provider, resource.type).toMatch(/::pulumi:providers:kubernetes::k8s::/);
    }
  });

  it("refuses a misspelt config key instead of deploying its default", async () => {
    await expect(runScenario("cluster/dev", { config: { node: { spot: true } } })).rejects.toThrow(
      /invalid stack config for cluster: unknown key 'node' \(known: /,
    );
  });

  it("refuses to run as a preview stack", async () => {
    await expect(runScenario("cluster/dev", { stack: "pr-3" })).rejects.toThrow(
      /program cluster does not run as a preview stack/,
    );
  });
});
