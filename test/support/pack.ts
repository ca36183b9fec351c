import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../harness/paths.js";
import { withDirLock } from "./dir-lock.js";

const LOCK = join(repoRoot, ".tmp", "npm-pack.lock");
const TIMEOUT_MS = 5 * 60_000;

/**
 * `npm pack` of this checkout into `destination`; the tarball's path. Its `prepack` rebuilds
 * lib/ in place, so processes packing at once would write lib/ under each other: they take turns.
 */
export function packTarball(destination: string): string {
  return withDirLock(LOCK, TIMEOUT_MS, () => {
    const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", destination], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: TIMEOUT_MS,
    });
    return join(destination, out.trim().split("\n").pop()!);
  });
}
