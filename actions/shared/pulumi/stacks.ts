/** Selecting stacks, creating one only when the CLI says it does not exist, listing them. */
import { type PulumiOptions, parseJsonOutput, pulumi } from "./cli.js";
import { PulumiError } from "./failure.js";

export async function selectStack(stack: string, options: PulumiOptions = {}): Promise<void> {
  // `--`: what follows is the name, never a flag (runPulumi keeps its flags before it).
  await pulumi(["stack", "select", "--", stack], options);
}

export interface UpsertOptions extends PulumiOptions {
  /** e.g. `passphrase` or `awskms://...`; the backend's default when not given. */
  secretsProvider?: string;
}

/**
 * Selects the stack, or creates it when, and only when, the CLI answered that it does not
 * exist. A lock, an auth problem or a network error fails here instead: creating a stack
 * on a guess would hide the real problem (or fork state).
 * Returns whether the stack was created.
 */
export async function upsertStack(stack: string, options: UpsertOptions = {}): Promise<boolean> {
  try {
    await selectStack(stack, options);
    return false;
  } catch (error) {
    if (!(error instanceof PulumiError) || error.kind !== "stack-missing") throw error;
  }
  const provider = options.secretsProvider ? ["--secrets-provider", options.secretsProvider] : [];
  try {
    await pulumi(["stack", "init", ...provider, "--", stack], options);
    return true;
  } catch (error) {
    // Another run created it in between: select what is there now.
    if (error instanceof PulumiError && /already exists/.test(error.message)) {
      await selectStack(stack, options);
      return false;
    }
    throw error;
  }
}

export interface StackSummary {
  name: string;
  current: boolean;
  lastUpdate?: string;
  updateInProgress?: boolean;
  resourceCount?: number;
  url?: string;
}

function isStackSummary(value: unknown): value is StackSummary {
  return (
    typeof value === "object" && value !== null && typeof (value as StackSummary).name === "string"
  );
}

/** `pulumi stack ls --json`, optionally for one organization and project. */
export async function listStacks(
  filter: { organization?: string; project?: string },
  options: PulumiOptions = {},
): Promise<StackSummary[]> {
  const args = ["stack", "ls", "--json"];
  if (filter.organization) args.push("--organization", filter.organization);
  if (filter.project) args.push("--project", filter.project);
  const { stdout } = await pulumi(args, options);
  const parsed = parseJsonOutput(args, stdout, []);
  return Array.isArray(parsed) ? parsed.filter(isStackSummary) : [];
}
