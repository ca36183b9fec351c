import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  AppConfig,
  AppNamespace,
  githubPreviewAuthenticator,
  ImagePullSecret,
  MANAGED_BY,
  MigrationJob,
  PreviewDatabase,
  PreviewDatabaseProvisioner,
  PreviewDeployer,
  PreviewDatabaseJanitor,
  PULL_REQUEST_LABEL,
  Route,
  SharedPostgres,
  WebService,
} from "../../components/kubernetes/index.js";
import {
  digestRef,
  ofType,
  podContainers,
  podSpecs,
  runProgram,
  waitsFor,
} from "../support/pulumi-mocks.js";

const sized = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};
const quota = {
  "requests.cpu": "2",
  "requests.memory": "4Gi",
  "limits.cpu": "4",
  "limits.memory": "8Gi",
  pods: 10,
};

function janitor(provider: k8s.Provider, host: string | pulumi.Output<string>, schedule?: string) {
  return new PreviewDatabaseJanitor("janitor", {
    provider,
    namespace: { name: "preview-shared", hasQuota: false },
    schedule,
    databasePrefixes: ["app", "shop"],
    server: { host, adminUser: "postgres", adminPassword: "a-long-password" },
    image: digestRef("docker.io/library/postgres"),
    kubectlImage: digestRef("docker.io/bitnami/kubectl", "b"),
    resources: sized,
  });
}

function provisioner(provider: k8s.Provider, host: string | pulumi.Output<string>) {
  return new PreviewDatabaseProvisioner("provisioner", {
    provider,
    namespace: { name: "preview-shared", hasQuota: false },
    databasePrefixes: ["app", "shop"],
    server: { host, adminUser: "postgres", adminPassword: "a-long-password" },
    image: digestRef("docker.io/library/postgres"),
    kubectlImage: digestRef("docker.io/bitnami/kubectl", "b"),
    resources: sized,
    pullSecret: "registry",
  });
}

function run(program: () => unknown) {
  return runProgram(program, { project: "components", stack: "pr-7" });
}

describe("kubernetes kit", () => {
  it("puts every resource of every component on the explicit provider, parented to it", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const ns = new AppNamespace("ns", {
        provider,
        name: "preview-pr-7",
        quota,
        limitRange: { defaultRequest: sized.requests, default: sized.limits },
        networkPolicy: { allowFromNamespaces: ["gateway"] },
      });
      const web = new WebService("web", {
        provider,
        namespace: ns,
        container: { name: "web", image: digestRef("ghcr.io/acme/web"), resources: sized },
        initContainers: [
          { name: "wait", image: digestRef("ghcr.io/acme/tools"), resources: sized },
        ],
        port: 8080,
        probes: { path: "/healthz" },
        autoscaling: { minReplicas: 1, maxReplicas: 3 },
        disruptionBudget: { minAvailable: 1 },
      });
      new Route("web", {
        provider,
        namespace: ns.name,
        host: "7.pr.example.com",
        service: { name: web.serviceName, port: web.port },
        via: { kind: "gateway", gatewayName: "previews", gatewayNamespace: "gateway" },
      });
      new Route("api", {
        provider,
        namespace: ns.name,
        host: "7.pr-api.example.com",
        service: { name: "api", port: 80 },
        via: { kind: "alb-ingress", groupName: "previews" },
      });
      new MigrationJob("migrate", {
        provider,
        namespace: ns,
        jobName: "migrate",
        container: { name: "migrate", image: digestRef("ghcr.io/acme/api"), resources: sized },
      });
      new ImagePullSecret("pull", {
        provider,
        namespace: ns.name,
        secretName: "registry",
        credentials: { registry: "ghcr.io", username: "bot", password: "token" },
      });
      new AppConfig("cfg", {
        provider,
        namespace: ns.name,
        data: { LOG_LEVEL: "info" },
        secrets: { API_KEY: "s3cret" },
      });
      const db = new SharedPostgres("pg", {
        provider,
        namespace: ns,
        image: digestRef("docker.io/library/postgres"),
        adminPassword: "a-long-password",
        resources: sized,
      });
      new PreviewDatabase("db", { provider, namespace: ns, appName: "app" });
      provisioner(provider, db.host);
      new PreviewDeployer("deployer", {
        provider,
        namespace: "preview-shared",
        server: "https://127.0.0.1:6443",
      });
      janitor(provider, db.host);
    });

    const kube = ofType(result, "kubernetes");
    const types = new Set(kube.map((r) => r.type));
    for (const type of [
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:ResourceQuota",
      "kubernetes:core/v1:LimitRange",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      "kubernetes:networking.k8s.io/v1:Ingress",
      "kubernetes:batch/v1:Job",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:batch/v1:CronJob",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    ]) {
      expect(types, type).toContain(type);
    }
    for (const resource of kube) {
      expect(resource.provider, `${resource.type} ${resource.name}`).toMatch(
        /::pulumi:providers:kubernetes::target::/,
      );
      expect(resource.urn, `${resource.type} ${resource.name}`).toMatch(
        /::preview-kit:kubernetes:[A-Za-z]+\$/,
      );
    }
    for (const { owner, container } of podContainers(result)) {
      expect(String(container.image), owner).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
  });

  it("gives the database janitor only get/list on namespaces and its own namespace's leftovers, and runs it one at a time, sized", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      janitor(provider, "db.preview-shared.svc.cluster.local", "*/30 * * * *");
    });
    const rbac = ofType(result, "kubernetes:rbac.authorization.k8s.io/v1");
    const byKind = (kind: string) =>
      rbac.filter((r) => r.type === `kubernetes:rbac.authorization.k8s.io/v1:${kind}`);
    expect(rbac.map((r) => r.type.split(":")[2]).sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "Role",
      "RoleBinding",
    ]);
    expect(byKind("ClusterRole")[0]?.inputs.rules).toEqual([
      { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] },
    ]);
    const [account] = ofType(result, "kubernetes:core/v1:ServiceAccount");
    const subjects = [
      { kind: "ServiceAccount", name: "database-janitor", namespace: "preview-shared" },
    ];
    expect(byKind("ClusterRoleBinding")[0]?.inputs).toMatchObject({
      roleRef: { kind: "ClusterRole", name: "janitor-abc123" },
      subjects,
    });
    // The leftovers of closed previews, in its own namespace only.
    expect(byKind("Role")[0]?.inputs).toMatchObject({
      metadata: { name: "database-janitor", namespace: "preview-shared" },
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "list", "delete"] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "delete"] },
      ],
    });
    expect(byKind("RoleBinding")[0]?.inputs).toMatchObject({
      metadata: { namespace: "preview-shared" },
      roleRef: { kind: "Role", name: "database-janitor" },
      subjects,
    });
    expect(account?.inputs.metadata).toMatchObject({ name: "database-janitor" });

    const [cronJob] = ofType(result, "kubernetes:batch/v1:CronJob");
    const spec = cronJob?.inputs.spec as Record<string, unknown>;
    expect(spec).toMatchObject({ schedule: "*/30 * * * *", concurrencyPolicy: "Forbid" });
    expect(JSON.stringify(spec)).toContain('"serviceAccountName":"database-janitor"');
    const containers = podContainers(result);
    expect(containers.map(({ container }) => container.name)).toEqual(["kubectl", "sweep"]);
    for (const { container } of containers) {
      expect(container.resources, String(container.name)).toEqual(sized);
      expect(String(container.image)).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    const sweep = containers[1]?.container.env as { name: string; value: string }[];
    expect(Object.fromEntries(sweep.map((e) => [e.name, e.value]))).toMatchObject({
      OWN_NAMESPACE: "preview-shared",
      NAMESPACE_PREFIX: "preview-pr-",
      DATABASE_PREFIXES: "app shop",
      PREVIEW_LABEL: "preview-kit/preview-namespace",
    });
    for (const resource of ofType(result, "kubernetes")) {
      expect(resource.provider).toMatch(/::pulumi:providers:kubernetes::target::/);
    }
  });

  it("defaults the janitor to hourly and refuses loose prefixes and unsized containers", async () => {
    const result = await run(() => {
      janitor(new k8s.Provider("target", { kubeconfig: "{}" }), "db.x.svc.cluster.local");
    });
    const [cronJob] = ofType(result, "kubernetes:batch/v1:CronJob");
    expect(cronJob?.inputs.spec).toMatchObject({ schedule: "0 * * * *" });

    const attempt = (args: Record<string, unknown>) =>
      run(() => {
        const provider = new k8s.Provider("target", { kubeconfig: "{}" });
        new PreviewDatabaseJanitor("janitor", {
          provider,
          namespace: { name: "preview-shared", hasQuota: false },
          databasePrefixes: ["app"],
          server: { host: "db.x.svc.cluster.local", adminUser: "u", adminPassword: "p" },
          image: digestRef("docker.io/library/postgres"),
          kubectlImage: digestRef("docker.io/bitnami/kubectl"),
          resources: sized,
          ...args,
        } as ConstructorParameters<typeof PreviewDatabaseJanitor>[1]);
      });
    await expect(attempt({ databasePrefixes: [".*"] })).rejects.toThrow(
      /databasePrefixes.0: must be a lowercase PostgreSQL identifier prefix/,
    );
    await expect(attempt({ databasePrefixes: [] })).rejects.toThrow(/databasePrefixes/);
    await expect(attempt({ namespacePrefix: "preview-pr-|" })).rejects.toThrow(/namespacePrefix/);
    await expect(attempt({ resources: { requests: sized.requests } })).rejects.toThrow(
      /resources.limits/,
    );
    await expect(attempt({ kubectlImage: "bitnami/kubectl:latest" })).rejects.toThrow(
      /kubectlImage: a digest is required/,
    );
    await expect(attempt({ schedule: "hourly" })).rejects.toThrow(/five-field cron/);
  });

  it("fails a component given no provider, naming the field and why", async () => {
    await expect(
      run(
        () =>
          new AppNamespace("ns", { name: "dev" } as unknown as ConstructorParameters<
            typeof AppNamespace
          >[1]),
      ),
    ).rejects.toThrow(
      /preview-kit:kubernetes:AppNamespace "ns": invalid args: provider: an explicit kubernetes Provider is required/,
    );
  });

  it("fails under a quota naming each container and init container without limits", async () => {
    const attempt = run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const ns = new AppNamespace("ns", { provider, name: "preview-pr-7", quota });
      new WebService("api", {
        provider,
        namespace: ns,
        container: { name: "api", image: digestRef("ghcr.io/acme/api"), resources: sized },
        initContainers: [{ name: "db-migration", image: digestRef("ghcr.io/acme/api") }],
        port: 8080,
      });
    });
    await expect(attempt).rejects.toThrow(
      /ResourceQuota.*container 'db-migration' lacks requests and limits/,
    );
  });

  it("lets the same workload omit sizes where no quota applies (production is not starved)", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new WebService("api", {
        provider,
        namespace: { name: "production", hasQuota: false },
        container: { name: "api", image: digestRef("ghcr.io/acme/api") },
        port: 8080,
        replicas: 3,
      });
    });
    const [entry] = podContainers(result);
    expect(entry?.container.resources).toBeUndefined();
  });

  it("refuses tags and truncated digests with a message asking for a digest", async () => {
    const build = (image: string) =>
      run(() => {
        const provider = new k8s.Provider("target", { kubeconfig: "{}" });
        new MigrationJob("migrate", {
          provider,
          namespace: { name: "dev", hasQuota: false },
          jobName: "migrate",
          container: { name: "migrate", image },
        });
      });
    await expect(build("ghcr.io/acme/api:v1.2.3")).rejects.toThrow(
      /container.image: a digest is required/,
    );
    await expect(build("ghcr.io/acme/api@sha256:0123456789ab")).rejects.toThrow(
      /not a full digest; a digest is required/,
    );
  });

  it("refuses a tag that arrives as an Output when it resolves, naming the component", async () => {
    const result = run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new MigrationJob("migrate", {
        provider,
        namespace: { name: "dev", hasQuota: false },
        jobName: "migrate",
        container: { name: "migrate", image: pulumi.output("ghcr.io/acme/api:v1.2.3") },
      });
    });
    await expect(result).rejects.toThrow(
      /preview-kit:kubernetes:MigrationJob "migrate": container 'migrate' image: .*a digest is required/,
    );
  });

  it("protects a namespace it creates: the engine receives protect", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new AppNamespace("kept", { provider, name: "kept", protect: true });
      new AppNamespace("plain", { provider, name: "plain" });
    });
    const byName = Object.fromEntries(
      ofType(result, "kubernetes:core/v1:Namespace").map((n) => [n.name, n.protect]),
    );
    expect(byName).toEqual({ kept: true, plain: false });
  });

  it("adopts an existing namespace: reads it and labels it managed-by for the gateway", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const ns = new AppNamespace("ns", { provider, name: "legacy", mode: "adopt" });
      new Route("web", {
        provider,
        namespace: ns.name,
        host: "legacy.example.com",
        service: { name: "web", port: 80 },
        via: { kind: "gateway", gatewayName: "previews", gatewayNamespace: "gateway" },
      });
    });
    const [namespace] = ofType(result, "kubernetes:core/v1:Namespace");
    expect(namespace?.readId).toBe("legacy");
    const [patch] = ofType(result, "kubernetes:core/v1:NamespacePatch");
    expect(patch?.inputs.metadata).toEqual({
      name: "legacy",
      labels: { "app.kubernetes.io/managed-by": "preview-kit" },
    });
    // The route is created only once the label is there, or the Gateway refuses it.
    const route = ofType(result, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")[0]!;
    expect(waitsFor(result, route, patch!)).toBe(true);
  });

  it("skips a namespace made elsewhere, and refuses protect where it would do nothing", async () => {
    const skipped = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const ns = new AppNamespace("ns", { provider, name: "theirs", mode: "skip" });
      return { name: ns.name };
    });
    expect(ofType(skipped, "kubernetes")).toEqual([]);
    expect(skipped.outputs.name).toBe("theirs");
    for (const mode of ["adopt", "skip"] as const) {
      await expect(
        run(() => {
          const provider = new k8s.Provider("target", { kubeconfig: "{}" });
          new AppNamespace("ns", { provider, name: "legacy", mode, protect: true });
        }),
      ).rejects.toThrow(/protect: protect applies only to a namespace this stack creates/);
    }
  });

  it("exports the shared database host as a cluster FQDN", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const db = new SharedPostgres("pg", {
        provider,
        namespace: { name: "preview-shared", hasQuota: false },
        image: digestRef("docker.io/library/postgres"),
        adminPassword: "a-long-password",
      });
      return { host: db.host };
    });
    expect(result.outputs.host).toBe("db.preview-shared.svc.cluster.local");
  });

  it("asks for a preview's database with a labelled ConfigMap only: no credential, no Job, no Secret", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const ns = new AppNamespace("ns", { provider, name: "preview-pr-7", quota });
      const db = new PreviewDatabase("db", { provider, namespace: ns, appName: "shop-app" });
      return { secretName: db.secretName };
    });
    const own = result.resources.filter(
      (r) =>
        r.type.startsWith("kubernetes:") &&
        !r.type.endsWith(":Namespace") &&
        !r.type.endsWith(":ResourceQuota"),
    );
    expect(own.map((r) => r.type)).toEqual(["kubernetes:core/v1:ConfigMap"]);
    expect(own[0]?.inputs.metadata).toEqual({
      name: "database",
      namespace: "preview-pr-7",
      labels: { "preview-kit/database-request": "shop_app" },
    });
    expect(result.outputs.secretName).toBe("database");
  });

  it("keeps the provisioner's admin credentials in its own namespace and lets it write only Secrets in previews' namespaces", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      provisioner(provider, "db.preview-shared.svc.cluster.local");
    });
    const [admin, ...others] = ofType(result, "kubernetes:core/v1:Secret");
    expect(others).toEqual([]);
    expect(admin?.inputs.metadata).toEqual({
      name: "database-provisioner",
      namespace: "preview-shared",
    });
    expect(admin?.secretInputs).toContain("stringData");
    const [role] = ofType(result, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    expect(role?.inputs.rules).toEqual([
      { apiGroups: [""], resources: ["namespaces", "configmaps"], verbs: ["list"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["create", "patch"] },
    ]);
    const [reader] = ofType(result, "kubernetes:rbac.authorization.k8s.io/v1:Role");
    expect(reader?.inputs.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["registry"] },
    ]);
    const [policy] = ofType(
      result,
      "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    );
    expect(JSON.stringify(policy?.inputs.spec)).toContain(
      "system:serviceaccount:preview-shared:database-provisioner",
    );
    const [deployment] = ofType(result, "kubernetes:apps/v1:Deployment");
    expect(deployment?.inputs.spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
  });

  it("writes a dockerconfigjson pull secret", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new ImagePullSecret("pull", {
        provider,
        namespace: "dev",
        secretName: "registry",
        credentials: { registry: "ghcr.io", username: "bot", password: "token" },
      });
    });
    const [secret] = ofType(result, "kubernetes:core/v1:Secret");
    expect(secret?.inputs.type).toBe("kubernetes.io/dockerconfigjson");
    const doc = JSON.parse(
      String((secret?.inputs.stringData as Record<string, string>)[".dockerconfigjson"]),
    );
    expect(doc.auths["ghcr.io"].auth).toBe(Buffer.from("bot:token").toString("base64"));
  });
});

describe("kubernetes kit: what a preview's pods can do and reach", () => {
  const psa = (level: string, version = "latest") =>
    Object.fromEntries(
      ["enforce", "warn", "audit"].flatMap((mode) => [
        [`pod-security.kubernetes.io/${mode}`, level],
        [`pod-security.kubernetes.io/${mode}-version`, version],
      ]),
    );
  const labelsOf = (r: { inputs: Record<string, unknown> } | undefined) =>
    (r?.inputs.metadata as { labels?: Record<string, string> }).labels;

  it("labels a namespace it creates for the restricted Pod Security Standard unless told another level", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new AppNamespace("preview", { provider, name: "preview-pr-7" });
      new AppNamespace("db", { provider, name: "shared", podSecurity: { level: "baseline" } });
      new AppNamespace("pinned", {
        provider,
        name: "pinned",
        podSecurity: { level: "restricted", version: "v1.33" },
      });
    });
    const byName = Object.fromEntries(
      ofType(result, "kubernetes:core/v1:Namespace").map((n) => [n.name, labelsOf(n)]),
    );
    expect(byName.preview).toEqual({
      ...psa("restricted"),
      "app.kubernetes.io/managed-by": "preview-kit",
    });
    expect(byName.db).toMatchObject(psa("baseline"));
    expect(byName.pinned).toMatchObject(psa("restricted", "v1.33"));
  });

  it("labels an adopted namespace only when asked, and refuses podSecurity where it would do nothing", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new AppNamespace("plain", { provider, name: "legacy", mode: "adopt" });
      new AppNamespace("asked", {
        provider,
        name: "other",
        mode: "adopt",
        podSecurity: { level: "restricted" },
      });
    });
    const patches = Object.fromEntries(
      ofType(result, "kubernetes:core/v1:NamespacePatch").map((n) => [n.name, labelsOf(n)]),
    );
    expect(patches.plain).toEqual({ "app.kubernetes.io/managed-by": "preview-kit" });
    expect(patches.asked).toMatchObject(psa("restricted"));

    const attempt = (args: Record<string, unknown>) =>
      run(() => {
        const provider = new k8s.Provider("target", { kubeconfig: "{}" });
        new AppNamespace("ns", { provider, name: "x", ...args } as ConstructorParameters<
          typeof AppNamespace
        >[1]);
      });
    await expect(attempt({ mode: "skip", podSecurity: { level: "baseline" } })).rejects.toThrow(
      /podSecurity: podSecurity labels a namespace; a skipped one is used as it is/,
    );
    await expect(attempt({ podSecurity: { level: "strict" } })).rejects.toThrow(
      /podSecurity.level/,
    );
    await expect(
      attempt({ podSecurity: { level: "restricted", version: "1.33" } }),
    ).rejects.toThrow(/podSecurity.version: must be 'latest' or a version such as 'v1.33'/);
  });

  it("denies egress except its own pods, cluster DNS and each declared peer on its ports; ingress as before", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new AppNamespace("ns", {
        provider,
        name: "preview-pr-7",
        networkPolicy: {
          allowFromNamespaces: ["gateway"],
          egress: {
            allowTo: [
              {
                namespace: pulumi.output("preview-shared"),
                podLabels: { "app.kubernetes.io/name": "db" },
                ports: [{ port: 5432 }],
              },
              { namespace: "monitoring" },
            ],
            allowToCidrs: [
              { cidr: "203.0.113.0/24", except: ["203.0.113.7/32"], ports: [{ port: 443 }] },
            ],
          },
        },
      });
    });
    const policies = Object.fromEntries(
      ofType(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => [
        (p.inputs.metadata as { name: string }).name,
        p.inputs.spec,
      ]),
    );
    expect(policies["default-deny-ingress"]).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { podSelector: {} },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } },
          ],
        },
      ],
    });
    const byName = (ns: string) => ({ matchLabels: { "kubernetes.io/metadata.name": ns } });
    expect(policies["default-deny-egress"]).toEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        { to: [{ podSelector: {} }] },
        {
          to: [
            {
              namespaceSelector: byName("kube-system"),
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        },
        {
          to: [
            {
              namespaceSelector: byName("preview-shared"),
              podSelector: { matchLabels: { "app.kubernetes.io/name": "db" } },
            },
          ],
          ports: [{ port: 5432, protocol: "TCP" }],
        },
        { to: [{ namespaceSelector: byName("monitoring") }] },
        {
          to: [{ ipBlock: { cidr: "203.0.113.0/24", except: ["203.0.113.7/32"] } }],
          ports: [{ port: 443, protocol: "TCP" }],
        },
      ],
    });

    // Without `egress`, egress stays open: no second policy.
    const ingressOnly = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new AppNamespace("ns", { provider, name: "dev", networkPolicy: {} });
    });
    expect(
      ofType(ingressOnly, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map(
        (p) => (p.inputs.metadata as { name: string }).name,
      ),
    ).toEqual(["default-deny-ingress"]);
  });

  it("refuses an egress rule that would admit more than it says", async () => {
    const attempt = (egress: Record<string, unknown>) =>
      run(() => {
        const provider = new k8s.Provider("target", { kubeconfig: "{}" });
        new AppNamespace("ns", {
          provider,
          name: "x",
          networkPolicy: { egress },
        } as ConstructorParameters<typeof AppNamespace>[1]);
      });
    await expect(attempt({ allowTo: [{ namespace: "db", podLabels: {} }] })).rejects.toThrow(
      /networkPolicy.egress.allowTo.0.podLabels: give at least one label, or omit podLabels/,
    );
    await expect(attempt({ allowToCidrs: [{ cidr: "0.0.0.0" }] })).rejects.toThrow(
      /networkPolicy.egress.allowToCidrs.0.cidr: must be a CIDR/,
    );
    await expect(
      attempt({ allowTo: [{ namespace: "db", ports: [{ port: 70000 }] }] }),
    ).rejects.toThrow(/networkPolicy.egress.allowTo.0.ports.0.port/);
  });

  it("runs every pod of the kit non-root, seccomp RuntimeDefault, no capabilities, no escalation, without a token (the janitor and provisioner keep their own)", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const ns = new AppNamespace("ns", { provider, name: "preview-pr-7" });
      new WebService("web", {
        provider,
        namespace: ns,
        container: { name: "web", image: digestRef("ghcr.io/acme/web") },
        initContainers: [{ name: "wait", image: digestRef("ghcr.io/acme/tools") }],
        port: 8080,
        securityContext: { runAsUser: 10001, fsGroup: 2000 },
      });
      new MigrationJob("migrate", {
        provider,
        namespace: ns,
        jobName: "migrate",
        container: { name: "migrate", image: digestRef("ghcr.io/acme/api") },
      });
      const shared = { name: "preview-shared", hasQuota: false };
      const db = new SharedPostgres("pg", {
        provider,
        namespace: shared,
        image: digestRef("docker.io/library/postgres"),
        adminPassword: "a-long-password",
      });
      provisioner(provider, db.host);
      janitor(provider, db.host);
    });
    const specs = Object.fromEntries(podSpecs(result).map(({ owner, spec }) => [owner, spec]));
    expect(Object.keys(specs).sort()).toEqual(
      [
        "kubernetes:apps/v1:Deployment::provisioner",
        "kubernetes:apps/v1:Deployment::web",
        "kubernetes:apps/v1:StatefulSet::pg",
        "kubernetes:batch/v1:CronJob::janitor",
        "kubernetes:batch/v1:Job::migrate",
      ].sort(),
    );
    const seccomp = { seccompProfile: { type: "RuntimeDefault" } };
    const contextOf = (owner: string) => specs[owner]?.securityContext;
    expect(contextOf("kubernetes:apps/v1:Deployment::web")).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      fsGroup: 2000,
      ...seccomp,
    });
    expect(contextOf("kubernetes:batch/v1:Job::migrate")).toEqual({
      runAsNonRoot: true,
      ...seccomp,
    });
    // PostgreSQL's own user, with its volume group-owned so initdb can write it as non-root.
    expect(contextOf("kubernetes:apps/v1:StatefulSet::pg")).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      ...seccomp,
    });
    for (const owner of [
      "kubernetes:apps/v1:Deployment::provisioner",
      "kubernetes:batch/v1:CronJob::janitor",
    ])
      expect(contextOf(owner), owner).toEqual({ runAsNonRoot: true, runAsUser: 999, ...seccomp });
    for (const [owner, spec] of Object.entries(specs)) {
      // Only the janitor and the provisioner call the API server, each with its own narrow RBAC.
      expect(spec.automountServiceAccountToken, owner).toBe(
        owner.endsWith("CronJob::janitor") || owner.endsWith("Deployment::provisioner"),
      );
    }
    const containers = podContainers(result);
    expect(containers.length).toBe(8);
    for (const { owner, container } of containers)
      expect(container.securityContext, `${owner} ${String(container.name)}`).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      });
  });

  it("refuses a workload told to run as root", async () => {
    const attempt = run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      new WebService("web", {
        provider,
        namespace: { name: "dev", hasQuota: false },
        container: { name: "web", image: digestRef("ghcr.io/acme/web") },
        port: 8080,
        securityContext: { runAsUser: 0 },
      });
    });
    await expect(attempt).rejects.toThrow(
      /WebService "web": invalid args: securityContext.runAsUser/,
    );
  });

  it("admits to the shared server only the labelled namespaces' pods, on its port", async () => {
    const result = await run(() => {
      const provider = new k8s.Provider("target", { kubeconfig: "{}" });
      const db = new SharedPostgres("pg", {
        provider,
        namespace: { name: "preview-shared", hasQuota: false },
        image: digestRef("docker.io/library/postgres"),
        adminPassword: "a-long-password",
        clientNamespaces: { labels: MANAGED_BY, withLabels: [PULL_REQUEST_LABEL] },
      });
      return { podLabels: db.podLabels };
    });
    const [policy, ...others] = ofType(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(others).toEqual([]);
    expect(policy?.inputs.metadata).toEqual({ name: "db-clients", namespace: "preview-shared" });
    expect(policy?.inputs.spec).toEqual({
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
    });
    expect(result.outputs.podLabels).toEqual({ "app.kubernetes.io/name": "db" });

    await expect(
      run(() => {
        const provider = new k8s.Provider("target", { kubeconfig: "{}" });
        new SharedPostgres("pg", {
          provider,
          namespace: { name: "preview-shared", hasQuota: false },
          image: digestRef("docker.io/library/postgres"),
          adminPassword: "a-long-password",
          clientNamespaces: {},
        });
      }),
    ).rejects.toThrow(/clientNamespaces: give labels or withLabels/);
  });

  describe("a pull request's own identity (PreviewDeployer identity github)", () => {
    const deployer = (identity?: unknown) =>
      run(() => {
        const provider = new k8s.Provider("target", { kubeconfig: "{}" });
        const made = new PreviewDeployer("deployer", {
          provider,
          namespace: "preview-shared",
          server: "https://k8s.example:6443",
          identity,
        } as ConstructorParameters<typeof PreviewDeployer>[1]);
        return { kubeconfig: made.kubeconfig };
      });

    it("binds the previews' group, makes no ServiceAccount and no token, and confines each user to its own namespace", async () => {
      const result = await deployer({
        github: { audience: "https://previews.acme.example", caData: "Q0E=" },
      });
      expect(ofType(result, "kubernetes:core/v1:ServiceAccount")).toEqual([]);
      expect(ofType(result, "kubernetes:core/v1:Secret")).toEqual([]);
      // The previews' group, and the kit's cleanup, each bound and confined.
      const bindings = ofType(result, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
      expect(bindings).toHaveLength(2);
      expect(bindings.map((b) => b.inputs.subjects)).toEqual(
        expect.arrayContaining([
          [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "preview-kit:previews" }],
          [
            {
              kind: "Group",
              apiGroup: "rbac.authorization.k8s.io",
              name: "preview-kit:preview-cleanup",
            },
          ],
        ]),
      );
      const policies = ofType(
        result,
        "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
      );
      const policy = policies.find((p) => p.name === "deployer");
      const cleanupPolicy = policies.find((p) => p.name === "deployer-cleanup");
      const cleanupSpec = cleanupPolicy?.inputs.spec as { validations: { expression: string }[] };
      expect(cleanupSpec.validations[0]?.expression).toMatch(
        /^request\.operation == 'DELETE' && request\.resource\.resource != 'namespaces' && namespaceObject != null/,
      );
      const spec = policy?.inputs.spec as {
        matchConditions: { expression: string }[];
        validations: { expression: string }[];
      };
      expect(spec.matchConditions[0]?.expression).toBe(
        "has(request.userInfo.groups) && 'preview-kit:previews' in request.userInfo.groups",
      );
      const own = "'preview-pr-' + request.userInfo.username.substring(15)";
      expect(spec.validations.map((v) => v.expression).join("\n")).toContain(
        `request.namespace == ${own}`,
      );
      const kubeconfig = JSON.parse(String(result.outputs.kubeconfig)) as {
        clusters: { cluster: object }[];
        users: { user: { exec?: { command: string; args: string[] }; token?: string } }[];
      };
      expect(kubeconfig.clusters[0]?.cluster).toEqual({
        server: "https://k8s.example:6443",
        "certificate-authority-data": "Q0E=",
      });
      expect(kubeconfig.users[0]?.user.token).toBeUndefined();
      expect(kubeconfig.users[0]?.user.exec).toMatchObject({
        command: "node",
        args: [
          "-e",
          expect.stringContaining("ACTIONS_ID_TOKEN_REQUEST_URL"),
          "https://previews.acme.example",
        ],
      });
    });

    it("keeps the shared ServiceAccount by default", async () => {
      const result = await deployer();
      expect(ofType(result, "kubernetes:core/v1:ServiceAccount")).toHaveLength(1);
    });

    it("refuses an identity it cannot use, naming the field", async () => {
      await expect(deployer({ github: { audience: "", caData: "Q0E=" } })).rejects.toThrow(
        /identity.github.audience/,
      );
      await expect(deployer({ github: { audience: "x", caData: "not base64!" } })).rejects.toThrow(
        /identity.github.caData/,
      );
      await expect(deployer("token")).rejects.toThrow(/identity/);
      await expect(
        run(() => {
          const provider = new k8s.Provider("target", { kubeconfig: "{}" });
          new AppNamespace("ns", {
            provider,
            name: "preview-pr-7",
            deployer: { role: "r", user: "system:admin" },
          });
        }),
      ).rejects.toThrow(/deployer/);
    });

    it("trusts only the repository's pull request runs, each as its own user", () => {
      const jwt = githubPreviewAuthenticator({
        repository: "acme/shop",
        audience: "https://previews.acme.example",
      });
      expect(jwt).toEqual({
        issuer: {
          url: "https://token.actions.githubusercontent.com",
          audiences: ["https://previews.acme.example"],
        },
        claimValidationRules: [
          { expression: "claims.repository == 'acme/shop'", message: expect.any(String) },
          {
            expression: "claims.ref.matches('^refs/pull/[0-9]+/merge$')",
            message: expect.any(String),
          },
        ],
        claimMappings: {
          username: { expression: "'preview-kit:pr:' + claims.ref.split('/')[2]" },
          groups: { expression: "['preview-kit:previews']" },
        },
        userValidationRules: [
          {
            expression: "user.username.matches('^preview-kit:pr:[0-9]+$')",
            message: expect.any(String),
          },
        ],
      });
      // With the kit's cleanup workflow: its runs on the default branch are the cleanup user.
      const withCleanup = githubPreviewAuthenticator({
        repository: "acme/shop",
        audience: "https://previews.acme.example",
        cleanup: { workflow: "acme/kit/.github/workflows/cleanup-preview.yml" },
      });
      expect(withCleanup.claimValidationRules[1]?.expression).toBe(
        "claims.ref.matches('^refs/pull/[0-9]+/merge$') || (claims.ref == 'refs/heads/main' && has(claims.job_workflow_ref) && claims.job_workflow_ref.startsWith('acme/kit/.github/workflows/cleanup-preview.yml@'))",
      );
      expect(withCleanup.claimMappings).toEqual({
        username: {
          expression:
            "claims.ref.matches('^refs/pull/[0-9]+/merge$') ? 'preview-kit:pr:' + claims.ref.split('/')[2] : 'preview-kit:cleanup'",
        },
        groups: {
          expression:
            "claims.ref.matches('^refs/pull/[0-9]+/merge$') ? ['preview-kit:previews'] : ['preview-kit:preview-cleanup']",
        },
      });
      expect(() =>
        githubPreviewAuthenticator({
          repository: "acme/shop",
          audience: "a",
          cleanup: { workflow: "acme/kit/.github/workflows/x.yml' || true || '" },
        }),
      ).toThrow(/cleanup\.workflow: owner\/name\/\.github\/workflows\/FILE\.yml/);
      // A name that could close the CEL string is no repository.
      expect(() =>
        githubPreviewAuthenticator({ repository: "acme/shop' || true || '", audience: "a" }),
      ).toThrow(/repository: owner\/name/);
    });
  });
});
