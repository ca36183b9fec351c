/**
 * Inputs as the runner passes them (`INPUT_*`, empty when not given), parsed by a zod
 * shape into a typed object. Keys are camelCase; the input names are their kebab-case.
 * Every failure becomes one line per bad input that says what to write instead.
 *
 * zod/mini rather than classic zod: it loads in a third of the time, and an action's
 * cold start (bundle loaded, inputs rejected) has a budget of 2.5x bare node.
 */
import * as z from "zod/mini";
import { InputError } from "./errors.js";
import { readInput } from "./runner.js";

/** Every input schema reads the raw text (undefined when empty). */
export type InputSchema<T = unknown> = z.ZodMiniType<T, string | undefined>;
export type InputShape = Record<string, InputSchema>;
export type Inputs<S extends InputShape> = { [K in keyof S]: z.output<S[K]> };

export function inputName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function shown(value: string, secret: boolean): string {
  if (secret) return "***";
  const firstLine = value.split("\n")[0] ?? "";
  return firstLine.length > 80 || value.includes("\n") ? `${firstLine.slice(0, 80)}…` : firstLine;
}

/** Reads and validates every input of `shape`; throws an InputError listing each bad one. */
export function parseInputs<S extends InputShape>(
  shape: S,
  options: { secrets?: readonly (keyof S)[] } = {},
): Inputs<S> {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = readInput(inputName(key));
    raw[key] = value === "" ? undefined : value;
  }
  const result = z.object(shape).safeParse(raw);
  if (result.success) return result.data as Inputs<S>;

  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "");
    if (problems.has(key)) continue;
    const name = inputName(key);
    const value = raw[key];
    if (value === undefined) {
      problems.set(key, `Input '${name}' ${issue.message}`);
    } else if (issue.message.includes(", got ")) {
      problems.set(key, `Input '${name}' ${issue.message}`);
    } else {
      const secret = options.secrets?.includes(key) ?? false;
      problems.set(key, `Input '${name}' ${issue.message}, got '${shown(value, secret)}'`);
    }
  }
  throw new InputError([...problems.values()]);
}

/** A problem found while parsing one input; `message` completes "Input 'x' ...". */
class Problem {
  constructor(readonly message: string) {}
}

/**
 * The one way inputs are parsed: `parse` gets the text (undefined when empty) and
 * returns the value or a Problem.
 */
export function field<T>(parse: (text: string | undefined) => T | Problem): InputSchema<T> {
  return z.pipe(
    z.optional(z.string()),
    z.transform((text: string | undefined, ctx) => {
      const value = parse(text);
      if (value instanceof Problem) {
        ctx.issues.push({ code: "custom", message: value.message, input: text });
        return z.NEVER;
      }
      return value;
    }),
  ) as unknown as InputSchema<T>;
}

export const problem = (message: string) => new Problem(message);
const required = () => problem("is required");

const BOOLEAN: Record<string, boolean> = {
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false,
};

/** The items of a multi-line input: trimmed, without blank lines and `#` comments. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
}

/** A rule for one value: a pattern or predicate and the words for what it must be. */
export interface Rule {
  test: (value: string) => boolean;
  /** Completes "must be ...", e.g. "ORG/PROJECT/STACK". */
  expected: string;
}

export function rule(pattern: RegExp | ((value: string) => boolean), expected: string): Rule {
  return { test: typeof pattern === "function" ? pattern : (v) => pattern.test(v), expected };
}

/** Schema builders for the shapes inputs take. */
export const input = {
  /** Required text, optionally checked by a rule. */
  text: (check?: Rule): InputSchema<string> =>
    field((v) =>
      v === undefined
        ? required()
        : check && !check.test(v)
          ? problem(`must be ${check.expected}`)
          : v,
    ),

  /** Text that may be left empty (then undefined), otherwise checked by a rule. */
  optionalText: (check?: Rule): InputSchema<string | undefined> =>
    field((v) =>
      v !== undefined && check && !check.test(v) ? problem(`must be ${check.expected}`) : v,
    ),

  /** `true`/`false` in the YAML 1.2 core spellings, like the runner's own boolean inputs. */
  boolean: (fallback: boolean): InputSchema<boolean> =>
    field((v) => (v === undefined ? fallback : (BOOLEAN[v] ?? problem("must be true or false")))),

  /** Like `boolean`, but undefined when not given, for defaults that depend on other inputs. */
  optionalBoolean: (): InputSchema<boolean | undefined> =>
    field((v) => (v === undefined ? undefined : (BOOLEAN[v] ?? problem("must be true or false")))),

  /**
   * A time limit in minutes (`timeout-minutes`), decimals allowed (0.5 is 30 s), up to the
   * 360 of GitHub's own job limit.
   */
  timeoutMinutes: (fallback: number): InputSchema<number> =>
    field((v) => {
      if (v === undefined) return fallback;
      const minutes = Number(v);
      return /^\d+(?:\.\d+)?$/.test(v) && minutes > 0 && minutes <= 360
        ? minutes
        : problem("must be minutes, more than 0 and at most 360 (e.g. 30 or 0.5)");
    }),

  integer: (
    options: { min?: number; max?: number; fallback?: number } = {},
  ): InputSchema<number> => {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, fallback } = options;
    const expected =
      options.min !== undefined && options.max !== undefined
        ? `an integer from ${min} to ${max}`
        : options.min === 1
          ? "a positive integer"
          : options.min !== undefined
            ? `an integer of at least ${min}`
            : "an integer";
    return field((v) => {
      if (v === undefined) return fallback ?? required();
      const n = Number(v);
      return /^-?\d+$/.test(v) && n >= min && n <= max ? n : problem(`must be ${expected}`);
    });
  },

  oneOf: <const T extends readonly [string, ...string[]]>(
    values: T,
    fallback?: T[number],
  ): InputSchema<T[number]> =>
    field((v) => {
      const value = v ?? fallback;
      if (value === undefined) return required();
      return (values as readonly string[]).includes(value)
        ? (value as T[number])
        : problem(`must be one of ${values.join(", ")}`);
    }),

  /** One item a line; blank lines and `#` comments are skipped. */
  lines: (check?: Rule): InputSchema<string[]> =>
    field((v) => {
      const lines = splitLines(v ?? "");
      for (const [index, line] of lines.entries()) {
        if (check && !check.test(line)) {
          return problem(`line ${index + 1} must be ${check.expected}, got '${line}'`);
        }
      }
      return lines;
    }),

  /** `name=value` lines into a record; names unique. */
  keyValues: (value: Rule, keyPattern = /^[A-Za-z0-9_.-]+$/): InputSchema<Record<string, string>> =>
    field((v) => {
      const out: Record<string, string> = {};
      for (const [index, line] of splitLines(v ?? "").entries()) {
        const eq = line.indexOf("=");
        const key = eq > 0 ? line.slice(0, eq).trim() : "";
        const item = eq > 0 ? line.slice(eq + 1).trim() : "";
        if (!keyPattern.test(key) || !value.test(item)) {
          return problem(`line ${index + 1} must be NAME=${value.expected}, got '${line}'`);
        }
        if (Object.hasOwn(out, key)) return problem(`names '${key}' twice, got '${line}'`);
        out[key] = item;
      }
      return out;
    }),

  /** JSON text checked by a zod (mini) schema; undefined when empty. */
  json: <T>(schema: z.ZodMiniType<T>, expected: string): InputSchema<T | undefined> =>
    field((v) => {
      if (v === undefined) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(v);
      } catch {
        return problem(`must be JSON: ${expected}`);
      }
      const parsed = schema.safeParse(value);
      return parsed.success ? parsed.data : problem(`must be ${expected}`);
    }),
};
