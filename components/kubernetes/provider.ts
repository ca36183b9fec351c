import * as k8s from "@pulumi/kubernetes";
import { z } from "zod";

/**
 * Required on every Kubernetes component: without it resources go to whichever kubeconfig
 * happens to be active, and a later refresh deletes them from state (seed bug 6).
 * `isInstance`, not `instanceof`: the program and this package may load two SDK copies.
 * @internal Typed with zod: kept out of the published declarations (stripInternal).
 */
export const explicitProvider = z.custom<k8s.Provider>((value) => k8s.Provider.isInstance(value), {
  message:
    "an explicit kubernetes Provider is required (without one, resources go to whatever kubeconfig is active)",
});
