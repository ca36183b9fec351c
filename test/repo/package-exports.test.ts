import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";

interface PackageJson {
  exports: Record<string, { types: string; default: string }>;
  files: string[];
}

// Users' own Pulumi programs import the components from npm: build them as `prepack` does,
// into a folder inside the repository so that the built code resolves our node_modules.
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as PackageJson;
mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
const out = mkdtempSync(join(repoRoot, ".tmp", "package-"));
const built = (target: string) => join(out, target.replace(/^\.\/lib\//, "lib/"));

describe("the npm package", () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("builds the components with types, and every export points at a built file", () => {
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.lib.json", "--outDir", join(out, "lib")], {
      cwd: repoRoot,
    });
    expect(pkg.files).toEqual(["lib"]);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath.includes("*")) continue;
      expect(existsSync(built(target.default)), `${subpath} -> ${target.default}`).toBe(true);
      expect(existsSync(built(target.types)), `${subpath} -> ${target.types}`).toBe(true);
    }
  });

  it("exports the components a program needs", async () => {
    const components = (await import(
      pathToFileURL(built(pkg.exports["./components"]!.default)).href
    )) as Record<string, unknown>;
    for (const name of ["AppNamespace", "WebService", "Route", "SharedAlb", "EksCluster"]) {
      expect(typeof components[name], name).toBe("function");
    }
  });
});
