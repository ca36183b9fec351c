// Prints, for each bundle, its size and its cold start (bundle loaded, inputs rejected)
// as a ratio to a bare `node -e 0` measured in the same run; medians of several runs.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { javascriptActionNames, root, selectActions } from "./lib/actions.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BUNDLE_BUDGET = 1024 * 1024;
const DIST_BUDGET = 5 * 1024 * 1024;
const RATIO_BUDGET = 2.5;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const dirBytes = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) =>
      sum +
      (entry.isDirectory()
        ? dirBytes(join(dir, entry.name))
        : statSync(join(dir, entry.name)).size),
    0,
  );

// A clean environment with no INPUT_*: every action rejects its required inputs.
const temp = mkdtempSync(join(tmpdir(), "bench-"));
const env = {
  PATH: process.env.PATH,
  GITHUB_OUTPUT: join(temp, "out"),
  GITHUB_STEP_SUMMARY: join(temp, "sum"),
};
function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: result.status };
}

const names = selectActions(process.argv.slice(2), javascriptActionNames());
const bare = [];
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let i = 0; i < RUNS; i++) {
  // Interleaved so that machine noise hits the baseline and the bundles alike.
  bare.push(time(["-e", "0"]).ms);
  for (const name of names) {
    const { ms, status } = time([join(root, "dist", name, "index.js")]);
    if (status !== 1) throw new Error(`${name}: expected exit 1 on missing inputs, got ${status}`);
    samples[name].push(ms);
  }
}

const base = median(bare);
let over = false;
console.log(`node -e 0: ${base.toFixed(1)} ms (median of ${RUNS})`);
console.log("action               size KiB  cold ms  ratio  budget");
let total = 0;
for (const name of names) {
  const bytes = dirBytes(join(root, "dist", name));
  total += bytes;
  const ms = median(samples[name]);
  const ratio = ms / base;
  const ok = ratio <= RATIO_BUDGET && bytes < BUNDLE_BUDGET;
  over ||= !ok;
  console.log(
    `${name.padEnd(20)} ${(bytes / 1024).toFixed(0).padStart(8)}  ${ms.toFixed(1).padStart(7)}  ${ratio.toFixed(2).padStart(5)}  ${ok ? "ok" : "OVER"}`,
  );
}
over ||= total >= DIST_BUDGET;
console.log(`dist/ total: ${(total / 1024).toFixed(0)} KiB (budget ${DIST_BUDGET / 1024} KiB)`);
if (over) process.exitCode = 1;
