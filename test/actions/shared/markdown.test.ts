import { describe, expect, it } from "vitest";
import { cell, code, linkTarget, table, text } from "../../../actions/shared/markdown.js";

describe("markdown", () => {
  it("neutralises mentions and HTML in user text", () => {
    expect(text("@octocat <img src=x onerror=alert(1)> & @org/team")).toBe(
      "@\u200boctocat &lt;img src=x onerror=alert(1)&gt; &amp; @\u200borg/team",
    );
    expect(text("mail me at a@b.c")).toBe("mail me at a@\u200bb.c");
  });

  it("keeps table cells on one row", () => {
    expect(cell("a|b\nc")).toBe("a\\|b c");
    expect(table(["k", "v"], [["a", "b"]])).toBe("| k | v |\n| --- | --- |\n| a | b |\n");
  });

  it("fences inline code that contains backticks", () => {
    expect(code("x")).toBe("`x`");
    expect(code("a`b")).toBe("`` a`b ``");
    expect(code("a``b`")).toBe("``` a``b` ```");
  });

  it("encodes what would end a link target early", () => {
    expect(linkTarget("https://x.example.com/a(b)|c")).toBe("https://x.example.com/a%28b%29%7Cc");
  });
});
