// Usage: node scripts/docs.mjs [action ...]   Regenerates action-docs/<name>.md, and, when no
// action is named, action-docs/workflows/<file>.md for every reusable workflow.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, selectActions } from "./lib/actions.mjs";
import { renderActionDoc } from "./lib/action-docs.mjs";
import { renderWorkflowDoc, reusableWorkflows } from "./lib/workflow-docs.mjs";

const names = process.argv.slice(2);
mkdirSync(join(root, "action-docs"), { recursive: true });
for (const name of selectActions(names)) {
  const yamlText = readFileSync(join(root, "actions", name, "action.yml"), "utf8");
  writeFileSync(join(root, "action-docs", `${name}.md`), renderActionDoc(name, yamlText));
  console.log(`action-docs/${name}.md`);
}
if (names.length === 0) {
  const dir = join(root, ".github", "workflows");
  const out = join(root, "action-docs", "workflows");
  // Rebuilt whole, so the doc of a removed workflow goes with it.
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of reusableWorkflows(dir)) {
    const doc = `${file.replace(/\.ya?ml$/, "")}.md`;
    writeFileSync(join(out, doc), renderWorkflowDoc(dir, file));
    console.log(`action-docs/workflows/${doc}`);
  }
}
