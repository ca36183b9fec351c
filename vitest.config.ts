import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Most suites wait on servers, engines and paced GitHub writes, not on the cores: vitest's
    // default of one worker per core but one (a single worker on a 2-core runner) leaves the
    // machine idle. PREVIEW_KIT_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.PREVIEW_KIT_TEST_WORKERS) || 4,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/closing-line-reporter.ts"],
    // @actions/workflow-parser imports its schema JSON without `with { type: "json" }`, which
    // Node refuses; inlined, Vite loads it.
    server: { deps: { inline: [/@actions\/workflow-parser/] } },
  },
});
