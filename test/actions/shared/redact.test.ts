import { afterEach, describe, expect, it, vi } from "vitest";
import { maskDeep } from "../../../actions/shared/mask.js";
import { redact } from "../../../actions/shared/redact.js";

describe("redact", () => {
  afterEach(() => vi.restoreAllMocks());

  it("hides every masked leaf, longest first, and leaves very short values alone", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    maskDeep(["hunter2", { nested: ["hunter2-long", 12345] }, "ab"]);
    expect(redact("a hunter2-long b hunter2 c 12345 ab")).toBe(
      "a [secret] b [secret] c [secret] ab",
    );
  });

  it("hides the job's credentials from the environment, and a backend URL's password", () => {
    vi.stubEnv("PULUMI_ACCESS_TOKEN", "pul-0123456789abcdef");
    vi.stubEnv("INPUT_GITHUB-TOKEN", "ghs_abcdefabcdef");
    vi.stubEnv("PULUMI_BACKEND_URL", "https://robot:pa55word@pulumi.example.test");
    expect(redact("pul-0123456789abcdef / ghs_abcdefabcdef / pa55word / robot:pa55word")).toBe(
      "[secret] / [secret] / [secret] / [secret]",
    );
    vi.unstubAllEnvs();
  });
});
