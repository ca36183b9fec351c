import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { describeIssues } from "../../components/args.js";

/**
 * Reads the project's config keys named by `schema`. Values are taken as the CLI stores them:
 * strings, or JSON for numbers, booleans and objects (`pulumi config set --path`).
 *
 * A key of the project that neither the schema nor `secretKeys` (read with `secretConfig`)
 * names is refused: a misspelt key would otherwise be ignored and its default deployed.
 */
export function readConfig<S extends z.ZodObject>(
  schema: S,
  secretKeys: readonly string[] = [],
): z.output<S> {
  const config = new pulumi.Config();
  const known = new Set([...Object.keys(schema.shape), ...secretKeys]);
  const prefix = `${config.name}:`;
  const unknown = Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length))
    .filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new Error(
      `invalid stack config for ${config.name}: unknown key ${unknown.map((k) => `'${k}'`).join(", ")} (known: ${[...known].sort().join(", ")})`,
    );
  }
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const value = config.get(key);
    if (value === undefined) continue;
    raw[key] = (field as z.ZodType).safeParse(value).success ? value : parseJson(value);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new Error(`invalid stack config for ${config.name}: ${describeIssues(result.error)}`);
  }
  return result.data;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A secret config value; undefined when unset. */
export function secretConfig(key: string): pulumi.Output<string> | undefined {
  return new pulumi.Config().getSecret(key);
}
