import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/closing-line-reporter.ts"],
    // @actions/workflow-parser imports its schema JSON without `with { type: "json" }`, which
    // Node refuses; inlined, Vite loads it.
    server: { deps: { inline: [/@actions\/workflow-parser/] } },
  },
});
