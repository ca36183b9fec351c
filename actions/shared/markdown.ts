/** Markdown for job summaries and comments; every user-supplied string goes through `text()`. */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

/** Escapes HTML and neutralises `@mentions` so user text can neither ping nor inject markup. */
export function text(value: string): string {
  return value
    .replace(/[&<>"]/g, (c) => HTML_ESCAPES[c] as string)
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

/**
 * `text()` for markdown that text() already escaped (pulumi-deploy's plan, given to
 * preview-comment): the four references text() writes are kept, so `<a&b>` still reads
 * `<a&b>` once rendered, not `&lt;a&amp;b&gt;`. Every other `&` is escaped: a numeric
 * reference could spell `@` (a ping) or a bidi override.
 */
export function textOnce(value: string): string {
  return value
    .replace(/&(?!(?:amp|lt|gt|quot);)|[<>"]/g, (c) => HTML_ESCAPES[c] as string)
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

/** A table cell: `text()` plus pipes and newlines, which would end the cell or row. */
export function cell(value: string): string {
  return text(value).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

/** A link target that cannot end the markdown link early: `()|<>` and blanks are encoded. */
export function linkTarget(url: string): string {
  return new URL(url).href.replace(
    /[()|<> ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Inline code that survives backticks inside the value: its fence is longer than any run. */
export function code(value: string): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((run) => run[0].length));
  if (longest === 0) return `\`${value}\``;
  const fence = "`".repeat(longest + 1);
  return `${fence} ${value} ${fence}`;
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>\n`;
}
