/**
 * A stack's outputs as `pulumi stack output --json` prints them, and which of them are
 * secret: read without `--show-secrets` (secrets print as "[secret]") and, only when the
 * values are needed, again with it, masking every secret value before returning.
 */
import { maskDeep } from "../mask.js";
import { type PulumiOptions, parseJsonOutput, pulumi } from "./cli.js";

export const SECRET_PLACEHOLDER = "[secret]";

export interface StackOutputs {
  /** Outputs with every secret as "[secret]": safe to print. */
  shown: Record<string, unknown>;
  /** Top-level output names that are, or contain, a secret. */
  secretNames: string[];
}

function containsSecret(value: unknown): boolean {
  if (value === SECRET_PLACEHOLDER) return true;
  return value !== null && typeof value === "object" && Object.values(value).some(containsSecret);
}

/** Masks, at any depth, each revealed value that the concealed read printed as "[secret]". */
function maskSecrets(shown: unknown, revealed: unknown): void {
  if (shown === SECRET_PLACEHOLDER) {
    if (revealed !== SECRET_PLACEHOLDER) maskDeep(revealed);
    return;
  }
  if (
    shown !== null &&
    typeof shown === "object" &&
    revealed !== null &&
    typeof revealed === "object"
  ) {
    for (const [key, value] of Object.entries(shown))
      maskSecrets(value, (revealed as Record<string, unknown>)[key]);
  }
}

async function readJson(stack: string, showSecrets: boolean, options: PulumiOptions) {
  const args = [
    "stack",
    "output",
    "--json",
    "--stack",
    stack,
    ...(showSecrets ? ["--show-secrets"] : []),
  ];
  // Never echoed: with --show-secrets the output holds the secrets in clear.
  const { stdout } = await pulumi(args, { ...options, echo: undefined });
  const parsed = parseJsonOutput(args, stdout, {});
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

/** The outputs with secrets as "[secret]" (one CLI call; nothing secret is read). */
export async function readStackOutputs(
  stack: string,
  options: PulumiOptions = {},
): Promise<StackOutputs> {
  const shown = await readJson(stack, false, options);
  const secretNames = Object.keys(shown).filter((name) => containsSecret(shown[name]));
  return { shown, secretNames };
}

/**
 * The same outputs with secrets revealed (`--show-secrets`), every secret value masked
 * with the runner before this returns.
 */
export async function revealStackOutputs(
  stack: string,
  outputs: StackOutputs,
  options: PulumiOptions = {},
): Promise<Record<string, unknown>> {
  const revealed = await readJson(stack, true, options);
  maskSecrets(outputs.shown, revealed);
  return revealed;
}
