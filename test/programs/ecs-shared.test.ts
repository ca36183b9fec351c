import { beforeAll, describe, expect, it } from "vitest";
import { listenerPriority, PERMANENT_PRIORITIES } from "../../components/aws/index.js";
import { awsTaggable, ofType, waitsFor, type ProgramRun } from "../support/pulumi-mocks.js";
import { runScenario, SCENARIOS } from "../support/program-scenarios.js";

const KINDS = ["ecs-shared/dev", "ecs-shared/pr-42", "ecs-shared/production"] as const;
const runs = new Map<(typeof KINDS)[number], ProgramRun>();

beforeAll(async () => {
  for (const kind of KINDS) runs.set(kind, await runScenario(kind));
});

const run = (kind: (typeof KINDS)[number]) => runs.get(kind)!;
const SHARED_TYPES = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/listener:Listener",
  "aws:acm/certificate:Certificate",
  "aws:ecs/cluster:Cluster",
];

describe("ecs-shared", () => {
  it("dev creates the shared VPC, ALB, HTTPS listener and cluster and exports them", () => {
    const dev = run("ecs-shared/dev");
    for (const type of [
      "aws:ec2/vpc:Vpc",
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:ecs/cluster:Cluster",
    ]) {
      expect(ofType(dev, type), type).toHaveLength(1);
    }
    expect(dev.outputs).toMatchObject({
      vpcId: expect.any(String),
      httpsListenerArn: expect.any(String),
      albSecurityGroupId: expect.any(String),
      clusterArn: expect.any(String),
    });
  });

  it("a pr-N stack creates no VPC, ALB, NAT gateway or other shared piece", () => {
    const preview = run("ecs-shared/pr-42");
    for (const type of SHARED_TYPES) expect(ofType(preview, type), type).toHaveLength(0);
    const types = new Set(preview.resources.map((r) => r.type));
    for (const type of [
      "aws:lb/targetGroup:TargetGroup",
      "aws:lb/listenerRule:ListenerRule",
      "aws:route53/record:Record",
      "aws:ecs/service:Service",
    ]) {
      expect(types).toContain(type);
    }
  });

  it("attaches the preview to dev's listener at a priority no permanent environment uses", () => {
    const dev = run("ecs-shared/dev");
    const [rule] = ofType(run("ecs-shared/pr-42"), "aws:lb/listenerRule:ListenerRule");
    expect(rule?.inputs.listenerArn).toBe(dev.outputs.httpsListenerArn);
    expect(rule?.inputs.priority).toBe(listenerPriority("pr-42"));
    expect(Object.values(PERMANENT_PRIORITIES)).not.toContain(rule?.inputs.priority);
    const [devRule] = ofType(dev, "aws:lb/listenerRule:ListenerRule");
    expect(devRule?.inputs.priority).toBe(PERMANENT_PRIORITIES.dev);
    expect(rule?.inputs.conditions).toEqual([
      { hostHeader: { values: ["pr-42.api.example.com"] } },
    ]);
  });

  it("creates the service only after its listener rule (ECS refuses an unattached target group)", () => {
    const preview = run("ecs-shared/pr-42");
    const [service] = ofType(preview, "aws:ecs/service:Service");
    const [rule] = ofType(preview, "aws:lb/listenerRule:ListenerRule");
    expect(waitsFor(preview, service!, rule!)).toBe(true);
  });

  it("lets a second project on dev's listener take another slot, or an explicit priority", async () => {
    const { config } = SCENARIOS["ecs-shared/pr-42"];
    const second = await runScenario("ecs-shared/pr-42", {
      config: { ...config, listenerSlot: 1 },
    });
    const [rule] = ofType(second, "aws:lb/listenerRule:ListenerRule");
    expect(rule?.inputs.priority).toBe(listenerPriority("pr-42", 1));
    expect(rule?.inputs.priority).not.toBe(listenerPriority("pr-42"));
    const fixed = await runScenario("ecs-shared/pr-42", {
      config: { ...config, listenerPriority: 777 },
    });
    expect(ofType(fixed, "aws:lb/listenerRule:ListenerRule")[0]?.inputs.priority).toBe(777);
  });

  it("tags every taggable preview resource with AutoShutdown and PullRequest, missing none", () => {
    const taggable = run("ecs-shared/pr-42").resources.filter((r) => awsTaggable(r.type));
    expect(taggable.length).toBeGreaterThanOrEqual(6);
    for (const resource of taggable) {
      expect(resource.inputs.tags, `${resource.type} ${resource.name}`).toMatchObject({
        Project: "preview-kit",
        ManagedBy: "Pulumi",
        Environment: "pr-42",
        DeploymentType: "preview",
        CostCenter: expect.any(String),
        AutoShutdown: "true",
        PullRequest: "42",
      });
    }
  });

  it("permanent stacks carry the standard tags without AutoShutdown", () => {
    for (const kind of ["ecs-shared/dev", "ecs-shared/production"] as const) {
      for (const resource of run(kind).resources.filter((r) => awsTaggable(r.type))) {
        expect(resource.inputs.tags, `${kind} ${resource.type}`).toMatchObject({
          Environment: kind.split("/")[1],
        });
        expect(resource.inputs.tags).not.toHaveProperty("AutoShutdown");
      }
    }
  });

  it("pins the task image by digest and refuses a tag", async () => {
    const [task] = ofType(run("ecs-shared/pr-42"), "aws:ecs/taskDefinition:TaskDefinition");
    expect(JSON.parse(String(task?.inputs.containerDefinitions))[0].image).toMatch(
      /@sha256:[0-9a-f]{64}$/,
    );
    const scenario = SCENARIOS["ecs-shared/pr-42"];
    await expect(
      runScenario("ecs-shared/pr-42", {
        config: {
          ...scenario.config,
          images: { api: "123.dkr.ecr.us-east-1.amazonaws.com/api:latest" },
        },
      }),
    ).rejects.toThrow(/images\.api: a digest is required/);
  });
});
