/**
 * Makes a user's markdown (e.g. a Pulumi plan) safe to embed in the comment and cuts it to
 * a length. Which lines are code is decided by a CommonMark parser (micromark), as GitHub's
 * renderer decides it, never by our own scan: a fence whose info string holds a backtick,
 * for one, is no fence. Each code block is written out again inside a fence of our own,
 * longer than any backtick run in it, so its text stays verbatim (GitHub shows code as
 * text: no HTML, no pings). Every other line has HTML escaped (once), @mentions neutralised, and
 * fence runs and image links escaped, so that nothing outside our fences can open one,
 * close one or load anything. A fence cut by the limit is closed.
 */
import { parse, postprocess, preprocess } from "micromark";
import { textOnce } from "../shared/markdown.js";

export interface SafeMarkdown {
  markdown: string;
  /** Lines kept and lines in the file. */
  kept: number;
  total: number;
}

/** A code block of the source, by 0-based line index. */
interface CodeBlock {
  first: number;
  last: number;
  /** The fence's language word, when it is a plain word (e.g. `diff`). */
  language?: string;
  /** The code, a line each, with the source line index each came from. */
  lines: { index: number; text: string }[];
}

/** The source's code blocks (fenced and indented) as CommonMark parses them. */
function codeBlocks(source: string): Map<number, CodeBlock> {
  const events = postprocess(
    parse()
      .document()
      .write(preprocess()(source, undefined, true)),
  );
  const blocks = new Map<number, CodeBlock>();
  let block: CodeBlock | undefined;
  let fences = 0;
  // Blank lines inside a block have no value: filled in up to the next line that has one.
  const fillTo = (code: CodeBlock, index: number) => {
    for (let i = (code.lines.at(-1)?.index ?? code.first) + 1; i < index; i++) {
      code.lines.push({ index: i, text: "" });
    }
  };
  for (const [kind, token, context] of events) {
    const index = token.start.line - 1;
    if (token.type === "codeFenced" || token.type === "codeIndented") {
      if (kind === "enter") {
        block = { first: index, last: index, lines: [] };
        fences = 0;
      } else if (block) {
        blocks.set(block.first, block);
        block = undefined;
      }
    } else if (block && kind === "enter") {
      if (token.type === "codeFencedFence") {
        fences += 1;
        if (fences === 2) {
          fillTo(block, index);
          block.last = index;
        }
      } else if (token.type === "codeFencedFenceInfo" && fences === 1) {
        const info = context.sliceSerialize(token);
        if (/^[A-Za-z0-9_+-]+$/.test(info)) block.language = info;
      } else if (token.type === "codeFlowValue") {
        fillTo(block, index);
        block.lines.push({ index, text: context.sliceSerialize(token) });
        block.last = Math.max(block.last, index);
      }
    }
  }
  return blocks;
}

/**
 * A line outside code, made inert: no HTML, no pings, no fence, no image. What pulumi-deploy
 * escaped already is not escaped twice (textOnce).
 */
function inert(line: string): string {
  return textOnce(line)
    .replace(/`{3,}|~{3,}/g, (run) => run.replace(/./g, "\\$&"))
    .replace(/!\[/g, "!\\[");
}

function fenceFor(lines: readonly { text: string }[]): string {
  const longest = Math.max(
    0,
    ...lines.flatMap((l) => [...l.text.matchAll(/`+/g)].map((r) => r[0].length)),
  );
  return "`".repeat(Math.max(3, longest + 1));
}

/** The longest safe prefix of `source` (whole lines) that fits in `limit` characters. */
export function safeMarkdown(source: string, limit = Number.POSITIVE_INFINITY): SafeMarkdown {
  const normalised = source.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  const lines = normalised.split("\n");
  const blocks = codeBlocks(normalised);
  const out: string[] = [];
  let length = 0;
  let kept = 0;
  const fits = (line: string, reserve = 0) => length + line.length + 1 + reserve <= limit;
  const push = (line: string) => {
    out.push(line);
    length += line.length + 1;
  };

  let index = 0;
  while (index < lines.length) {
    const block = blocks.get(index);
    if (!block) {
      const line = inert(lines[index] as string);
      if (!fits(line)) break;
      push(line);
      kept = ++index;
      continue;
    }
    const fence = fenceFor(block.lines);
    // A blank line first: our fence must not continue a paragraph or a table above it.
    const opener = `\n${fence}${block.language ?? ""}`;
    if (!fits(opener, fence.length + 1)) break;
    push(opener);
    kept = block.first + 1;
    let whole = true;
    for (const line of block.lines) {
      if (!fits(line.text, fence.length + 1)) {
        whole = false;
        break;
      }
      push(line.text);
      kept = line.index + 1;
    }
    push(fence);
    if (!whole) break;
    kept = index = block.last + 1;
  }
  return { markdown: out.join("\n"), kept, total: lines.length };
}
