/**
 * Stack outputs, read twice: with `--show-secrets` (plaintext) and without (each secret,
 * at any depth, printed as "[secret]"). Comparing the two finds every secret, so it can be
 * masked before anything is written, and gives a public copy that is safe to print.
 */
import { SECRET_PLACEHOLDER } from "../shared/pulumi/outputs.js";

export type Outputs = Record<string, unknown>;

export interface SplitOutputs {
  /** The outputs with every secret replaced by "[secret]". */
  visible: Outputs;
  /** Every secret's plaintext (a subtree when a whole object is secret). */
  secrets: unknown[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";

function split(plain: unknown, redacted: unknown, secrets: unknown[]): unknown {
  if (redacted === SECRET_PLACEHOLDER && plain !== SECRET_PLACEHOLDER) {
    secrets.push(plain);
    return SECRET_PLACEHOLDER;
  }
  if (isObject(plain) && isObject(redacted) && Array.isArray(plain) === Array.isArray(redacted)) {
    if (Array.isArray(plain))
      return plain.map((item, i) => split(item, (redacted as unknown as unknown[])[i], secrets));
    return Object.fromEntries(
      Object.entries(plain).map(([k, v]) => [k, split(v, redacted[k], secrets)]),
    );
  }
  if (JSON.stringify(plain) === JSON.stringify(redacted)) return plain;
  // The two reads disagree where neither says "[secret]" (e.g. the stack changed between
  // them): treat the value as secret rather than guess.
  secrets.push(plain);
  return SECRET_PLACEHOLDER;
}

export function splitOutputs(plain: Outputs, redacted: Outputs): SplitOutputs {
  const secrets: unknown[] = [];
  const visible = split(plain, redacted, secrets) as Outputs;
  return { visible, secrets };
}

/** A step output name the runner accepts and an expression can address. */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * One step output per top-level stack output, named as the stack names it when it can
 * be, otherwise with `_` for each character an output name cannot hold. Names taken by the
 * action's declared outputs, or by another key, are skipped with the reason.
 */
export function perOutputNames(
  keys: readonly string[],
  reserved: readonly string[],
): { names: Map<string, string>; skipped: string[] } {
  const names = new Map<string, string>();
  const skipped: string[] = [];
  // The runner's contexts are case-insensitive: `Web` and `web` would be one output.
  const taken = new Set(reserved.map((name) => name.toLowerCase()));
  for (const key of keys) {
    let name = key.replace(/[^A-Za-z0-9_-]/g, "_");
    if (!OUTPUT_NAME.test(name)) name = `_${name}`;
    if (taken.has(name.toLowerCase())) {
      skipped.push(
        `stack output '${key}' is not a step output of its own: the name '${name}' is taken; read it from 'outputs'`,
      );
      continue;
    }
    taken.add(name.toLowerCase());
    names.set(key, name);
  }
  return { names, skipped };
}
