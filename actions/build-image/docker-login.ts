/**
 * `docker login` writes the registry password into the Docker config, which is
 * `~/.docker/config.json` unless DOCKER_CONFIG says otherwise, and stays there after the job
 * (on a self-hosted runner, for every later job of any repository). The step logs in to a
 * config folder of its own under RUNNER_TEMP instead, used by every docker command of the
 * step and removed when the step ends, failed or cancelled; if the process is killed first,
 * the runner empties RUNNER_TEMP after the job.
 */
import { chmodSync, copyFileSync, existsSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { stepTempDir } from "../shared/temp.js";

/**
 * What the step's config keeps of the job's: its registry logins (a base image may need
 * them) copied, and its plugins, buildx builders and contexts linked, so that a builder
 * docker/setup-buildx-action made is still the one used.
 */
const LINKED = ["cli-plugins", "buildx", "contexts"];

export async function withStepDockerConfig<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.env.DOCKER_CONFIG;
  const jobConfig = previous || join(process.env.HOME || homedir(), ".docker");
  const dir = stepTempDir("build-image-docker");
  try {
    chmodSync(dir, 0o700);
    if (existsSync(join(jobConfig, "config.json"))) {
      copyFileSync(join(jobConfig, "config.json"), join(dir, "config.json"));
      chmodSync(join(dir, "config.json"), 0o600);
    }
    for (const name of LINKED)
      if (existsSync(join(jobConfig, name))) symlinkSync(join(jobConfig, name), join(dir, name));
    process.env.DOCKER_CONFIG = dir;
    return await work();
  } finally {
    if (previous === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = previous;
    rmSync(dir, { recursive: true, force: true });
  }
}
