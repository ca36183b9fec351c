/**
 * No unverified CLI on a reused runner. A self-hosted runner keeps its disk between jobs, so
 * the `pulumi` first on PATH may be one an earlier job (a pull request's program among them)
 * put there, and the step would hand it its Pulumi token. With `pulumi-version` the step runs
 * the release's CLI, checked against its checksums before each use (pulumi-deploy/install.ts);
 * without it, a self-hosted runner is refused before anything runs. GitHub-hosted runners
 * start every job from a fresh image. The runner sets RUNNER_ENVIRONMENT on every job:
 * `github-hosted` or `self-hosted` (GitHub docs, "Variables reference", default environment
 * variables).
 */
export function unverifiedCliProblem(
  versionGiven: boolean,
  inputs: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (versionGiven || env.RUNNER_ENVIRONMENT !== "self-hosted") return undefined;
  return `Input 'pulumi-version' is required on a self-hosted runner: the pulumi on PATH may be one an earlier job left there, and this step would give it its token; set ${inputs} (such as 3.274.1) so the release's CLI is verified against its checksums before it runs`;
}
