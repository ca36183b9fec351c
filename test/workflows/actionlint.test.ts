import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import { actionlint, workflowPaths } from "../support/workflows.js";

describe("actionlint", () => {
  const paths = workflowPaths();

  it("has the repository's workflows and the example workflows to check", () => {
    expect(paths.filter((p) => p.startsWith(".github/workflows/")).length).toBeGreaterThanOrEqual(
      9,
    );
    expect(
      paths.filter((p) => p.startsWith("action-docs/examples/")).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it.each(paths)("reports nothing on %s", async (path) => {
    expect(await actionlint(path, readFileSync(join(repoRoot, path), "utf8"))).toEqual([]);
  });

  it("does report a known mistake (the linter really runs)", async () => {
    const bad = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.title }}",
    ].join("\n");
    expect((await actionlint("bad.yml", bad)).join("\n")).toContain("potentially untrusted");
  });
});
