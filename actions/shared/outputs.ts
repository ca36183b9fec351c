import { setOutput } from "./runner.js";

export type OutputValue = string | number | boolean | object | undefined;

/** Writes step outputs; objects as JSON, undefined skipped. */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    setOutput(name, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
}
