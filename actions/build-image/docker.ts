/** The Docker CLI as this action uses it: output echoed to the log, failures made readable. */
import { ActionError } from "../shared/errors.js";
import { describeExit, describeStop, exec } from "../shared/exec.js";
import { endGroup, info, startGroup } from "../shared/runner.js";
import type { Credentials } from "./registry.js";

const TAIL_LINES = 20;
/** `docker version`, `docker buildx version`: a daemon that does not answer in this is stuck. */
const QUERY_TIMEOUT_MS = 60_000;
/** `docker login`: one round trip to the registry. */
const LOGIN_TIMEOUT_MS = 2 * 60_000;

export interface DockerRun {
  stdout: string;
  stderr: string;
}

/**
 * Runs `docker <args>` in a log group, stopped past `timeoutMs`; a non-zero exit fails the
 * step with its last lines.
 */
export async function docker(
  what: string,
  args: readonly string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<DockerRun> {
  const { timeoutMs, ...rest } = options;
  startGroup(what);
  try {
    const result = await exec("docker", args, {
      ...rest,
      timeoutMs,
      onStdoutLine: info,
      onStderrLine: info,
    });
    if (result.exitCode !== 0) {
      const lines = `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/);
      const message =
        describeStop(what, result, timeoutMs) ?? `${what} failed (${describeExit(result)})`;
      throw new ActionError(message, {
        title: "Docker failed",
        details: lines.slice(-TAIL_LINES),
      });
    }
    return result;
  } finally {
    endGroup();
  }
}

/** Fails early, and says how to fix it, when no engine answers. */
export async function requireEngine(): Promise<string> {
  const result = await exec("docker", ["version", "--format", "{{.Server.Version}}"], {
    timeoutMs: QUERY_TIMEOUT_MS,
  });
  const version = result.stdout.trim();
  if (result.exitCode !== 0 || !version) {
    throw new ActionError("No Docker engine answers on this runner", {
      title: "Docker unavailable",
      details: result.stderr.trim().split(/\r?\n/).slice(-5),
    });
  }
  return version;
}

export async function hasBuildx(): Promise<boolean> {
  const result = await exec("docker", ["buildx", "version"], { timeoutMs: QUERY_TIMEOUT_MS });
  return result.exitCode === 0;
}

/** `docker login` with the password on stdin: never in the arguments any `ps` can read. */
export async function login(registry: string, credentials: Credentials): Promise<void> {
  await docker(
    `docker login ${registry}`,
    ["login", registry, "--username", credentials.username, "--password-stdin"],
    { stdin: credentials.password, timeoutMs: LOGIN_TIMEOUT_MS },
  );
}
