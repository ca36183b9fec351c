/**
 * Runs the Pulumi CLI as a process: always non-interactive and without colour, in the
 * project's folder, with the backend given to it through PULUMI_BACKEND_URL.
 */
import { readFileSync, rmSync } from "node:fs";
import { ActionError } from "../errors.js";
import { type ExecResult, exec } from "../exec.js";
import { type EngineFacts, factsFromEvents, factsFromPreview } from "./engine-facts.js";
import { PulumiError } from "./failure.js";
import { isolatedPulumiHome, needsIsolatedHome } from "./home.js";

export interface PulumiOptions {
  /** The project folder (Pulumi.yaml); the action's cwd when not given. */
  cwd?: string;
  /** `file://...`, `s3://...` or a Pulumi Cloud URL; the CLI's default when not given. */
  backendUrl?: string;
  /** Extra environment, e.g. PULUMI_ACCESS_TOKEN or PULUMI_CONFIG_PASSPHRASE. */
  env?: Record<string, string | undefined>;
  /** Called with each output line, e.g. to stream the plan into the log. */
  echo?: (line: string) => void;
  stdin?: string;
  /** Past it the CLI is stopped as on a cancel; DEFAULT_TIMEOUT_MS when not given. */
  timeoutMs?: number;
  /**
   * Where the engine writes its events (`--event-log`). The flag exists only with
   * PULUMI_DEBUG_COMMANDS=true (pkg/cmd/pulumi/operations/up.go), which is set with it.
   */
  eventLog?: string;
  /** Clean-up that runs although the step was cancelled (`pulumi cancel`): see exec.ts. */
  afterCancel?: boolean;
}

export interface PulumiResult extends ExecResult {
  /** Stopped at its time limit (`stoppedBy: "timeout"`). */
  timedOut: boolean;
  /** The engine's structured report: from the event log, else a `preview --json` document. */
  facts?: EngineFacts;
  timeoutMs: number;
}

/** For the quick commands (select, config, outputs): minutes would already mean a hang. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

const FIXED_ARGS = ["--non-interactive", "--color", "never"];

function pulumiEnv(options: PulumiOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // A CI run has no use for the update check, and it costs a network call per command.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    ...(options.backendUrl ? { PULUMI_BACKEND_URL: options.backendUrl } : {}),
    ...(options.eventLog ? { PULUMI_DEBUG_COMMANDS: "true" } : {}),
    ...(needsIsolatedHome(options.backendUrl) ? { PULUMI_HOME: isolatedPulumiHome() } : {}),
    ...options.env,
  };
}

/** Runs `pulumi ARGS`; a non-zero exit is returned, not thrown. */
export async function runPulumi(
  args: readonly string[],
  options: PulumiOptions = {},
): Promise<PulumiResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Flags go before a `--`, which ends flag parsing (e.g. `config set -- KEY -VALUE`).
  const end = args.indexOf("--");
  const fixed = options.eventLog ? [...FIXED_ARGS, "--event-log", options.eventLog] : FIXED_ARGS;
  const argv =
    end < 0 ? [...args, ...fixed] : [...args.slice(0, end), ...fixed, ...args.slice(end)];
  // The log of an earlier try must not speak for this one.
  if (options.eventLog) rmSync(options.eventLog, { force: true });
  const result = await exec("pulumi", argv, {
    cwd: options.cwd,
    env: pulumiEnv(options),
    stdin: options.stdin,
    timeoutMs,
    afterCancel: options.afterCancel,
    onStdoutLine: options.echo,
    onStderrLine: options.echo,
  });
  return {
    ...result,
    timedOut: result.stoppedBy === "timeout",
    timeoutMs,
    facts: engineFacts(args, result.stdout, options.eventLog),
  };
}

function engineFacts(
  args: readonly string[],
  stdout: string,
  eventLog: string | undefined,
): EngineFacts | undefined {
  if (eventLog) {
    try {
      return factsFromEvents(readFileSync(eventLog, "utf8"));
    } catch {
      // No log: the CLI stopped before the engine ran (flags, login, lock).
      return undefined;
    }
  }
  if (args[0] === "preview" && args.includes("--json")) {
    try {
      return factsFromPreview(JSON.parse(stdout));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Runs `pulumi ARGS` and throws a PulumiError (kind, last CLI lines) when it fails. */
export async function pulumi(
  args: readonly string[],
  options: PulumiOptions = {},
): Promise<PulumiResult> {
  const result = await runPulumi(args, options);
  if (result.exitCode !== 0) throw new PulumiError(commandName(args), result);
  return result;
}

/** `stack select`, `up`, ...: the command words, without flags or values. */
export function commandName(args: readonly string[]): string {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("-")) break;
    words.push(arg);
    if (words.length === 2 || !["stack", "config"].includes(words[0] as string)) break;
  }
  return words.join(" ");
}

/**
 * What a `--json` command printed, parsed; `empty` when it printed nothing. Anything else
 * fails in one line that never quotes the output, which may hold revealed secrets.
 */
export function parseJsonOutput(args: readonly string[], stdout: string, empty: unknown): unknown {
  if (stdout.trim() === "") return empty;
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    throw new ActionError(
      `\`pulumi ${commandName(args)} --json\` printed something that is not JSON`,
      {
        title: "Pulumi output unreadable",
      },
    );
  }
}
