import { parseInputs } from "../shared/inputs.js";
import { checkName } from "./guards.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const startedAt = Date.now();
  const options = parseInputs(inputs, { secrets: ["kubeconfig"] });
  // Refused before the cluster client is even loaded: nothing can be deleted.
  checkName(options.namespace, options.allowedPattern);
  const { cleanupNamespace } = await import("./cleanup.js");
  await cleanupNamespace(options, startedAt);
}
