import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ofType,
  podContainers,
  podSpecs,
  runProgram,
  waitsFor,
  type ProgramRun,
} from "../support/pulumi-mocks.js";
import { ORG, runScenario, SCENARIOS } from "../support/program-scenarios.js";
import { OWN_PODS_AND_DNS } from "../support/network-policies.js";

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

  it("exports webUrl, apiUrl, serviceUrls, namespace and what it did not wait for (nothing here)", () => {
    expect(Object.keys(run(kind).outputs).sort()).toEqual([
      "apiUrl",
      "namespace",
      "notAwaited",
      "serviceUrls",
      "webUrl",
    ]);
    expect(run(kind).outputs.notAwaited).toEqual([]);
    for (const resource of ofType(run(kind), "kubernetes")) {
      expect(JSON.stringify(resource.inputs), resource.name).not.toContain("pulumi.com/skipAwait");
    }
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
      expect.arrayContaining(["web", "api", "migrate"]),
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

  it("asks the platform for its database: a labelled ConfigMap, whose answer the API reads", () => {
    const preview = run("app/pr-42");
    const requests = ofType(preview, "kubernetes:core/v1:ConfigMap");
    expect(requests.map((r) => r.inputs.metadata)).toEqual([
      {
        name: "database",
        namespace: "preview-pr-42",
        labels: { "preview-kit/database-request": "app" },
      },
    ]);
    const api = podContainers(preview).find((c) => c.container.name === "api")!;
    expect(api.container.envFrom).toEqual([{ secretRef: { name: "database" } }]);
    expect(ofType(preview, "kubernetes:batch/v1:Job").map((j) => j.inputs.metadata)).toEqual([
      expect.objectContaining({ name: "migrate", namespace: "preview-pr-42" }),
    ]);
  });

  it("holds no credential: no Secret, nothing in the shared namespace, no admin password anywhere", () => {
    const preview = run("app/pr-42");
    const { secretConfig } = SCENARIOS["preview-base/dev"];
    expect(ofType(preview, "kubernetes:core/v1:Secret")).toEqual([]);
    for (const resource of preview.resources) {
      const inputs = JSON.stringify(resource.inputs);
      for (const secret of Object.values(secretConfig))
        expect(inputs, `${resource.type} ${resource.name}`).not.toContain(secret);
      const namespace = (resource.inputs.metadata as { namespace?: string } | undefined)?.namespace;
      if (namespace) expect(namespace, `${resource.type} ${resource.name}`).toBe("preview-pr-42");
    }
  });

  it("deploys as the base's preview deployer, bound in its namespace first, never as the admin", async () => {
    const base = await runScenario("preview-base/dev");
    expect(base.secretOutputs).toEqual(expect.arrayContaining(["previewKubeconfig"]));
    expect(Object.keys(base.outputs)).not.toContain("databaseAdminPassword");
    const preview = run("app/pr-42");
    const [provider] = preview.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    expect(provider?.inputs.kubeconfig).toBe(base.outputs.previewKubeconfig);
    const cluster = await runScenario("cluster/dev");
    expect(provider?.inputs.kubeconfig).not.toBe(cluster.outputs.kubeconfig);
    const [binding] = ofType(preview, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
    expect(binding?.inputs).toMatchObject({
      metadata: { name: "preview-deployer", namespace: "preview-pr-42" },
      roleRef: { kind: "ClusterRole", name: base.outputs.previewDeployerRole },
      subjects: [{ kind: "ServiceAccount", namespace: "preview-shared", name: "preview-deployer" }],
    });
    const [quota] = ofType(preview, "kubernetes:core/v1:ResourceQuota");
    expect(waitsFor(preview, quota!, binding!)).toBe(true);
    await expect(
      runProgram(SCENARIOS["app/pr-42"].program, {
        project: "app",
        stack: "pr-42",
        organization: ORG,
        config: SCENARIOS["app/pr-42"].config,
        stackOutputs: {
          "acme/preview-base/dev": {
            outputs: { ...base.outputs, previewKubeconfig: undefined },
            secretOutputs: base.secretOutputs,
          },
        },
      }),
    ).rejects.toThrow(/exports no previewKubeconfig/);
  });

  it("on a base with previewIdentity github, deploys through the base's exec kubeconfig and binds only its own pull request's user", async () => {
    const base = await runScenario("preview-base/dev-github");
    const preview = await runScenario("app/pr-42-github");
    const [provider] = preview.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    expect(provider?.inputs.kubeconfig).toBe(base.outputs.previewKubeconfig);
    const bindings = ofType(preview, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
    expect(bindings.map((b) => b.inputs)).toEqual(
      expect.arrayContaining([
        // The kit's cleanup, so a merged pull request's close and the sweep can destroy it.
        expect.objectContaining({
          metadata: { name: "preview-cleanup", namespace: "preview-pr-42" },
          roleRef: expect.objectContaining({ name: base.outputs.previewCleanupRole }),
          subjects: [
            {
              kind: "Group",
              apiGroup: "rbac.authorization.k8s.io",
              name: "preview-kit:preview-cleanup",
            },
          ],
        }),
        expect.objectContaining({
          metadata: { name: "preview-deployer", namespace: "preview-pr-42" },
          roleRef: expect.objectContaining({ name: base.outputs.previewDeployerRole }),
          subjects: [
            { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "preview-kit:pr:42" },
          ],
        }),
      ]),
    );
    expect(bindings).toHaveLength(2);
    expect(base.outputs.previewCleanupRole).toBeTruthy();
  });

  it("refuses a base that marks a plain output secret, naming it", async () => {
    const base = await runScenario("preview-base/dev");
    const scenario = SCENARIOS["app/pr-42"];
    await expect(
      runProgram(scenario.program, {
        project: scenario.project,
        stack: scenario.stack,
        organization: ORG,
        config: scenario.config,
        stackOutputs: {
          "acme/preview-base/dev": { ...base, secretOutputs: [...base.secretOutputs, "domain"] },
        },
      }),
    ).rejects.toThrow(/output 'domain' is a secret where a plain value is expected/);
  });

  it("names the pull secret the platform copies into its namespace, holding none itself", () => {
    const web = podSpecs(run("app/pr-42")).find((p) => p.owner.endsWith("Deployment::web"))!;
    expect(web.spec.imagePullSecrets).toEqual([{ name: "registry" }]);
    const dev = ofType(run("app/dev"), "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.type === "kubernetes.io/dockerconfigjson",
    );
    expect(dev?.inputs.metadata).toMatchObject({ name: "registry" });
    expect(dev?.secretInputs).toEqual(expect.arrayContaining(["stringData"]));
    // Dev's own credentials (config registry), not the ones previews pull with (the base's).
    const document = JSON.stringify(dev?.inputs.stringData);
    expect(document).toContain(SCENARIOS["app/dev"].secretConfig.registryPassword);
    expect(document).not.toContain(SCENARIOS["preview-base/dev"].secretConfig.registryPassword);
  });

  it("admits traffic only from its namespace and the gateway's proxy pods, by label", () => {
    const [policy] = ofType(run("app/pr-42"), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(policy?.inputs.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { podSelector: {} },
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } },
              podSelector: {
                matchLabels: { "gateway.networking.k8s.io/gateway-name": "previews" },
              },
            },
          ],
        },
      ],
    });
  });

  it("enforces restricted Pod Security and runs every pod non-root without a service-account token", () => {
    const preview = run("app/pr-42");
    const [namespace] = ofType(preview, "kubernetes:core/v1:Namespace");
    expect((namespace?.inputs.metadata as { labels: Record<string, string> }).labels).toMatchObject(
      {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    );
    const specs = podSpecs(preview);
    expect(specs.map((p) => p.owner).sort()).toEqual([
      "kubernetes:apps/v1:Deployment::api",
      "kubernetes:apps/v1:Deployment::web",
      "kubernetes:batch/v1:Job::migrate",
    ]);
    for (const { owner, spec } of specs) {
      expect(spec.automountServiceAccountToken, owner).toBe(false);
      expect(spec.securityContext, owner).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
    }
  });

  it("reaches only its own pods, DNS and its database: default-deny egress", () => {
    const policies = ofType(run("app/pr-42"), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const egress = policies.find(
      (p) => (p.inputs.metadata as { name: string }).name === "default-deny-egress",
    );
    expect(egress?.inputs.spec).toEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        ...OWN_PODS_AND_DNS,
        {
          to: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": "preview-shared" },
              },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "db" } },
            },
          ],
          ports: [{ port: 5432, protocol: "TCP" }],
        },
      ],
    });
    // dev and production keep their egress open (their databases live anywhere).
    for (const kind of ["app/dev", "app/production"] as const) {
      const names = ofType(run(kind), "kubernetes:networking.k8s.io/v1:NetworkPolicy").map(
        (p) => (p.inputs.metadata as { name: string }).name,
      );
      expect(names, kind).toEqual(["default-deny-ingress"]);
    }
  });

  it("adds the egress config declares, and the user config sets, for previews only", async () => {
    const scenario = SCENARIOS["app/pr-42"];
    const declared = await runScenario("app/pr-42", {
      config: {
        ...scenario.config,
        previewEgress: { allowToCidrs: [{ cidr: "198.51.100.0/24", ports: [{ port: 443 }] }] },
        web: { securityContext: { runAsUser: 101 } },
      },
    });
    const egress = ofType(declared, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => (p.inputs.metadata as { name: string }).name === "default-deny-egress",
    );
    expect((egress?.inputs.spec as { egress: unknown[] }).egress.at(-1)).toEqual({
      to: [{ ipBlock: { cidr: "198.51.100.0/24" } }],
      ports: [{ port: 443, protocol: "TCP" }],
    });
    const web = podSpecs(declared).find((p) => p.owner.endsWith("Deployment::web"));
    expect(web?.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101 });

    const production = SCENARIOS["app/production"];
    await expect(
      runScenario("app/production", {
        config: { ...production.config, previewEgress: { allowToCidrs: [] } },
      }),
    ).rejects.toThrow(/config previewEgress is for pr-N stacks only, not production/);
  });

  it("selects the proxy pods where the base says the controller runs them", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    const base = await runScenario("preview-base/dev", {
      config: {
        ...config,
        gateway: {
          ...config.gateway,
          proxyNamespace: "envoy-gateway-system",
          proxyPodLabels: { "gateway.envoyproxy.io/owning-gateway-name": "previews" },
        },
      },
    });
    const scenario = SCENARIOS["app/pr-42"];
    const preview = await runProgram(scenario.program, {
      project: scenario.project,
      stack: scenario.stack,
      organization: ORG,
      config: scenario.config,
      stackOutputs: { "acme/preview-base/dev": base },
    });
    const [policy] = ofType(preview, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(JSON.stringify(policy?.inputs.spec)).toContain(
      '{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"envoy-gateway-system"}},"podSelector":{"matchLabels":{"gateway.envoyproxy.io/owning-gateway-name":"previews"}}}',
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

  it("gives the ALB each service's health path", async () => {
    const tuned = await runScenario("app/production", {
      config: { ...SCENARIOS["app/production"].config, api: { healthPath: "/healthz" } },
    });
    const paths = Object.fromEntries(
      ofType(tuned, "kubernetes:networking.k8s.io/v1:Ingress").map((i) => [
        i.name,
        (i.inputs.metadata as { annotations: Record<string, string> }).annotations[
          "alb.ingress.kubernetes.io/healthcheck-path"
        ],
      ]),
    );
    expect(paths).toEqual({ web: "/", api: "/healthz" });
  });

  it("protects the namespace it creates", () => {
    const [namespace] = ofType(run("app/production"), "kubernetes:core/v1:Namespace");
    expect(namespace?.protect).toBe(true);
  });
});

describe("app on the local flavour of preview-base (a bare API server)", () => {
  it("waits for nothing that cannot become ready, and lists all of it", async () => {
    const local = await runScenario("app/pr-42-local");
    const waiting = [
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:batch/v1:Job",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    ];
    const skipped = local.resources.filter((r) => waiting.includes(r.type));
    expect(skipped.length).toBe(7);
    for (const resource of skipped) {
      expect(
        (resource.inputs.metadata as { annotations?: Record<string, string> }).annotations,
        `${resource.type} ${resource.name}`,
      ).toMatchObject({ "pulumi.com/skipAwait": "true" });
    }
    expect([...(local.outputs.notAwaited as string[])].sort()).toEqual([
      "Deployment api",
      "Deployment web",
      "HTTPRoute api",
      "HTTPRoute web",
      "Job migrate",
      "Service api",
      "Service web",
    ]);
    const routes = ofType(local, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
    expect(JSON.stringify(routes.map((r) => r.inputs.spec))).toContain('"sectionName":"http"');
    expect(ofType(local, "aws")).toEqual([]);
  });
});

// Issue #19: a preview's Pulumi token reads preview-base, so the admin's credentials live
// elsewhere: dev and production take them from the cluster stack or their own secret config.
describe("app's cluster and registry credentials", () => {
  const adminCredentials = async () => {
    const cluster = await runScenario("cluster/dev");
    const base = SCENARIOS["preview-base/dev"].secretConfig;
    return [
      String(cluster.outputs.kubeconfig),
      SCENARIOS["preview-base/local"].secretConfig.kubeconfig,
      base.registryPassword,
      Buffer.from(`acme-bot:${base.registryPassword}`).toString("base64"),
    ];
  };

  it("a preview's program reading every output of its base gets no admin credential", async () => {
    const credentials = await adminCredentials();
    for (const id of ["preview-base/dev", "preview-base/local"] as const) {
      const base = await runScenario(id);
      const name = `${ORG}/${id}`;
      // What any pull request's program (or install script) may run with the preview's token.
      const attacker = () => {
        const reference = new pulumi.StackReference(name);
        return {
          all: reference.outputs,
          kubeconfig: reference.getOutput("kubeconfig"),
          dockerConfigJson: reference.getOutput("dockerConfigJson"),
        };
      };
      const stolen = await runProgram(attacker, {
        project: "app",
        stack: "pr-42",
        organization: ORG,
        stackOutputs: { [name]: base },
      });
      expect(stolen.outputs.kubeconfig, id).toBeUndefined();
      expect(stolen.outputs.dockerConfigJson, id).toBeUndefined();
      const text = JSON.stringify(stolen.outputs);
      for (const credential of credentials) expect(text.includes(credential), id).toBe(false);
    }
  });

  it("dev and production deploy with their cluster stack's kubeconfig, previews with the deployer's", async () => {
    for (const stack of ["dev", "production"] as const) {
      const cluster = await runScenario(`cluster/${stack}`);
      const [provider] = ofType(run(`app/${stack}`), "pulumi:providers:kubernetes");
      expect(provider?.inputs.kubeconfig, stack).toBe(cluster.outputs.kubeconfig);
    }
    const base = await runScenario("preview-base/dev");
    const [preview] = ofType(run("app/pr-42"), "pulumi:providers:kubernetes");
    expect(preview?.inputs.kubeconfig).toBe(base.outputs.previewKubeconfig);
  });

  it("takes another cluster stack from config clusterStack, or its own secret kubeconfig", async () => {
    const dev = SCENARIOS["app/dev"];
    const cluster = await runScenario("cluster/production");
    const named = await runScenario("app/dev", {
      config: { ...dev.config, clusterStack: `${ORG}/cluster/blue` },
      references: { ...dev.references, [`${ORG}/cluster/blue`]: "cluster/production" },
    });
    expect(ofType(named, "pulumi:providers:kubernetes")[0]?.inputs.kubeconfig).toBe(
      cluster.outputs.kubeconfig,
    );
    const kubeconfig = SCENARIOS["preview-base/local"].secretConfig.kubeconfig;
    // The demo's flavour: no cluster stack at all, only the base and the stack's own secret.
    const own = await runScenario("app/dev", {
      secretConfig: { ...dev.secretConfig, kubeconfig },
      references: { [`${ORG}/preview-base/dev`]: "preview-base/dev" },
    });
    expect(ofType(own, "pulumi:providers:kubernetes")[0]?.inputs.kubeconfig).toBe(kubeconfig);
    await expect(
      runScenario("app/pr-42-local", {
        stack: "local",
        config: { images: dev.config.images, baseStack: `${ORG}/preview-base/local` },
      }),
    ).rejects.toThrow(
      /a local stack needs the secret kubeconfig \(pulumi config set --secret kubeconfig < file\), config kubeContext or config clusterStack/,
    );
  });

  it("refuses the admin's credentials in a preview's config", async () => {
    const preview = SCENARIOS["app/pr-42"];
    const refused =
      /: for local, dev and production only, not pr-42: a preview deploys as the base's preview deployer/;
    await expect(
      runScenario("app/pr-42", {
        config: { ...preview.config, clusterStack: `${ORG}/cluster/dev` },
      }),
    ).rejects.toThrow(refused);
    await expect(runScenario("app/pr-42", { secretConfig: { kubeconfig: "{}" } })).rejects.toThrow(
      /^the secret kubeconfig: for local/,
    );
    await expect(
      runScenario("app/pr-42", {
        config: { ...preview.config, registry: { server: "ghcr.io", username: "x" } },
      }),
    ).rejects.toThrow(refused);
  });

  it("refuses a dev stack on a base with a pull secret but none of its own, or no password", async () => {
    const dev = SCENARIOS["app/dev"];
    const { registry: _registry, ...withoutRegistry } = dev.config;
    await expect(runScenario("app/dev", { config: withoutRegistry })).rejects.toThrow(
      /gives previews a registry pull secret; give this stack its own: config registry \(server, username\) and the secret registryPassword/,
    );
    await expect(runScenario("app/dev", { secretConfig: {} })).rejects.toThrow(
      /config registry needs the secret registryPassword/,
    );
  });
});

describe("app namespaces", () => {
  it("adopts or skips an existing namespace when asked, but never for a preview", async () => {
    const dev = SCENARIOS["app/dev"];
    const adopted = await runScenario("app/dev", {
      config: { ...dev.config, namespaceMode: "adopt", namespace: "shop" },
    });
    expect(ofType(adopted, "kubernetes:core/v1:Namespace")[0]?.readId).toBe("shop");
    expect(ofType(adopted, "kubernetes:core/v1:NamespacePatch")).toHaveLength(1);
    const skipped = await runScenario("app/dev", {
      config: { ...dev.config, namespaceMode: "skip", namespace: "shop" },
    });
    expect(ofType(skipped, "kubernetes:core/v1:Namespace")).toEqual([]);
    expect(skipped.outputs.namespace).toBe("shop");
    await expect(
      runScenario("app/pr-42", {
        config: { ...SCENARIOS["app/pr-42"].config, namespaceMode: "adopt" },
      }),
    ).rejects.toThrow(/namespaceMode adopt is for local, dev and production/);
  });

  it("rolls the API when its database URL changes: the Secret is auto-named", async () => {
    const dev = await runScenario("app/dev", {
      secretConfig: {
        ...SCENARIOS["app/dev"].secretConfig,
        databaseUrl: "postgres://u:p@db.example.com/app",
      },
    });
    const [secret] = ofType(dev, "kubernetes:core/v1:Secret");
    expect((secret?.inputs.metadata as { name?: string }).name).toBeUndefined();
    const api = ofType(dev, "kubernetes:apps/v1:Deployment").find((d) => d.name === "api")!;
    expect(JSON.stringify(api.inputs.spec)).toContain('"secretRef":{"name":"database-abc123"}');
  });
});

describe("app config errors", () => {
  it("refuses a misspelt config key instead of ignoring it", async () => {
    await expect(
      runScenario("app/pr-42", { config: { ...SCENARIOS["app/pr-42"].config, migrations: {} } }),
    ).rejects.toThrow(/invalid stack config for app: unknown key 'migrations'/);
  });

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
