import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The suites that run a real node hold the machine's one node lock in turn (test/support/node.ts),
 * and a suite waiting for it holds a worker. The demo, much the longest, starts first; the others
 * go last, when the lock is about to be free, instead of idling workers the rest could use. (A
 * project with fileParallelism false would serialize them too, but vitest 5 runs such a project
 * only after the others.)
 */
const NODE_FIRST = "test/demo.test.ts";
const NODE_LAST = [
  "test/real-deploy/postgres-node.test.ts",
  "test/real-deploy/web-service-node.test.ts",
  "test/real-deploy/node.test.ts",
];

class NodeLockSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const path = spec.moduleId.slice(spec.project.config.root.length + 1);
      if (path === NODE_FIRST) return -1;
      const last = NODE_LAST.indexOf(path);
      return last === -1 ? 0 : 1 + last;
    };
    return sorted
      .map((spec, index) => ({ spec, index, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Most suites wait on servers, engines and paced GitHub writes, not on the cores: vitest's
    // default of one worker per core but one (a single worker on a 2-core runner) leaves the
    // machine idle. PREVIEW_KIT_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.PREVIEW_KIT_TEST_WORKERS) || 4,
    sequence: { sequencer: NodeLockSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/closing-line-reporter.ts"],
    // @actions/workflow-parser imports its schema JSON without `with { type: "json" }`, which
    // Node refuses; inlined, Vite loads it.
    server: { deps: { inline: [/@actions\/workflow-parser/] } },
  },
});
