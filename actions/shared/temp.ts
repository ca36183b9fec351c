import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A new, empty folder of this step's own under RUNNER_TEMP (which the runner empties after
 * the job), or under the system's temp folder outside a runner.
 */
export function stepTempDir(prefix: string): string {
  const root = process.env.RUNNER_TEMP || tmpdir();
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${prefix}-`));
}
