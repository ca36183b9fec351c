// The README promises only what the code does (#20 item 7): its action table lists exactly the
// actions there are, it asks for no secret that no workflow reads (a DISPATCH_TOKEN was asked
// for that must not exist), and what it says of a namespace stuck in Terminating is what the
// cleanup workflow does.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import { allActions } from "../support/actions.js";
import { findStep, loadWorkflow, loadWorkflows } from "../support/workflows.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

/** The rows of the Markdown table under `heading`, as cells. */
function table(heading: string): string[][] {
  const start = readme.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of readme.slice(start).split("\n").slice(1)) {
    if (line.startsWith("#")) break;
    if (!line.startsWith("|") || /^\|\s*-/.test(line)) continue;
    rows.push(
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(1);
}

describe("README.md", () => {
  it("lists every action once, linked to its generated doc, and nothing else", () => {
    const rows = table("### The actions");
    const linked = rows.map(([cell]) => {
      const match = /^\[`([a-z0-9-]+)`\]\(action-docs\/([a-z0-9-]+)\.md\)$/.exec(cell ?? "");
      expect(match, cell).not.toBeNull();
      expect(match![2], cell).toBe(match![1]);
      expect(existsSync(join(repoRoot, "action-docs", `${match![1]}.md`)), cell).toBe(true);
      return match![1]!;
    });
    expect([...linked].sort()).toEqual([...allActions].sort());
    expect(new Set(linked).size).toBe(linked.length);
    for (const [name, what] of rows) expect(what, name).toBeTruthy();
  });

  it("asks only for secrets that a workflow or an example reads", () => {
    const texts = loadWorkflows().map((file) => file.text);
    const asked = table("### What to create in your repository first").flatMap(([what]) => {
      const secret = /^secret `([A-Z0-9_]+)`/.exec(what ?? "");
      return secret ? [secret[1]!] : [];
    });
    expect(asked.length).toBeGreaterThan(0);
    for (const secret of asked)
      expect(
        texts.some((text) => text.includes(`secrets.${secret}`)),
        `${secret} is read by no workflow`,
      ).toBe(true);
    // The dispatch path starts the deploy with the workflow token; a stored one must not exist.
    expect(readme).not.toContain("DISPATCH_TOKEN");
  });

  it("says what the cleanup does with a namespace stuck in Terminating: it never forces it", () => {
    const { workflow } = loadWorkflow(".github/workflows/cleanup-preview.yml");
    const step = findStep(workflow, "destroy", "Make sure the namespace is gone");
    expect(step.uses).toMatch(/actions\/cleanup-namespace$/);
    expect(step.with ?? {}).not.toHaveProperty("force");
    expect(readme).not.toMatch(/forced\s+if it sticks/);
    expect(readme).toMatch(/never\s+forced/);
  });
});
