/**
 * The `config` input: a YAML map of key to value, or to `{value, secret}`. Parsed into
 * plain entries before anything runs, so a malformed map fails like any other bad input.
 */
import { parse } from "yaml";

export interface ConfigEntry {
  key: string;
  value: string;
  secret: boolean;
}

/** `name` or `namespace:name`, the forms `pulumi config set` takes without --path. */
const CONFIG_KEY = /^(?:[A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$/;

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** Returns the entries, or the problems (each completing "Input 'config' ..."). */
export function parseConfig(text: string | undefined): {
  entries: ConfigEntry[];
  problems: string[];
} {
  if (text === undefined) return { entries: [], problems: [] };
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { entries: [], problems: [`must be a YAML map of key to value: ${reason}`] };
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return { entries: [], problems: ["must be a YAML map of key to value, or to {value, secret}"] };
  }
  const entries: ConfigEntry[] = [];
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(document as Record<string, unknown>)) {
    if (!CONFIG_KEY.test(key)) {
      problems.push(`key '${key}' must be NAME or NAMESPACE:NAME`);
    } else if (isScalar(raw)) {
      entries.push({ key, value: String(raw), secret: false });
    } else if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && isSpec(raw)) {
      entries.push({ key, value: String(raw.value), secret: raw.secret === true });
    } else {
      problems.push(`key '${key}' must map to a value or to {value, secret}`);
    }
  }
  return { entries, problems };
}

function isSpec(raw: object): raw is { value: Scalar; secret?: boolean } {
  const spec = raw as Record<string, unknown>;
  const known = Object.keys(spec).every((k) => k === "value" || k === "secret");
  return (
    known && isScalar(spec.value) && (spec.secret === undefined || typeof spec.secret === "boolean")
  );
}
