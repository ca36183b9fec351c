import { beforeAll, describe, expect, it } from "vitest";
import { ofType, podContainers, waitsFor, type ProgramRun } from "../support/pulumi-mocks.js";
import { runScenario, SCENARIOS } from "../support/program-scenarios.js";
import { OWN_PODS_AND_DNS } from "../support/network-policies.js";

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
  it("builds the explicit provider from the cluster stack's kubeconfig, or a local one", async () => {
    const [devProvider] = ofType(run("preview-base/dev"), "pulumi:providers:kubernetes");
    expect(String(devProvider?.inputs.kubeconfig)).toContain('"kind":"Config"');
    const local = run("preview-base/local");
    const [localProvider] = ofType(local, "pulumi:providers:kubernetes");
    expect(String(localProvider?.inputs.kubeconfig)).toContain("https://127.0.0.1:6443");
    const { config, secretConfig } = SCENARIOS["preview-base/local"];
    const kind = await runScenario("preview-base/local", {
      config: {
        ...config,
        kubeContext: "kind-previews",
        previewApiServer: "https://127.0.0.1:6443",
      },
      secretConfig: { postgresPassword: secretConfig.postgresPassword },
    });
    expect(ofType(kind, "pulumi:providers:kubernetes")[0]?.inputs.context).toBe("kind-previews");
    // Without a JSON kubeconfig to take it from, the deployer's server must be given.
    await expect(
      runScenario("preview-base/local", {
        config: { ...config, kubeContext: "kind-previews" },
        secretConfig: { postgresPassword: secretConfig.postgresPassword },
      }),
    ).rejects.toThrow(/needs config previewApiServer/);
  });

  // Issue #19: previews' Pulumi tokens read this stack, and a StackReference hands their programs
  // every output, secrets decrypted. So no output, secret or not, may hold an admin credential.
  it("exports no admin kubeconfig and no registry credential, in any output's value", async () => {
    const cluster = await runScenario("cluster/dev");
    const adminKubeconfig = String(cluster.outputs.kubeconfig);
    const { secretConfig } = SCENARIOS["preview-base/dev"];
    const local = SCENARIOS["preview-base/local"].secretConfig;
    const credentials = [
      adminKubeconfig,
      local.kubeconfig,
      secretConfig.registryPassword,
      Buffer.from(`acme-bot:${secretConfig.registryPassword}`).toString("base64"),
    ];
    for (const kind of KINDS) {
      const outputs = run(kind).outputs;
      expect(Object.keys(outputs), kind).not.toContain("kubeconfig");
      expect(Object.keys(outputs), kind).not.toContain("dockerConfigJson");
      for (const [name, value] of Object.entries(outputs)) {
        const text = JSON.stringify(value) ?? "";
        for (const credential of credentials)
          expect(text.includes(credential), `${kind} output ${name}`).toBe(false);
      }
    }
    // The stack still deploys with the admin's (and previews pull with the registry's).
    const [devProvider] = ofType(run("preview-base/dev"), "pulumi:providers:kubernetes");
    expect(devProvider?.inputs.kubeconfig).toBe(adminKubeconfig);
    expect(run("preview-base/dev").outputs.pullSecretName).toBe("registry");
  });

  it("makes the preview deployer and exports its kubeconfig (secret), never the database admin's password", () => {
    const dev = run("preview-base/dev");
    expect(dev.secretOutputs).toContain("previewKubeconfig");
    expect(dev.outputs).toMatchObject({
      previewDeployerAccount: { namespace: "preview-shared", name: "preview-deployer" },
      previewDeployerRole: "preview-deployer-namespaced-abc123",
    });
    for (const gone of ["databaseAdminPassword", "databaseAdminUser", "postgresImage"])
      expect(Object.keys(dev.outputs)).not.toContain(gone);
    const [token] = ofType(dev, "kubernetes:core/v1:Secret").filter(
      (s) => s.inputs.type === "kubernetes.io/service-account-token",
    );
    expect(token?.inputs.metadata).toMatchObject({
      namespace: "preview-shared",
      annotations: { "kubernetes.io/service-account.name": "preview-deployer" },
    });
    expect(
      ofType(dev, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"),
    ).toHaveLength(2);
    // The provisioner copies the pull secret into previews' namespaces, and answers requests.
    const provisioner = ofType(dev, "kubernetes:apps/v1:Deployment").find(
      (d) => d.name === "database-provisioner",
    );
    expect(JSON.stringify(provisioner?.inputs.spec)).toContain(
      '{"name":"PULL_SECRET","value":"registry"}',
    );
  });

  it("with previewIdentity github, makes no ServiceAccount or token: each pull request's jobs are their own user, by the kubeconfig's exec plugin", async () => {
    const base = await runScenario("preview-base/dev-github");
    expect(ofType(base, "kubernetes:core/v1:ServiceAccount").map((a) => a.name)).not.toContain(
      "preview-deployer",
    );
    expect(
      ofType(base, "kubernetes:core/v1:Secret").filter(
        (s) => s.inputs.type === "kubernetes.io/service-account-token",
      ),
    ).toEqual([]);
    const binding = ofType(base, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").find(
      (b) => b.name === "preview-deployer",
    );
    expect(binding?.inputs.subjects).toEqual([
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "preview-kit:previews" },
    ]);
    expect(base.outputs.previewIdentity).toBe("github");
    expect(base.outputs.previewDeployerAccount).toBeUndefined();
    const kubeconfig = JSON.parse(String(base.outputs.previewKubeconfig)) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { exec?: { command: string; args: string[] }; token?: string } }[];
    };
    // The cluster stack's server and CA; no credential at all, only the plugin and its audience.
    expect(kubeconfig.clusters[0]?.cluster.server).toMatch(/^https:\/\//);
    expect(kubeconfig.clusters[0]?.cluster["certificate-authority-data"]).toBeTruthy();
    expect(kubeconfig.users[0]?.user.token).toBeUndefined();
    expect(kubeconfig.users[0]?.user.exec?.command).toBe("node");
    expect(kubeconfig.users[0]?.user.exec?.args.at(-1)).toBe("https://previews.example.com");
    // What the platform puts in its API server's AuthenticationConfiguration.
    expect(base.outputs.previewAuthenticator).toMatchObject({
      issuer: {
        url: "https://token.actions.githubusercontent.com",
        audiences: ["https://previews.example.com"],
      },
      claimValidationRules: [{ expression: "claims.repository == 'acme/shop'" }, {}],
    });
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
      config: { ...config, databaseJanitor: { ...config.databaseJanitor, enabled: false } },
    });
    expect(ofType(off, "kubernetes:batch/v1:CronJob")).toEqual([]);
  });

  it("refuses a shared server without the provisioner's and janitor's kubectl image", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    await expect(
      runScenario("preview-base/dev", { config: { ...config, databaseJanitor: {} } }),
    ).rejects.toThrow(/need databaseJanitor.kubectlImage/);
  });

  it("refuses a registry without its password rather than dropping the pull secret", async () => {
    const { secretConfig } = SCENARIOS["preview-base/dev"];
    await expect(
      runScenario("preview-base/dev", {
        secretConfig: { postgresPassword: secretConfig.postgresPassword },
      }),
    ).rejects.toThrow(/config registry needs the secret registryPassword/);
  });

  it("installs what gateway routing needs before the Gateway, pinned, and the issuer", () => {
    const dev = run("preview-base/dev");
    const [crds] = ofType(dev, "kubernetes:yaml/v2:ConfigFile");
    expect(crds?.inputs.file).toMatch(
      /gateway-api\/releases\/download\/v[0-9.]+\/standard-install\.yaml$/,
    );
    const releases = Object.fromEntries(
      ofType(dev, "kubernetes:helm.sh/v3:Release").map((r) => [r.name, r]),
    );
    expect(Object.keys(releases).sort()).toEqual(["cert-manager", "nginx-gateway-fabric"]);
    for (const release of Object.values(releases)) {
      expect(release.inputs.version, release.name).toMatch(/^v?[0-9]+\.[0-9]+\.[0-9]+$/);
    }
    const [issuer] = ofType(dev, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    expect(issuer?.inputs.spec).toEqual(
      SCENARIOS["preview-base/dev"].config.gateway.clusterIssuerSpec,
    );
    const [gateway] = ofType(dev, "kubernetes:gateway.networking.k8s.io/v1:Gateway");
    const [certificate] = ofType(dev, "kubernetes:cert-manager.io/v1:Certificate");
    expect(waitsFor(dev, gateway!, releases["nginx-gateway-fabric"]!)).toBe(true);
    expect(waitsFor(dev, releases["nginx-gateway-fabric"]!, crds!)).toBe(true);
    expect(waitsFor(dev, certificate!, issuer!)).toBe(true);
    expect(waitsFor(dev, issuer!, releases["cert-manager"]!)).toBe(true);
  });

  it("reads what it does not install, so a missing prerequisite fails at once by name", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    const checked = await runScenario("preview-base/dev", {
      config: {
        ...config,
        gateway: {},
        install: { gatewayApiCrds: false, certManager: false, nginxGatewayFabric: false },
      },
    });
    const reads = checked.resources.filter((r) => r.readId).map((r) => `${r.type} ${r.readId}`);
    expect(reads.sort()).toEqual([
      "kubernetes:cert-manager.io/v1:ClusterIssuer letsencrypt",
      "kubernetes:gateway.networking.k8s.io/v1:GatewayClass nginx",
    ]);
    expect(ofType(checked, "kubernetes:helm.sh/v3:Release")).toEqual([]);
    await expect(
      runScenario("preview-base/dev", { config: { ...config, gateway: {} } }),
    ).rejects.toThrow(/installing cert-manager here needs gateway.clusterIssuerSpec/);
    const production = run("preview-base/production");
    expect(production.resources.filter((r) => r.readId).map((r) => r.type)).toEqual([
      "kubernetes:networking.k8s.io/v1:IngressClass",
    ]);
    const storage = await runScenario("preview-base/dev", {
      config: { ...config, postgres: { ...config.postgres, storageClassName: "fast" } },
    });
    const [claimClass] = ofType(storage, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(claimClass?.readId).toBe("fast");
  });

  it("points wildcard records for every preview host at the Gateway's address", () => {
    const records = ofType(run("preview-base/dev"), "aws:route53/record:Record").map((r) => ({
      name: r.inputs.name,
      type: r.inputs.type,
      records: r.inputs.records,
    }));
    const target = ["gw-1234.elb.us-east-1.amazonaws.com"];
    expect(records).toEqual([
      { name: "*.example.com", type: "CNAME", records: target },
      { name: "*.pr.example.com", type: "CNAME", records: target },
      { name: "*.pr-api.example.com", type: "CNAME", records: target },
    ]);
  });

  it("holds the ALB of the Ingress group, and points the records at it", async () => {
    const { config } = SCENARIOS["preview-base/production"];
    const production = await runScenario("preview-base/production", {
      config: { ...config, dns: { hostedZoneId: "Z123" } },
    });
    const [anchor] = ofType(production, "kubernetes:networking.k8s.io/v1:Ingress");
    expect(anchor?.inputs.metadata).toMatchObject({
      namespace: "preview-shared",
      annotations: { "alb.ingress.kubernetes.io/group.name": "previews" },
    });
    const records = ofType(production, "aws:route53/record:Record").filter((r) =>
      String(r.inputs.name).startsWith("*"),
    );
    expect(records.map((r) => r.inputs.records)).toEqual(
      Array(3).fill(["k8s-previews-1234.us-east-1.elb.amazonaws.com"]),
    );
  });

  it("has a local flavour a bare API server hosts: nothing from a cloud, nothing awaited", () => {
    const local = run("preview-base/local");
    expect(ofType(local, "aws")).toEqual([]);
    expect(ofType(local, "kubernetes:helm.sh/v3:Release")).toEqual([]);
    expect(ofType(local, "kubernetes:yaml/v2:ConfigFile")).toEqual([]);
    expect(ofType(local, "kubernetes:cert-manager.io/v1:Certificate")).toEqual([]);
    const [gatewayClass] = ofType(local, "kubernetes:gateway.networking.k8s.io/v1:GatewayClass");
    expect(gatewayClass?.inputs.spec).toEqual({ controllerName: "preview-kit.dev/unreconciled" });
    const [gateway] = ofType(local, "kubernetes:gateway.networking.k8s.io/v1:Gateway");
    expect((gateway?.inputs.spec as { listeners: unknown[] }).listeners).toEqual([
      {
        name: "http",
        protocol: "HTTP",
        port: 80,
        allowedRoutes: {
          namespaces: {
            from: "Selector",
            selector: { matchLabels: { "app.kubernetes.io/managed-by": "preview-kit" } },
          },
        },
      },
    ]);
    const waiting = local.resources.filter((r) =>
      [
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:core/v1:Service",
        "kubernetes:gateway.networking.k8s.io/v1:Gateway",
        "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
      ].includes(r.type),
    );
    expect(waiting).toHaveLength(4);
    for (const resource of waiting) {
      expect(
        (resource.inputs.metadata as { annotations?: Record<string, string> }).annotations,
        resource.type,
      ).toMatchObject({ "pulumi.com/skipAwait": "true" });
    }
    expect(local.outputs).toMatchObject({
      skipAwait: true,
      gatewayListener: "http",
      notAwaited: [
        "StatefulSet db",
        "Service db",
        "Deployment database-provisioner",
        "GatewayClass preview-kit-local",
        "Gateway previews",
      ],
    });
  });

  it("enforces restricted Pod Security in the shared namespace, baseline in the gateway's, and denies ingress there but previews' to the database, egress but DNS and the API server's for its controllers", async () => {
    const dev = run("preview-base/dev");
    const namespaces = Object.fromEntries(
      ofType(dev, "kubernetes:core/v1:Namespace").map((n) => [
        (n.inputs.metadata as { name: string }).name,
        (n.inputs.metadata as { labels: Record<string, string> }).labels,
      ]),
    );
    expect(namespaces["preview-shared"]).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    expect(namespaces.gateway).toMatchObject({ "pod-security.kubernetes.io/enforce": "baseline" });
    const policies = ofType(dev, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => ({
      metadata: p.inputs.metadata,
      spec: p.inputs.spec,
    }));
    expect(policies).toEqual([
      {
        metadata: { name: "default-deny-ingress", namespace: "preview-shared" },
        spec: {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ podSelector: {} }] }],
        },
      },
      {
        metadata: { name: "default-deny-egress", namespace: "preview-shared" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: OWN_PODS_AND_DNS,
        },
      },
      {
        metadata: { name: "db-clients", namespace: "preview-shared" },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "db" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { "app.kubernetes.io/managed-by": "preview-kit" },
                    matchExpressions: [{ key: "preview-kit/pull-request", operator: "Exists" }],
                  },
                },
              ],
              ports: [{ port: 5432, protocol: "TCP" }],
            },
          ],
        },
      },
      {
        metadata: { name: "kube-api-clients", namespace: "preview-shared" },
        spec: {
          podSelector: { matchLabels: { "preview-kit/kube-api-client": "true" } },
          policyTypes: ["Egress"],
          // The cluster stack's server is https://…eks.amazonaws.com: its port, 443.
          egress: [
            { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443, protocol: "TCP" }] },
          ],
        },
      },
    ]);
    // Only the provisioner and the janitor reach the API server; the database reaches nothing
    // outside the namespace but DNS, so its admin password has nowhere to go.
    const apiClients = (labels: unknown) =>
      (labels as Record<string, string> | undefined)?.["preview-kit/kube-api-client"] === "true";
    type Template = { metadata?: { labels?: unknown } };
    const podTemplates = [
      ...ofType(dev, "kubernetes:apps/v1:Deployment").map((d) => ({
        name: d.name,
        template: (d.inputs.spec as { template: Template }).template,
      })),
      ...ofType(dev, "kubernetes:apps/v1:StatefulSet").map((d) => ({
        name: d.name,
        template: (d.inputs.spec as { template: Template }).template,
      })),
      ...ofType(dev, "kubernetes:batch/v1:CronJob").map((d) => ({
        name: d.name,
        template: (d.inputs.spec as { jobTemplate: { spec: { template: Template } } }).jobTemplate
          .spec.template,
      })),
    ];
    expect(
      podTemplates.filter((p) => apiClients(p.template.metadata?.labels)).map((p) => p.name),
    ).toEqual(["database-provisioner", "database-janitor"]);
    expect(podTemplates.map((p) => p.name)).toContain("postgres");
    // What app stacks need to admit their egress to it.
    expect(dev.outputs).toMatchObject({
      databasePodLabels: { "app.kubernetes.io/name": "db" },
      databaseNamespace: "preview-shared",
    });

    const chosen = await runScenario("preview-base/dev", {
      config: {
        ...SCENARIOS["preview-base/dev"].config,
        podSecurity: { shared: "baseline", gateway: "privileged" },
        postgres: {
          ...(SCENARIOS["preview-base/dev"].config.postgres as object),
          securityContext: { runAsUser: 70, fsGroup: 70 },
        },
        apiServerEgress: { cidrs: ["10.0.0.0/16"], port: 6443 },
      },
    });
    const apiPolicy = ofType(chosen, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => (p.inputs.metadata as { name: string }).name === "kube-api-clients",
    );
    expect((apiPolicy?.inputs.spec as { egress: unknown }).egress).toEqual([
      { to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ port: 6443, protocol: "TCP" }] },
    ]);
    const labels = Object.fromEntries(
      ofType(chosen, "kubernetes:core/v1:Namespace").map((n) => [
        (n.inputs.metadata as { name: string }).name,
        (n.inputs.metadata as { labels: Record<string, string> }).labels[
          "pod-security.kubernetes.io/enforce"
        ],
      ]),
    );
    expect(labels).toEqual({ "preview-shared": "baseline", gateway: "privileged" });
    const [statefulSet] = ofType(chosen, "kubernetes:apps/v1:StatefulSet");
    expect(
      (statefulSet?.inputs.spec as { template: { spec: { securityContext: unknown } } }).template
        .spec.securityContext,
    ).toEqual({
      runAsNonRoot: true,
      runAsUser: 70,
      fsGroup: 70,
      seccompProfile: { type: "RuntimeDefault" },
    });
    // The provisioner runs the same image as the same user.
    const provisioner = ofType(chosen, "kubernetes:apps/v1:Deployment").find(
      (d) => d.name === "database-provisioner",
    );
    expect(JSON.stringify(provisioner?.inputs.spec)).toContain('"runAsUser":70');
  });

  it("refuses a misspelt config key instead of ignoring it", async () => {
    const { config } = SCENARIOS["preview-base/dev"];
    await expect(
      runScenario("preview-base/dev", { config: { ...config, databaseJaniter: {} } }),
    ).rejects.toThrow(/unknown key 'databaseJaniter'/);
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
