import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleAction } from "../../scripts/lib/bundle.mjs";
import { repoRoot } from "../harness/paths.js";
import { javascriptActions } from "../support/actions.js";

// The runner executes the checked-in bundle, not the source: they must never drift.
describe.each(javascriptActions)("dist/%s", (name) => {
  it("equals a fresh bundle of the source (run `npm run bundle`)", async () => {
    const fresh = (await bundleAction(name)) as Record<string, string>;
    const dir = join(repoRoot, "dist", name);
    const committed = Object.fromEntries(
      readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), "utf8")]),
    );
    expect(Object.keys(committed).sort()).toEqual(Object.keys(fresh).sort());
    for (const [file, source] of Object.entries(fresh)) {
      expect(committed[file] === source, `dist/${name}/${file} is stale: run npm run bundle`).toBe(
        true,
      );
    }
  });
});
