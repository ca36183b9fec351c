/**
 * The runner's file and stdout protocol, through @actions/core. What this module adds to
 * it: everything written is redacted first (redact.ts: the runner masks only its log, and
 * only what it was told), a plain log line cannot run as a workflow command, a multi-line
 * secret is masked line by line, and a missing command file is an error rather than
 * core's fallback to the deprecated stdout commands.
 */
import * as core from "@actions/core";
import { ActionError } from "./errors.js";
import { redact, registerSecret, shortSecretWarnings } from "./redact.js";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
}

/** Says, once, which secrets the redactor had to leave because they are too short. */
function flagShortSecrets(): void {
  for (const warning of shortSecretWarnings())
    core.warning(warning, { title: "Secret too short to redact" });
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

/** The value of an input as the runner passes it (`INPUT_<NAME>`), trimmed: core.getInput. */
export function readInput(name: string): string {
  return core.getInput(name);
}

export function annotate(
  level: AnnotationLevel,
  message: string,
  props: AnnotationProperties = {},
): void {
  // Only the properties given: core writes `::error ::` for an object of undefined ones.
  const properties: core.AnnotationProperties = {};
  if (props.title) properties.title = redact(props.title);
  if (props.file) properties.file = redact(props.file);
  if (props.line !== undefined) properties.startLine = props.line;
  core[level](redact(message), properties);
  flagShortSecrets();
}

/** A log line: redacted, and inert as a workflow command whatever it holds. */
export function info(message: string): void {
  core.info(escapeCommands(redact(message)));
  flagShortSecrets();
}

export function debug(message: string): void {
  core.debug(redact(message));
  flagShortSecrets();
}

/**
 * Masks every non-empty line of a value (the runner matches masks line by line, where
 * core.setSecret registers the value whole) and redacts it from everything else the
 * action writes.
 */
export function addMask(value: string): void {
  registerSecret(value);
  for (const line of value.split(/\r?\n/)) {
    if (line.trim().length > 0) core.setSecret(line);
  }
}

export function startGroup(title: string): void {
  core.startGroup(redact(title));
  flagShortSecrets();
}

export function endGroup(): void {
  core.endGroup();
}

/** Outside a runner core would fall back to stdout commands the runner no longer runs. */
function requireFile(fileVar: string): void {
  if (!process.env[fileVar]) {
    throw new ActionError(`${fileVar} is not set: run this action from a GitHub Actions runner`, {
      title: "Not on a runner",
    });
  }
}

/**
 * Writes a step output, redacted; `revealed` only for a value the caller hands on on
 * purpose and has masked (a stack's secret output that a later step asked for).
 */
export function setOutput(name: string, value: string, options: { revealed?: boolean } = {}): void {
  requireFile("GITHUB_OUTPUT");
  core.setOutput(name, options.revealed ? value : redact(value));
}

export function exportVariable(name: string, value: string): void {
  requireFile("GITHUB_ENV");
  core.exportVariable(name, value);
}

/**
 * Adds markdown to the job summary, redacted, each part ending in a newline; a no-op
 * outside a runner. core.summary buffers it: runAction writes the buffer once the step is
 * done (writeSummary), so a summary is never written twice or out of order.
 */
export function appendSummary(markdown: string): void {
  const text = redact(markdown);
  flagShortSecrets();
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  core.summary.addRaw(text, !text.endsWith("\n"));
}

/** Appends what appendSummary buffered to the job summary file. */
export async function writeSummary(): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY || core.summary.isEmptyBuffer()) return;
  await core.summary.write();
}
