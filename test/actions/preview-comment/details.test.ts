/**
 * safeMarkdown judged by what a CommonMark renderer (commonmark.js, the reference
 * implementation) makes of it, embedded as the comment embeds it and cut at every length:
 * no raw HTML, no image, no mention, no open comment, and the details block still closes.
 */
import { HtmlRenderer, Parser } from "commonmark";
import { micromark } from "micromark";
import { describe, expect, it } from "vitest";
import { safeMarkdown } from "../../../actions/preview-comment/details.js";
import { details } from "../../../actions/shared/markdown.js";
import { renderPlan } from "../../../actions/pulumi-deploy/plan-markdown.js";

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

// Issue #23 item 9: pulumi-deploy's markdown was escaped a second time, so `<a&b>` showed as
// `&lt;a&amp;b&gt;`. Judged by both CommonMark renderers: what a reader sees, once.
describe("pulumi-deploy's plan in the comment, escaped once", () => {
  const plan = renderPlan({
    command: "preview",
    stack: "pr-1",
    failed: 'quota <exceeded> for "a&b"',
    plan: {
      counts: { create: 1, update: 0, delete: 0, replace: 0, same: 0 },
      changes: [
        { op: "create", urn: "urn:x", type: "x:y:Z", name: "<a&b>", diff: ['+ tag: "<a&b>"'] },
      ],
      failed: [],
      errors: [],
    },
  });
  const { markdown } = safeMarkdown(plan);
  const seen = (html: string) =>
    html
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");

  it.each([
    ["commonmark", (md: string) => new HtmlRenderer().render(new Parser().parse(md))],
    ["micromark", (md: string) => micromark(md)],
  ])("%s shows the name, the failure and the diff as written", (_name, render) => {
    const text = seen(render(markdown));
    expect(text).toContain("<a&b>");
    expect(text).toContain('quota <exceeded> for "a&b"');
    expect(text).toContain('+ tag: "<a&b>"');
    expect(text).not.toMatch(/&(?:amp|lt|gt|quot);/);
  });

  it("still escapes references that are not its own: no ping, no bidi override, no markup", () => {
    const { markdown: hostile } = safeMarkdown(
      "&#64;octo-owner &#x202E;txt &commat;octo &lt;b&gt;",
    );
    const html = new HtmlRenderer().render(new Parser().parse(hostile));
    expect(seen(html)).not.toMatch(/@octo|\u202e/);
    expect(seen(html)).toContain("&#64;octo-owner");
    // `&lt;b&gt;` was text already: a reader sees `<b>`, the HTML holds no <b> element.
    expect(html).not.toContain("<b>");
    expect(seen(html)).toContain("<b>");
  });
});
