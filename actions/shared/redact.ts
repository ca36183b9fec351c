/**
 * The one redactor every writer goes through: the log, annotations, step outputs, the job
 * summary, files the action writes and comment bodies. The runner masks only its log, and
 * only what it was told; a job summary, a file or a PR comment is never masked. It hides the
 * job's credentials (read from the environment when used, so a token set late still counts)
 * and every value the action masked.
 */

/** Credentials a job commonly carries; `INPUT_GITHUB-TOKEN` is the actions' token input. */
const CREDENTIAL_VARIABLES = [
  "PULUMI_ACCESS_TOKEN",
  "PULUMI_CONFIG_PASSPHRASE",
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "INPUT_GITHUB-TOKEN",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
];

const REDACTED = "[secret]";

// Values under 3 characters are left: redacting them would mangle ordinary words, and a
// secret that short protects nothing.
const MIN_LENGTH = 3;

const registered = new Set<string>();

export type Redact = (text: string) => string;

/** Adds a value (each of its lines, as the runner masks line by line) to what is redacted. */
export function registerSecret(value: string): void {
  for (const line of [value, ...value.split(/\r?\n/)]) {
    const trimmed = line.trim();
    if (trimmed.length >= MIN_LENGTH) registered.add(trimmed);
  }
}

/** The `user:password` of a `scheme://user:password@host...` in a text, if it holds one. */
export function urlCredentials(text: string): string | undefined {
  return /[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)@/i.exec(text)?.[1];
}

function secrets(): string[] {
  const all = new Set(registered);
  const add = (value: string | undefined) => {
    if (value && value.trim().length >= MIN_LENGTH) all.add(value.trim());
  };
  for (const name of CREDENTIAL_VARIABLES) add(process.env[name]);
  // A backend URL from the job's environment is not an input we could refuse.
  const backend = urlCredentials(process.env.PULUMI_BACKEND_URL ?? "");
  if (backend) {
    add(backend);
    add(backend.slice(backend.indexOf(":") + 1));
  }
  // Longest first, so a secret that contains another is hidden whole.
  return [...all].sort((a, b) => b.length - a.length);
}

/** The text with every known secret replaced by `[secret]`. */
export const redact: Redact = (text) => {
  let out = text;
  for (const secret of secrets()) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
};
