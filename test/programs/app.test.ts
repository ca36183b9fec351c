import { beforeAll, describe, expect, it } from "vitest";
import { ofType, podContainers, runProgram, type ProgramRun } from "../support/pulumi-mocks.js";
import { ORG, runScenario, SCENARIOS } from "../support/program-scenarios.js";

const KINDS = ["app/local", "app/dev", "app/pr-42", "app/production"] as const;
const runs = new Map<(typeof KINDS)[number], ProgramRun>();

beforeAll(async () => {
  for (const kind of KINDS) runs.set(kind, await runScenario(kind));
});

const run = (kind: (typeof KINDS)[number]) => runs.get(kind)!;

describe.each(KINDS)("app as %s", (kind) => {
  it("puts every Kubernetes resource on the one explicit provider", () => {
    const kube = ofType(run(kind), "kubernetes");
    expect(kube.length).toBeGreaterThan(5);
    for (const resource of kube) {
      expect(resource.provider, `${resource.type} ${resource.name}`).toMatch(
        /::pulumi:providers:kubernetes::k8s::/,
      );
    }
  });

  it("runs every container from a digest", () => {
    const containers = podContainers(run(kind));
    expect(containers.length).toBeGreaterThanOrEqual(2);
    for (const { owner, container } of containers) {
      expect(String(container.image), owner).toMatch(
        /^[^@:]+(:[0-9]+)?[^@:]*@sha256:[0-9a-f]{64}$/,
      );
    }
  });

  it("exports webUrl, apiUrl and namespace", () => {
    expect(Object.keys(run(kind).outputs).sort()).toEqual(["apiUrl", "namespace", "webUrl"]);
  });
});

describe("app as a preview (pr-42)", () => {
  it("uses the preview namespace, labelled for the cleanup action", () => {
    const [namespace] = ofType(run("app/pr-42"), "kubernetes:core/v1:Namespace");
    const metadata = namespace?.inputs.metadata as { name: string; labels: Record<string, string> };
    expect(metadata.name).toMatch(/^preview-pr-[0-9]+$/);
    expect(metadata.name).toBe("preview-pr-42");
    expect(metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "preview-kit",
      "preview-kit/pull-request": "42",
    });
    expect(run("app/pr-42").outputs.namespace).toBe("preview-pr-42");
  });

  it("has a quota, and then requests and limits on every container and init container", () => {
    const preview = run("app/pr-42");
    expect(ofType(preview, "kubernetes:core/v1:ResourceQuota")).toHaveLength(1);
    const containers = podContainers(preview);
    expect(containers.map((c) => c.container.name)).toEqual(
      expect.arrayContaining(["web", "api", "migrate", "create-database"]),
    );
    for (const { owner, container } of containers) {
      const resources = container.resources as Record<string, Record<string, string>>;
      expect(resources?.requests, `${owner}/${String(container.name)}`).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(resources?.limits, `${owner}/${String(container.name)}`).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
    }
  });

  it("routes N.pr.DOMAIN and N.pr-api.DOMAIN through the base's gateway", () => {
    const routes = ofType(run("app/pr-42"), "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
    const hosts = routes.flatMap((r) => (r.inputs.spec as { hostnames: string[] }).hostnames);
    expect(hosts.sort()).toEqual(["42.pr-api.example.com", "42.pr.example.com"]);
    expect(run("app/pr-42").outputs).toMatchObject({
      webUrl: "https://42.pr.example.com",
      apiUrl: "https://42.pr-api.example.com",
    });
  });

  it("creates its own database on the shared server, reached by cluster FQDN", () => {
    const secrets = ofType(run("app/pr-42"), "kubernetes:core/v1:Secret");
    const database = secrets.find(
      (s) => (s.inputs.metadata as { name: string }).name === "database",
    );
    const data = database?.inputs.stringData as Record<string, string>;
    expect(data.PGHOST).toBe("db.preview-shared.svc.cluster.local");
    expect(data.PGDATABASE).toBe("app_pr_42");
    expect(data.DATABASE_URL).toMatch(/@db\.preview-shared\.svc\.cluster\.local:5432\/app_pr_42$/);
    const jobs = ofType(run("app/pr-42"), "kubernetes:batch/v1:Job").map(
      (j) => (j.inputs.metadata as { name: string }).name,
    );
    expect(jobs.sort()).toEqual(["create-database", "migrate"]);
  });

  it("copies the registry pull secret into its namespace", () => {
    const pull = ofType(run("app/pr-42"), "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.type === "kubernetes.io/dockerconfigjson",
    );
    expect(pull?.inputs.metadata).toMatchObject({ name: "registry" });
  });

  it("admits traffic only from its namespace and the gateway's", () => {
    const [policy] = ofType(run("app/pr-42"), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(JSON.stringify(policy?.inputs.spec)).toContain(
      '"kubernetes.io/metadata.name":"gateway"',
    );
  });
});

describe("app as production", () => {
  it("is sized by its own defaults, not starved by the preview's limits", () => {
    const production = run("app/production");
    const deployments = ofType(production, "kubernetes:apps/v1:Deployment");
    for (const deployment of deployments) {
      const container = (
        deployment.inputs.spec as {
          template: { spec: { containers: { resources: { limits: { cpu: string } } }[] } };
        }
      ).template.spec.containers[0];
      expect(container?.resources.limits.cpu).toBe("2");
    }
    expect(ofType(production, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toHaveLength(2);
    expect(ofType(production, "kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(2);
    expect(ofType(production, "kubernetes:core/v1:ResourceQuota")).toHaveLength(0);
  });

  it("takes sizes from config field by field: new limits keep the replicas, HPA and PDB (seed bug 9)", async () => {
    const limits = { cpu: "4", memory: "2Gi" };
    const tuned = await runScenario("app/production", {
      config: { ...SCENARIOS["app/production"].config, sizes: { web: { resources: { limits } } } },
    });
    const resourcesOf = (name: string) =>
      (
        ofType(tuned, "kubernetes:apps/v1:Deployment").find(
          (d) => (d.inputs.metadata as { name: string }).name === name,
        )?.inputs.spec as { template: { spec: { containers: { resources: unknown }[] } } }
      ).template.spec.containers[0]?.resources;
    expect(resourcesOf("web")).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits });
    expect(resourcesOf("api")).toEqual({
      requests: { cpu: "250m", memory: "256Mi" },
      limits: { cpu: "2", memory: "1Gi" },
    });
    expect(ofType(tuned, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toHaveLength(2);
    expect(ofType(tuned, "kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(2);
  });

  it("routes through ALB Ingresses when its base uses the load balancer controller", () => {
    const ingresses = ofType(run("app/production"), "kubernetes:networking.k8s.io/v1:Ingress");
    expect(
      ingresses.map((i) => (i.inputs.spec as { rules: { host: string }[] }).rules[0]?.host).sort(),
    ).toEqual(["api.example.com", "example.com"]);
  });
});

describe("app config errors", () => {
  const preview = SCENARIOS["app/pr-42"];
  const withConfig = (config: Record<string, unknown>) =>
    runScenario("app/pr-42", { config: { ...preview.config, ...config } });

  it("names a missing images entry and how to set it", async () => {
    await expect(withConfig({ images: { web: preview.config.images.web } })).rejects.toThrow(
      /images\.api: missing: set it with 'pulumi config set --path images\.api/,
    );
  });

  it("refuses a tag where a digest is required", async () => {
    await expect(
      withConfig({ images: { ...preview.config.images, api: "ghcr.io/acme/api:pr-42" } }),
    ).rejects.toThrow(/images\.api: a digest is required/);
  });

  it("refuses a base stack reference that is not org-qualified", async () => {
    await expect(withConfig({ baseStack: "preview-base/dev" })).rejects.toThrow(
      /must be an org-qualified stack reference: <org>\/<project>\/<stack>/,
    );
  });

  it("refuses a prNumber that disagrees with the stack name", async () => {
    await expect(withConfig({ prNumber: 43 })).rejects.toThrow(
      /prNumber 43 does not match stack pr-42/,
    );
  });

  it("refuses a base whose database host is a short name (seed bug 5)", async () => {
    const base = await runScenario("preview-base/dev");
    const scenario = SCENARIOS["app/pr-42"];
    await expect(
      runProgram(scenario.program, {
        project: scenario.project,
        stack: scenario.stack,
        organization: ORG,
        config: scenario.config,
        stackOutputs: {
          "acme/preview-base/dev": { ...base, outputs: { ...base.outputs, databaseHost: "db" } },
        },
      }),
    ).rejects.toThrow(
      /stack acme\/preview-base\/dev has unusable outputs: databaseHost: must be a cluster FQDN/,
    );
  });
});
