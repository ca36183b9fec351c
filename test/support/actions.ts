/** The repository's actions as the tests see them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { actionNames } from "../../scripts/lib/actions.mjs";
import { repoRoot } from "../harness/paths.js";

export interface ActionSpec {
  name: string;
  description: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: { using: string; main?: string; steps?: unknown[] };
}

/** An action's action.yml, of this checkout or of another checkout of the package at `root`. */
export function actionSpec(name: string, root = repoRoot): ActionSpec {
  return parse(readFileSync(join(root, "actions", name, "action.yml"), "utf8")) as ActionSpec;
}

export const allActions: string[] = actionNames();
export const javascriptActions: string[] = allActions.filter((name) =>
  actionSpec(name).runs.using.startsWith("node"),
);
