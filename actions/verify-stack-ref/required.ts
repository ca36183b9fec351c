/** Checks a stack's outputs against `required-outputs` lines: `name` or `name:type`. */
export const OUTPUT_TYPES = ["string", "number", "boolean", "object", "array"] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export interface RequiredOutput {
  name: string;
  type?: OutputType;
}

export type OutputCheck =
  | { name: string; type?: OutputType; status: "present"; actual: string }
  | { name: string; type?: OutputType; status: "missing" }
  | { name: string; type: OutputType; status: "wrong-type"; actual: string };

/** One `required-outputs` line; undefined when it is neither NAME nor NAME:TYPE. */
export function parseRequiredLine(line: string): RequiredOutput | undefined {
  const [name = "", type, ...rest] = line.split(":");
  if (!OUTPUT_NAME.test(name) || rest.length > 0) return undefined;
  if (type === undefined) return { name };
  return (OUTPUT_TYPES as readonly string[]).includes(type)
    ? { name, type: type as OutputType }
    : undefined;
}

/** The lines as the input checked them (each one parses). */
export function parseRequired(lines: readonly string[]): RequiredOutput[] {
  return lines.flatMap((line) => parseRequiredLine(line) ?? []);
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
