/**
 * A `run:` step as the Linux runner runs it: the script written to a file in RUNNER_TEMP and
 * started with the runner's exact command line for its shell (ScriptHandlerHelpers):
 *   no shell named     bash -e {0}                               (sh -e {0} without bash)
 *   shell: bash        bash --noprofile --norc -eo pipefail {0}
 *   shell: sh          sh -e {0}
 *   shell: python      python {0}
 *   anything else      taken as a command line template with {0}
 * The script file gets the extension the runner gives it (.sh, .py).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cancelLikeTheRunner, type CancelTimings } from "../harness/cancel.js";

export function shellCommandLine(shell: string | undefined): { line: string; extension: string } {
  switch (shell?.trim() || undefined) {
    case undefined:
      return { line: "bash -e {0}", extension: ".sh" };
    case "bash":
      return { line: "bash --noprofile --norc -eo pipefail {0}", extension: ".sh" };
    case "sh":
      return { line: "sh -e {0}", extension: ".sh" };
    case "python":
      return { line: "python {0}", extension: ".py" };
    case "pwsh":
    case "powershell":
    case "cmd":
      throw new Error(`shell: ${shell} is not available on this Linux runner`);
    default:
      if (!shell?.includes("{0}")) throw new Error(`shell: '${shell}' must contain {0}`);
      return { line: shell, extension: "" };
  }
}

export interface ScriptRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ScriptOptions {
  shell?: string;
  cwd: string;
  env: Record<string, string>;
  runnerTemp: string;
  signal: AbortSignal;
  cancelTimings?: CancelTimings;
  onSpawn?: (pid: number) => void;
  timeoutMs?: number;
}

export function runScript(script: string, options: ScriptOptions): Promise<ScriptRun> {
  const { line, extension } = shellCommandLine(options.shell);
  const file = join(options.runnerTemp, `${randomUUID()}${extension}`);
  writeFileSync(file, script);
  const [program, ...args] = line.split(/\s+/).map((part) => part.replace("{0}", file));
  const child = spawn(program as string, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const cancellation = cancelLikeTheRunner(child, options.signal, options.cancelTimings);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const ended = (stream: NodeJS.ReadableStream) =>
    new Promise<void>((done) => stream.once("end", done).once("close", done));
  const drained = Promise.all([ended(child.stdout), ended(child.stderr)]);
  const timeout = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  return new Promise((resolve) => {
    child.on("error", (error) => {
      stderr += String(error);
    });
    // `exit`, not `close`: a background child may hold the pipes; the job's end kills it. What
    // the script itself wrote may still be in the pipes on a loaded machine: read until both
    // end, or a short grace for a background child that keeps them open.
    child.on("exit", (code, signal) => {
      clearTimeout(timeout);
      cancellation.stop();
      const grace = new Promise<void>((done) => setTimeout(done, 500));
      void Promise.race([drained, grace]).then(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
  });
}
