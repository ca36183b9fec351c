import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  callerPermissions,
  renderWorkflowDoc,
  reusableWorkflows,
} from "../../scripts/lib/workflow-docs.mjs";
import { repoRoot } from "../harness/paths.js";
import { loadWorkflow, workflowCall } from "../support/workflows.js";

const dir = join(repoRoot, ".github", "workflows");
const docs = join(repoRoot, "action-docs", "workflows");
const reusable = reusableWorkflows(dir) as string[];
const docOf = (file: string) => `${file.replace(/\.ya?ml$/, "")}.md`;

describe("action-docs/workflows/", () => {
  it("has one doc per reusable workflow and no other", () => {
    expect(reusable.length).toBeGreaterThanOrEqual(6);
    expect(readdirSync(docs).sort()).toEqual(reusable.map(docOf).sort());
  });

  it.each(reusable)(
    "%s: equals the doc generated from the workflow (run `npm run docs`)",
    (file) => {
      const committed = readFileSync(join(docs, docOf(file)), "utf8");
      expect(
        committed === renderWorkflowDoc(dir, file),
        `action-docs/workflows/${docOf(file)} is stale: run npm run docs`,
      ).toBe(true);
    },
  );

  it.each(reusable)("%s: documents every input, secret and output", (file) => {
    const call = workflowCall(loadWorkflow(`.github/workflows/${file}`).workflow)!;
    const doc = readFileSync(join(docs, docOf(file)), "utf8");
    for (const name of [
      ...Object.keys(call.inputs ?? {}),
      ...Object.keys(call.secrets ?? {}),
      ...Object.keys(call.outputs ?? {}),
    ])
      expect(doc, name).toContain(`| \`${name}\` |`);
  });

  it("lists the permissions of nested calls too (deploy-preview.yml runs deploy.yml's jobs)", () => {
    expect(callerPermissions(dir, "deploy-preview.yml")).toEqual(
      callerPermissions(dir, "deploy.yml"),
    );
    expect(callerPermissions(dir, "build-images.yml")).toEqual({
      attestations: "write",
      contents: "read",
      "id-token": "write",
      packages: "write",
    });
  });
});
