/**
 * The `output` output: what the command printed, as pulumi/actions v7 exposes it (the
 * Automation API result's stdout). It is written last, in what GitHub's 1 MB per job leaves
 * after every other output (output-budget.ts): when it does not fit, its beginning is
 * dropped, as the end holds the summary and the stack's outputs, and a first line says how
 * much was dropped. The caller redacts it before.
 */
import { OUTPUT_LIMIT_BYTES, outputBytes } from "./output-budget.js";

const NAME = "output";

/** `text`, or its tail under a line saying what was left out, within `bytesLeft`. */
export function fitRawOutput(text: string, bytesLeft: number): string | undefined {
  if (outputBytes(NAME, text) <= bytesLeft) return text;
  const marker = (chars: number) =>
    `[the first ${chars} characters are left out: GitHub allows 1 MB of outputs per job]\n`;
  // The marker's own length, with room for the count's digits.
  const room = Math.floor(bytesLeft / 2) - NAME.length - marker(text.length).length;
  if (room <= 0) return undefined;
  let tail = text.slice(text.length - room);
  // Whole lines only, where there is a line break to start at.
  const lineStart = tail.indexOf("\n");
  if (lineStart >= 0 && lineStart < tail.length - 1) tail = tail.slice(lineStart + 1);
  return marker(text.length - tail.length) + tail;
}

/** What is left of GitHub's limit after the outputs already written. */
export function bytesLeft(written: Record<string, string>, limit = OUTPUT_LIMIT_BYTES): number {
  return Object.entries(written).reduce((left, [n, v]) => left - outputBytes(n, v), limit);
}
