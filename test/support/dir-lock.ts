import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` holding the lock directory `path` (vitest runs test files in parallel, in separate
 * processes): takes it, or a dead holder's; waits (synchronously) while a live one holds it.
 */
export function withDirLock<T>(path: string, timeoutMs: number, work: () => T): T {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path, { recursive: false });
      writeFileSync(join(path, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        mkdirSync(dirname(path), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(path, "pid"), "utf8"));
    } catch {
      // Taken a moment ago, its pid not written yet.
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > until)
      throw new Error(`${path} held for over ${Math.round(timeoutMs / 60_000)} minutes`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  try {
    return work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
