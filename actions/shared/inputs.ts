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
import { type PathKind, confinedPath } from "./paths.js";
import { redact, urlCredentials } from "./redact.js";
import { readInput } from "./runner.js";

/** Every input schema reads the raw text (undefined when empty). */
export type InputSchema<T = unknown> = z.ZodMiniType<T, string | undefined>;
export type InputShape = Record<string, InputSchema>;
export type Inputs<S extends InputShape> = { [K in keyof S]: z.output<S[K]> };

export function inputName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const LOGIN = /^[^\s/@:]+:[^\s/@]+@[^\s]/;

/** The most of a value a message quotes, in characters as shown. */
export const QUOTE_LIMIT = 80;
/** The longest first line a message quotes (cut at QUOTE_LIMIT); a longer one is described. */
const QUOTE_SCAN_LIMIT = 4096;

/**
 * What of a text a message shows: its first line, each known secret replaced by `[secret]`
 * (redact.ts) before anything is cut, so a cut never leaves half a secret the redactor no
 * longer recognises, nor half a `[secret]`; control characters escaped (an ANSI sequence
 * must not restyle the log); at most QUOTE_LIMIT characters, then `…`.
 */
function shown(value: string): string {
  const firstLine = value.split("\n")[0] ?? "";
  // One unit each: a `[secret]`, an escaped control character, any other code point.
  const units = redact(firstLine).match(/\[secret\]|[\s\S]/gu) ?? [];
  let text = "";
  for (const unit of units) {
    const shownUnit = /^\p{Cc}$/u.test(unit)
      ? `\\x${unit.charCodeAt(0).toString(16).padStart(2, "0")}`
      : unit;
    if (text.length + shownUnit.length > QUOTE_LIMIT) return `${text}…`;
    text += shownUnit;
  }
  return value.includes("\n") ? `${text}…` : text;
}

/**
 * An input's value as a message may quote it, the one way every message does: `***` for a
 * secret input or a value holding URL credentials, else its first line, redacted, escaped
 * and cut at QUOTE_LIMIT characters (`…` marks a cut).
 */
export function quoted(value: string, secret = false): string {
  if (secret) return "***";
  // Past this, a value is described, not quoted: the checks below take time that grows
  // faster than the text (a 123 KB stack name took seconds), and a secret that starts in
  // the quoted part and ends past a shorter window could not be redacted whole.
  const firstLine = value.split("\n", 1)[0] ?? "";
  if (firstLine.length > QUOTE_SCAN_LIMIT) return `<${value.length} characters>`;
  // A value holding URL credentials (`scheme://user:password@`, or `user:password@host` as a
  // registry login is written) is never quoted, whatever the input.
  if (urlCredentials(firstLine) !== undefined || LOGIN.test(firstLine)) return "***";
  return shown(value);
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
    const quote = issue.code !== "custom" || issue.params?.quote !== false;
    if (value === undefined || !quote) {
      problems.set(key, `Input '${name}' ${issue.message}`);
    } else if (issue.message.includes(", got ")) {
      problems.set(key, `Input '${name}' ${issue.message}`);
    } else {
      const secret = options.secrets?.includes(key) ?? false;
      problems.set(key, `Input '${name}' ${issue.message}, got '${quoted(value, secret)}'`);
    }
  }
  throw new InputError([...problems.values()]);
}

/**
 * A problem found while parsing one input; `message` completes "Input 'x' ...". `quote:
 * false` keeps the input's value out of the message (KEY=VALUE lines, URLs: they may hold
 * a secret).
 */
class Problem {
  constructor(
    readonly message: string,
    readonly quote: boolean,
  ) {}
}

/**
 * `parse(text)`, with the engine's own limits (a value nested or long past what can be
 * checked: V8's "Maximum call stack size exceeded", "Invalid string length") as a Problem
 * that names the input, never the raw V8 message.
 */
function parseWithin<T>(
  parse: (text: string | undefined) => T | Problem,
  text: string | undefined,
) {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof RangeError)
      return problem(
        `is nested or long beyond what can be checked (${text?.length ?? 0} characters)`,
        {
          quote: false,
        },
      );
    throw error;
  }
}

/**
 * The one way inputs are parsed: `parse` gets the text (undefined when empty) and
 * returns the value or a Problem.
 */
export function field<T>(parse: (text: string | undefined) => T | Problem): InputSchema<T> {
  return z.pipe(
    z.optional(z.string()),
    z.transform((text: string | undefined, ctx) => {
      const value = parseWithin(parse, text);
      if (value instanceof Problem) {
        ctx.issues.push({
          code: "custom",
          message: value.message,
          input: text,
          params: { quote: value.quote },
        });
        return z.NEVER;
      }
      return value;
    }),
  ) as unknown as InputSchema<T>;
}

export const problem = (message: string, options: { quote?: boolean } = {}) =>
  new Problem(message, options.quote ?? true);
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
  /** False for values that may hold a secret (URLs): a refusal then names the input only. */
  quote: boolean;
}

export function rule(
  pattern: RegExp | ((value: string) => boolean),
  expected: string,
  options: { quote?: boolean } = {},
): Rule {
  return {
    test: typeof pattern === "function" ? pattern : (v) => pattern.test(v),
    expected,
    quote: options.quote ?? true,
  };
}

function checkedPath(text: string, kind: PathKind): string | Problem {
  const checked = confinedPath(text, kind);
  return "path" in checked ? text : problem(checked.problem);
}

const mustBe = (check: Rule) => problem(`must be ${check.expected}`, { quote: check.quote });

/** Schema builders for the shapes inputs take. */
export const input = {
  /** Required text, optionally checked by a rule. */
  text: (check?: Rule): InputSchema<string> =>
    field((v) => (v === undefined ? required() : check && !check.test(v) ? mustBe(check) : v)),

  /** Text that may be left empty (then undefined), otherwise checked by a rule. */
  optionalText: (check?: Rule): InputSchema<string | undefined> =>
    field((v) => (v !== undefined && check && !check.test(v) ? mustBe(check) : v)),

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
          const got = check.quote ? `, got '${quoted(line)}'` : "";
          return problem(`line ${index + 1} must be ${check.expected}${got}`, { quote: false });
        }
      }
      return lines;
    }),

  /**
   * `name=value` lines into a record; names unique. A refusal quotes the line's number and
   * name, never a value (a build argument or a URL may be a secret), nor a line without a name.
   */
  keyValues: (value: Rule, keyPattern = /^[A-Za-z0-9_.-]+$/): InputSchema<Record<string, string>> =>
    field((v) => {
      const out: Record<string, string> = {};
      const wrong = (message: string) => problem(message, { quote: false });
      for (const [index, line] of splitLines(v ?? "").entries()) {
        const where = `line ${index + 1}`;
        const eq = line.indexOf("=");
        const key = eq > 0 ? line.slice(0, eq).trim() : "";
        const item = eq > 0 ? line.slice(eq + 1).trim() : "";
        if (key === "") return wrong(`${where} must be NAME=${value.expected}: no NAME= found`);
        if (!keyPattern.test(key)) {
          // Quoted only when it looks like a name: text before a stray '=' may be a secret.
          const named = /^[\w.-]{1,64}$/.test(key) ? ` '${key}'` : "";
          return wrong(`${where} has a NAME${named} that is not allowed (${keyPattern.source})`);
        }
        if (!value.test(item)) return wrong(`${where} ('${key}') must be NAME=${value.expected}`);
        if (Object.hasOwn(out, key)) return wrong(`${where} names '${key}' a second time`);
        out[key] = item;
      }
      return out;
    }),

  /**
   * A file or folder, relative to the working directory (`fallback` when empty), checked by
   * confinedPath: never a symbolic link, inside the workspace or RUNNER_TEMP. The value is
   * the text as given, so messages and commands show what the workflow wrote.
   */
  path: (kind: PathKind, fallback: string): InputSchema<string> =>
    field((v) => checkedPath(v ?? fallback, kind)),

  /** Like `path`, but undefined when empty. */
  optionalPath: (kind: PathKind): InputSchema<string | undefined> =>
    field((v) => (v === undefined ? undefined : checkedPath(v, kind))),

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
