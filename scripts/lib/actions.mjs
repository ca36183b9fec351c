/** The repository's actions: every folder under actions/ with an action.yml. */
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export function actionNames() {
  return readdirSync(join(root, "actions"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "actions", entry.name, "action.yml")))
    .map((entry) => entry.name)
    .sort();
}

/** The subset of `names` to work on: all actions when none are named. */
export function selectActions(names) {
  const all = actionNames();
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0) throw new Error(`Unknown action(s): ${unknown.join(", ")}; known: ${all.join(", ")}`);
  return names.length > 0 ? names : all;
}
