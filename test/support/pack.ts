import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../harness/paths.js";

const LOCK = join(repoRoot, ".tmp", "npm-pack.lock");
const TIMEOUT_MS = 5 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock directory, or a dead holder's; waits (synchronously) while a live one holds it. */
function lock(): void {
  const until = Date.now() + TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK, { recursive: false });
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, "pid"), "utf8"));
    } catch {
      // Taken a moment ago, its pid not written yet.
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > until) throw new Error(`npm pack: ${LOCK} held for over 5 minutes`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

/**
 * `npm pack` of this checkout into `destination`; the tarball's path. Its `prepack` rebuilds
 * lib/ in place, so test files packing at once (vitest runs files in parallel) would write
 * lib/ under each other: they take turns.
 */
export function packTarball(destination: string): string {
  lock();
  try {
    const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", destination], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: TIMEOUT_MS,
    });
    return join(destination, out.trim().split("\n").pop()!);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
