/**
 * Hides known secrets in text the runner does not mask: the job summary, the plan markdown
 * and annotation details built from CLI output.
 */
export type Redact = (text: string) => string;

/** Replaces every known secret (config secrets, secret outputs) in a text with "[secret]". */
export function redactor(values: readonly unknown[]): Redact {
  const leaves: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string" || typeof v === "number") leaves.push(String(v));
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  // Values under 3 characters are left: redacting them would mangle ordinary words, and a
  // secret that short protects nothing.
  const secrets = leaves.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join("[secret]"), text);
}
