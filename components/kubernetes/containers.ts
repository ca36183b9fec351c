import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checked, dnsLabel, input } from "../args.js";
import { imageRef } from "../digest.js";
import { RESTRICTED_CONTAINER } from "./pod-security.js";

const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, "must be a Kubernetes quantity");

const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });

/**
 * Optional everywhere, so production is never sized like a preview (seed bug 9).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const resources = z.strictObject({
  requests: cpuMemory.optional(),
  limits: cpuMemory.optional(),
});

/** An amount of CPU and memory in Kubernetes quantities. */
export interface CpuMemory {
  /** CPU, e.g. `250m` or `1`. */
  cpu: string;
  /** Memory, e.g. `256Mi` or `1Gi`. */
  memory: string;
}

/** A container's sizes; under a ResourceQuota both are required. */
export interface Resources {
  /** What the scheduler reserves. */
  requests?: CpuMemory;
  /** The most the container may use. */
  limits?: CpuMemory;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment name");

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const envFrom = z.array(
  z.union([
    z.strictObject({ configMap: input(z.string()) }),
    z.strictObject({ secret: input(z.string()) }),
  ]),
);

/** Every key of a ConfigMap or a Secret as environment variables. */
export type EnvFromSource =
  | {
      /** The ConfigMap's name, e.g. `AppConfig.configMapName`. */
      configMap: pulumi.Input<string>;
    }
  | {
      /** The Secret's name, e.g. `PreviewDatabase.secretName`. */
      secret: pulumi.Input<string>;
    };

/** @internal Typed with zod: kept out of the published declarations (tsconfig.lib.json stripInternal). */
export const container = z.strictObject({
  name: dnsLabel,
  /** An Output (e.g. from a stack reference) is checked when it resolves. */
  image: input(imageRef),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(envName, input(z.string())).optional(),
  envFrom: envFrom.optional(),
  resources: resources.optional(),
});

/** One container of a workload. */
export interface Container {
  /** A DNS label; for the main container also the Deployment's and Service's name. */
  name: string;
  /** `registry/repo@sha256:<64 hex>`; a tag is refused, also when it arrives as an Output. */
  image: pulumi.Input<string>;
  /** Replaces the image's entrypoint. */
  command?: string[];
  /** Replaces the image's arguments. */
  args?: string[];
  /** Environment variables by name. */
  env?: Record<string, pulumi.Input<string>>;
  /** ConfigMaps and Secrets whose keys become environment variables. */
  envFrom?: EnvFromSource[];
  /** Requests and limits; required for every container in a namespace with a quota. */
  resources?: Resources;
}

type ParsedContainer = z.output<typeof container>;

/**
 * A namespace with a ResourceQuota rejects every pod whose containers, init containers
 * included, lack requests and limits (seed bug 4); fail at construction instead, by name.
 */
export function assertQuotaResources(
  owner: string,
  containers: readonly { name: string; resources?: Resources | undefined }[],
): void {
  const missing = containers
    .map((c) => {
      const absent = [
        c.resources?.requests ? undefined : "requests",
        c.resources?.limits ? undefined : "limits",
      ].filter((part) => part !== undefined);
      return absent.length > 0 ? `container '${c.name}' lacks ${absent.join(" and ")}` : undefined;
    })
    .filter((line) => line !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `${owner}: the namespace has a ResourceQuota, so every container and init container needs cpu/memory requests and limits: ${missing.join("; ")}`,
    );
  }
}

/**
 * `owner` names the component in the error of an image Output that resolves to a tag. Every
 * container gets the `restricted` standard's container settings (see `restrictedPod`).
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export function containerSpec(
  owner: string,
  c: ParsedContainer,
  extra: Partial<k8s.types.input.core.v1.Container> = {},
): k8s.types.input.core.v1.Container {
  return {
    name: c.name,
    image: checked(
      `${owner}: container '${c.name}' image`,
      imageRef,
      c.image as pulumi.Input<string>,
    ),
    command: c.command,
    args: c.args,
    env: c.env
      ? Object.entries(c.env).map(([name, value]) => ({
          name,
          value: value as pulumi.Input<string>,
        }))
      : undefined,
    envFrom: c.envFrom?.map((source) =>
      "configMap" in source
        ? { configMapRef: { name: source.configMap as pulumi.Input<string> } }
        : { secretRef: { name: source.secret as pulumi.Input<string> } },
    ),
    resources: c.resources,
    securityContext: { ...RESTRICTED_CONTAINER },
    ...extra,
  };
}
