/**
 * What to say when the stack does not exist and this run may not create it: which backend
 * was asked, and whether that backend still holds the stack's history. A DIY backend keeps
 * `.pulumi/history/<project>/<stack>/` and `.pulumi/backups/<project>/<stack>/` next to the
 * state file `.pulumi/stacks/<project>/<stack>.json`; history without a state file means the
 * state was lost, and creating the stack again would create every resource again.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "../shared/pulumi/backend.js";
import { urlCredentials } from "../shared/redact.js";

export interface StackTraces {
  /** Update records in `.pulumi/history`. */
  history: number;
  /** State backups in `.pulumi/backups`. */
  backups: number;
  /** Where they are, relative to the backend's folder. */
  where: string[];
}

/** The project's name from Pulumi.yaml, as the CLI names its folders. */
function projectName(workDir: string): string | undefined {
  for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
    const path = join(workDir, file);
    if (!existsSync(path)) continue;
    const match = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(path, "utf8"));
    return match?.[1];
  }
  return undefined;
}

function filesIn(dir: string): number {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return 0;
  return readdirSync(dir).filter((name) => name.endsWith(".json")).length;
}

/** The stack's history and backups left in a file:// backend; undefined elsewhere. */
export function stackTraces(
  backend: string | undefined,
  workDir: string,
  stack: string,
): StackTraces | undefined {
  const dir = stateDir(backend);
  if (!dir) return undefined;
  const name = stack.split("/").pop() as string;
  const project = projectName(workDir);
  const traces: StackTraces = { history: 0, backups: 0, where: [] };
  for (const kind of ["history", "backups"] as const) {
    // Project-scoped layout first, then the legacy one without the project folder.
    for (const parts of project ? [[project, name], [name]] : [[name]]) {
      const relative = join(".pulumi", kind, ...parts);
      const count = filesIn(join(dir, relative));
      if (count === 0) continue;
      traces[kind] += count;
      traces.where.push(relative);
      break;
    }
  }
  return traces;
}

/** The backend in words, without credentials a URL may carry. */
export function backendName(backend: string | undefined): string {
  if (backend === undefined) return "Pulumi Cloud (https://api.pulumi.com)";
  if (urlCredentials(backend) !== undefined) return "the backend given (its URL holds credentials)";
  return `the backend ${backend}`;
}

/** The sentence that follows "Stack 'S' does not exist in <backend>". */
export function tracesSentence(traces: StackTraces | undefined): string {
  if (!traces) return "";
  if (traces.history === 0 && traces.backups === 0)
    return " No history or backup of it is there either: check the backend path and the stack name, or create the stack once (upsert: true, or `pulumi stack init`).";
  return ` Yet the backend holds its history (${traces.history} update record(s), ${traces.backups} backup(s) in ${traces.where.join(", ")}): its state file is gone. Restore the latest backup with \`pulumi stack import\`; creating the stack again would create every resource again.`;
}
