/**
 * The "program": Pulumi.yaml names the project and `.pulumi-double.json` next to it says
 * what the program declares (see ../README.md). Outputs and inputs may hold secrets as
 * `{"secret": value}` at any depth and `${config:KEY}` templates.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./failures.mjs";

export const PROGRAM_FILE = ".pulumi-double.json";

export function loadProgram(projectDir) {
  const path = join(projectDir, PROGRAM_FILE);
  const program = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  return {
    resources: program.resources ?? [],
    outputs: program.outputs ?? {},
    error: program.error,
    logs: program.logs ?? [],
    durationMs: program.durationMs,
  };
}

export const isSecret = (value) =>
  value !== null &&
  typeof value === "object" &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  Object.hasOwn(value, "secret");

function mapDeep(value, onSecret) {
  if (isSecret(value)) return onSecret(value.secret);
  if (Array.isArray(value)) return value.map((item) => mapDeep(item, onSecret));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapDeep(v, onSecret)]));
  }
  return value;
}

/** Plain values, as `--show-secrets` prints them. */
export const reveal = (value) => mapDeep(value, (inner) => reveal(inner));
/** Secrets replaced by "[secret]", as the CLI prints them by default. */
export const conceal = (value) => mapDeep(value, () => "[secret]");

const fullKey = (key, project) => (key.includes(":") ? key : `${project}:${key}`);

/** Reads config KEY (`a.b.c` walks into object values set with `--path`). */
export function lookupConfig(config, key, project) {
  const exact = config[fullKey(key, project)];
  if (exact) return exact;
  const [head, ...rest] = key.split(".");
  const root = config[fullKey(head, project)];
  if (!root || rest.length === 0) return undefined;
  let value = root.value;
  for (const part of rest) {
    if (value === null || typeof value !== "object" || !(part in value)) return undefined;
    value = value[part];
  }
  return { value, secret: root.secret };
}

/** Sets config KEY, or with `path` the nested value `a.b.c` inside `project:a`. */
export function assignConfig(config, key, value, { secret, path, project }) {
  if (!path || !key.includes(".")) {
    config[fullKey(key, project)] = { value, secret };
    return;
  }
  const [head, ...rest] = key.split(".");
  const name = fullKey(head, project);
  const entry = config[name] ?? { value: {}, secret: false };
  if (entry.value === null || typeof entry.value !== "object") entry.value = {};
  let node = entry.value;
  for (const part of rest.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== "object") node[part] = {};
    node = node[part];
  }
  node[rest.at(-1)] = value;
  entry.secret ||= secret;
  config[name] = entry;
}

class MissingConfig extends Error {}

function resolveString(text, config, project) {
  const lookup = (key) => {
    const entry = lookupConfig(config, key, project);
    if (!entry) throw new MissingConfig(fullKey(key.split(".")[0], project));
    return entry;
  };
  const whole = /^\$\{config:([^}]+)\}$/.exec(text);
  if (whole) {
    const entry = lookup(whole[1]);
    return entry.secret ? { secret: entry.value } : entry.value;
  }
  let secret = false;
  const out = text.replace(/\$\{config:([^}]+)\}/g, (_, key) => {
    const entry = lookup(key);
    secret ||= entry.secret;
    return typeof entry.value === "string" ? entry.value : JSON.stringify(entry.value);
  });
  return secret ? { secret: out } : out;
}

function resolveDeep(value, config, project) {
  if (typeof value === "string") return resolveString(value, config, project);
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, config, project));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveDeep(v, config, project)]),
    );
  }
  return value;
}

/**
 * A program failure as the real engine reports it (recorded: test/fixtures/pulumi-cli/
 * preview-json-program-error.json, up-preview-phase-failed.json): an error diagnostic, nothing
 * on stderr, exit 1. The engine functions put `diagnostic` into the events and documents.
 */
export function programError(message, projectDir) {
  const error = new CliError("bail", "");
  error.diagnostic =
    `Running program '${join(projectDir, "index.js")}' failed with an unhandled exception:\n` +
    `Error: ${message}\n    at Object.<anonymous> (${join(projectDir, "index.js")}:12:11)\n`;
  return error;
}

/** Runs the program against the stack's config: resources with inputs, and outputs. */
export function evaluate(program, config, project, projectDir) {
  if (program.error) throw programError(program.error, projectDir);
  try {
    return {
      resources: program.resources.map((resource) => ({
        type: resource.type,
        name: resource.name,
        inputs: resolveDeep(resource.inputs ?? {}, config, project),
      })),
      outputs: resolveDeep(program.outputs, config, project),
    };
  } catch (error) {
    if (!(error instanceof MissingConfig)) throw error;
    throw programError(
      `Missing required configuration variable '${error.message}'\n    please set a value using the command \`pulumi config set ${error.message} <value>\``,
      projectDir,
    );
  }
}
