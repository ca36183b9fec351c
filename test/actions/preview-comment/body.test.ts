import { describe, expect, it } from "vitest";
import { buildBody, MAX_BODY } from "../../../actions/preview-comment/body.js";
import type { BodyParts } from "../../../actions/preview-comment/body.js";
import { safeMarkdown } from "../../../actions/preview-comment/details.js";

const parts = (extra: Partial<BodyParts> = {}): BodyParts => ({
  marker: { key: "preview", sha: "a".repeat(40), runId: 7, runAttempt: 1 },
  status: "ready",
  urls: { web: "https://pr-7.example.com/a(b)" },
  images: { web: `ghcr.io/acme/web@sha256:${"f".repeat(64)}` },
  timings: { deploy: "42" },
  runUrl: "https://github.com/o/r/actions/runs/7/attempts/1",
  ...extra,
});

describe("safeMarkdown", () => {
  it("escapes HTML and mentions outside fences, keeps fenced text verbatim", () => {
    expect(safeMarkdown("hi @team <b>\n```\n@team <b>\n```").markdown).toBe(
      "hi @\u200bteam &lt;b&gt;\n\n```\n@team <b>\n```",
    );
  });

  it("closes a fence the file or the cut leaves open", () => {
    expect(safeMarkdown("~~~~\ncode").markdown).toBe("\n```\ncode\n```");
    const cut = safeMarkdown("```\n" + "line\n".repeat(100), 30);
    expect(cut.markdown.length).toBeLessThanOrEqual(30);
    expect(cut.markdown.endsWith("\n```")).toBe(true);
    expect(cut.total).toBe(101);
  });
});

describe("buildBody", () => {
  it("puts status, URLs, whole image references and timings in order, with a link target that cannot break", () => {
    const { comment, truncated } = buildBody(parts());
    expect(truncated).toBe(false);
    const order = ["✅ Ready", "#### URLs", "#### Images", "#### Timings"].map((s) =>
      comment.indexOf(s),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(comment).toContain(`sha256:${"f".repeat(64)}`);
    expect(comment).toContain("(https://pr-7.example.com/a%28b%29)");
  });

  it("cuts the details first, within the limit, and keeps everything in the full text", () => {
    const details = "x".repeat(80) + "\n";
    const body = buildBody(parts({ details: details.repeat(1000) }), 5000);
    expect(body.truncated).toBe(true);
    expect(body.comment.length).toBeLessThanOrEqual(5000);
    expect(body.comment).toContain(`sha256:${"f".repeat(64)}`);
    expect(body.comment).toContain("Details cut to fit");
    expect(body.comment).toContain("(https://github.com/o/r/actions/runs/7/attempts/1)");
    expect(body.full.split("x".repeat(80)).length - 1).toBe(1000);
    expect(MAX_BODY).toBe(65_536);
  });
});
