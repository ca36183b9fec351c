/** Checks a stack's outputs against `required-outputs` lines: `name` or `name:type`. */
import type { OUTPUT_TYPES } from "./inputs.js";

export type OutputType = (typeof OUTPUT_TYPES)[number];

export interface RequiredOutput {
  name: string;
  type?: OutputType;
}

export type OutputCheck =
  | { name: string; type?: OutputType; status: "present"; actual: string }
  | { name: string; type?: OutputType; status: "missing" }
  | { name: string; type: OutputType; status: "wrong-type"; actual: string };

export function parseRequired(lines: readonly string[]): RequiredOutput[] {
  return lines.map((line) => {
    const [name = "", type] = line.split(":");
    return type ? { name, type: type as OutputType } : { name };
  });
}

export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** `values` are the outputs as read (secrets revealed when a type must be checked). */
export function checkOutputs(
  required: readonly RequiredOutput[],
  values: Record<string, unknown>,
): OutputCheck[] {
  return required.map(({ name, type }) => {
    if (!Object.hasOwn(values, name)) return { name, type, status: "missing" };
    const actual = typeOf(values[name]);
    if (type && actual !== type) return { name, type, status: "wrong-type", actual };
    return { name, type, status: "present", actual };
  });
}
