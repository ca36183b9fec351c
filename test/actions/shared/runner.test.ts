import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { addMask, annotate, setOutput } from "../../../actions/shared/runner.js";
import { maskDeep } from "../../../actions/shared/mask.js";

let printed: string[];
beforeEach(() => {
  printed = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe("runner protocol", () => {
  it("escapes annotation data and properties so one message stays one command", () => {
    annotate("error", "50% done\nnext line", {
      title: "a: b, c",
      file: "Pulumi.dev.yaml",
      line: 3,
    });
    expect(printed.join("")).toBe(
      "::error title=a%3A b%2C c,file=Pulumi.dev.yaml,line=3::50%25 done%0Anext line\n",
    );
  });

  it("writes outputs as heredocs that survive newlines", () => {
    const file = join(mkdtempSync(join(tmpdir(), "out-")), "output");
    writeFileSync(file, "");
    process.env.GITHUB_OUTPUT = file;
    setOutput("plan", "line 1\nline 2");
    delete process.env.GITHUB_OUTPUT;
    expect(readFileSync(file, "utf8")).toMatch(
      /^plan<<(ghadelimiter_[0-9a-f-]+)\nline 1\nline 2\n\1\n$/,
    );
  });

  it("masks every line of a multi-line secret", () => {
    addMask("line1\nline2\n");
    expect(printed).toEqual(["::add-mask::line1\n", "::add-mask::line2\n"]);
  });

  it("masks every leaf of a nested secret and its JSON", () => {
    maskDeep({ db: { password: "p4ss", port: 5432, tls: true }, hosts: ["a.internal"] });
    const masked = printed.map((line) => line.replace(/^::add-mask::|\n$/g, ""));
    expect(masked).toEqual(
      expect.arrayContaining([
        "p4ss",
        "5432",
        "a.internal",
        '{"password":"p4ss","port":5432,"tls":true}',
      ]),
    );
    expect(masked).not.toContain("true");
  });
});
