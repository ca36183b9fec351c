/** Runs a program without a shell and captures what it printed. */
import { spawn } from "node:child_process";
import { ActionError } from "./errors.js";

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Called for each complete stdout / stderr line, e.g. to echo progress to the log. */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function lineSplitter(onLine: ((line: string) => void) | undefined) {
  let pending = "";
  return {
    push(chunk: string) {
      if (!onLine) return;
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    },
    flush() {
      if (onLine && pending) onLine(pending);
      pending = "";
    },
  };
}

export function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    const out = lineSplitter(options.onStdoutLine);
    const err = lineSplitter(options.onStderrLine);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      out.push(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      err.push(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new ActionError(`'${command}' was not found on PATH`, {
              title: `${command} missing`,
              cause: error,
            })
          : error,
      );
    });
    child.on("close", (code, signal) => {
      out.flush();
      err.flush();
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on("error", () => {
      // The program may exit without reading its input; its exit code tells the story.
    });
    child.stdin.end(options.stdin ?? "");
  });
}
