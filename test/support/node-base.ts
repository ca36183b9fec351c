/**
 * preview-base's local flavour on a control plane with a real node, as the demo and the
 * real-deploy suite deploy it: its PostgreSQL from the image test/support/postgres-image.ts
 * builds (never pulled), its data on a hostPath PersistentVolume of class `node-local` under
 * the node's directory, the database janitor's kubectl image from the engines' own kubectl and
 * its schedule every minute, and every readiness awaited (`skipAwait` false). The control
 * plane needs the `cronjob` controller for the janitor to run. Also psql from the host against the server.
 */
import { execFile } from "node:child_process";
import { chownSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { POSTGRES_IMAGE_USER } from "../../components/kubernetes/postgres.js";
import type { ControlPlane } from "./control-plane.js";
import { pushImage } from "./node-images.js";
import { kubectlImageSpec, postgresImageSpec } from "./postgres-image.js";

const STORAGE_CLASS = "node-local";
const HOST_PSQL = "/usr/lib/postgresql/15/bin/psql";

async function create(plane: ControlPlane, path: string, body: object): Promise<void> {
  const created = await plane.admin<{ message?: string }>("POST", path, body);
  if (created.status !== 201)
    throw new Error(`POST ${path}: HTTP ${created.status} ${created.body?.message ?? ""}`);
}

/**
 * Pushes the images to the node's registry and offers the volume; returns preview-base's config
 * for the node (what deployLocalBase lays over Pulumi.local.yaml).
 */
export async function prepareNodeBase(
  plane: ControlPlane,
  bin: string,
): Promise<Record<string, { value: string }>> {
  const node = plane.node;
  if (!node) throw new Error("preview-base on the node needs a control plane with node: true");
  const image = await pushImage(node.registry, postgresImageSpec());
  const kubectlImage = await pushImage(node.registry, kubectlImageSpec(join(bin, "kubectl")));
  // The node's disk as a cluster's provisioner would offer it; hostPath volumes get no
  // fsGroup, so the directory is the server's user's.
  const dir = join(node.dir, "volumes", "postgres-data");
  mkdirSync(dir, { recursive: true });
  chownSync(dir, POSTGRES_IMAGE_USER.runAsUser, POSTGRES_IMAGE_USER.runAsGroup);
  await create(plane, "/apis/storage.k8s.io/v1/storageclasses", {
    metadata: { name: STORAGE_CLASS },
    provisioner: "kubernetes.io/no-provisioner",
  });
  await create(plane, "/api/v1/persistentvolumes", {
    metadata: { name: "postgres-data" },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
      storageClassName: STORAGE_CLASS,
      persistentVolumeReclaimPolicy: "Retain",
      hostPath: { path: dir, type: "Directory" },
    },
  });
  const json = (value: unknown) => ({ value: JSON.stringify(value) });
  return {
    skipAwait: { value: "false" },
    postgres: json({
      image,
      storage: "1Gi",
      storageClassName: STORAGE_CLASS,
      resources: {
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "500m", memory: "512Mi" },
      },
    }),
    // Every minute (kube-controller-manager's cronjob controller runs it), so that a closed
    // preview's role and database go within a minute rather than an hour.
    databaseJanitor: json({ kubectlImage, schedule: "* * * * *" }),
  };
}

export interface Psql {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** psql from the host against the server at `host` (its ClusterIP), bounded in time. */
export function hostPsql(
  host: string,
  login: { user: string; password: string; database: string },
  sql: string,
): Promise<Psql> {
  return new Promise((resolve) => {
    execFile(
      HOST_PSQL,
      ["-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
      {
        timeout: 20_000,
        env: {
          PGHOST: host,
          PGPORT: "5432",
          PGUSER: login.user,
          PGPASSWORD: login.password,
          PGDATABASE: login.database,
          PGCONNECT_TIMEOUT: "10",
        },
      },
      (error, stdout, stderr) =>
        resolve({
          exitCode: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout: stdout.trim(),
          stderr: stderr.trim(),
        }),
    );
  });
}

interface CronJobRun {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  status: { startTime?: string; succeeded?: number; failed?: number };
}

/**
 * Waits until a Job that CronJob `namespace/cronJob` started at or after `after` (ms since the
 * epoch) has completed, as kube-controller-manager's cronjob controller runs them; throws
 * with the Jobs there on failure or after `timeoutMs`.
 */
export async function awaitCronJobRun(
  plane: ControlPlane,
  namespace: string,
  cronJob: string,
  after: number,
  timeoutMs = 180_000,
): Promise<void> {
  const runs = async () =>
    (
      await plane.admin<{ items?: CronJobRun[] }>(
        "GET",
        `/apis/batch/v1/namespaces/${namespace}/jobs`,
      )
    ).body.items?.filter((job) =>
      job.metadata.ownerReferences?.some(
        (owner) => owner.kind === "CronJob" && owner.name === cronJob,
      ),
    ) ?? [];
  await plane
    .waitFor(
      `a run of CronJob ${namespace}/${cronJob} started after ${new Date(after).toISOString()} to complete`,
      async () =>
        (await runs()).some(
          (job) =>
            Date.parse(job.status.startTime ?? "") >= after - 1000 && job.status.succeeded === 1,
        ),
      timeoutMs,
    )
    .catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${JSON.stringify(await runs())}`, { cause: error });
    });
}
