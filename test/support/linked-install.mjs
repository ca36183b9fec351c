// STAND-IN for `npm ci` in a test that runs the kit's own workflows (test/workflows/
// release-run.test.ts): links this checkout's node_modules into the job's workspace instead
// of a 2-3 minute install per job. Refuses (exit 1) unless the workspace's package-lock.json
// locks exactly the packages this checkout's install holds (the root entry's version aside,
// which the release commit changes), so the link is the tree `npm ci` would have made.
// Usage: node linked-install.mjs <this checkout>
import { readFileSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const checkout = process.argv[2];
const locked = (dir) => {
  const { packages } = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
  const { "": root, ...rest } = packages;
  const { version: _version, ...rootWithoutVersion } = root;
  return JSON.stringify({ root: rootWithoutVersion, rest });
};
if (locked(process.cwd()) !== locked(checkout)) {
  console.log(
    "::error title=Stand-in install::package-lock.json differs from the test's checkout: run npm ci",
  );
  process.exit(1);
}
symlinkSync(realpathSync(join(checkout, "node_modules")), join(process.cwd(), "node_modules"));
console.log(`[stand-in npm ci] node_modules linked from ${checkout} (same package-lock.json)`);
