/** The repository's actions: every folder under actions/ with an action.yml. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parse } from "yaml";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export function actionNames() {
  return readdirSync(join(root, "actions"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "actions", entry.name, "action.yml")))
    .map((entry) => entry.name)
    .sort();
}

/** The actions that run JavaScript (`runs.using: nodeXX`) and so have a bundle; composites have none. */
export function javascriptActionNames() {
  return actionNames().filter((name) =>
    String(parse(readFileSync(join(root, "actions", name, "action.yml"), "utf8"))?.runs?.using).startsWith("node"),
  );
}

/** The subset of `names` to work on, out of `all`: every one of them when none are named. */
export function selectActions(names, all = actionNames()) {
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0) throw new Error(`Unknown action(s): ${unknown.join(", ")}; known: ${all.join(", ")}`);
  return names.length > 0 ? names : all;
}
