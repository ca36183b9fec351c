/**
 * What the workflow-runner suites share: the commits they build, and the rule for Docker
 * (under CI=true a missing engine fails the suite; elsewhere it skips with the reason).
 */
import { spawnSync } from "node:child_process";
import { describe } from "vitest";

const sha = (c: string) => c.repeat(40);
export const COMMIT = { A: sha("a"), B: sha("b"), MERGE: sha("c") } as const;

const docker = spawnSync("docker", ["info"], { timeout: 10_000 });
const dockerUp = docker.status === 0;
if (!dockerUp && process.env.CI === "true")
  throw new Error("CI=true but no Docker engine answers: start .ci/services.sh");

/** `describe` with Docker and its registry; skipped, with the reason, where they are not. */
export const withDocker: typeof describe = dockerUp
  ? describe
  : (describe.skip as unknown as typeof describe);
if (!dockerUp)
  console.log("workflow runner suites skipped: no Docker engine (start .ci/services.sh)");

/** A whole run of the examples on a loaded 2-core machine: the builds dominate (and each run
 * has four jobs that run package actions: gate, start, finish besides the deploy). */
export const RUN_TIMEOUT_MS = 300_000;
