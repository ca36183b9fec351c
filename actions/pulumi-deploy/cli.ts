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
     * The URNs of the creates an interrupted update left pending (`stack export`): the
     * engine started them and never learnt whether they finished, so the resources may
     * exist in the cloud without being in the state.
     */
    async pendingCreates(stack: string): Promise<string[]> {
      const { stdout } = await this.run(["stack", "export", "--stack", stack]);
      const deployment = (
        JSON.parse(stdout) as {
          deployment?: { pending_operations?: { type?: string; resource?: { urn?: string } }[] };
        }
      ).deployment;
      return (deployment?.pending_operations ?? []).flatMap((op) =>
        op.type === "creating" && op.resource?.urn ? [op.resource.urn] : [],
      );
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
  unavailable: "The Pulumi Cloud API answered 5xx or 429 (rate limit).",
  network: "The backend could not be reached.",
  decryption: "The stack's secrets could not be decrypted (passphrase or secrets provider).",
  auth: "Check PULUMI_ACCESS_TOKEN (or the backend's credentials) in this job.",
  "expected-no-changes": "expect-no-changes is true and the command found changes (drift).",
};

/** A refused token says more than "check the credentials": the secret is wrong, not absent. */
function hintFor(error: PulumiError): string | undefined {
  if (error.kind === "auth" && /No credentials provided or are invalid/.test(error.message))
    return "Pulumi Cloud refused PULUMI_ACCESS_TOKEN: it is invalid, expired or revoked, or made for another Pulumi Cloud than cloud-url. Check the secret this job passes as PULUMI_ACCESS_TOKEN.";
  if (error.kind === "decryption") {
    // Without a passphrase nothing was decrypted: the CLI refused to open the secrets at all.
    if (/passphrase must be set/.test(error.message))
      return "This stack's secrets are under a passphrase and none was given: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) in this job.";
    const atSelect = /`pulumi stack select`/.test(error.message);
    return `${HINTS.decryption}${atSelect ? " No stack was created in its place." : ""}`;
  }
  return HINTS[error.kind];
}

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
    const hint = hintFor(error);
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
