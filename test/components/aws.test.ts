import { describe, expect, it } from "vitest";
import {
  EksCluster,
  FargateService,
  ListenerRule,
  listenerPriority,
  MAX_PR,
  MAX_PRIORITY,
  PERMANENT_PRIORITIES,
  SharedAlb,
  SharedVpc,
  SLOTS,
  subnetCidr,
} from "../../components/aws/index.js";
import { standardTags } from "../../components/index.js";
import { digestRef, ofType, runProgram, waitsFor } from "../support/pulumi-mocks.js";

function run(program: () => unknown) {
  return runProgram(program, { project: "components", stack: "dev" });
}

describe("listener priorities", () => {
  it("are unique across every stack and slot, in range, PRs never meeting permanent ones", () => {
    const seen = new Map<number, string>();
    const claim = (stack: string, slot: number) => {
      const priority = listenerPriority(stack, slot);
      expect(priority).toBeGreaterThanOrEqual(1);
      expect(priority).toBeLessThanOrEqual(MAX_PRIORITY);
      expect(seen.get(priority), `${stack} slot ${slot}`).toBeUndefined();
      seen.set(priority, `${stack}/${slot}`);
    };
    for (let slot = 0; slot < SLOTS; slot++) {
      for (const stack of ["production", "dev", "local"]) claim(stack, slot);
      for (let pr = 1; pr <= MAX_PR; pr++) claim(`pr-${pr}`, slot);
    }
    expect(seen.size).toBe(SLOTS * (3 + MAX_PR));
    expect(MAX_PR).toBeGreaterThanOrEqual(9000);
    const permanentTop = Math.max(...Object.values(PERMANENT_PRIORITIES)) + SLOTS - 1;
    expect(listenerPriority("pr-1")).toBeGreaterThan(permanentTop);
    expect(listenerPriority("dev")).toBe(PERMANENT_PRIORITIES.dev);
    expect(listenerPriority("production", 1)).toBe(PERMANENT_PRIORITIES.production + 1);
  });

  it("asks for an explicit priority for other stack names and PRs beyond the range", () => {
    expect(() => listenerPriority("pr-07")).toThrow(/give priority explicitly/);
    expect(() => listenerPriority("staging")).toThrow(
      /stack 'staging' has no computed listener priority .*give priority explicitly/,
    );
    expect(() => listenerPriority(`pr-${MAX_PR + 1}`)).toThrow(/largest PR number/);
    expect(() => listenerPriority("dev", SLOTS)).toThrow(/slot 5 is not one of 0..4/);
  });

  const rule = (name: string, extra: Record<string, unknown>) =>
    new ListenerRule(name, {
      stack: "staging",
      listenerArn: "arn:listener",
      vpcId: "vpc-1",
      host: `${name}.example.com`,
      port: 80,
      dns: { hostedZoneId: "Z1", albDnsName: "alb.example.com", albZoneId: "Z2" },
      ...extra,
    } as ConstructorParameters<typeof ListenerRule>[1]);

  it("takes an explicit priority (a staging stack works), and refuses two rules at one", async () => {
    const ok = await run(() => {
      rule("a", { priority: 40 });
      rule("b", { stack: "dev", slot: 1 });
    });
    const priorities = ofType(ok, "aws:lb/listenerRule:ListenerRule").map((r) => r.inputs.priority);
    expect(priorities).toEqual([40, PERMANENT_PRIORITIES.dev + 1]);
    await expect(
      run(() => {
        rule("a", { stack: "dev" });
        rule("b", { stack: "dev" });
      }),
    ).rejects.toThrow(/ListenerRule "b": priority 6 is already taken by "a" in this program/);
    await expect(run(() => rule("a", {}))).rejects.toThrow(
      /ListenerRule "a": stack 'staging' has no computed listener priority/,
    );
  });
});

describe("standard tags", () => {
  it("mark previews for auto shutdown with their pull request", () => {
    expect(standardTags({ project: "shop", stack: "pr-42" })).toEqual({
      Project: "shop",
      ManagedBy: "Pulumi",
      Environment: "pr-42",
      DeploymentType: "preview",
      CostCenter: "previews",
      AutoShutdown: "true",
      PullRequest: "42",
    });
    expect(standardTags({ project: "shop", stack: "production" })).not.toHaveProperty(
      "AutoShutdown",
    );
  });
});

describe("aws kit", () => {
  it("computes subnet CIDRs inside the VPC range", () => {
    expect(subnetCidr("10.0.0.0/16", 20, 0)).toBe("10.0.0.0/20");
    expect(subnetCidr("10.0.0.0/16", 20, 9)).toBe("10.0.144.0/20");
    expect(() => subnetCidr("10.0.0.0/16", 20, 16)).toThrow(/does not fit/);
  });

  it("creates a VPC without NAT gateways unless asked, and references one without creating", async () => {
    const created = await run(() => new SharedVpc("vpc", { mode: "create", azCount: 2 }));
    expect(ofType(created, "aws:ec2/subnet:Subnet")).toHaveLength(4);
    expect(ofType(created, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    const publicSubnet = ofType(created, "aws:ec2/subnet:Subnet")[0];
    expect(publicSubnet?.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1" });

    const nat = await run(
      () => new SharedVpc("vpc", { mode: "create", azCount: 3, natGateways: "single" }),
    );
    expect(ofType(nat, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);

    const referenced = await run(() => {
      const vpc = new SharedVpc("vpc", { mode: "reference", vpcId: "vpc-123" });
      return { subnets: vpc.publicSubnetIds };
    });
    expect(ofType(referenced, "aws")).toHaveLength(0);
    expect(referenced.outputs.subnets).toEqual(["subnet-looked-up-1", "subnet-looked-up-2"]);
  });

  it("builds a shared ALB with a validated wildcard certificate and an HTTP to HTTPS redirect", async () => {
    const result = await run(
      () =>
        new SharedAlb("alb", {
          vpcId: "vpc-1",
          subnetIds: ["subnet-1", "subnet-2"],
          domain: "api.example.com",
          hostedZoneId: "Z1",
        }),
    );
    const [certificate] = ofType(result, "aws:acm/certificate:Certificate");
    expect(certificate?.inputs).toMatchObject({
      domainName: "*.api.example.com",
      validationMethod: "DNS",
    });
    expect(ofType(result, "aws:acm/certificateValidation:CertificateValidation")).toHaveLength(1);
    const listeners = ofType(result, "aws:lb/listener:Listener").map((l) => l.inputs);
    expect(listeners).toContainEqual(
      expect.objectContaining({ port: 443, protocol: "HTTPS", certificateArn: expect.any(String) }),
    );
    expect(listeners).toContainEqual(
      expect.objectContaining({
        port: 80,
        defaultActions: [expect.objectContaining({ type: "redirect" })],
      }),
    );
  });

  it("opens a Fargate service only to the ALB and keeps its logs for a bounded time", async () => {
    const result = await run(
      () =>
        new FargateService("api", {
          clusterArn: "arn:cluster",
          vpcId: "vpc-1",
          subnetIds: ["subnet-1"],
          albSecurityGroupId: "sg-alb",
          targetGroupArn: "arn:tg",
          containerName: "api",
          image: digestRef("123456789012.dkr.ecr.us-east-1.amazonaws.com/api"),
          containerPort: 3000,
        }),
    );
    const [group] = ofType(result, "aws:ec2/securityGroup:SecurityGroup");
    expect(group?.inputs.ingress).toEqual([
      expect.objectContaining({ fromPort: 3000, toPort: 3000, securityGroups: ["sg-alb"] }),
    ]);
    expect(JSON.stringify(group?.inputs.ingress)).not.toContain("0.0.0.0/0");
    expect(ofType(result, "aws:cloudwatch/logGroup:LogGroup")[0]?.inputs.retentionInDays).toBe(7);
    const [task] = ofType(result, "aws:ecs/taskDefinition:TaskDefinition");
    expect(JSON.parse(String(task?.inputs.containerDefinitions))[0].image).toMatch(/@sha256:/);
  });

  it("rejects a Fargate image given by tag", async () => {
    await expect(
      run(
        () =>
          new FargateService("api", {
            clusterArn: "c",
            vpcId: "v",
            subnetIds: [],
            albSecurityGroupId: "sg",
            targetGroupArn: "tg",
            containerName: "api",
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:latest",
            containerPort: 3000,
          }),
      ),
    ).rejects.toThrow(
      /preview-kit:aws:FargateService "api": invalid args: image: .*digest is required/,
    );
  });

  it("gives the load balancer controller every permission the seed found missing", async () => {
    const result = await run(() => {
      const cluster = new EksCluster("eks", {
        clusterName: "previews",
        version: "1.33",
        nodes: {
          instanceTypes: ["t3.large"],
          spot: true,
          minSize: 1,
          desiredSize: 2,
          maxSize: 3,
          diskSizeGb: 30,
        },
      });
      return { kubeconfig: cluster.kubeconfig };
    });
    const policies = ofType(result, "aws:iam/policy:Policy");
    const actions = policies.flatMap((p) =>
      (JSON.parse(String(p.inputs.policy)).Statement as { Action: string[] }[]).flatMap(
        (s) => s.Action,
      ),
    );
    for (const action of [
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:SetWebAcl",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DescribeSSLPolicies",
      "wafv2:AssociateWebACL",
      "shield:CreateProtection",
    ]) {
      expect(actions).toContain(action);
    }
    const [nodeGroup] = ofType(result, "aws:eks/nodeGroup:NodeGroup");
    expect(nodeGroup?.inputs.capacityType).toBe("SPOT");
    const trust = ofType(result, "aws:iam/role:Role")
      .map((r) => String(r.inputs.assumeRolePolicy))
      .find((p) => p.includes("AssumeRoleWithWebIdentity"));
    expect(trust).toContain("system:serviceaccount:kube-system:aws-load-balancer-controller");
    const kubeconfig = JSON.parse(String(result.outputs.kubeconfig));
    expect(kubeconfig.users[0].user.exec.args).toContain("previews");
    expect(ofType(result, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toHaveLength(1);
    for (const resource of ofType(result, "aws")) {
      expect(resource.urn, `${resource.type} ${resource.name}`).toMatch(
        /::preview-kit:aws:[A-Za-z]+\$aws:/,
      );
    }
  });

  it("installs the add-ons the preview programs need: network policy enforcement and EBS CSI", async () => {
    const result = await run(() => {
      const cluster = new EksCluster("eks", { clusterName: "previews", version: "1.33" });
      return { kubeconfig: cluster.kubeconfig };
    });
    expect(result.secretOutputs).toEqual(["kubeconfig"]);
    const addons = Object.fromEntries(
      ofType(result, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a]),
    );
    expect(JSON.parse(String(addons["vpc-cni"]?.inputs.configurationValues))).toEqual({
      enableNetworkPolicy: "true",
    });
    const ebs = addons["aws-ebs-csi-driver"]!;
    const ebsRole = ofType(result, "aws:iam/role:Role").find((r) => r.name === "eks-ebs-csi")!;
    expect(String(ebsRole.inputs.assumeRolePolicy)).toContain(
      "system:serviceaccount:kube-system:ebs-csi-controller-sa",
    );
    expect(ebs.inputs.serviceAccountRoleArn).toBe("arn:aws:iam:us-east-1:123456789012:eks-ebs-csi");
    const nodeGroup = ofType(result, "aws:eks/nodeGroup:NodeGroup")[0]!;
    expect(waitsFor(result, ebs, nodeGroup)).toBe(true);
    const attachment = ofType(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find(
      (a) => a.name === "eks-ebs-csi",
    );
    expect(attachment?.inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    );
  });

  it("refuses a VPC range other than a /16 before creating anything", async () => {
    await expect(
      run(() => new SharedVpc("vpc", { mode: "create", cidrBlock: "10.0.0.0/20" })),
    ).rejects.toThrow(/cidrBlock: must be a \/16/);
  });
});
