import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderActionDoc } from "../../scripts/lib/action-docs.mjs";
import { repoRoot } from "../harness/paths.js";
import { allActions } from "../support/actions.js";

describe.each(allActions)("action-docs/%s.md", (name) => {
  it("equals the docs generated from action.yml (run `npm run docs`)", () => {
    const yamlText = readFileSync(join(repoRoot, "actions", name, "action.yml"), "utf8");
    const committed = readFileSync(join(repoRoot, "action-docs", `${name}.md`), "utf8");
    expect(
      committed === renderActionDoc(name, yamlText),
      `action-docs/${name}.md is stale: run npm run docs`,
    ).toBe(true);
  });
});
