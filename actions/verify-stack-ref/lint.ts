/**
 * Lints the Pulumi YAML files of a project folder for the two mistakes that pass `preview`
 * silently: `fn::` keys in config (Pulumi does not evaluate them: the value is plain data)
 * and stack references without an org (they resolve in whichever org the login defaults to).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type Node, LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from "yaml";
import { readConfinedFile } from "../shared/paths.js";
import { qualifiedStack } from "../shared/schemas.js";

export interface Finding {
  file: string;
  line: number;
  message: string;
}

const PULUMI_FILE = /^Pulumi(?:\.[^.]+)?\.ya?ml$/;
/** Config keys that hold a stack name: infraStack, infra_stack_name, stackRef, stack-reference... */
const STACK_KEY = /(?:stack[-_]?(?:ref|reference|name)|[a-z0-9]Stack|[-_]stack)$/i;

/** A YAML node's 1-based line. */
type LineOf = (node: Node | null | undefined) => number;

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}

function orgLess(ref: string, where: string): string {
  return `Stack reference '${ref}' ${where} is not org-qualified: write ORG/PROJECT/STACK, or it resolves in whichever org the credentials default to.`;
}

/** The stack named by `fn::stackReference: [name, output]` or `{name: ...}`. */
function stackReferenceArgument(node: unknown): Node | undefined {
  if (isSeq(node)) return node.items[0] as Node | undefined;
  if (isMap(node)) return node.get("name", true) as Node | undefined;
  return isScalar(node) ? node : undefined;
}

/** Everything under a config section: every `fn::` key, and org-less stack names. */
function lintConfig(node: unknown, lineOf: LineOf, findings: Omit<Finding, "file">[]): void {
  if (isSeq(node)) {
    for (const item of node.items) lintConfig(item, lineOf, findings);
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = scalarText(pair.key) ?? "";
    if (/^fn::/i.test(key)) {
      findings.push({
        line: lineOf(pair.key as Node),
        message: `'${key}' in stack config is silently ignored: Pulumi does not evaluate fn:: functions in config, so the value is plain data (and a typo still passes preview). Read the stack in the program with pulumi.StackReference("ORG/PROJECT/STACK") instead.`,
      });
      const argument = /^fn::stackReference$/i.test(key)
        ? stackReferenceArgument(pair.value)
        : undefined;
      const ref = scalarText(argument);
      if (ref !== undefined && !qualifiedStack.test(ref)) {
        findings.push({ line: lineOf(argument), message: orgLess(ref, `in '${key}'`) });
      }
    }
    const name = key.slice(key.lastIndexOf(":") + 1);
    const value = scalarText(pair.value);
    if (STACK_KEY.test(name) && value !== undefined && !qualifiedStack.test(value)) {
      findings.push({
        line: lineOf(pair.value as Node),
        message: orgLess(value, `in config '${key}'`),
      });
    }
    lintConfig(pair.value, lineOf, findings);
  }
}

/** A YAML program's own stack references (valid there, but they must name the org). */
function lintProgramReferences(
  node: unknown,
  lineOf: LineOf,
  findings: Omit<Finding, "file">[],
): void {
  if (isSeq(node)) {
    for (const item of node.items) lintProgramReferences(item, lineOf, findings);
    return;
  }
  if (!isMap(node)) return;
  if (scalarText(node.get("type", true)) === "pulumi:pulumi:StackReference") {
    const properties = node.get("properties", true);
    const nameNode = isMap(properties)
      ? (properties.get("name", true) as Node | undefined)
      : undefined;
    const ref = scalarText(nameNode);
    if (ref !== undefined && !qualifiedStack.test(ref)) {
      findings.push({
        line: lineOf(nameNode),
        message: orgLess(ref, "in a pulumi:pulumi:StackReference resource"),
      });
    }
  }
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = scalarText(pair.key) ?? "";
    if (/^fn::stackReference$/i.test(key)) {
      const argument = stackReferenceArgument(pair.value);
      const ref = scalarText(argument);
      if (ref !== undefined && !qualifiedStack.test(ref))
        findings.push({ line: lineOf(argument), message: orgLess(ref, `in '${key}'`) });
    }
    lintProgramReferences(pair.value, lineOf, findings);
  }
}

export function lintFile(name: string, text: string): Omit<Finding, "file">[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const lineOf: LineOf = (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const findings: Omit<Finding, "file">[] = [];
  if (document.errors.length > 0) {
    const error = document.errors[0];
    return [
      {
        line: error?.linePos?.[0].line ?? 1,
        message: `Not valid YAML: ${error?.message.split("\n")[0] ?? ""}`,
      },
    ];
  }
  lintConfig(document.get("config", true), lineOf, findings);
  if (/^Pulumi\.ya?ml$/.test(name)) {
    for (const section of ["resources", "variables", "outputs"]) {
      lintProgramReferences(document.get(section, true), lineOf, findings);
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** Lints every Pulumi*.yaml in `dir`; `display` turns a path into what annotations show. */
export function lintWorkDir(dir: string, display: (path: string) => string): Finding[] {
  return readdirSync(dir)
    .filter((name) => PULUMI_FILE.test(name))
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      // A file of the checkout may be a symbolic link to the job's secrets: never read it.
      const read = readConfinedFile(path);
      if ("problem" in read) {
        return [{ file: display(path), line: 1, message: `${name} ${read.problem}: not read` }];
      }
      return lintFile(name, read.text).map((finding) => ({
        file: display(path),
        ...finding,
      }));
    });
}
