import { describe, expect, it } from "vitest";
import {
  OUTPUT_LIMIT_BYTES,
  budgetOutputs,
  outputBytes,
} from "../../../actions/pulumi-deploy/output-budget.js";

const total = (outputs: Record<string, string>) =>
  Object.entries(outputs).reduce((sum, [name, value]) => sum + outputBytes(name, value), 0);

// Issue #22 item 10: a 1 MiB stack output was written twice (own output and `outputs`).
describe("budgetOutputs", () => {
  it("writes small outputs whole: declared, outputs JSON, one per stack output", () => {
    const { outputs, omitted } = budgetOutputs(
      { "duration-seconds": "3" },
      { url: "https://x", db: { password: "[secret]" } },
      { url: "https://x", db: '{"password":"pw"}' },
    );
    expect(omitted).toEqual([]);
    expect(outputs).toEqual({
      "duration-seconds": "3",
      outputs: '{"url":"https://x","db":{"password":"[secret]"}}',
      url: "https://x",
      db: '{"password":"pw"}',
    });
  });

  it("never exceeds GitHub's 1 MB: a 1 MiB output is written nowhere, and says so", () => {
    const big = "x".repeat(1024 * 1024);
    const { outputs, omitted } = budgetOutputs(
      { "duration-seconds": "3" },
      { big, url: "u" },
      { big, url: "u" },
    );
    expect(total(outputs)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES);
    expect(JSON.parse(outputs.outputs ?? "")).toEqual({
      big: "[omitted: 2097156 bytes, over GitHub's 1 MB output limit]",
      url: "u",
    });
    expect(outputs.url).toBe("u");
    expect(outputs.big).toBeUndefined();
    expect(omitted).toEqual([
      "stack output 'big' (2097156 bytes) is left out of 'outputs': GitHub allows 1 MB of outputs per job",
      "stack output 'big' (2097158 bytes) is not a step output of its own: it would take this step's outputs past GitHub's 1 MB per job",
    ]);
  });

  it("a value that fits once is written once, not twice past the limit", () => {
    const value = "y".repeat(300_000);
    const { outputs, omitted } = budgetOutputs({}, { value }, { value });
    expect(JSON.parse(outputs.outputs ?? "").value).toBe(value);
    expect(outputs.value).toBeUndefined();
    expect(omitted).toHaveLength(1);
    expect(total(outputs)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES);
  });
});
