/**
 * The kit's database path on a real node with a real PostgreSQL: SharedPostgres from the
 * image test/support/postgres-image.ts builds out of Debian's postgresql-15 (never pulled), its
 * data on a hostPath PersistentVolume under the node's directory; the platform's
 * PreviewDatabaseProvisioner (psql as the admin, kubectl under its own RBAC and admission
 * policy) and PreviewDeployer; two previews deployed with the deployer's token, each asking for
 * its database (PreviewDatabase) and migrating with the Secret the provisioner wrote. All
 * deployed by the pulumi-deploy bundle with await on. Then, from the host, the app's
 * credentials reach its own database and are refused on the other preview's, and the other
 * preview's password is refused for its role; the preview's namespace holds no admin
 * credential, the deployer reads neither the admin's Secret nor another preview's, and a
 * request names no other preview's database. Closing preview 2 (dropping it from the program,
 * then deleting its namespace as the platform's cleanup does) removes its pods; the kit's
 * PreviewDatabaseJanitor, its CronJob run by kube-controller-manager's cronjob controller every
 * minute here (the kubectl it copies in is the engines' own, in an image built FROM scratch),
 * drops its role and database, as
 * PostgreSQL then shows.
 */
import { chownSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_IMAGE_USER } from "../../components/kubernetes/postgres.js";
import { type ControlPlane, startControlPlane } from "../support/control-plane.js";
import {
  DEPLOY_ENGINES,
  deployProgram,
  type KitDeploy,
  stageProgram,
} from "../support/kit-deploy.js";
import { asBearer, serviceAccountToken } from "../support/bearer.js";
import { leftovers, nodeEngines, NODE_SETUP_TIMEOUT_MS } from "../support/node.js";
import { awaitCronJobRun, hostPsql as psql } from "../support/node-base.js";
import { pushImage } from "../support/node-images.js";
import {
  kubectlImageSpec,
  postgresImageSpec,
  postgresInstalled,
} from "../support/postgres-image.js";

const bin = postgresInstalled() ? nodeEngines(...DEPLOY_ENGINES) : undefined;
if (process.env.CI === "true" && !postgresInstalled())
  throw new Error("Debian's postgresql-15 is not installed: .ci/run installs it");
const SHARED = "preview-shared";
const DEPLOY_TIMEOUT = 240_000;
const STEP_TIMEOUT = 2 * DEPLOY_TIMEOUT + 60_000;
const ADMIN_PASSWORD = "node-admin-password-1";

/**
 * The program: the kit's components, as preview-base (the admin's provider) and a preview's
 * program (the deployer's provider, its token from PreviewDeployer) use them.
 */
const PROGRAM = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppNamespace, PULL_REQUEST_LABEL } from "../../components/kubernetes/app-namespace.js";
import { MigrationJob } from "../../components/kubernetes/migration-job.js";
import { SharedPostgres } from "../../components/kubernetes/postgres.js";
import { PreviewDatabase } from "../../components/kubernetes/preview-database.js";
import { PreviewDatabaseJanitor } from "../../components/kubernetes/preview-database-janitor.js";
import { PreviewDatabaseProvisioner } from "../../components/kubernetes/preview-database-provisioner.js";
import { PreviewDeployer } from "../../components/kubernetes/preview-deployer.js";

const config = new pulumi.Config();
const image = config.require("image");
const kubectlImage = config.require("kubectlImage");
const provider = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig") });
const shared = new AppNamespace("shared", { provider, name: "${SHARED}" });
const adminPassword = config.requireSecret("adminPassword");
const postgres = new SharedPostgres(
  "postgres",
  {
    provider,
    namespace: shared,
    image,
    storage: "1Gi",
    storageClassName: "node-local",
    adminPassword,
  },
);
const sized = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};
const server = { host: postgres.host, adminUser: postgres.adminUser, adminPassword };

// Drops the databases of previews whose namespace is gone: every minute, so the test sees a run.
new PreviewDatabaseJanitor("janitor", {
  provider,
  namespace: shared,
  schedule: "* * * * *",
  databasePrefixes: ["app"],
  server,
  image,
  kubectlImage,
  resources: sized,
});
// Answers previews' database requests, with the admin's credentials no preview can read.
new PreviewDatabaseProvisioner(
  "provisioner",
  {
    provider,
    namespace: shared,
    databasePrefixes: ["app"],
    server,
    image,
    kubectlImage,
    resources: sized,
    intervalSeconds: 2,
  },
  { dependsOn: [postgres] },
);
const deployer = new PreviewDeployer(
  "deployer",
  { provider, namespace: "${SHARED}", server: config.require("server") },
  { dependsOn: [shared] },
);

// What a preview's program makes, as the deployer: never the admin's provider.
const asPreview = new k8s.Provider("preview", { kubeconfig: deployer.kubeconfig });
const previews = config.requireObject<number[]>("previews");
for (const pr of previews) {
  const name = \`preview-pr-\${pr}\`;
  const namespace = new AppNamespace(name, {
    provider: asPreview,
    name,
    labels: { [PULL_REQUEST_LABEL]: String(pr) },
    deployer: { role: deployer.namespacedRole, serviceAccount: deployer.serviceAccount },
  });
  const database = new PreviewDatabase(name, { provider: asPreview, namespace, appName: "app" });
  new MigrationJob(
    \`\${name}-migrate\`,
    {
      provider: asPreview,
      namespace,
      jobName: "migrate",
      backoffLimit: 0,
      container: {
        name: "migrate",
        image,
        command: [
          "psql", "-X", "-v", "ON_ERROR_STOP=1", "-c",
          "CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text);" +
            "INSERT INTO items VALUES (1, 'migrated') ON CONFLICT DO NOTHING",
        ],
        envFrom: [{ secret: database.secretName }],
      },
    },
  );
}
export const host = postgres.host;
`;

describe.skipIf(!bin)("the kit's databases and migration on a real PostgreSQL on the node", () => {
  let plane: ControlPlane;
  let target: KitDeploy;
  let workspace: string;
  let nodeDir: string;
  let image: string;
  let kubectlImage: string;
  let serverIp: string;
  const admin = () => ({ user: "postgres", password: ADMIN_PASSWORD, database: "postgres" });

  beforeAll(async () => {
    plane = await startControlPlane(bin!, { node: true, controllers: ["cronjob"] });
    nodeDir = plane.node!.dir;
    const built = Date.now();
    image = await pushImage(plane.node!.registry, postgresImageSpec());
    console.log(`PostgreSQL image built and pushed: ${Date.now() - built} ms`);
    kubectlImage = await pushImage(plane.node!.registry, kubectlImageSpec(join(bin!, "kubectl")));
    await provisionVolume();
    target = stageProgram("postgres-on-node", PROGRAM, bin!, DEPLOY_TIMEOUT);
    workspace = target.workspace;
  }, NODE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await plane?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  }, 120_000);

  /**
   * The node's disk as a cluster's provisioner would offer it: a PersistentVolume of class
   * `node-local` on a directory under the node's (so the node's teardown removes it), owned by
   * the server's user since hostPath volumes get no fsGroup.
   */
  const provisionVolume = async () => {
    const dir = join(nodeDir, "volumes", "postgres-data");
    mkdirSync(dir, { recursive: true });
    chownSync(dir, POSTGRES_IMAGE_USER.runAsUser, POSTGRES_IMAGE_USER.runAsGroup);
    const created = await plane.admin("POST", "/api/v1/persistentvolumes", {
      metadata: { name: "postgres-data" },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        storageClassName: "node-local",
        persistentVolumeReclaimPolicy: "Retain",
        hostPath: { path: dir, type: "Directory" },
      },
    });
    if (created.status !== 201) throw new Error(`PersistentVolume: HTTP ${created.status}`);
  };

  const deploy = (command: string, previews: number[]) =>
    deployProgram(target, "postgres-on-node", {
      command,
      "stack-name": "dev",
      config: JSON.stringify({
        kubeconfig: { value: plane.kubeconfig(), secret: true },
        adminPassword: { value: ADMIN_PASSWORD, secret: true },
        image: { value: image },
        kubectlImage: { value: kubectlImage },
        previews: { value: JSON.stringify(previews) },
        server: { value: plane.url },
      }),
    });

  /** The preview's app Secret, as the app's pods get it through envFrom. */
  const appLogin = async (pr: number) => {
    const { body } = await plane.admin<{ items: { data: Record<string, string> }[] }>(
      "GET",
      `/api/v1/namespaces/preview-pr-${pr}/secrets`,
    );
    const data = body.items.map((s) => s.data).find((d) => d.PGDATABASE);
    if (!data) throw new Error(`no database Secret in preview-pr-${pr}`);
    const value = (key: string) => Buffer.from(data[key]!, "base64").toString("utf8");
    return { user: value("PGUSER"), password: value("PGPASSWORD"), database: value("PGDATABASE") };
  };

  it(
    "up: the server is Ready, the provisioner creates each preview's role, the migration completes with the app's credentials",
    async () => {
      const started = Date.now();
      const up = await deploy("up", [1, 2]);
      const upMs = Date.now() - started;
      expect(up.exitCode, up.stdout + up.stderr).toBe(0);

      const { body: statefulSet } = await plane.admin<{ status: { readyReplicas?: number } }>(
        "GET",
        `/apis/apps/v1/namespaces/${SHARED}/statefulsets/db`,
      );
      expect(statefulSet.status.readyReplicas).toBe(1);
      for (const pr of [1, 2]) {
        const { body: job } = await plane.admin<{ status: { succeeded?: number } }>(
          "GET",
          `/apis/batch/v1/namespaces/preview-pr-${pr}/jobs/migrate`,
        );
        expect(job.status.succeeded).toBe(1);
      }
      const { body: service } = await plane.admin<{ spec: { clusterIP: string } }>(
        "GET",
        `/api/v1/namespaces/${SHARED}/services/db`,
      );
      serverIp = service.spec.clusterIP;

      const roles = await psql(
        serverIp,
        admin(),
        "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname LIKE 'app_pr_%' ORDER BY 1",
      );
      expect(roles.stdout).toBe("app_pr_1|f|f|f\napp_pr_2|f|f|f");

      const one = await appLogin(1);
      const two = await appLogin(2);
      expect(one.database).toBe("app_pr_1");
      expect(one.user).toBe("app_pr_1");
      // Preview 1's app reads what its migration wrote, with its own credentials.
      const own = await psql(serverIp, one, "SELECT current_user, name FROM items");
      expect(own, own.stderr).toMatchObject({ exitCode: 0, stdout: "app_pr_1|migrated" });
      // Its credentials do not reach preview 2's database...
      const other = await psql(serverIp, { ...one, database: two.database }, "SELECT 1");
      expect(other.exitCode).not.toBe(0);
      expect(other.stderr).toContain('permission denied for database "app_pr_2"');
      // ...and preview 2's password does not log in as preview 1's role.
      const stolen = await psql(serverIp, { ...one, password: two.password }, "SELECT 1");
      expect(stolen.exitCode).not.toBe(0);
      expect(stolen.stderr).toContain('password authentication failed for user "app_pr_1"');
      console.log(`pulumi up of SharedPostgres, 2 PreviewDatabases, 2 MigrationJobs: ${upMs} ms`);
    },
    STEP_TIMEOUT,
  );

  it(
    "a preview holds no admin credential, reads no other preview's, and gets only its own database by asking",
    async () => {
      const token = await serviceAccountToken(plane, SHARED, "preview-deployer-token");
      const asDeployer = (method: string, path: string, body?: object) =>
        asBearer(plane, token, method, path, body);
      // Nothing in the preview's namespace holds the admin password, in any Secret.
      const { body: secrets } = await plane.admin<{
        items: { metadata: { name: string }; data?: Record<string, string> }[];
      }>("GET", "/api/v1/namespaces/preview-pr-1/secrets");
      expect(secrets.items.map((s) => s.metadata.name)).toEqual(["database"]);
      const values = secrets.items.flatMap((s) =>
        Object.values(s.data ?? {}).map((v) => Buffer.from(v, "base64").toString()),
      );
      expect(values.some((v) => v.includes(ADMIN_PASSWORD))).toBe(false);
      // The deployer reads neither the provisioner's admin Secret nor another preview's.
      for (const path of [
        `/api/v1/namespaces/${SHARED}/secrets/database-provisioner`,
        "/api/v1/namespaces/preview-pr-2/secrets/database",
      ]) {
        const read = await asDeployer("GET", path);
        expect(read.status, path).toBe(403);
      }
      // A request from a namespace the kit did not label is not answered; a second request in
      // preview 1's namespace gets preview 1's database again, whatever it asks for.
      await plane.admin("POST", "/api/v1/namespaces", { metadata: { name: "preview-pr-99" } });
      const request = (name: string) => ({
        metadata: { name, labels: { "preview-kit/database-request": "app" } },
        data: { database: "app_pr_2" },
      });
      const fake = await plane.admin(
        "POST",
        "/api/v1/namespaces/preview-pr-99/configmaps",
        request("database"),
      );
      expect(fake.status).toBe(201);
      const steal = await asDeployer(
        "POST",
        "/api/v1/namespaces/preview-pr-1/configmaps",
        request("steal"),
      );
      expect(steal.status).toBe(201);
      let answer: Record<string, string> = {};
      await plane.waitFor(
        "the provisioner's answer",
        async () => {
          const { status, body } = await plane.admin<{ data: Record<string, string> }>(
            "GET",
            "/api/v1/namespaces/preview-pr-1/secrets/steal",
          );
          answer = status === 200 ? body.data : {};
          return status === 200;
        },
        60_000,
      );
      expect(Buffer.from(answer.PGDATABASE!, "base64").toString()).toBe("app_pr_1");
      const unanswered = await plane.admin(
        "GET",
        "/api/v1/namespaces/preview-pr-99/secrets/database",
      );
      expect(unanswered.status).toBe(404);
      await plane.admin("DELETE", "/api/v1/namespaces/preview-pr-99");
      expect(
        (await asDeployer("DELETE", "/api/v1/namespaces/preview-pr-1/configmaps/steal")).status,
      ).toBe(200);
    },
    STEP_TIMEOUT,
  );

  it(
    "closing preview 2 removes its pods, and the janitor its role and database; destroy and stop leave nothing",
    async () => {
      const two = await appLogin(2);
      const close = await deploy("up", [1]);
      expect(close.exitCode, close.stdout + close.stderr).toBe(0);
      // The deployer deletes no namespace: the platform's cleanup does (cleanup-namespace).
      expect((await plane.admin("GET", `/api/v1/namespaces/preview-pr-2`)).status).toBe(200);
      await plane.admin("DELETE", `/api/v1/namespaces/preview-pr-2`);
      await plane.waitFor(
        "preview 2's namespace gone",
        async () => (await plane.admin("GET", `/api/v1/namespaces/preview-pr-2`)).status === 404,
        120_000,
      );
      // Nothing of the previews' ran in the shared namespace.
      const { body: jobs } = await plane.admin<{ items: { metadata: { name: string } }[] }>(
        "GET",
        `/apis/batch/v1/namespaces/${SHARED}/jobs`,
      );
      // No database Job any more (the provisioner is a Deployment); only the janitor's, made by
      // its CronJob every minute, come and go.
      expect(
        jobs.items
          .map((j) => j.metadata.name)
          .filter((name) => !name.startsWith("database-janitor")),
      ).toEqual([]);

      // The janitor's sweep, started by the cronjob controller on the next minute after the
      // close: preview 2's role and database go.
      await awaitCronJobRun(plane, SHARED, "database-janitor", Date.now());
      const left = await psql(
        serverIp,
        admin(),
        "SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'app_pr_%' UNION ALL " +
          "SELECT 'database ' || datname FROM pg_database WHERE datname LIKE 'app_pr_%' ORDER BY 1",
      );
      expect(left, left.stderr).toMatchObject({
        exitCode: 0,
        stdout: "database app_pr_1\nrole app_pr_1",
      });
      const gone = await psql(serverIp, two, "SELECT 1");
      expect(gone.stderr).toContain('password authentication failed for user "app_pr_2"');

      const destroy = await deploy("destroy", [1]);
      expect(destroy.exitCode, destroy.stdout + destroy.stderr).toBe(0);
      await plane.stop();
      expect(leftovers(nodeDir)).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
