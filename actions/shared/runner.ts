/**
 * The runner's file and stdout protocol, written out so that an action's cold start
 * loads nothing but this file and errors.ts (importing @actions/core pulls in an HTTP client).
 */
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";
import { ActionError } from "./errors.js";
import { redact, registerSecret, shortSecretWarnings } from "./redact.js";

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

/** Writes a workflow command; everything but a mask's own value is redacted first. */
function command(name: string, message: string, properties: object = {}): void {
  const shown = name === "add-mask" ? (text: string) => text : redact;
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(shown(String(v)))}`)
    .join(",");
  process.stdout.write(`::${name}${props ? ` ${props}` : ""}::${escapeData(shown(message))}${EOL}`);
  // Not after a mask: `add-mask` writes exactly what @actions/core's setSecret writes.
  if (name !== "add-mask") flagShortSecrets();
}

/** Says, once, which secrets the redactor had to leave because they are too short. */
function flagShortSecrets(): void {
  for (const warning of shortSecretWarnings())
    command("warning", warning, { title: "Secret too short to redact" });
}

/**
 * Text echoed to the log (a CLI's output, a plan) that cannot run as a workflow command:
 * the runner runs a line that starts with `::` after leading blanks (`::stop-commands::`,
 * `::add-mask::`, `::warning::`...) and a legacy `##[command]` anywhere in a line. A zero
 * width space between the two characters keeps the line as it reads and makes it inert.
 */
export function escapeCommands(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, "$1:\u200b").replace(/#(?=#\[)/g, "#\u200b");
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

/** A log line: redacted, and inert as a workflow command whatever it holds. */
export function info(message: string): void {
  process.stdout.write(escapeCommands(redact(message)) + EOL);
  flagShortSecrets();
}

export function debug(message: string): void {
  command("debug", message);
}

/**
 * Masks every non-empty line of a value (the runner matches masks line by line) and
 * redacts it from everything else the action writes.
 */
export function addMask(value: string): void {
  registerSecret(value);
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

/**
 * Writes a step output, redacted; `revealed` only for a value the caller hands on on
 * purpose and has masked (a stack's secret output that a later step asked for).
 */
export function setOutput(name: string, value: string, options: { revealed?: boolean } = {}): void {
  appendKeyValue("GITHUB_OUTPUT", name, options.revealed ? value : redact(value));
}

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  appendKeyValue("GITHUB_ENV", name, value);
}

/** Appends markdown to the job summary, redacted; a no-op outside a runner. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  const text = redact(markdown);
  if (file) appendFileSync(file, text.endsWith("\n") ? text : text + "\n", "utf8");
  flagShortSecrets();
}
