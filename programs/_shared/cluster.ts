import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { VerifiedStackReference, type StackKind } from "../../components/stack.js";
import { secretConfig } from "./config.js";
import { siblingStack } from "./stack-outputs.js";

/** Where a platform-side stack (never a preview) finds the cluster admin's credentials. */
export interface ClusterAccessConfig {
  /** `org/cluster/<stack>`; default the same stack name in project `cluster`. */
  clusterStack?: string;
  /** local only: a kubeconfig context. */
  kubeContext?: string;
}

/**
 * The explicit provider a platform-side stack deploys with, as the cluster's admin: the stack's
 * own secret `kubeconfig`, else the `kubeconfig` output of its cluster stack; a local stack
 * (no cluster stack by default) may name a `kubeContext` instead. Never read from preview-base:
 * previews must be able to read that stack, so it holds no admin credential (issue #19).
 */
export function clusterAccess(
  stack: StackKind,
  config: ClusterAccessConfig,
): { provider: k8s.Provider; kubeconfig?: pulumi.Output<string> } {
  let kubeconfig = secretConfig("kubeconfig");
  if (!kubeconfig && stack.kind === "local" && !config.clusterStack) {
    if (!config.kubeContext) {
      throw new Error(
        "a local stack needs the secret kubeconfig (pulumi config set --secret kubeconfig < file), config kubeContext or config clusterStack",
      );
    }
    return { provider: new k8s.Provider("k8s", { context: config.kubeContext }) };
  }
  if (!kubeconfig) {
    const cluster = new VerifiedStackReference(
      "cluster",
      config.clusterStack ?? siblingStack("cluster", stack.stack),
    );
    kubeconfig = cluster.need<string>("kubeconfig");
  }
  return { provider: new k8s.Provider("k8s", { kubeconfig }), kubeconfig };
}
