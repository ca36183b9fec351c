import { beforeAll, describe, expect, it } from "vitest";
import { ofType, type ProgramRun } from "../support/pulumi-mocks.js";
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

  it("tags every taggable resource with the standard tag set", () => {
    const tagged = dev.resources.filter((r) => r.inputs.tags !== undefined);
    expect(tagged.length).toBeGreaterThan(10);
    for (const resource of tagged) {
      expect(resource.inputs.tags, resource.type).toMatchObject({
        Project: "preview-kit",
        ManagedBy: "Pulumi",
        Environment: "dev",
        DeploymentType: "dev",
        CostCenter: "dev",
      });
    }
  });

  it("refuses to run as a preview stack", async () => {
    await expect(runScenario("cluster/dev", { stack: "pr-3" })).rejects.toThrow(
      /program cluster does not run as a preview stack/,
    );
  });
});
