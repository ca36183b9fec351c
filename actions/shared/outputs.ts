import { setOutput } from "./runner.js";

export type OutputValue = string | number | boolean | object | undefined;

/**
 * Writes step outputs; objects as JSON, undefined skipped. Redacted unless `revealed`
 * (values handed on on purpose, and masked: see setOutput).
 */
export function setOutputs(
  outputs: Record<string, OutputValue>,
  options: { revealed?: boolean } = {},
): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    setOutput(name, typeof value === "object" ? JSON.stringify(value) : String(value), options);
  }
}
