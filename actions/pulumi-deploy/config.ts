/**
 * The `config` input: a YAML map of key to value, or to `{value, secret}`. Parsed into
 * plain entries before anything runs, so a malformed map fails like any other bad input.
 *
 * Values are kept as written, as `pulumi config set KEY VALUE` would store them: the map
 * is read with YAML's failsafe schema, where every scalar is the string it spells. The core
 * schema would turn `012345678901` (an AWS account id) into 12345678901, `1.10` into 1.1,
 * `0x1F` into 31 and a 20-digit number into a rounded float before the CLI saw it.
 */
import { type Document, type Node, type YAMLMap, isMap, isScalar, parseDocument } from "yaml";

export interface ConfigEntry {
  key: string;
  value: string;
  secret: boolean;
}

/** `name` or `namespace:name`, the forms `pulumi config set` takes without --path. */
// Each part starts with a letter, digit or `_`: `--help` is a flag to the CLI, not a key.
const CONFIG_KEY = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*:)?[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * A plain scalar that YAML reads as null: most likely an empty `${{ vars.X }}`, which
 * would otherwise become the text "" or "~". Quoting keeps such a text on purpose.
 */
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);

type Value = { text: string; secret?: boolean } | { problem: string };

/** The text a value node spells; undefined for anything but a scalar (or an alias of one). */
function scalarText(node: Node | null, document: Document): Value | undefined {
  if (node === null) return { problem: "has no value" };
  const js: unknown = node.toJS(document);
  if (typeof js !== "string") return undefined;
  if (isScalar(node) && node.type === "PLAIN" && NULL_WORDS.has(js))
    return { problem: `has no value (write '${js}' quoted to set that text)` };
  return { text: js };
}

/** Returns the entries, or the problems (each completing "Input 'config' ..."). */
export function parseConfig(text: string | undefined): {
  entries: ConfigEntry[];
  problems: string[];
} {
  if (text === undefined) return { entries: [], problems: [] };
  const document = parseDocument(text, { schema: "failsafe" });
  const [error] = document.errors;
  if (error) {
    const reason = error.message.split("\n")[0] ?? "";
    return { entries: [], problems: [`must be a YAML map of key to value: ${reason}`] };
  }
  if (!isMap(document.contents)) {
    return { entries: [], problems: ["must be a YAML map of key to value, or to {value, secret}"] };
  }
  const entries: ConfigEntry[] = [];
  const problems: string[] = [];
  for (const pair of document.contents.items) {
    const key = String(pair.key);
    if (!isScalar(pair.key) || !CONFIG_KEY.test(key)) {
      problems.push(`key '${key}' must be NAME or NAMESPACE:NAME`);
      continue;
    }
    const value = pair.value as Node | null;
    const plain = scalarText(value, document);
    const found = plain ?? (isMap(value) ? specOf(value, document) : undefined);
    if (found === undefined) {
      problems.push(`key '${key}' must map to a value or to {value, secret}`);
    } else if ("problem" in found) {
      problems.push(`key '${key}' ${found.problem}`);
    } else {
      entries.push({ key, value: found.text, secret: found.secret ?? false });
    }
  }
  return { entries, problems };
}

/** `{value, secret}`; undefined when the map has other keys or a value that is no scalar. */
function specOf(map: YAMLMap, document: Document): Value | undefined {
  const spec = map.toJS(document) as Record<string, unknown>;
  if (!Object.keys(spec).every((k) => k === "value" || k === "secret")) return undefined;
  if (spec.secret !== undefined && spec.secret !== "true" && spec.secret !== "false")
    return undefined;
  const value = scalarText((map.get("value", true) as Node | undefined) ?? null, document);
  if (value === undefined || "problem" in value) return value;
  return { text: value.text, secret: spec.secret === "true" };
}
