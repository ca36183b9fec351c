/** Renders action-docs/<name>.md from an action.yml: the contract, for readers. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { root } from "./actions.mjs";

// `<64 hex>` must show as text, not vanish as an unknown HTML tag; code spans show it as is.
export const escapeHtml = (text) =>
  text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
export const cell = (value) =>
  escapeHtml(String(value ?? "").trim())
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, "<br>");
export const defaultCell = (value) => (value === undefined || value === "" ? "" : `\`${cell(value)}\``);

export function renderActionDoc(name, yamlText) {
  const action = parse(yamlText);
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  const example = inputs
    .filter(([, spec]) => spec.required)
    .map(([input]) => `      ${input}: ...`)
    .join("\n");
  return [
    `<!-- Generated from actions/${name}/action.yml by \`npm run docs\`. Do not edit. -->`,
    `# ${action.name}`,
    "",
    escapeHtml(action.description.trim()),
    "",
    "## Usage",
    "",
    "```yaml",
    `- uses: OWNER/REPO/actions/${name}@v1`,
    ...(example ? ["  with:", example.replace(/^ {6}/gm, "    ")] : []),
    "```",
    "",
    "## Inputs",
    "",
    inputs.length === 0
      ? "None."
      : [
          "| name | description | required | default |",
          "| --- | --- | --- | --- |",
          ...inputs.map(
            ([input, spec]) =>
              `| \`${input}\` | ${cell(spec.description)} | ${spec.required ? "yes" : "no"} | ${defaultCell(spec.default)} |`,
          ),
        ].join("\n"),
    "",
    "## Outputs",
    "",
    outputs.length === 0
      ? "None."
      : [
          "| name | description |",
          "| --- | --- |",
          ...outputs.map(([output, spec]) => `| \`${output}\` | ${cell(spec.description)} |`),
        ].join("\n"),
    "",
    `Runs on \`${action.runs.using}\`.`,
    "",
    ...appendix(name),
  ].join("\n");
}

/**
 * `actions/<name>/docs.md`, when there is one: what a table of inputs cannot say (e.g. a
 * migration table from another action), kept next to the action.yml it explains.
 */
function appendix(name) {
  const file = join(root, "actions", name, "docs.md");
  return existsSync(file) ? [readFileSync(file, "utf8").trim(), ""] : [];
}
