/**
 * pulumi-deploy: one Pulumi command on one stack, driving the CLI as a process. Inputs
 * are checked whole (including the YAML config and image digests) before the CLI starts;
 * the work itself, and everything heavy, is loaded only after that.
 */
import { resolve } from "node:path";
import { ActionError, InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { backendFor } from "../shared/pulumi/backend.js";
import { oidcProblems } from "../shared/pulumi/oidc-inputs.js";
import { unverifiedCliProblem } from "../shared/pulumi/verified-cli.js";
import { addMask } from "../shared/runner.js";
import { crossInputProblems, versionFromFile } from "./checks.js";
import { inputs } from "./inputs.js";
import { emptyPassphraseProblem } from "./passphrase.js";

export async function run(): Promise<void> {
  const parsed = parseInputs(inputs, { secrets: ["config"] });
  const backend = await backendFor(parsed.cloudUrl, resolve(parsed.workDir));
  const problems = [...crossInputProblems(parsed, backend), ...oidcProblems(parsed, backend)];
  if (parsed.pulumiVersionFile) {
    const read = versionFromFile(parsed.pulumiVersionFile);
    if ("problem" in read) problems.push(read.problem);
    else parsed.pulumiVersion = read.version;
  }
  const unverified = unverifiedCliProblem(
    parsed.pulumiVersion !== undefined || parsed.pulumiVersionFile !== undefined,
    "pulumi-version or pulumi-version-file",
  );
  if (unverified) problems.push(unverified);
  if (problems.length > 0) throw new InputError(problems);
  const emptyPassphrase = emptyPassphraseProblem({
    backend,
    secretsProvider: parsed.secretsProvider,
    allowEmpty: parsed.allowEmptyPassphrase,
  });
  if (emptyPassphrase) throw new ActionError(emptyPassphrase, { title: "Empty Pulumi passphrase" });

  const { parseConfig } = await import("./config.js");
  const config = parseConfig(parsed.config);
  if (config.problems.length > 0)
    throw new InputError(config.problems.map((p) => `Input 'config' ${p}`));
  // Masked before anything could print them, the CLI's echo included.
  for (const entry of config.entries) if (entry.secret) addMask(entry.value);
  if (process.env.PULUMI_ACCESS_TOKEN) addMask(process.env.PULUMI_ACCESS_TOKEN);
  if (process.env.PULUMI_CONFIG_PASSPHRASE) addMask(process.env.PULUMI_CONFIG_PASSPHRASE);
  if (parsed.oidcOrganization) {
    const { pulumiTokenByOidc } = await import("../shared/pulumi/oidc.js");
    // This step's CLI only: never exported to the job's later steps.
    process.env.PULUMI_ACCESS_TOKEN = await pulumiTokenByOidc(
      { ...parsed, oidcOrganization: parsed.oidcOrganization },
      backend,
    );
  }

  const { deploy } = await import("./deploy.js");
  await deploy(parsed, config.entries, backend);
}
