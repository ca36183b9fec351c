import { describe, expect, it } from "vitest";
import { planFromEvents, planFromPreview } from "../../../actions/pulumi-deploy/plan.js";
import { LIMITS, boundedDiff, renderPlan } from "../../../actions/pulumi-deploy/plan-markdown.js";
import { recorded } from "../../fixtures/pulumi-cli.js";

/** Recorded real runs (test/fixtures/pulumi-cli, scripts/record-pulumi-fixtures.ts). */
const previewDocument = () => JSON.parse(recorded("preview-json").stdout) as unknown;
const upEvents = () => recorded("up").eventLog ?? "";

describe("planFromPreview", () => {
  it("reads the recorded preview --json document", () => {
    const plan = planFromPreview(previewDocument());
    expect(plan.counts).toEqual({ create: 2, update: 0, delete: 0, replace: 0, same: 0 });
    expect(plan.changes.map((c) => [c.op, c.type, c.name])).toEqual([
      ["create", "pulumi:pulumi:Stack", "app-dev"],
      ["create", "pulumi-nodejs:dynamic:Resource", "t0"],
    ]);
    expect(plan.changes[1]?.diff).toContain('    + value: "v1"');
  });
});

describe("planFromEvents", () => {
  it("reads the recorded engine events of an update", () => {
    const plan = planFromEvents(upEvents());
    expect(plan.counts).toEqual({ create: 2, update: 0, delete: 0, replace: 0, same: 0 });
    expect(plan.changes.map((c) => [c.op, c.name])).toContainEqual(["create", "t0"]);
    expect(plan.failed).toEqual([]);
  });

  it("reads a failed update and never shows a secret-signed value", () => {
    const plan = planFromEvents(recorded("up-resource-failed").eventLog ?? "");
    expect(plan.failed).toEqual(["urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::bad"]);
    expect(plan.errors[0]).toBe("dial tcp 10.9.9.9:443: i/o timeout");
    // The default provider's inputs carry the stack config, secrets signed: shown as [secret].
    expect(JSON.stringify(planFromEvents(upEvents()))).not.toContain("fixture-secret-value");
  });

  it("redacts known secrets in diff values", () => {
    const event = {
      resourcePreEvent: {
        metadata: {
          op: "update",
          urn: "urn:pulumi:dev::p::t:m:R::r",
          type: "t:m:R",
          old: { inputs: { pw: "old-hunter2" } },
          new: { inputs: { pw: "hunter2" } },
        },
      },
    };
    const plan = planFromEvents(JSON.stringify(event), (t) => t.replaceAll("hunter2", "[secret]"));
    expect(plan.changes[0]?.diff).toEqual(['    ~ pw: "old-[secret]" => "[secret]"']);
  });
});

describe("renderPlan", () => {
  it("renders a table and a diff", () => {
    const plan = planFromEvents(upEvents());
    const md = renderPlan({ command: "up", stack: "dev", plan });
    expect(md).toContain("| + create | `pulumi-nodejs:dynamic:Resource` | t0 |");
    expect(md).toContain("**2** created");
    expect(md).toContain("+ pulumi-nodejs:dynamic:Resource t0 (create)");
  });

  it("bounds the diff and says what was cut", () => {
    const changes = Array.from({ length: 300 }, (_, i) => ({
      op: "update",
      urn: `u${i}`,
      type: "t:m:R",
      name: `r${i}`,
      diff: ["    ~ a: 1 => 2"],
    }));
    const diff = boundedDiff(changes);
    expect(diff.body.split("\n")).toHaveLength(LIMITS.diffLines);
    expect(diff.cut).toBe(600 - LIMITS.diffLines);
    const md = renderPlan({
      command: "preview",
      stack: "s",
      plan: {
        counts: { create: 0, update: 300, delete: 0, replace: 0, same: 0 },
        changes,
        failed: [],
        errors: [],
      },
    });
    expect(md).toContain(`Diff cut: ${600 - LIMITS.diffLines} of 600 lines not shown.`);
    expect(md).toContain("…and 200 more resources, not listed.");
    expect(md.length).toBeLessThan(30_000);
  });

  it("says when nothing changes", () => {
    const md = renderPlan({
      command: "preview",
      stack: "s",
      plan: {
        counts: { create: 0, update: 0, delete: 0, replace: 0, same: 4 },
        changes: [],
        failed: [],
        errors: [],
      },
    });
    expect(md).toContain("No changes.");
  });
});
