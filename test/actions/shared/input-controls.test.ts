/** Issue #23 item 11: an input with ANSI escapes was echoed raw into the log. */
import { describe, expect, it } from "vitest";
import { quoted } from "../../../actions/shared/inputs.js";
import { environmentName } from "../../../actions/shared/schemas.js";

describe("control characters in inputs", () => {
  it("are quoted escaped, never raw", () => {
    expect(quoted("prod\u001b[31mRED\u001b[0m")).toBe("prod\\x1b[31mRED\\x1b[0m");
    expect(quoted("a\tb\u007f")).toBe("a\\x09b\\x7f");
    expect(quoted("preview-pr-42")).toBe("preview-pr-42");
  });

  it("make no environment name", () => {
    expect(environmentName.test("preview-pr-42")).toBe(true);
    expect(environmentName.test("Production EU")).toBe(true);
    expect(environmentName.test("prod\u001b[31m")).toBe(false);
    expect(environmentName.test("prod\u0007")).toBe(false);
    expect(environmentName.test("prod\u009b31m")).toBe(false);
  });
});
