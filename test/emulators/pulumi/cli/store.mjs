/**
 * The double's state, all under PULUMI_DOUBLE_STATE:
 *   stacks/<org>/<project>/<stack>.json   one file per stack
 *   workspace/<project>.json              the selected stack of a project
 *   credentials.json                      what `pulumi login` stored
 *   faults.json                           faults injected by the test (see failures.mjs)
 *   calls.ndjson                          one line per invocation
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

export function stateDir() {
  const dir = process.env.PULUMI_DOUBLE_STATE;
  if (!dir) {
    process.stderr.write("pulumi double: PULUMI_DOUBLE_STATE is not set\n");
    process.exit(99);
  }
  return dir;
}

export function readJson(path, fallback) {
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : fallback;
}

export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}

const stackPath = ({ org, project, stack }) =>
  join(stateDir(), "stacks", org, project, `${stack}.json`);

export const loadStack = (ref) => readJson(stackPath(ref), undefined);
export const saveStack = (ref, data) => writeJson(stackPath(ref), data);
export const removeStack = (ref) => rmSync(stackPath(ref), { force: true });

/** Every stack of one org and project, by name. */
export function listStacks(org, project) {
  const dir = join(stateDir(), "stacks", org, project);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({ org, project, stack: file.slice(0, -5), data: readJson(join(dir, file)) }));
}

export function listOrgs() {
  const dir = join(stateDir(), "stacks");
  return existsSync(dir) ? readdirSync(dir) : [];
}

export function listProjects(org) {
  const dir = join(stateDir(), "stacks", org);
  return existsSync(dir) ? readdirSync(dir) : [];
}

const workspacePath = (project) => join(stateDir(), "workspace", `${project}.json`);
export const selectedStack = (project) => readJson(workspacePath(project), {}).current;
export const selectStack = (project, fqn) => writeJson(workspacePath(project), { current: fqn });

const credentialsPath = () => join(stateDir(), "credentials.json");
export const loadCredentials = () => readJson(credentialsPath(), {});
export const saveCredentials = (value) => writeJson(credentialsPath(), value);

const faultsPath = () => join(stateDir(), "faults.json");
export const loadFaults = () => readJson(faultsPath(), []);
export const saveFaults = (faults) => writeJson(faultsPath(), faults);

export function logCall(entry) {
  mkdirSync(stateDir(), { recursive: true });
  appendFileSync(join(stateDir(), "calls.ndjson"), JSON.stringify(entry) + "\n");
}
