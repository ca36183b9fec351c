import { describe, expect, it } from "vitest";
import { renderSummary } from "../../../actions/pulumi-deploy/summary.js";

describe("renderSummary", () => {
  it("shows command, stack, counts, duration and outputs as given (secrets already hidden)", () => {
    const md = renderSummary({
      command: "up",
      stack: "acme/app/pr-1",
      counts: { create: 2, update: 0, delete: 0, replace: 0, same: 1 },
      durationSeconds: 42,
      outputs: { url: "https://x", db: { password: "[secret]" }, "<b>": "@team" },
    });
    expect(md).toContain("## Pulumi up of `acme/app/pr-1` succeeded in 42s");
    expect(md).toContain("**2** created · 0 updated · 0 deleted · 0 replaced · 1 unchanged");
    expect(md).toContain("| `db` | {&quot;password&quot;:&quot;[secret]&quot;} |");
    expect(md).toContain("@\u200bteam");
  });

  it("tables policy violations, a pack's text escaped and kept inside its cell", () => {
    const md = renderSummary({
      command: "preview",
      stack: "dev",
      durationSeconds: 1,
      policyViolations: [
        {
          policyPack: "kit-policies",
          policy: "no-forbidden-value",
          enforcementLevel: "mandatory",
          message: "value | <b>forbidden</b> @team\nnext line",
          urn: "urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::t0",
          exceptions: ["EXC-1", "EXC-2"],
        },
      ],
    });
    expect(md).toContain(
      "| kit-policies | no-forbidden-value | mandatory | t0 | value \\| &lt;b&gt;forbidden&lt;/b&gt; @\u200bteam next line | EXC-1, EXC-2 |",
    );
  });

  it("leads with the failure", () => {
    const md = renderSummary({
      command: "preview",
      stack: "dev",
      durationSeconds: 1,
      failure: "Stack dev: locked",
    });
    expect(md).toContain("failed in 1s\n\n> Stack dev: locked");
  });
});
