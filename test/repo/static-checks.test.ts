import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";

/**
 * Types, lint and format as tests rather than steps before `vitest run`: as files of the run
 * they go on beside the suites that wait on servers and engines, instead of before all of them.
 */
function check(bin: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "node_modules", bin), ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

const TEN_MINUTES = 600_000;

describe("static checks", () => {
  it(
    "type-checks (npm run build)",
    async () => {
      const { code, output } = await check("typescript/bin/tsc", [
        "--noEmit",
        "-p",
        "tsconfig.json",
      ]);
      expect(code, output).toBe(0);
    },
    TEN_MINUTES,
  );

  it(
    "lints (npm run lint)",
    async () => {
      const { code, output } = await check("eslint/bin/eslint.js", ["."]);
      expect(code, output).toBe(0);
    },
    TEN_MINUTES,
  );

  it(
    "is formatted (npm run format:check)",
    async () => {
      const { code, output } = await check("prettier/bin/prettier.cjs", ["--check", "."]);
      expect(code, output).toBe(0);
    },
    TEN_MINUTES,
  );
});
