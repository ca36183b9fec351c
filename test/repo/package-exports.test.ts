import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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
    expect(pkg.files[0]).toBe("lib"); // the rest: package-consumers.test.ts checks the tarball
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath.includes("*")) continue;
      expect(existsSync(built(target.default)), `${subpath} -> ${target.default}`).toBe(true);
      expect(existsSync(built(target.types)), `${subpath} -> ${target.types}`).toBe(true);
    }
  });

  it("exports the components a program needs, each kit on its own subpath", async () => {
    const load = async (subpath: string) =>
      (await import(pathToFileURL(built(pkg.exports[subpath]!.default)).href)) as Record<
        string,
        unknown
      >;
    const shared = await load("./components");
    for (const name of ["imageRef", "standardTags", "parseStackName", "VerifiedStackReference"]) {
      expect(shared[name], name).toBeDefined();
    }
    // A Kubernetes-only team never needs @pulumi/aws: the shared entry has no kit in it.
    expect(shared.AppNamespace).toBeUndefined();
    expect(shared.SharedAlb).toBeUndefined();
    const kubernetes = await load("./components/kubernetes");
    for (const name of ["AppNamespace", "WebService", "Route"]) {
      expect(typeof kubernetes[name], name).toBe("function");
    }
    const aws = await load("./components/aws");
    for (const name of ["SharedAlb", "EksCluster"]) expect(typeof aws[name], name).toBe("function");
    const app = await load("./programs/app");
    expect(typeof app.default).toBe("function");
  });

  it("publishes component args as interfaces with a doc comment on every field", () => {
    const kits = ["kubernetes", "aws"].map((kit) => join(out, "lib", "components", kit));
    let interfaces = 0;
    for (const dir of kits) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".d.ts"))) {
        const text = readFileSync(join(dir, file), "utf8");
        expect(text, file).not.toMatch(/rawArgs: z\./);
        for (const match of text.matchAll(/export interface (\w+Args) \{\n([\s\S]*?)\n\}/g)) {
          interfaces++;
          const lines = match[2]!.split("\n");
          lines.forEach((line, i) => {
            // A top-level field: four spaces of indentation in the emitted declaration.
            if (!/^ {4}[\w"]+\??: /.test(line)) return;
            expect(lines[i - 1]?.trim(), `${file} ${match[1]}: ${line.trim()}`).toMatch(/\*\/$/);
          });
        }
      }
    }
    expect(interfaces).toBeGreaterThanOrEqual(14);
  });

  it("publishes declarations that import nothing from zod (CommonJS consumers without skipLibCheck)", () => {
    // zod's own declarations (zod/v4/locales/index.d.cts) fail to compile under CommonJS
    // without esModuleInterop: a published .d.ts must not pull them in.
    const lib = join(out, "lib");
    const entries = Object.values(pkg.exports).flatMap(({ types }) => {
      if (!types.includes("*")) return [built(types)];
      // A wildcard subpath exposes every declaration under its folder.
      const dir = built(types.slice(0, types.indexOf("*")));
      return (readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith(".d.ts"))
        .map((f) => join(dir, f));
    });
    const seen = new Set<string>();
    const offending: string[] = [];
    const pending = [...entries];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
        (m) => m[1]!,
      );
      for (const specifier of specifiers) {
        if (specifier === "zod" || specifier.startsWith("zod/")) {
          offending.push(`${relative(lib, file)} imports ${specifier}`);
        } else if (specifier.startsWith(".")) {
          pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".d.ts")));
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });
});
