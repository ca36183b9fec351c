/**
 * The one check of every file or folder an input names. A pull request controls its
 * checkout, so a path there may be a symbolic link to `/proc/self/environ` or a credentials
 * file, or pass through a linked folder (`preview -> $RUNNER_TEMP`, `docs -> .git`): every
 * component is checked (the real path must be the written one, inside the real workspace or
 * RUNNER_TEMP), `.git` is never entered, and a RUNNER_TEMP of `/` or around the workspace
 * confines nothing, so it is not used. A file the action reads is opened once and the opened
 * file checked (readConfinedFile), so that swapping a link between check and read wins nothing.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
} from "node:fs";
import { isAbsolute, join, parse, relative, resolve, sep } from "node:path";

export type PathKind = "file" | "directory";

interface Root {
  /** As given, resolved (the path a workflow writes). */
  given: string;
  real: string;
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The folders a path may be in: the workspace (else the cwd) and RUNNER_TEMP, unless that
 * is the filesystem's root or holds the workspace (then it would confine nothing).
 */
function roots(): Root[] {
  const at = (path: string | undefined): Root[] => {
    const resolved = path ? real(path) : undefined;
    return path && resolved && resolved !== parse(resolved).root
      ? [{ given: resolve(path), real: resolved }]
      : [];
  };
  const workspace = at(process.env.GITHUB_WORKSPACE || process.cwd());
  const temp = at(process.env.RUNNER_TEMP).filter(
    (t) => !workspace.some((w) => isInside(w.real, t.real)),
  );
  return [...workspace, ...temp];
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The root `realPath` lies in, when no component on the way from it is a link. */
function rootOf(absolute: string, realPath: string): Root | undefined {
  return roots().find(
    (root) =>
      isInside(realPath, root.real) &&
      (absolute === realPath ||
        (isInside(absolute, root.given) &&
          join(root.real, relative(root.given, absolute)) === realPath)),
  );
}

/**
 * Why the system refused to look at a path, in words that name what to change: the raw
 * `ENAMETOOLONG: name too long, lstat '<the whole path>'` quotes the path whole.
 */
function unusable(error: unknown, kind: PathKind): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENAMETOOLONG")
    return "must be a shorter path: the system refuses a name or path that long (ENAMETOOLONG)";
  if (code === "ELOOP")
    return "must not pass through a symbolic link (a folder on its path is a link that loops, ELOOP)";
  if (code === "ENOTDIR") return `must be an existing ${kind} (a part of its path is a file)`;
  if (code === "EACCES") return "must be readable by the runner (EACCES)";
  throw error;
}

const INSIDE = "must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP";

/** What is wrong with a real path inside no root, or inside `.git`; undefined when fine. */
function placeProblem(realPath: string): string | undefined {
  const root = roots().find((r) => isInside(realPath, r.real));
  if (!root) return INSIDE;
  // The checkout's credentials (persisted by actions/checkout) and hooks live there.
  if (relative(root.real, realPath).split(sep).includes(".git"))
    return "must not be inside a .git folder";
  return undefined;
}

/**
 * The real path of `path` (relative to the cwd) when it is an existing `kind` that is not a
 * symbolic link, reached through no linked folder, and lies inside the workspace or
 * RUNNER_TEMP; otherwise what is wrong, as the end of "Input 'x' ...".
 */
export function confinedPath(path: string, kind: PathKind): { path: string } | { problem: string } {
  const absolute = resolve(path);
  let stat;
  try {
    stat = lstatSync(absolute, { throwIfNoEntry: false });
  } catch (error) {
    return { problem: unusable(error, kind) };
  }
  if (!stat) return { problem: `must be an existing ${kind}` };
  if (stat.isSymbolicLink()) return { problem: `must not be a symbolic link` };
  const realPath = real(absolute);
  if (!realPath) return { problem: `must be an existing ${kind}` };
  const place = placeProblem(realPath);
  if (place) return { problem: place };
  if (!rootOf(absolute, realPath))
    return { problem: "must not pass through a symbolic link (a folder on its path is one)" };
  const isKind = kind === "file" ? stat.isFile() : stat.isDirectory();
  return isKind ? { path: realPath } : { problem: `must be a ${kind}` };
}

/**
 * Reads a file confinedPath accepts, opened once: the opened file itself must be a regular
 * file with one link (a hard link planted in the checkout would reach a file elsewhere on
 * the same disk) at the checked place. A FIFO or device is not waited on.
 */
export function readConfinedFile(path: string): { text: string } | { problem: string } {
  const checked = confinedPath(path, "file");
  if ("problem" in checked) return checked;
  let fd: number;
  try {
    fd = openSync(checked.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return { problem: "changed while it was read (it is now a link or gone)" };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: "must be a file" };
    if (stat.nlink > 1) return { problem: "must not be a hard link (it has other names)" };
    if (openedPath(fd, stat, checked.path) !== checked.path)
      return { problem: "changed while it was read (a folder on its path was replaced)" };
    return { text: readFileSync(fd, "utf8") };
  } finally {
    closeSync(fd);
  }
}

/**
 * Where the opened file is: the kernel's own answer on Linux; elsewhere `expected` when the
 * file there now is the opened one (same device and inode).
 */
function openedPath(
  fd: number,
  stat: { dev: number; ino: number },
  expected: string,
): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    const now = lstatSync(expected, { throwIfNoEntry: false });
    return now && now.dev === stat.dev && now.ino === stat.ino ? expected : undefined;
  }
}
