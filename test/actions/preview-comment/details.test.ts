/**
 * safeMarkdown judged by what a CommonMark renderer (commonmark.js, the reference
 * implementation) makes of it, embedded as the comment embeds it and cut at every length:
 * no raw HTML, no image, no mention, no open comment, and the details block still closes.
 */
import { HtmlRenderer, Parser } from "commonmark";
import { describe, expect, it } from "vitest";
import { safeMarkdown } from "../../../actions/preview-comment/details.js";
import { details } from "../../../actions/shared/markdown.js";

const HOSTILE = [
  "```a`b\n<img src=x> @octo-owner </details> <!--\n```",
  "~~~ `info\n<b>code</b>\n~~~\n<img src=y> @octo-team",
  "<div>\n```\n</div>\n<img src=z> @octo-dev\n```",
  "> ```\n> <img src=q>\n\n@octo-x <!-- open",
  "- ```\n  <i>in a list</i>\n- @octo-list <img src=l>",
  "    indented <img src=i>\n\n``` \n````\n<img src=f> @octo-fence\n```",
  "![pixel](https://evil.test/p.png) <https://x.test>",
  "text\n```\nnever closed <img src=n> @octo-open",
];

/** The HTML outside code blocks and code spans, where GitHub renders markup and mentions. */
function rendered(markdown: string) {
  const html = new HtmlRenderer().render(new Parser().parse(details("Details", markdown)));
  const outsideCode = html
    .replace(/<pre><code[^>]*>[\s\S]*?<\/code><\/pre>/g, "")
    .replace(/<code>[\s\S]*?<\/code>/g, "");
  return { html, outsideCode };
}

describe("safeMarkdown, rendered by CommonMark", () => {
  for (const source of HOSTILE) {
    it(`lets nothing through, whole or cut anywhere: ${JSON.stringify(source.slice(0, 30))}`, () => {
      for (let limit = 0; limit <= source.length * 3; limit++) {
        const { markdown } = safeMarkdown(source, limit);
        expect(markdown.length).toBeLessThanOrEqual(limit);
        const { html, outsideCode } = rendered(markdown);
        expect(outsideCode).not.toMatch(/<(?!\/?(?:details|summary|p|ul|li|ol)\b)/);
        expect(outsideCode).not.toMatch(/@octo-/);
        expect(html.match(/<\/details>/g), markdown).toHaveLength(1);
        expect(html).not.toMatch(/<img|<!--/);
      }
    });
  }

  it("keeps the text of real code blocks verbatim", () => {
    const { html } = rendered(safeMarkdown("```diff\n+ <b>@team</b>\n```").markdown);
    expect(html).toContain(
      '<pre><code class="language-diff">+ &lt;b&gt;@team&lt;/b&gt;\n</code></pre>',
    );
  });
});
