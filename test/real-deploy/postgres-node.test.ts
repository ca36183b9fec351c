/**
 * The kit's database path on a real node with a real PostgreSQL: SharedPostgres from the
 * image test/support/postgres-image.ts builds out of Debian's postgresql-15 (never pulled), its
 * data on a hostPath PersistentVolume under the node's directory; PreviewDatabase for two
 * previews (its Job runs psql as the admin and creates each preview's role and database); a
 * MigrationJob in preview 1's namespace that migrates with the app's Secret only. All deployed
 * by the pulumi-deploy bundle with await on. Then, from the host, the app's credentials reach
 * its own database and are refused on the other preview's, and the other preview's password is
 * refused for its role. Closing preview 2 (dropping it from the program) removes its Job, its
 * Secrets and its namespace with its pods; the kit's PreviewDatabaseJanitor, its CronJob run by
 * kube-controller-manager's cronjob controller every minute here (the kubectl it copies in is
 * the engines' own, in an image built FROM scratch), drops its role and database, as
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
import { leftovers, nodeEngines } from "../support/node.js";
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

const PULUMI_YAML = `name: postgres-on-node
runtime:
  name: nodejs
  options:
    typescript: false
    nodeargs: --import tsx
main: index.ts
`;

/** The program: the kit's components, as a platform team and an app team write them. */
const PROGRAM = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MigrationJob } from "../../components/kubernetes/migration-job.js";
import { SharedPostgres } from "../../components/kubernetes/postgres.js";
import {
  PreviewDatabase,
  previewDatabaseName,
} from "../../components/kubernetes/preview-database.js";
import { PreviewDatabaseJanitor } from "../../components/kubernetes/preview-database-janitor.js";

const config = new pulumi.Config();
const image = config.require("image");
const provider = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig") });
const restricted = { "pod-security.kubernetes.io/enforce": "restricted" };
const shared = new k8s.core.v1.Namespace(
  "shared",
  { metadata: { name: "${SHARED}", labels: restricted } },
  { provider },
);
const adminPassword = config.requireSecret("adminPassword");
const postgres = new SharedPostgres(
  "postgres",
  {
    provider,
    namespace: { name: "${SHARED}", hasQuota: false },
    image,
    storage: "1Gi",
    storageClassName: "node-local",
    adminPassword,
  },
  { dependsOn: [shared] },
);

// Drops the databases of previews whose namespace is gone: every minute, so the test sees a run.
new PreviewDatabaseJanitor(
  "janitor",
  {
    provider,
    namespace: { name: "${SHARED}", hasQuota: false },
    schedule: "* * * * *",
    databasePrefixes: ["app"],
    namespacePrefix: "app-pr-",
    server: { host: postgres.host, adminUser: postgres.adminUser, adminPassword },
    image,
    kubectlImage: config.require("kubectlImage"),
    resources: {
      requests: { cpu: "10m", memory: "32Mi" },
      limits: { cpu: "500m", memory: "256Mi" },
    },
  },
  { dependsOn: [shared] },
);

const previews = config.requireObject<number[]>("previews");
for (const pr of previews) {
  const name = \`app-pr-\${pr}\`;
  const namespace = new k8s.core.v1.Namespace(
    name,
    { metadata: { name, labels: restricted } },
    { provider },
  );
  const database = new PreviewDatabase(
    name,
    {
      provider,
      namespace: { name, hasQuota: false },
      database: previewDatabaseName("app", pr),
      server: {
        host: postgres.host,
        namespace: { name: "${SHARED}", hasQuota: false },
        adminUser: postgres.adminUser,
        adminPassword,
      },
      clientImage: image,
    },
    { dependsOn: [namespace, postgres] },
  );
  new MigrationJob(
    \`\${name}-migrate\`,
    {
      provider,
      namespace: { name, hasQuota: false },
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
    { dependsOn: [database] },
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
    target = stageProgram(
      "postgres-on-node",
      { "Pulumi.yaml": PULUMI_YAML, "index.ts": PROGRAM },
      bin!,
      DEPLOY_TIMEOUT,
    );
    workspace = target.workspace;
  }, 600_000);

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
      }),
    });

  /** The preview's app Secret, as the app's pods get it through envFrom. */
  const appLogin = async (pr: number) => {
    const { body } = await plane.admin<{ items: { data: Record<string, string> }[] }>(
      "GET",
      `/api/v1/namespaces/app-pr-${pr}/secrets`,
    );
    const data = body.items.map((s) => s.data).find((d) => d.PGDATABASE);
    if (!data) throw new Error(`no database Secret in app-pr-${pr}`);
    const value = (key: string) => Buffer.from(data[key]!, "base64").toString("utf8");
    return { user: value("PGUSER"), password: value("PGPASSWORD"), database: value("PGDATABASE") };
  };

  it(
    "up: the server is Ready, the database Jobs create each preview's role, the migration completes with the app's credentials",
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
          `/apis/batch/v1/namespaces/app-pr-${pr}/jobs/migrate`,
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
    "closing preview 2 removes its Jobs, Secrets and pods, and the janitor its role and database; destroy and stop leave nothing",
    async () => {
      const two = await appLogin(2);
      const close = await deploy("up", [1]);
      expect(close.exitCode, close.stdout + close.stderr).toBe(0);
      await plane.waitFor(
        "preview 2's namespace gone",
        async () => (await plane.admin("GET", `/api/v1/namespaces/app-pr-2`)).status === 404,
        120_000,
      );
      const { body: jobs } = await plane.admin<{ items: { metadata: { name: string } }[] }>(
        "GET",
        `/apis/batch/v1/namespaces/${SHARED}/jobs`,
      );
      // The database Jobs (the janitor's, made by its CronJob, come and go every minute).
      expect(
        jobs.items.map((j) => j.metadata.name).filter((name) => name.startsWith("create-")),
      ).toEqual(["create-app-pr-1"]);
      const { body: pods } = await plane.admin<{ items: { metadata: { name: string } }[] }>(
        "GET",
        `/api/v1/pods?labelSelector=job-name%3Dcreate-app-pr-2`,
      );
      expect(pods.items).toEqual([]);

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
