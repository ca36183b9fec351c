// Usage: node scripts/bundle.mjs [action ...]   (all actions when none are named)
import { join } from "node:path";
import { javascriptActionNames, root, selectActions } from "./lib/actions.mjs";
import { bundleAction, writeBundle } from "./lib/bundle.mjs";

for (const name of selectActions(process.argv.slice(2), javascriptActionNames())) {
  const files = await bundleAction(name);
  writeBundle(join(root, "dist", name), files);
  const bytes = Object.values(files).reduce((sum, source) => sum + Buffer.byteLength(source), 0);
  console.log(
    `dist/${name}: ${Object.keys(files).length} file(s), ${(bytes / 1024).toFixed(0)} KiB`,
  );
}
