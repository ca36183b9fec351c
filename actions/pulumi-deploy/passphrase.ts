/**
 * An empty passphrase given by mistake. `${{ secrets.X }}` of a secret that is missing or
 * misspelled expands to "", so the job's PULUMI_CONFIG_PASSPHRASE is set but empty; the CLI
 * takes a set variable as the passphrase whatever it holds (it looks at
 * PULUMI_CONFIG_PASSPHRASE_FILE only when the variable is unset), creates the stack with an
 * empty passphrase, and the next run with the real one fails "incorrect passphrase". Unset
 * is left to the CLI, which then refuses to run without a passphrase. (readPassphrase in
 * pkg/secrets/passphrase/manager.go: os.LookupEnv of the variable first, then the file,
 * its content trimmed.)
 */
import { readFileSync } from "node:fs";
import { isPulumiCloud } from "../shared/pulumi/backend.js";

export interface PassphraseFacts {
  /** What the CLI will use (shared/pulumi/backend.ts); undefined for Pulumi Cloud. */
  backend: string | undefined;
  secretsProvider: string | undefined;
  allowEmpty: boolean;
}

/** Whether the stack's secrets may be under a passphrase: a DIY backend's default, or asked for. */
function usesPassphrase({ backend, secretsProvider }: PassphraseFacts): boolean {
  if (secretsProvider !== undefined) return secretsProvider.startsWith("passphrase");
  return !isPulumiCloud(backend);
}

/** The one line that stops the step, or undefined. */
export function emptyPassphraseProblem(
  facts: PassphraseFacts,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (facts.allowEmpty || !usesPassphrase(facts)) return undefined;
  const fix =
    "set the secret it comes from, or set input 'allow-empty-passphrase' to true if an empty passphrase is intended";
  const phrase = env.PULUMI_CONFIG_PASSPHRASE;
  if (phrase !== undefined) {
    return phrase === ""
      ? `PULUMI_CONFIG_PASSPHRASE is set but empty (what a missing or misspelled secret expands to), so the stack's secrets would be under an empty passphrase: ${fix}`
      : undefined;
  }
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (!file) return undefined;
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch {
    // The CLI says why it cannot read it.
    return undefined;
  }
  // The CLI trims the file's content (readPassphrase, pkg/secrets/passphrase/manager.go).
  return content.trim() === ""
    ? `PULUMI_CONFIG_PASSPHRASE_FILE names an empty file, so the stack's secrets would be under an empty passphrase: ${fix}`
    : undefined;
}
