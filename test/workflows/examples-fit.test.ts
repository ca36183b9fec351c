// The examples run against the ready-made app program as written (#20 item 5): the project
// their stacks name is the program's Pulumi.yaml name (the real CLI refuses another: "provided
// project name "shop" doesn't match Pulumi.yaml"), the base stack they verify is the one the
// program reads for that stack (the program run under mocks is given only that stack, and
// fails on any other), the outputs they require are ones the base program exports, and the
// images they build are the ones the program deploys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import {
  ORG,
  runScenario,
  SCENARIOS,
  type Scenario,
  type ScenarioId,
} from "../support/program-scenarios.js";
import { loadWorkflows, ownWorkflow, type Job } from "../support/workflows.js";

const app = parse(readFileSync(join(repoRoot, "programs", "app", "Pulumi.yaml"), "utf8")) as {
  name: string;
};
/** Where programs/README.md tells a consumer to copy the app's project. */
const WORK_DIR = `infra/${app.name}`;

type Kind = "preview" | "dev" | "production";
const KIND: Record<string, Kind> = {
  "deploy-preview.yml": "preview",
  "cleanup-preview.yml": "preview",
  "deploy-dev.yml": "dev",
  "deploy-production.yml": "production",
};
/** The app's stack of each kind, and the preview-base scenario whose exports its base has. */
const APP: Record<Kind, { scenario: ScenarioId; base: ScenarioId }> = {
  preview: { scenario: "app/pr-42", base: "preview-base/dev" },
  dev: { scenario: "app/dev", base: "preview-base/dev" },
  production: { scenario: "app/production", base: "preview-base/production" },
};

/** The caller the README shows under "Use it in your repository". */
const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const snippet = /## Use it in your repository\n+```yaml\n([\s\S]*?)\n```/.exec(readme)?.[1];

const calls = [
  ...loadWorkflows().filter((file) => file.path.startsWith("action-docs/examples/")),
  { path: "README.md", workflow: parse(snippet ?? "") as { jobs: Record<string, Job> } },
].flatMap((file) =>
  Object.entries(file.workflow.jobs).flatMap(([jobId, job]: [string, Job]) => {
    const called = job.uses ? ownWorkflow(job.uses) : undefined;
    const kind = called ? KIND[called] : undefined;
    return kind ? [{ where: `${file.path}#${jobId}`, kind, with: job.with ?? {} }] : [];
  }),
);

const lines = (value: unknown) =>
  String(value ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

describe("the examples and the ready-made app program", () => {
  it("call every deploy and the cleanup (and the README shows a preview)", () => {
    expect(calls.map((c) => c.where)).toContain("README.md#preview");
    expect(new Set(calls.map((c) => c.kind))).toEqual(new Set(["preview", "dev", "production"]));
  });

  it.each(calls.map((c) => [c.where, c] as const))(
    "%s names the app's project in its org, in the folder the project is copied to",
    (_where, call) => {
      const name = String(call.with["stack-project"] ?? call.with.stack ?? "");
      const [org, project, ...rest] = name.split("/");
      expect({ org, project }).toEqual({ org: ORG, project: app.name });
      if (call.with.stack !== undefined) expect(rest).toEqual([call.kind]);
      expect(call.with["work-dir"]).toBe(WORK_DIR);
    },
  );

  it.each(
    calls.filter((c) => c.with["base-stack-ref"] !== undefined).map((c) => [c.where, c] as const),
  )(
    "%s verifies the base stack the app reads, and only outputs the base exports",
    async (_where, call) => {
      const baseRef = String(call.with["base-stack-ref"]);
      const { scenario, base } = APP[call.kind];
      // The mocks hold only this stack (and dev's and production's cluster stack, where their
      // admin kubeconfig comes from): reading any other fails with "mock: no stack".
      const { references = {} }: Scenario = SCENARIOS[scenario];
      const clusters = Object.entries(references).filter(([, id]) => id.startsWith("cluster/"));
      const run = await runScenario(scenario, {
        references: { ...Object.fromEntries(clusters), [baseRef]: base },
      });
      expect(run.outputs.webUrl).toBeDefined();
      const exported = Object.keys((await runScenario(base)).outputs);
      const required = lines(call.with["required-outputs"]).map((line) => line.split(":")[0]!);
      expect(required.length).toBeGreaterThan(0);
      for (const output of required) expect(exported, output).toContain(output);
    },
  );

  it("build the images the app deploys", () => {
    const deployed = Object.keys(SCENARIOS["app/dev"].config.images).sort();
    expect(deployed).toEqual(["api", "web"]);
    for (const file of loadWorkflows().filter((f) => f.path.startsWith("action-docs/examples/"))) {
      const images = file.workflow.jobs.images?.with?.images;
      if (images === undefined) continue;
      const names = (JSON.parse(String(images)) as { name: string }[]).map((i) => i.name).sort();
      expect(names, file.path).toEqual(deployed);
    }
  });
});
