/**
 * The expression language through GitHub's own `@actions/expressions`: a workflow's
 * template tokens (as `@actions/workflow-parser` produced them) evaluated against plain JS
 * contexts, with the status functions (success(), failure(), always(), cancelled()) and
 * hashFiles() the runner adds on top of the library's well-known functions.
 */
import { createHash } from "node:crypto";
import { globSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from "@actions/workflow-parser";

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type Contexts = Record<string, unknown>;

/** What success(), failure() and cancelled() answer where they are evaluated. */
export interface Status {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

interface FunctionDefinition {
  name: string;
  minArgs: number;
  maxArgs: number;
  call: (...args: data.ExpressionData[]) => data.ExpressionData;
}

const toData = (value: unknown): data.ExpressionData =>
  JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;

const fromData = (value: data.ExpressionData): Value =>
  JSON.parse(JSON.stringify(value, data.replacer)) as Value;

/**
 * hashFiles() as the runner computes it (actions/runner, src/Misc/expressionFunc/hashFiles):
 * the patterns matched under GITHUB_WORKSPACE (`github.workspace`), each regular file hashed
 * with SHA-256, those digests hashed together in order; '' when nothing matches. Matches are
 * taken in sorted path order (the runner's glob walks the directories; the value only has to
 * be stable for the same files). Negated patterns (`!`) drop what they match.
 */
export function hashFiles(workspace: string, patterns: string[]): string {
  const include = patterns.filter((p) => !p.startsWith("!"));
  const exclude = new Set(
    patterns
      .filter((p) => p.startsWith("!"))
      .flatMap((p) => globSync(p.slice(1), { cwd: workspace })),
  );
  const files = [...new Set(include.flatMap((p) => globSync(p, { cwd: workspace })))]
    .filter((file) => !exclude.has(file) && statSync(join(workspace, file)).isFile())
    .sort();
  if (files.length === 0) return "";
  const all = createHash("sha256");
  for (const file of files)
    all.update(
      createHash("sha256")
        .update(readFileSync(join(workspace, file)))
        .digest(),
    );
  return all.digest("hex");
}

function statusFunctions(status: Status | undefined, contexts: Contexts): FunctionDefinition[] {
  const fn = (name: string, answer: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => {
      if (!status) throw new Error(`${name}() is only allowed in if:`);
      return new data.BooleanData(answer());
    },
  });
  return [
    fn("success", () => status?.success ?? false),
    fn("failure", () => status?.failure ?? false),
    fn("cancelled", () => status?.cancelled ?? false),
    fn("always", () => true),
    {
      name: "hashFiles",
      minArgs: 1,
      maxArgs: 255,
      call: (...args) => {
        const workspace = (contexts.github as { workspace?: string } | undefined)?.workspace;
        if (!workspace) throw new Error("hashFiles() needs a job's workspace");
        return new data.StringData(
          hashFiles(
            workspace,
            args.map((arg) => arg.coerceString()),
          ),
        );
      },
    },
  ];
}

export function evaluateExpression(expression: string, contexts: Contexts, status?: Status): Value {
  const functions = statusFunctions(status, contexts);
  const lexed = new Lexer(expression).lex();
  const tree = new Parser(
    lexed.tokens,
    Object.keys(contexts),
    functions.map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs })),
  ).parse();
  const dictionary = new data.Dictionary(
    ...Object.entries(contexts).map(([key, value]) => ({ key, value: toData(value) })),
  );
  const byName = new Map(functions.map((f) => [f.name.toLowerCase(), f]));
  return fromData(new Evaluator(tree, dictionary, byName).evaluate());
}

/** A token's value: mappings and sequences walked, every `${{ }}` evaluated. */
export function evaluateToken(token: TemplateToken, contexts: Contexts, status?: Status): Value {
  if (isBasicExpression(token)) return evaluateExpression(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, contexts, status));
  if (isMapping(token)) {
    const result: Record<string, Value> = {};
    for (const pair of token) {
      result[String(evaluateToken(pair.key, contexts, status))] = evaluateToken(
        pair.value,
        contexts,
        status,
      );
    }
    return result;
  }
  return null;
}

/** A value where the runner wants a string (env, with:, outputs): as the runner prints it. */
export function asString(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** A mapping token (env:, with:, outputs:) as name -> string. */
export function evaluateStrings(
  token: TemplateToken | undefined,
  contexts: Contexts,
): Record<string, string> {
  if (!token) return {};
  const value = evaluateToken(token, contexts);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, asString(v)]));
}

/** GitHub's truthiness for if: results. */
export function truthy(value: Value): boolean {
  if (value === null || value === false || value === 0 || value === "") return false;
  if (typeof value === "number" && Number.isNaN(value)) return false;
  return true;
}
