import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dockerConfigJson } from "../../components/kubernetes/pull-secret.js";
import { secretConfig } from "./config.js";

/**
 * The pull secret's name wherever a program makes one from config `registry`: the shared
 * namespace's (preview-base), and local, dev and production namespaces' (app).
 */
export const PULL_SECRET = "registry";

/** A private registry a stack's pods pull from; its password is the secret `registryPassword`. */
export const registryConfig = z.strictObject({ server: z.string(), username: z.string() });

/** Without its password the registry would be dropped silently and every pull denied. */
export function registryPullSecret(
  registry: z.output<typeof registryConfig>,
): pulumi.Output<string> {
  const password = secretConfig("registryPassword");
  if (!password) {
    throw new Error(
      "config registry needs the secret registryPassword (pulumi config set --secret)",
    );
  }
  return dockerConfigJson(registry.server, registry.username, password);
}
