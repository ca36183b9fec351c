import { beforeAll, describe, expect, it } from "vitest";
import { ofType, podContainers, type ProgramRun } from "../support/pulumi-mocks.js";
import { runScenario, SCENARIOS } from "../support/program-scenarios.js";

const KINDS = ["preview-base/local", "preview-base/dev", "preview-base/production"] as const;
const runs = new Map<(typeof KINDS)[number], ProgramRun>();

beforeAll(async () => {
  for (const kind of KINDS) runs.set(kind, await runScenario(kind));
});

const run = (kind: (typeof KINDS)[number]) => runs.get(kind)!;

describe.each(KINDS)("preview-base as %s", (kind) => {
  it("puts every Kubernetes resource on the one explicit provider", () => {
    const kube = ofType(run(kind), "kubernetes");
    expect(kube.length).toBeGreaterThan(0);
    for (const resource of kube) {
      expect(resource.provider, `${resource.type} ${resource.name}`).toMatch(
        /::pulumi:providers:kubernetes::k8s::/,
      );
    }
  });
});

describe("preview-base", () => {
  it("builds the explicit provider from the cluster stack's kubeconfig, or a local context", () => {
    const [devProvider] = ofType(run("preview-base/dev"), "pulumi:providers:kubernetes");
    expect(String(devProvider?.inputs.kubeconfig)).toContain('"kind":"Config"');
    const [localProvider] = ofType(run("preview-base/local"), "pulumi:providers:kubernetes");
    expect(localProvider?.inputs.context).toBe("kind-previews");
  });

  it("exports the shared database host as a cluster FQDN (seed bug 5)", () => {
    expect(run("preview-base/dev").outputs).toMatchObject({
      databaseHost: "db.preview-shared.svc.cluster.local",
      databasePort: 5432,
      gatewayName: "previews",
      gatewayNamespace: "gateway",
      tlsSecretName: "preview-wildcard-tls",
      pullSecretName: "registry",
    });
  });

  it("serves previews through one Gateway with a wildcard certificate, redirecting HTTP", () => {
    const dev = run("preview-base/dev");
    const [certificate] = ofType(dev, "kubernetes:cert-manager.io/v1:Certificate");
    expect((certificate?.inputs.spec as { dnsNames: string[] }).dnsNames).toEqual(
      expect.arrayContaining(["*.pr.example.com", "*.pr-api.example.com"]),
    );
    const [gateway] = ofType(dev, "kubernetes:gateway.networking.k8s.io/v1:Gateway");
    expect(JSON.stringify(gateway?.inputs.spec)).toContain(
      '"app.kubernetes.io/managed-by":"preview-kit"',
    );
    const routes = ofType(dev, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
    expect(JSON.stringify(routes.map((r) => r.inputs.spec))).toContain('"scheme":"https"');
  });

  it("keeps a pull secret of type kubernetes.io/dockerconfigjson", () => {
    const secrets = ofType(run("preview-base/dev"), "kubernetes:core/v1:Secret");
    expect(secrets.map((s) => s.inputs.type)).toContain("kubernetes.io/dockerconfigjson");
  });

  it("uses an ACM wildcard certificate with DNS validation when routing by ALB Ingress", () => {
    const production = run("preview-base/production");
    const [certificate] = ofType(production, "aws:acm/certificate:Certificate");
    expect(certificate?.inputs).toMatchObject({ validationMethod: "DNS" });
    expect(ofType(production, "aws:route53/record:Record").length).toBeGreaterThanOrEqual(3);
    expect(production.outputs).toMatchObject({
      routing: "alb-ingress",
      certificateArn: expect.any(String),
    });
    expect(production.outputs.databaseHost).toBeUndefined();
  });

  it("runs the database janitor next to the shared server, with the server's image", () => {
    const dev = run("preview-base/dev");
    const [cronJob] = ofType(dev, "kubernetes:batch/v1:CronJob");
    expect(cronJob?.inputs.metadata).toMatchObject({ namespace: "preview-shared" });
    expect(cronJob?.inputs.spec).toMatchObject({
      schedule: "0 * * * *",
      concurrencyPolicy: "Forbid",
    });
    const [role] = ofType(dev, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    expect(role?.inputs.rules).toEqual([
      { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] },
    ]);
    const jobs = podContainers(dev).filter(({ owner }) => owner.includes("CronJob"));
    expect(jobs.map(({ container }) => container.image)).toEqual([
      SCENARIOS["preview-base/dev"].config.databaseJanitor.kubectlImage,
      SCENARIOS["preview-base/dev"].config.postgres.image,
    ]);
    for (const { container } of jobs) {
      expect(container.resources).toMatchObject({
        requests: expect.any(Object),
        limits: expect.any(Object),
      });
    }
    const sweep = jobs[1]?.container.env as { name: string; value: string }[];
    expect(sweep).toContainEqual({ name: "DATABASE_PREFIXES", value: "app" });
    expect(ofType(run("preview-base/production"), "kubernetes:batch/v1:CronJob")).toEqual([]);
  });

  it("takes the janitor's app names and schedule from config, or an explicit opt-out", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    const custom = await runScenario("preview-base/dev", {
      config: {
        ...config,
        databaseJanitor: {
          ...config.databaseJanitor,
          schedule: "15 */6 * * *",
          appNames: ["shop", "my-app"],
        },
      },
    });
    const [cronJob] = ofType(custom, "kubernetes:batch/v1:CronJob");
    expect(cronJob?.inputs.spec).toMatchObject({ schedule: "15 */6 * * *" });
    expect(JSON.stringify(cronJob?.inputs.spec)).toContain(
      '{"name":"DATABASE_PREFIXES","value":"shop my_app"}',
    );
    const off = await runScenario("preview-base/dev", {
      config: { ...config, databaseJanitor: { enabled: false } },
    });
    expect(ofType(off, "kubernetes:batch/v1:CronJob")).toEqual([]);
  });

  it("refuses a shared server without the janitor's kubectl image rather than leak databases", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    await expect(
      runScenario("preview-base/dev", { config: { ...config, databaseJanitor: {} } }),
    ).rejects.toThrow(/needs databaseJanitor.kubectlImage/);
  });

  it("refuses a registry without its password rather than dropping the pull secret", async () => {
    const { secretConfig } = SCENARIOS["preview-base/dev"];
    await expect(
      runScenario("preview-base/dev", {
        secretConfig: { postgresPassword: secretConfig.postgresPassword },
      }),
    ).rejects.toThrow(/config registry needs the secret registryPassword/);
  });

  it("refuses a cluster stack reference that is not org-qualified", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    await expect(
      runScenario("preview-base/dev", { config: { ...config, clusterStack: "cluster/dev" } }),
    ).rejects.toThrow(
      /invalid stack config for preview-base: clusterStack: must be an org-qualified/,
    );
  });
});
