import { InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { oidcProblems } from "../shared/pulumi/oidc-inputs.js";
import { unverifiedCliProblem } from "../shared/pulumi/verified-cli.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const parsed = parseInputs(inputs);
  const backend = parsed.cloudUrl ?? (process.env.PULUMI_BACKEND_URL || undefined);
  const problems = oidcProblems(parsed, backend);
  const unverified = unverifiedCliProblem(parsed.pulumiVersion !== undefined, "pulumi-version");
  if (unverified) problems.push(unverified);
  if (problems.length > 0) throw new InputError(problems);
  if (parsed.pulumiVersion) {
    // The release's CLI, verified before it runs, as pulumi-deploy installs it.
    const { ensurePulumi, installedVersion } = await import("../pulumi-deploy/install.js");
    const { resolvePulumiVersion } = await import("../pulumi-deploy/version-range.js");
    await ensurePulumi(await resolvePulumiVersion(parsed.pulumiVersion, installedVersion));
  }
  if (parsed.oidcOrganization) {
    const { pulumiTokenByOidc } = await import("../shared/pulumi/oidc.js");
    // This step's CLI only: never exported to the job's later steps.
    process.env.PULUMI_ACCESS_TOKEN = await pulumiTokenByOidc(
      { ...parsed, oidcOrganization: parsed.oidcOrganization },
      backend,
    );
  }
  // Loaded only once the inputs are valid: keeps the cold start of a rejected run small.
  const { verify } = await import("./verify.js");
  await verify(parsed);
}
