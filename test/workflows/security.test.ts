// The hardening every workflow must keep: nothing spliced into a shell, third-party actions
// pinned by commit, least privilege per job, time limits, no fork code next to secrets, and
// the concurrency each environment needs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { KIT_DIR } from "../../scripts/pin-release.mjs";
import { repoRoot } from "../harness/paths.js";
import { allActions } from "../support/actions.js";
import {
  effectiveShell,
  loadWorkflow,
  loadWorkflows,
  ownAction,
  ownWorkflow,
  stepsOf,
  triggers,
  usesLines,
  workflowCall,
  type Job,
  type Step,
  type WorkflowFile,
} from "../support/workflows.js";

const files = loadWorkflows();
const compositeSteps: { action: string; step: Step }[] = allActions.flatMap((action) => {
  const spec = parse(readFileSync(join(repoRoot, "actions", action, "action.yml"), "utf8")) as {
    runs: { using: string; steps?: Step[] };
  };
  return spec.runs.using === "composite"
    ? (spec.runs.steps ?? []).map((step) => ({ action, step }))
    : [];
});

/** `run:` scripts holding an expression: the runner splices its value into the shell. */
function expressionsInRun(steps: { where: string; step: Step }[]): string[] {
  return steps
    .filter(({ step }) => typeof step.run === "string" && step.run.includes("${{"))
    .map(({ where, step }) => `${where}: ${/\$\{\{[^}]*\}\}/.exec(step.run!)?.[0] ?? "${{"}`);
}

/** Third-party `uses:` not pinned to a full commit SHA with a `# vX.Y.Z` comment. */
function unpinned(file: WorkflowFile): string[] {
  return usesLines(file.text)
    .filter(({ ref }) => !ownAction(ref) && !ownWorkflow(ref))
    .filter(
      ({ ref, comment }) =>
        !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(ref) ||
        !/^v\d+\.\d+\.\d+$/.test(comment),
    )
    .map(
      ({ line, ref, comment }) => `${file.path}:${line}: ${ref}${comment ? ` # ${comment}` : ""}`,
    );
}

const jobsOf = (file: WorkflowFile) => Object.entries(file.workflow.jobs);
const cancelInProgress = (job: Job) =>
  typeof job.concurrency === "object" ? job.concurrency["cancel-in-progress"] : undefined;

describe.each(files.map((f) => [f.path, f] as const))("%s", (_path, file) => {
  it("puts no expression inside a run: script (values reach the shell only through env:)", () => {
    const steps = stepsOf(file.workflow).map(({ jobId, index, step }) => ({
      where: `${jobId} step ${step.name ?? index + 1}`,
      step,
    }));
    expect(expressionsInRun(steps)).toEqual([]);
  });

  it("has only run: scripts that bash can parse", () => {
    for (const { jobId, index, step } of stepsOf(file.workflow)) {
      if (!step.run) continue;
      const parsed = spawnSync("bash", ["-n"], { input: step.run, encoding: "utf8" });
      expect(parsed.stderr, `${jobId} step ${step.name ?? index + 1}`).toBe("");
    }
  });

  it("pins every third-party action by full commit SHA with its version as a comment", () => {
    expect(unpinned(file)).toEqual([]);
  });

  it("grants no permission at the top and least privilege in every job", () => {
    expect(file.workflow.permissions).toEqual({});
    for (const [jobId, job] of jobsOf(file)) {
      expect(job.permissions, `${jobId} declares its permissions`).toBeTypeOf("object");
      expect(Object.values(job.permissions ?? {}), jobId).not.toContain("write-all");
    }
  });

  it("limits the time of every job that runs steps", () => {
    for (const [jobId, job] of jobsOf(file)) {
      if (job.steps) expect(Number(job["timeout-minutes"]), jobId).toBeGreaterThan(0);
    }
  });

  it("never checks out with persisted credentials unless the job pushes, nor a pull request's head next to secrets", () => {
    const privileged =
      "pull_request_target" in triggers(file.workflow) || "workflow_run" in triggers(file.workflow);
    for (const { jobId, job, step } of stepsOf(file.workflow)) {
      if (!step.uses?.startsWith("actions/checkout@")) continue;
      const pushes = typeof job.permissions === "object" && job.permissions.contents === "write";
      if (!pushes)
        expect(step.with?.["persist-credentials"], `${jobId}: persist-credentials`).toBe(false);
      if (privileged)
        expect(
          step.with?.ref,
          `${jobId}: a privileged event checks out the base only`,
        ).toBeUndefined();
    }
  });

  it("as a reusable workflow, checks out only the event's own commit, whatever event its caller runs on (and the kit at its own)", () => {
    if (!workflowCall(file.workflow)) return;
    for (const { jobId, step } of stepsOf(file.workflow)) {
      if (!step.uses?.startsWith("actions/checkout@")) continue;
      if (step.with?.repository === "${{ job.workflow_repository }}")
        expect(step.with, `${jobId}: the kit's checkout`).toMatchObject({
          ref: "${{ job.workflow_sha }}",
          path: KIT_DIR,
        });
      else expect(step.with?.ref, jobId).toBeUndefined();
    }
  });

  it("asks for an OIDC token only in jobs that deploy, sign attestations, or call a kit workflow", () => {
    for (const [jobId, job] of jobsOf(file)) {
      if (typeof job.permissions !== "object" || job.permissions["id-token"] !== "write") continue;
      const deploys =
        (job.uses && ownWorkflow(job.uses)) ||
        (job.steps ?? []).some(
          (s) => s.uses && ["pulumi-deploy", "attest-images"].includes(ownAction(s.uses) ?? ""),
        );
      expect(deploys, `${jobId} has id-token: write`).toBeTruthy();
    }
  });

  it("signs attestations only in a job that runs no code of the pull request", () => {
    for (const [jobId, job] of jobsOf(file)) {
      const steps = job.steps ?? [];
      if (!steps.some((s) => s.uses && ownAction(s.uses) === "attest-images")) continue;
      // Whoever runs code in the signing job can sign any digest as the kit's build.
      for (const step of steps) {
        expect(step.run, `${jobId}: no script`).toBeUndefined();
        if (step.uses?.startsWith("actions/checkout@"))
          expect(step.with?.repository, `${jobId}: only the kit's checkout`).toBe(
            "${{ job.workflow_repository }}",
          );
        else expect(ownAction(step.uses ?? ""), `${jobId}: ${step.uses}`).toBe("attest-images");
      }
    }
    // The legs that build (and run the pull request's Dockerfile) get no OIDC token.
    for (const [jobId, job] of jobsOf(file)) {
      const builds = (job.steps ?? []).some((s) => s.uses && ownAction(s.uses) === "build-image");
      if (builds && typeof job.permissions === "object")
        expect(job.permissions["id-token"], `${jobId}: id-token`).toBeUndefined();
    }
  });
});

describe("this repository's own workflows", () => {
  const own = files.filter((f) => f.path.startsWith(".github/"));

  it("never run on pull_request_target or workflow_run (privileged events) themselves", () => {
    for (const file of own) {
      expect(Object.keys(triggers(file.workflow)), file.path).not.toContain("pull_request_target");
      expect(Object.keys(triggers(file.workflow)), file.path).not.toContain("workflow_run");
    }
  });

  it("give contents: write only to the Dependabot push of a checked patch (the release pushes with RELEASE_TOKEN)", () => {
    const writers = own.flatMap((file) =>
      jobsOf(file)
        .filter(
          ([, job]) => typeof job.permissions === "object" && job.permissions.contents === "write",
        )
        .map(([jobId]) => `${file.path}#${jobId}`),
    );
    expect(writers).toEqual([".github/workflows/dependabot-dist.yml#push"]);
  });

  it("run the Dependabot rebuild only for Dependabot's own branches", () => {
    const { workflow } = loadWorkflow(".github/workflows/dependabot-dist.yml");
    const condition = String(workflow.jobs.build?.if);
    expect(condition).toContain("github.actor == 'dependabot[bot]'");
    expect(condition).toContain(
      "github.event.pull_request.head.repo.full_name == github.repository",
    );
    expect(workflow.jobs.push?.needs).toBe("build");
  });
});

describe("concurrency", () => {
  const job = (path: string, id: string) =>
    loadWorkflow(`.github/workflows/${path}`).workflow.jobs[id]!;

  it("makes a preview and its cleanup take turns, never cancelling one mid-run (finding 2)", () => {
    const preview = job("deploy-preview.yml", "preview");
    const cleanup = job("cleanup-preview.yml", "cleanup");
    expect(cancelInProgress(preview)).toBe(false);
    expect(cancelInProgress(cleanup)).toBe(false);
    expect(preview.concurrency).toEqual(cleanup.concurrency);
    expect(JSON.stringify(preview.concurrency)).toContain("inputs.pr-number");
  });

  it("never cancels a production or dev deploy mid-run, nor one waiting (queue: max)", () => {
    for (const [path, id] of [
      ["deploy-production.yml", "production"],
      ["deploy-dev.yml", "dev"],
    ] as const) {
      expect(cancelInProgress(job(path, id))).toBe(false);
      expect(job(path, id).concurrency).toMatchObject({ queue: "max" });
    }
    expect(job("deploy-production.yml", "production").with?.["require-reviewers"]).toBe(true);
  });

  it("cancels no job that changes a stack or a cluster, anywhere", () => {
    const cancelling = files.flatMap((file) =>
      jobsOf(file)
        .filter(([, job]) => cancelInProgress(job) !== undefined && cancelInProgress(job) !== false)
        .map(([jobId, job]) => ({ where: `${file.path}#${jobId}`, job })),
    );
    // Only builds (they change no stack) may be cancelled by a newer push.
    for (const { where, job } of cancelling) {
      expect(job.uses ?? "", where).toMatch(/build-images\.yml@/);
    }
    const workflowLevel = files.filter(
      (file) =>
        typeof file.workflow.concurrency === "object" &&
        file.workflow.concurrency !== null &&
        (file.workflow.concurrency as Record<string, unknown>)["cancel-in-progress"] === true,
    );
    expect(workflowLevel.map((file) => file.path)).toEqual([
      ".github/workflows/dependabot-dist.yml",
    ]);
  });

  it("puts the images job in no group a called workflow uses (it would wait for itself)", () => {
    const inner = new Set(
      ["deploy-preview.yml", "cleanup-preview.yml"].map((path) =>
        JSON.stringify(
          (
            Object.values(loadWorkflow(`.github/workflows/${path}`).workflow.jobs)[0]!
              .concurrency as {
              group: string;
            }
          ).group,
        ),
      ),
    );
    for (const file of files.filter((f) => f.path.startsWith("action-docs/examples/"))) {
      for (const [jobId, job] of jobsOf(file)) {
        if (typeof job.concurrency !== "object") continue;
        const group = job.concurrency.group;
        expect(group, `${file.path}#${jobId}`).not.toMatch(/preview-kit-/);
        expect(inner.has(JSON.stringify(group))).toBe(false);
      }
    }
  });
});

describe("failure handling in deploy.yml", () => {
  const { jobs } = loadWorkflow(".github/workflows/deploy.yml").workflow;

  it("marks the comment failed when the gate or plan fails, or the deploy job fails without commenting", () => {
    const report = jobs["report-failure"]!;
    expect(report.needs).toEqual(["gate", "plan", "deploy"]);
    const condition = String(report.if);
    expect(condition).toMatch(/^\$\{\{ always\(\) && inputs\.pr-number > 0 && /);
    expect(condition).toContain("needs.gate.result == 'failure'");
    expect(condition).toContain("needs.plan.result == 'failure'");
    expect(condition).toContain(
      "(needs.deploy.result == 'failure' && needs.deploy.outputs.commented != 'true')",
    );
    expect(jobs.deploy?.outputs?.commented).toBe(
      "${{ steps.comment.outcome == 'success' || steps.current.outputs.deploy == 'false' }}",
    );
    const comment = (jobs.deploy?.steps ?? []).find((step) => step.id === "comment");
    expect(comment?.uses).toBe("./.preview-kit/actions/preview-comment");
  });

  it("finishes the Deployment whatever happened once it was started", () => {
    const finish = (jobs.deploy?.steps ?? []).find((s) => s.name === "Finish the deployment");
    expect(finish?.if).toBe("always() && steps.start.outputs.deployment-id != ''");
    expect(finish?.with?.status).toBe("${{ job.status }}");
  });

  it("comments the result also when the deploy is cancelled or times out", () => {
    const steps = jobs.deploy?.steps ?? [];
    for (const id of ["timings", "comment"]) {
      expect(steps.find((step) => step.id === id)?.if).toBe(
        "${{ always() && inputs.pr-number > 0 && steps.current.outputs.deploy != 'false' }}",
      );
    }
    const comment = steps.find((step) => step.id === "comment");
    expect(comment?.with?.status).toBe("${{ job.status == 'success' && 'ready' || 'failed' }}");
  });

  it("lets only previews destroy on failure", () => {
    const job = (path: string, id: string) =>
      loadWorkflow(`.github/workflows/${path}`).workflow.jobs[id]!;
    expect(job("deploy-dev.yml", "dev").with?.["destroy-on-failure"]).toBe(false);
    expect(job("deploy-production.yml", "production").with?.["destroy-on-failure"]).toBe(false);
    const inputs = (jobs.gate?.steps ?? []).find((s) => s.id === "inputs");
    expect(inputs?.env?.DESTROY_ON_FAILURE).toBe("${{ inputs.destroy-on-failure }}");
  });

  it("re-checks, right before the deployment starts, that this run is still the one to deploy (finding 3)", () => {
    const steps = jobs.deploy?.steps ?? [];
    const at = (id: string) => steps.findIndex((step) => step.id === id);
    expect(at("current")).toBeGreaterThan(-1);
    expect(at("current")).toBe(at("start") - 1);
    for (const id of ["start", "up", "urls"]) {
      expect(steps[at(id)]?.if, id).toBe("steps.current.outputs.deploy == 'true'");
    }
  });

  it("stores the digests under their own key of the Deployment's payload (finding 1)", () => {
    const start = (jobs.deploy?.steps ?? []).find((step) => step.id === "start");
    expect(start?.with?.payload).toBe('{"digests":${{ needs.gate.outputs.digests }}}');
  });
});

describe("credentials before approval (finding 5)", () => {
  const { jobs } = loadWorkflow(".github/workflows/deploy.yml").workflow;

  it("plans only for trusted authors, in its own environment, without the deploy role or token", () => {
    const plan = jobs.plan!;
    // ... and only while the pull request is open (a close during the build, finding 3).
    expect(plan.if).toBe(
      "needs.gate.outputs.trusted == 'true' && needs.gate.outputs.open == 'true'",
    );
    expect(plan.environment).toBe("${{ inputs.plan-environment }}");
    const text = JSON.stringify(plan);
    expect(text).not.toContain("inputs.aws-role-arn");
    expect(text).toContain("inputs.aws-plan-role-arn");
    for (const step of plan.steps ?? []) {
      const token = step.env?.PULUMI_ACCESS_TOKEN;
      if (token !== undefined)
        expect(token).toBe(
          "${{ secrets.PULUMI_PLAN_ACCESS_TOKEN || secrets.PULUMI_ACCESS_TOKEN }}",
        );
    }
  });

  it("deploys an untrusted author's preview without a plan, after approval", () => {
    expect(String(jobs.deploy!.if)).toContain("needs.plan.result == 'skipped'");
  });
});

describe("secrets and install scripts", () => {
  it("give no job-level env a secret: npm ci and every other step get only what they need", () => {
    const exposed = files.flatMap((file) =>
      jobsOf(file)
        .filter(([, job]) => /secrets\./.test(JSON.stringify((job as { env?: unknown }).env ?? {})))
        .map(([jobId]) => `${file.path}#${jobId}`),
    );
    expect(exposed).toEqual([]);
  });

  it("give no step that installs dependencies a secret", () => {
    const installing = files.flatMap((file) =>
      stepsOf(file.workflow)
        .filter(({ step }) => /\bnpm (ci|install)\b/.test(step.run ?? ""))
        .filter(({ step }) => /secrets\./.test(JSON.stringify(step.env ?? {})))
        .map(({ jobId, index }) => `${file.path}#${jobId}[${index}]`),
    );
    expect(installing).toEqual([]);
  });
});

describe("shells (finding 8)", () => {
  it("run every run: step of every workflow with bash, so pipefail applies", () => {
    const other = files.flatMap((file) =>
      stepsOf(file.workflow)
        .filter(({ step }) => step.run !== undefined)
        .filter(({ job, step }) => effectiveShell(file.workflow, job, step) !== "bash")
        .map(({ jobId, index }) => `${file.path}#${jobId}[${index}]`),
    );
    expect(other).toEqual([]);
  });

  it("name bash in every run: step of every composite action", () => {
    expect(
      compositeSteps.filter(({ step }) => step.run !== undefined && step.shell !== "bash"),
    ).toEqual([]);
  });
});

describe("composite actions", () => {
  it("put no expression inside a run: script", () => {
    expect(
      expressionsInRun(compositeSteps.map(({ action, step }) => ({ where: action, step }))),
    ).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("find an expression in a script, an unpinned action and a tag pin", () => {
    const bad: WorkflowFile = {
      path: "bad.yml",
      text: [
        "      - uses: actions/checkout@v5",
        "      - uses: actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444",
        "      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
        "      - uses: ./actions/pulumi-deploy",
      ].join("\n"),
      workflow: { on: "push", jobs: {} },
    };
    expect(unpinned(bad)).toEqual([
      "bad.yml:1: actions/checkout@v5",
      "bad.yml:2: actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444",
    ]);
    const step: Step = { run: 'echo "${{ github.event.pull_request.title }}"' };
    expect(expressionsInRun([{ where: "x", step }])).toEqual([
      "x: ${{ github.event.pull_request.title }}",
    ]);
  });
});
