import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFromEvents, planFromPreview } from "../../../actions/pulumi-deploy/plan.js";
import { LIMITS, boundedDiff, renderPlan } from "../../../actions/pulumi-deploy/plan-markdown.js";
import { sharedRoot } from "../../harness/paths.js";

/** A recorded CLI output, without its first line (the note naming its source). */
function fixture(name: string): string {
  return readFileSync(join(sharedRoot, "fixtures", "pulumi-cli", name), "utf8")
    .split("\n")
    .slice(1)
    .join("\n");
}

describe("planFromPreview", () => {
  it("reads the recorded preview --json document", () => {
    const plan = planFromPreview(
      JSON.parse(fixture("pulumi-preview--json.jsonc").replaceAll("%[1]s", "dev")),
    );
    expect(plan.counts).toEqual({ create: 2, update: 0, delete: 0, replace: 0, same: 0 });
    expect(plan.changes.map((c) => [c.op, c.type, c.name])).toEqual([
      ["create", "pulumi:pulumi:Stack", "protect_resources-dev"],
      ["create", "pulumi-nodejs:dynamic:Resource", "res"],
    ]);
    expect(plan.changes[1]?.diff).toEqual(["    + state: 1"]);
  });
});

describe("planFromEvents", () => {
  it("reads the recorded engine events of an update", () => {
    const plan = planFromEvents(fixture("pulumi-up--json.ndjson"));
    expect(plan.counts).toEqual({ create: 1, update: 0, delete: 0, replace: 0, same: 5 });
    expect(plan.durationSeconds).toBe(609);
    expect(plan.changes.map((c) => [c.op, c.type, c.name])).toEqual([
      ["create", "aws:eks/cluster:Cluster", "eks-cluster"],
    ]);
    expect(plan.failed).toEqual([]);
  });

  it("reads a failed update and never shows a secret-signed value", () => {
    const plan = planFromEvents(fixture("pulumi-up--json-failed.ndjson"));
    expect(plan.failed).toEqual(["urn:pulumi:dev::test::pulumi-python:dynamic:Resource::test-x"]);
    const update = plan.changes.find((c) => c.name === "test-x");
    expect(update?.diff).toEqual(['    ~ quux: "quux12" => "quux13"']);
    expect(JSON.stringify(plan)).not.toContain("1b47061264138c4ac30d75fd1eb44270");
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
    const plan = planFromEvents(fixture("pulumi-up--json.ndjson"));
    const md = renderPlan({ command: "up", stack: "org/eks/dev", plan });
    expect(md).toContain("| + create | `aws:eks/cluster:Cluster` | eks-cluster |");
    expect(md).toContain("**1** created");
    expect(md).toContain("+ aws:eks/cluster:Cluster eks-cluster (create)");
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
