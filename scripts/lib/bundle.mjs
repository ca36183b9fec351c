/** Bundles one action's entry (actions/<name>/main.ts) with ncc into a directory. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ncc from "@vercel/ncc";
import { transform } from "esbuild";
import { root } from "./actions.mjs";

/**
 * undici is left out of every bundle (about 340 KiB each, past the 1 MiB budget with
 * verify-provenance's Sigstore). @actions/http-client (under @actions/core) uses it only
 * for `getAgentDispatcher`, a proxy dispatcher for fetch, which neither core's runner
 * protocol nor its OIDC client (node:http, through `getAgent`) asks for; @actions/github
 * builds that dispatcher when a proxy is set and uses undici's fetch, which our client
 * replaces with its own (actions/shared/github.ts, http-transport.ts). A bundle resolves
 * undici to this file: the dispatcher can be made (and is never used), and anything that
 * would send a request through undici is told it is not bundled.
 */
const UNDICI_STUB = "undici-not-bundled.cjs";
const UNDICI_STUB_SOURCE = `"use strict";
// See scripts/lib/bundle.mjs: undici is not part of this bundle.
function notBundled(what) {
  throw new Error(\`undici's \${what} is not bundled with this action (scripts/lib/bundle.mjs)\`);
}
class ProxyAgent {
  dispatch() {
    notBundled("ProxyAgent");
  }
}
module.exports = { ProxyAgent, fetch: () => notBundled("fetch") };
`;

/** Returns the bundle's files: relative path -> contents. */
export async function bundleAction(name) {
  const { code, assets } = await ncc(join(root, "actions", name, "main.ts"), {
    externals: { undici: `./${UNDICI_STUB}` },
    minify: true,
    target: "es2023",
    quiet: true,
    sourceMap: false,
    // Types are checked once for the whole tree by `npm run build`; bundling only transpiles.
    transpileOnly: true,
    cache: false,
  });
  const files = { "index.js": code };
  if (code.includes(UNDICI_STUB)) files[UNDICI_STUB] = UNDICI_STUB_SOURCE;
  for (const [file, asset] of Object.entries(assets ?? {})) {
    const source = asset.source.toString();
    // ncc minifies the entry only; its lazy chunks (Octokit, Sigstore, the Kubernetes
    // client...) would ship with their comments and whitespace, about twice their size.
    files[file] = file.endsWith(".js") ? await minified(source) : source;
  }
  return files;
}

/** A chunk minified as the entry is: an ES module, nothing renamed that it exports. */
async function minified(source) {
  const { code } = await transform(source, { minify: true, format: "esm", target: "es2023" });
  return code;
}

export function writeBundle(outDir, files) {
  rmSync(outDir, { recursive: true, force: true });
  for (const [file, source] of Object.entries(files)) {
    const path = join(outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source);
  }
}
