/**
 * The runner's file and stdout protocol, written out so that an action's cold start
 * loads nothing but this file and errors.ts (importing @actions/core pulls in an HTTP client).
 */
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";
import { ActionError } from "./errors.js";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
}

function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(name: string, message: string, properties: object = {}): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  process.stdout.write(`::${name}${props ? ` ${props}` : ""}::${escapeData(message)}${EOL}`);
}

/** The value of an input as the runner passes it: `INPUT_<NAME>`, spaces to `_`, dashes kept. */
export function readInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

export function annotate(
  level: AnnotationLevel,
  message: string,
  props?: AnnotationProperties,
): void {
  command(level, message, props);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  command("debug", message);
}

/** Masks every non-empty line of a value: the runner matches masks line by line. */
export function addMask(value: string): void {
  for (const line of value.split(/\r?\n/)) {
    if (line.trim().length > 0) command("add-mask", line);
  }
}

export function startGroup(title: string): void {
  command("group", title);
}

export function endGroup(): void {
  command("endgroup", "");
}

function appendKeyValue(fileVar: string, key: string, value: string): void {
  const file = process.env[fileVar];
  if (!file) {
    throw new ActionError(`${fileVar} is not set: run this action from a GitHub Actions runner`, {
      title: "Not on a runner",
    });
  }
  // node:crypto is loaded only here: importing it up front costs every cold start.
  const { randomUUID } = process.getBuiltinModule("node:crypto");
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, "utf8");
}

export function setOutput(name: string, value: string): void {
  appendKeyValue("GITHUB_OUTPUT", name, value);
}

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  appendKeyValue("GITHUB_ENV", name, value);
}

/** Appends markdown to the job summary; a no-op outside a runner. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith("\n") ? markdown : markdown + "\n", "utf8");
}
