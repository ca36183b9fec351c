import { describe, expect, it } from "vitest";
import { perOutputNames, splitOutputs } from "../../../actions/pulumi-deploy/stack-outputs.js";

describe("splitOutputs", () => {
  it("finds secrets at any depth by comparing the plaintext and redacted reads", () => {
    const plain = {
      url: "https://x",
      db: { host: "db", password: "hunter2", ports: [5432, "p@ss"] },
      token: "tok",
    };
    const redacted = {
      url: "https://x",
      db: { host: "db", password: "[secret]", ports: [5432, "[secret]"] },
      token: "[secret]",
    };
    const { visible, secrets } = splitOutputs(plain, redacted);
    expect(visible).toEqual(redacted);
    expect(secrets).toEqual(["hunter2", "p@ss", "tok"]);
  });

  it("treats a whole secret object as one secret", () => {
    const { visible, secrets } = splitOutputs({ creds: { a: "1", b: "2" } }, { creds: "[secret]" });
    expect(visible).toEqual({ creds: "[secret]" });
    expect(secrets).toEqual([{ a: "1", b: "2" }]);
  });

  it("hides values where the two reads disagree", () => {
    const { visible, secrets } = splitOutputs({ a: "new" }, { a: "old" });
    expect(visible).toEqual({ a: "[secret]" });
    expect(secrets).toEqual(["new"]);
  });
});

describe("perOutputNames", () => {
  it("keeps valid names, sanitises others and skips collisions", () => {
    const { names, skipped } = perOutputNames(
      ["url", "kube.config", "9lives", "summary", "kube_config"],
      ["outputs", "summary"],
    );
    expect(Object.fromEntries(names)).toEqual({
      url: "url",
      "kube.config": "kube_config",
      "9lives": "_9lives",
    });
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/'summary'/);
    expect(skipped[1]).toMatch(/'kube_config'/);
  });

  // Issue #23 item 11: the runner's contexts are case-insensitive (steps.x.outputs.WEB reads
  // `web`), so `Web` and `web` collided, and `Output` took the place of the raw `output`.
  it("skips a name that differs from a taken one only in case", () => {
    const { names, skipped } = perOutputNames(
      ["web", "Web", "Output", "SUMMARY"],
      ["output", "summary"],
    );
    expect(Object.fromEntries(names)).toEqual({ web: "web" });
    expect(skipped.map((s) => /^stack output '([^']+)'/.exec(s)?.[1])).toEqual([
      "Web",
      "Output",
      "SUMMARY",
    ]);
  });
});
