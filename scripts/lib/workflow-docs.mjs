/**
 * Renders action-docs/workflows/<file>.md from a reusable workflow: its contract (inputs,
 * secrets, outputs) and the permissions a calling job must grant, for readers. The
 * permissions are those of every job the call runs, through nested calls of this package's
 * own workflows; a caller's job must grant at least each of them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { cell, defaultCell, escapeHtml } from "./action-docs.mjs";

const LEVELS = { none: 0, read: 1, write: 2 };

/** The reusable workflows (`on: workflow_call`) under dir, by file name. */
export function reusableWorkflows(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .filter((file) => {
      const on = parse(readFileSync(join(dir, file), "utf8"))?.on;
      return on && typeof on === "object" && !Array.isArray(on) && "workflow_call" in on;
    })
    .sort();
}

/** The leading comment block of a workflow file, as one paragraph. */
function headerComment(text) {
  const lines = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^# ?/, ""));
  }
  return lines
    .join("\n")
    .replace(/Generated reference: [^\n]*/, "")
    .trim();
}

/** Permission -> strongest level any job of the call asks for, through nested own workflows. */
export function callerPermissions(dir, file, seen = new Set()) {
  if (seen.has(file)) return {};
  seen.add(file);
  const workflow = parse(readFileSync(join(dir, file), "utf8"));
  const wanted = {};
  const add = (permissions) => {
    if (permissions === "write-all" || permissions === "read-all")
      throw new Error(`${file}: ${permissions} is not least privilege`);
    for (const [name, level] of Object.entries(permissions ?? {}))
      if ((LEVELS[level] ?? 0) > (LEVELS[wanted[name]] ?? 0)) wanted[name] = level;
  };
  for (const job of Object.values(workflow.jobs ?? {})) {
    const nested = /^\.\/\.github\/workflows\/([^/@]+)$/.exec(job.uses ?? "")?.[1];
    if (nested) add(callerPermissions(dir, nested, seen));
    else add(job.permissions);
  }
  return Object.fromEntries(Object.entries(wanted).sort(([a], [b]) => a.localeCompare(b)));
}

const table = (header, rows) =>
  rows.length === 0
    ? "None."
    : [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows].join(
        "\n",
      );

export function renderWorkflowDoc(dir, file) {
  const text = readFileSync(join(dir, file), "utf8");
  const workflow = parse(text);
  const call = workflow.on.workflow_call ?? {};
  const inputs = Object.entries(call.inputs ?? {});
  const secrets = Object.entries(call.secrets ?? {});
  const outputs = Object.entries(call.outputs ?? {});
  const permissions = Object.entries(callerPermissions(dir, file));
  const required = inputs.filter(([, spec]) => spec.required);
  const environments = Object.entries(workflow.jobs ?? {})
    .filter(([, job]) => job.environment !== undefined)
    .map(([id, job]) => [id, typeof job.environment === "object" ? job.environment.name : job.environment]);
  return [
    `<!-- Generated from .github/workflows/${file} by \`npm run docs\`. Do not edit. -->`,
    `# ${workflow.name} (\`${file}\`)`,
    "",
    escapeHtml(headerComment(text)),
    "",
    "## Usage",
    "",
    "```yaml",
    "jobs:",
    "  call:",
    ...(permissions.length > 0
      ? ["    permissions:", ...permissions.map(([name, level]) => `      ${name}: ${level}`)]
      : ["    permissions: {}"]),
    `    uses: OWNER/REPO/.github/workflows/${file}@v1`,
    ...(required.length > 0
      ? ["    with:", ...required.map(([name]) => `      ${name}: ...`)]
      : []),
    "```",
    "",
    "## Permissions the calling job must grant",
    "",
    "A called workflow's jobs get at most what the calling job grants: grant each of these (more is never needed).",
    "",
    table(
      ["permission", "level"],
      permissions.map(([name, level]) => `| \`${name}\` | ${level} |`),
    ),
    "",
    "## Inputs",
    "",
    table(
      ["name", "type", "description", "required", "default"],
      inputs.map(
        ([name, spec]) =>
          `| \`${name}\` | ${spec.type} | ${cell(spec.description)} | ${spec.required ? "yes" : "no"} | ${defaultCell(spec.default)} |`,
      ),
    ),
    "",
    "## Secrets",
    "",
    table(
      ["name", "description", "required"],
      secrets.map(
        ([name, spec]) =>
          `| \`${name}\` | ${cell(spec?.description)} | ${spec?.required ? "yes" : "no"} |`,
      ),
    ),
    "",
    "## Outputs",
    "",
    table(
      ["name", "description"],
      outputs.map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`),
    ),
    "",
    ...(environments.length > 0
      ? [
          "## Environments",
          "",
          table(
            ["job", "environment"],
            environments.map(([id, name]) => `| \`${id}\` | \`${cell(name)}\` |`),
          ),
          "",
        ]
      : []),
  ].join("\n");
}
