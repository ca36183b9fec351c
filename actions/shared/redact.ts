/**
 * The one redactor every writer goes through: the log, annotations, step outputs, the job
 * summary, files the action writes and comment bodies. The runner masks only its log, and
 * only what it was told; a job summary, a file or a PR comment is never masked. It hides the
 * job's credentials (read from the environment when used, so a token set late still counts)
 * and every value the action masked, in each form the runner masks (base64 at any byte
 * offset, URI and JSON escapes) plus the HTML escape our markdown applies.
 */

import { readFileSync } from "node:fs";

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

/**
 * Any other variable whose name says it holds a credential (ARM_CLIENT_SECRET, NPM_TOKEN,
 * DB_PASSWORD, INPUT_REGISTRY-PASSWORD...): a step's `env:` from `secrets.*` is masked by the
 * runner, which does not tell the step which values those were.
 */
const CREDENTIAL_NAME =
  /(?:SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?)(?=$|[_-])|(?:PRIVATE|API|ACCESS|SIGNING|ENCRYPTION)[_-]?KEY(?=$|[_-])|(?:^|[_-])(?:AUTH|PAT)(?=$|[_-])/i;
/**
 * ...except a name that says where a credential is, not what it is, or that is a switch about
 * one (`INPUT_ALLOW-EMPTY-PASSPHRASE`, `SKIP_TOKEN_CHECK`): its value is a setting.
 */
const LOCATION_NAME = /[_-](?:FILE|PATH|DIR|URL|ENDPOINT|EXPIRY|EXPIRATION)$/i;
const SWITCH_NAME = /^(?:INPUT_)?(?:ALLOW|REQUIRE|SKIP|USE|NO|ENABLE|DISABLE|ISOLATE)[_-]/i;

const REDACTED = "[secret]";

/**
 * Below this length a value is not redacted: replacing every "dev" or "1234" in a text
 * with `[secret]` would mangle the text and reveal the secret by where it appears. Such a
 * value is flagged instead (`shortSecretWarnings`): it protects nothing and must be replaced.
 */
export const MIN_SECRET_LENGTH = 8;

const registered = new Set<string>();
/** Short values seen, by where they came from (a variable's name, or "a masked value"). */
const short = new Set<string>();
const warned = new Set<string>();

export type Redact = (text: string) => string;

/** Adds a value (each of its lines, as the runner masks line by line) to what is redacted. */
export function registerSecret(value: string): void {
  remember(value, "a value the step masked", registered);
}

/**
 * Adds a value and each of its lines to `into`; a value too short is flagged as coming
 * `from` (a short line of a longer value is only left out: the value hides it).
 */
function remember(value: string, from: string, into: Set<string>): void {
  const whole = value.trim();
  if (whole === "") return;
  if (whole.length < MIN_SECRET_LENGTH) short.add(from);
  for (const line of [whole, ...whole.split(/\r?\n/).map((l) => l.trim())])
    if (line.length >= MIN_SECRET_LENGTH) into.add(line);
}

/** The `user:password` of a `scheme://user:password@host...` in a text, if it holds one. */
export function urlCredentials(text: string): string | undefined {
  return /[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)@/i.exec(text)?.[1];
}

function isCredentialVariable(name: string): boolean {
  return (
    CREDENTIAL_VARIABLES.includes(name) ||
    (CREDENTIAL_NAME.test(name) && !LOCATION_NAME.test(name) && !SWITCH_NAME.test(name))
  );
}

function secrets(): Set<string> {
  const all = new Set(registered);
  const add = (value: string | undefined, from: string) => remember(value ?? "", from, all);
  for (const [name, value] of Object.entries(process.env))
    if (isCredentialVariable(name)) add(value, name);
  // The OIDC token aws-credentials keeps fresh: the runner masks only its first one.
  add(webIdentityToken(), "the web identity token");
  // A backend URL from the job's environment is not an input we could refuse.
  const backend = urlCredentials(process.env.PULUMI_BACKEND_URL ?? "");
  if (backend) {
    add(backend, "PULUMI_BACKEND_URL's credentials");
    add(backend.slice(backend.indexOf(":") + 1), "PULUMI_BACKEND_URL's password");
  }
  return all;
}

/** What AWS_WEB_IDENTITY_TOKEN_FILE holds now (a JWT; nothing when unreadable or too big). */
function webIdentityToken(): string | undefined {
  const file = process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
  if (!file) return undefined;
  try {
    const text = readFileSync(file, "utf8");
    return text.length <= 65_536 ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The part of base64(`shift` bytes + value) that depends on the value's bytes alone: what
 * shows of the value wherever it sits in an encoded text (`base64(":" + token)` of a basic
 * auth header is shift 1). As the runner masks it, three shifts cover every offset.
 */
function base64At(value: Buffer, shift: number): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), value]).toString("base64");
  return encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + value.length) * 8) / 6));
}

const HTML = /[&<>"]/g;
const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

const formsCache = new Map<string, string[]>();

/** Every form of a secret that may reach a text. */
function forms(secret: string): string[] {
  const cached = formsCache.get(secret);
  if (cached) return cached;
  const bytes = Buffer.from(secret, "utf8");
  const all = new Set([
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(HTML, (c) => HTML_ESCAPES[c] as string),
  ]);
  for (const shift of [0, 1, 2]) {
    const base64 = base64At(bytes, shift);
    all.add(base64);
    all.add(base64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  const result = [...all].filter((form) => form.length >= MIN_SECRET_LENGTH);
  formsCache.set(secret, result);
  return result;
}

/**
 * The text with every known secret, in every form, replaced by `[secret]`. Occurrences are
 * found in the original text and overlapping ones hidden as one, so neither of two secrets
 * that share characters leaves a part of the other.
 */
export const redact: Redact = (text) => {
  const spans: [number, number][] = [];
  for (const secret of secrets()) {
    for (const form of forms(secret)) {
      for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1))
        spans.push([at, at + form.length]);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let done = 0;
  let current = spans[0] as [number, number];
  for (const span of [...spans.slice(1), [Infinity, Infinity] as [number, number]]) {
    if (span[0] <= current[1]) {
      current = [current[0], Math.max(current[1], span[1])];
      continue;
    }
    out += text.slice(done, current[0]) + REDACTED;
    done = current[1];
    current = span;
  }
  return out + text.slice(done);
};

/**
 * One warning for each source of a secret too short to redact (MIN_SECRET_LENGTH), said
 * once per step; names the source, never the value.
 */
export function shortSecretWarnings(): string[] {
  const fresh = [...short].filter((from) => !warned.has(from));
  for (const from of fresh) warned.add(from);
  return fresh.map(
    (from) =>
      `${from} is shorter than ${MIN_SECRET_LENGTH} characters: too short to be hidden from what this step writes without revealing it, so it is not redacted; replace it with a longer secret`,
  );
}
