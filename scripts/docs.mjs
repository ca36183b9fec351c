// Usage: node scripts/docs.mjs [action ...]   Regenerates action-docs/<name>.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, selectActions } from "./lib/actions.mjs";
import { renderActionDoc } from "./lib/action-docs.mjs";

mkdirSync(join(root, "action-docs"), { recursive: true });
for (const name of selectActions(process.argv.slice(2))) {
  const yamlText = readFileSync(join(root, "actions", name, "action.yml"), "utf8");
  writeFileSync(join(root, "action-docs", `${name}.md`), renderActionDoc(name, yamlText));
  console.log(`action-docs/${name}.md`);
}
