import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checked, input } from "../args.js";
import { imageRef } from "../digest.js";
import { containerSpec, resources, type CpuMemory } from "./containers.js";
import { clusterFqdn } from "./dns.js";
import { workloadSecurityContext } from "./pod-security.js";
import { POSTGRES_IMAGE_USER } from "./postgres.js";

/**
 * What the platform's database pods (the provisioner, the janitor) are given: the shared server
 * with its admin's credentials, and the images and sizes of a pod running psql and kubectl.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const databaseAdminArgs = {
  server: z.strictObject({
    host: input(clusterFqdn),
    port: z.int().min(1).max(65535).default(5432),
    adminUser: input(z.string()),
    adminPassword: input(z.string()),
  }),
  image: input(imageRef),
  kubectlImage: input(imageRef),
  resources: z.strictObject({
    requests: resources.shape.requests.unwrap(),
    limits: resources.shape.limits.unwrap(),
  }),
  imagePullSecrets: z.array(input(z.string())).default([]),
  securityContext: workloadSecurityContext.default({ runAsUser: POSTGRES_IMAGE_USER.runAsUser }),
};

type AdminServer = z.output<typeof databaseAdminArgs.server>;

/**
 * The admin's libpq variables, in a Secret of the platform's namespace for `envFrom`.
 * @internal Takes the zod-typed server: kept out of the published declarations (stripInternal).
 */
export function adminCredentials(
  name: string,
  owner: string,
  metadata: { name: string; namespace: pulumi.Input<string> },
  server: AdminServer,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    name,
    {
      metadata,
      stringData: {
        PGHOST: checked(`${owner}: server.host`, clusterFqdn, server.host),
        PGPORT: String(server.port),
        PGUSER: server.adminUser as pulumi.Input<string>,
        PGPASSWORD: pulumi.secret(server.adminPassword as pulumi.Input<string>),
      },
    },
    opts,
  );
}

/**
 * The PostgreSQL image has no TLS client for the API server: an init container copies a static
 * kubectl from `kubectlImage` into an emptyDir the main container mounts at `dir`.
 * @internal A helper of the platform's components, not part of the package's API (stripInternal).
 */
export function borrowedKubectl(
  owner: string,
  kubectlImage: pulumi.Input<string>,
  sized: { requests: CpuMemory; limits: CpuMemory },
  dir: string,
) {
  const mount = { name: "tools", mountPath: dir };
  return {
    kubectl: `${dir}/kubectl`,
    volumeMounts: [mount],
    volumes: [{ name: mount.name, emptyDir: {} }],
    initContainers: [
      containerSpec(
        owner,
        {
          name: "kubectl",
          image: kubectlImage,
          command: ["sh", "-c", `cp "$(command -v kubectl)" ${dir}/kubectl`],
          resources: sized,
        },
        { volumeMounts: [mount] },
      ),
    ],
  };
}
