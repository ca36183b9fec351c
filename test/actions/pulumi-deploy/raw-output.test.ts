/** The `output` output within GitHub's 1 MB of outputs per job (issue #22). */
import { describe, expect, it } from "vitest";
import { outputBytes } from "../../../actions/pulumi-deploy/output-budget.js";
import { bytesLeft, fitRawOutput } from "../../../actions/pulumi-deploy/raw-output.js";

describe("fitRawOutput", () => {
  it("keeps an output that fits whole", () => {
    expect(fitRawOutput("Resources:\n    1 unchanged\n", 1_000)).toBe(
      "Resources:\n    1 unchanged\n",
    );
  });

  it("drops the beginning of one that does not, in whole lines, and says how much", () => {
    const lines = Array.from({ length: 20_000 }, (_, n) => `line ${n}`);
    const text = `${lines.join("\n")}\nResources:\n    3 unchanged\n`;
    const left = 100_000;
    const fitted = fitRawOutput(text, left) as string;
    expect(outputBytes("output", fitted)).toBeLessThanOrEqual(left);
    expect(fitted).toMatch(
      /^\[the first \d+ characters are left out: GitHub allows 1 MB of outputs per job\]\nline \d+\n/,
    );
    expect(fitted.endsWith("Resources:\n    3 unchanged\n")).toBe(true);
    const dropped = Number(/first (\d+) characters/.exec(fitted)?.[1]);
    expect(text.slice(dropped)).toBe(fitted.slice(fitted.indexOf("\n") + 1));
  });

  it("writes nothing when no room is left, and counts what the other outputs took", () => {
    expect(fitRawOutput("x".repeat(100), 40)).toBeUndefined();
    expect(bytesLeft({ summary: "{}" }, 1_000)).toBe(1_000 - 2 * ("summary".length + 2));
  });
});
