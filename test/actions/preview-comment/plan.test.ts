import { describe, expect, it } from "vitest";
import { formatMarker, isNewer, parseMarker } from "../../../actions/preview-comment/marker.js";
import type { Marker } from "../../../actions/preview-comment/marker.js";
import { ownComments, planComment } from "../../../actions/preview-comment/plan.js";

const ours: Marker = { key: "preview", sha: "b".repeat(40), runId: 200, runAttempt: 1 };
const by = (id: number, login: string, marker: Partial<Marker> = {}, text = "") => ({
  id,
  html_url: `https://github.com/o/r/pull/1#issuecomment-${id}`,
  user: { login },
  body: `${formatMarker({ ...ours, runId: 100, ...marker })}\n${text}`,
});

describe("marker", () => {
  it("round-trips and orders runs by id, then attempt", () => {
    expect(parseMarker(formatMarker(ours))).toEqual(ours);
    expect(parseMarker(`> ${formatMarker(ours)}`)).toBeUndefined();
    expect(isNewer({ ...ours, runId: 201 }, ours)).toBe(true);
    expect(isNewer({ ...ours, runId: 199, runAttempt: 9 }, ours)).toBe(false);
    expect(isNewer({ ...ours, runAttempt: 2 }, ours)).toBe(true);
    expect(isNewer(ours, ours)).toBe(false);
  });
});

describe("planComment", () => {
  it("keeps only this key's comments by the token's identity, oldest first", () => {
    const all = [
      by(3, "github-actions[bot]"),
      by(1, "octocat"),
      by(2, "GitHub-Actions[bot]"),
      by(4, "github-actions[bot]", { key: "other" }),
    ];
    expect(ownComments(all, "preview", { login: "github-actions[bot]" }).map((c) => c.id)).toEqual([
      2, 3,
    ]);
  });

  it("creates when there is none, updates the oldest and deletes the rest", () => {
    expect(planComment("upsert", [], "new", ours)).toEqual({
      steps: [{ kind: "create" }],
      result: "created",
    });
    const plan = planComment("upsert", [by(1, "bot"), by(5, "bot")], "new", ours);
    expect(plan.steps).toEqual([
      { kind: "update", id: 1 },
      { kind: "delete", id: 5 },
    ]);
  });

  it("makes no update call for an unchanged body", () => {
    const existing = by(1, "bot");
    expect(planComment("upsert", [existing], existing.body, ours)).toMatchObject({
      steps: [],
      result: "unchanged",
    });
  });

  it("skips when any of our comments was written by a newer run", () => {
    const plan = planComment("upsert", [by(1, "bot"), by(2, "bot", { runId: 300 })], "new", ours);
    expect(plan).toMatchObject({ result: "skipped", steps: [{ kind: "delete", id: 2 }] });
    expect(plan.reason).toContain("run 300");
    expect(planComment("recreate", [by(1, "bot", { runId: 300 })], "new", ours).result).toBe(
      "skipped",
    );
  });

  it("recreate creates before deleting, delete deletes all", () => {
    expect(planComment("recreate", [by(1, "bot")], "new", ours).steps).toEqual([
      { kind: "create" },
      { kind: "delete", id: 1 },
    ]);
    expect(planComment("delete", [by(1, "bot"), by(2, "bot")], undefined, ours)).toEqual({
      steps: [
        { kind: "delete", id: 1 },
        { kind: "delete", id: 2 },
      ],
      result: "deleted",
    });
  });
});
