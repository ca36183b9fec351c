/** Bundles one action's entry (actions/<name>/main.ts) with ncc into a directory. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ncc from "@vercel/ncc";
import { root } from "./actions.mjs";

/** Returns the bundle's files: relative path -> contents. */
export async function bundleAction(name) {
  const { code, assets } = await ncc(join(root, "actions", name, "main.ts"), {
    minify: true,
    target: "es2023",
    quiet: true,
    sourceMap: false,
    // Types are checked once for the whole tree by `npm run build`; bundling only transpiles.
    transpileOnly: true,
    cache: false,
  });
  const files = { "index.js": code };
  for (const [file, asset] of Object.entries(assets ?? {})) {
    files[file] = asset.source.toString();
  }
  return files;
}

export function writeBundle(outDir, files) {
  rmSync(outDir, { recursive: true, force: true });
  for (const [file, source] of Object.entries(files)) {
    const path = join(outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source);
  }
}
