/**
 * The shared Pulumi driver (actions/shared/pulumi) bound to this step: its project folder,
 * backend and retry budget, with the CLI's progress echoed to the log. Failures stay the
 * driver's PulumiError; `describeFailure` turns anything thrown into the one annotation.
 */
import { ActionError } from "../shared/errors.js";
import {
  type PulumiOptions,
  type PulumiResult,
  commandName,
  runPulumi,
} from "../shared/pulumi/cli.js";
import { PulumiError } from "../shared/pulumi/failure.js";
import { readStackOutputs, revealStackOutputs } from "../shared/pulumi/outputs.js";
import { withRetries } from "../shared/pulumi/retry.js";
import { upsertStack, selectStack } from "../shared/pulumi/stacks.js";
import { info } from "../shared/runner.js";
import type { Redact } from "../shared/redact.js";

export interface CliOptions {
  cwd: string;
  backendUrl?: string;
  /** Retries after the first try, for locks, 409 conflicts and network errors. */
  retries: number;
}

/** A failed run's stdout, kept so a failed preview still shows its plan. */
class FailedRun extends PulumiError {
  constructor(
    command: string,
    readonly result: PulumiResult,
    readonly stdout: string,
  ) {
    super(command, result);
  }
}

export function createCli(options: CliOptions) {
  const base: PulumiOptions = { cwd: options.cwd, backendUrl: options.backendUrl };
  const retrying = <T>(attempt: () => Promise<T>) =>
    withRetries(attempt, {
      attempts: options.retries + 1,
      onRetry: (error, n, waitMs) =>
        info(
          `${error.message}; retrying in ${Math.round(waitMs / 100) / 10}s (try ${n + 1} of ${options.retries + 1})`,
        ),
    });

  return {
    /**
     * Runs `pulumi ARGS`, retrying what may pass; `echo` streams its output into the log,
     * `timeoutMs` bounds each try (the driver's default for quick commands otherwise).
     */
    run(
      args: readonly string[],
      run: { echo?: boolean; stdin?: string; eventLog?: string; timeoutMs?: number } = {},
    ) {
      return retrying(async () => {
        const result = await runPulumi(args, {
          ...base,
          stdin: run.stdin,
          eventLog: run.eventLog,
          timeoutMs: run.timeoutMs,
          echo: run.echo ? info : undefined,
        });
        if (result.exitCode !== 0) throw new FailedRun(commandName(args), result, result.stdout);
        return result;
      });
    },

    /** "selected", "created", or "missing" (only when it does not exist and `create` is false). */
    async select(stack: string, select: { create: boolean; secretsProvider?: string }) {
      try {
        if (select.create) {
          const created = await retrying(() =>
            upsertStack(stack, { ...base, secretsProvider: select.secretsProvider }),
          );
          return created ? "created" : "selected";
        }
        await retrying(() => selectStack(stack, base));
        return "selected";
      } catch (error) {
        if (error instanceof PulumiError && error.kind === "stack-missing") return "missing";
        throw error;
      }
    },

    /**
     * `pulumi cancel`: ends the stack's update in progress and deletes its locks. Runs
     * although the step was cancelled; tried once, as there is little time then.
     */
    cancel(stack: string, timeoutMs: number) {
      return runPulumi(["cancel", "--yes", "--stack", stack], {
        ...base,
        timeoutMs,
        afterCancel: true,
        echo: info,
      });
    },

    /** Both reads of the outputs; the driver masks every secret before returning. */
    outputs(stack: string) {
      return retrying(async () => {
        const outputs = await readStackOutputs(stack, base);
        return { shown: outputs.shown, revealed: await revealStackOutputs(stack, outputs, base) };
      });
    },
  };
}

export type Cli = ReturnType<typeof createCli>;

export function failureStdout(error: unknown): string | undefined {
  return error instanceof FailedRun ? error.stdout : undefined;
}

/** The CLI run that failed, when the failure is one. */
export function failedRun(error: unknown): PulumiResult | undefined {
  return error instanceof FailedRun ? error.result : undefined;
}

const HINTS: Partial<Record<PulumiError["kind"], string>> = {
  locked: "Another run holds the stack's lock.",
  conflict: "Another update of this stack is in progress.",
  unavailable: "The Pulumi Cloud API answered 5xx or 429.",
  network: "The backend could not be reached.",
  decryption:
    "The stack's secrets could not be decrypted (passphrase or secrets provider); no stack was created in its place.",
  auth: "Check PULUMI_ACCESS_TOKEN (or the backend's credentials) in this job.",
  "expected-no-changes": "expect-no-changes is true and the command found changes (drift).",
};

/**
 * The one annotation for whatever was thrown: the stack, the CLI's error line, what to do,
 * and (for what is retried) how many tries were made; known secrets redacted.
 */
export function describeFailure(
  error: unknown,
  context: { stack: string; tries: number; redact: Redact },
): ActionError {
  const { stack, tries, redact } = context;
  if (error instanceof PulumiError) {
    const parts = [`Stack ${stack}: ${error.message.replace(/\.$/, "")}.`];
    const hint = HINTS[error.kind];
    if (hint) parts.push(hint);
    if (error.retryable) parts.push(`Gave up after ${tries} tries.`);
    return new ActionError(redact(parts.join(" ")), {
      title: error.title,
      details: error.details.map(redact),
      cause: error,
    });
  }
  if (error instanceof ActionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ActionError(redact(`Stack ${stack}: unexpected failure: ${message}`), {
    title: "Pulumi deploy failed",
    cause: error,
  });
}
