/**
 * The processes a child started, wherever their process group. Pulumi's CLI starts each
 * plugin (language host, providers) in a process group of its own (sdk/go/common/util/
 * cmdutil/child_unix.go `RegisterProcessGroup`), so a signal to the CLI's group misses them;
 * once the CLI is killed they are re-parented and nothing finds them any more. They are
 * therefore looked up by parent pid BEFORE the kill, as the runner finds a tree to kill it.
 * Linux keeps the parent pids in /proc; where there is no /proc the list is empty and only
 * the child's group is reached.
 */
import { readFileSync, readdirSync } from "node:fs";

/** Parent pid of each process, from /proc/<pid>/stat ("pid (comm) state ppid ..."). */
function parentsByPid(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm may hold spaces and parentheses: the fields start after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Every descendant of `pid` (children, their children, ...), found by parent pid. */
export function descendantsOf(pid: number): number[] {
  const children = parentsByPid();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (found.includes(child)) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** SIGKILL to `pid`'s group and to each of its descendants, found before the kill. */
export function killTree(pid: number): void {
  const tree = descendantsOf(pid);
  for (const target of [-pid, ...tree]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // ESRCH: gone already.
    }
  }
}
