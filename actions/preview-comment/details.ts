/**
 * Makes a user's markdown (e.g. a Pulumi plan) safe to embed in the comment and cuts it to
 * a length. Outside code fences, HTML is escaped and @mentions neutralised; inside fences
 * text is shown verbatim by GitHub (no HTML, no pings), so it is kept as written. A fence
 * left open by the file or by the cut is closed, so it cannot swallow what follows.
 */
import { text } from "../shared/markdown.js";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export interface SafeMarkdown {
  markdown: string;
  /** Lines kept and lines in the file. */
  kept: number;
  total: number;
}

/** The longest safe prefix of `source` (whole lines) that fits in `limit` characters. */
export function safeMarkdown(source: string, limit = Number.POSITIVE_INFINITY): SafeMarkdown {
  const lines = source.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
  const out: string[] = [];
  let length = 0;
  let fence: string | undefined;
  for (const line of lines) {
    const opener = FENCE.exec(line)?.[1];
    let rendered = line;
    let next = fence;
    if (fence !== undefined) {
      if (
        opener &&
        opener[0] === fence[0] &&
        opener.length >= fence.length &&
        line.trim() === opener
      )
        next = undefined;
    } else if (opener) {
      next = opener;
    } else {
      rendered = text(line);
    }
    const closing = next !== undefined ? next.length + 1 : 0;
    if (length + rendered.length + 1 + closing > limit) break;
    out.push(rendered);
    length += rendered.length + 1;
    fence = next;
  }
  if (fence !== undefined) out.push(fence);
  return {
    markdown: out.join("\n"),
    kept: fence !== undefined ? out.length - 1 : out.length,
    total: lines.length,
  };
}
