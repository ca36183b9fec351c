/**
 * The one check of every file or folder an input names. A pull request controls its
 * checkout, so a path there may be a symbolic link to `/proc/self/environ` or a credentials
 * file: such a path is refused, and so is any path that resolves outside the workspace
 * (GITHUB_WORKSPACE) and the runner's temp folder (RUNNER_TEMP).
 */
import { lstatSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export type PathKind = "file" | "directory";

/** The folders a path may be in, resolved: the workspace (else the cwd) and RUNNER_TEMP. */
function roots(): string[] {
  const given = [process.env.GITHUB_WORKSPACE || process.cwd(), process.env.RUNNER_TEMP];
  return given.flatMap((root) => {
    try {
      return root ? [realpathSync(root)] : [];
    } catch {
      return [];
    }
  });
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real path of `path` (relative to the cwd) when it is an existing `kind` that is not a
 * symbolic link and lies inside the workspace or RUNNER_TEMP; otherwise what is wrong, as
 * the end of "Input 'x' ...".
 */
export function confinedPath(path: string, kind: PathKind): { path: string } | { problem: string } {
  const absolute = resolve(path);
  const stat = lstatSync(absolute, { throwIfNoEntry: false });
  if (!stat) return { problem: `must be an existing ${kind}` };
  if (stat.isSymbolicLink()) return { problem: `must not be a symbolic link` };
  const real = realpathSync(absolute);
  if (!roots().some((root) => isInside(real, root))) {
    return { problem: "must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP" };
  }
  const isKind = kind === "file" ? stat.isFile() : stat.isDirectory();
  return isKind ? { path: real } : { problem: `must be a ${kind}` };
}
