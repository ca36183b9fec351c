import { addMask } from "./runner.js";

/**
 * Registers every leaf of a secret value, at any depth, with the runner, plus the JSON
 * of each object or array so a serialised dump is hidden too. Booleans are not masked:
 * hiding every `true` in a log protects nothing.
 */
export function maskDeep(value: unknown): void {
  if (typeof value === "string" || typeof value === "number") {
    addMask(String(value));
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) maskDeep(item);
    addMask(JSON.stringify(value));
  }
}
