// The hardening every workflow must keep: nothing spliced into a shell, third-party actions
// pinned by commit, least privilege per job, time limits, no fork code next to secrets, and
// the concurrency each environment needs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
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

  it("as a reusable workflow, checks out only the event's own commit, whatever event its caller runs on", () => {
    if (!workflowCall(file.workflow)) return;
    for (const { jobId, step } of stepsOf(file.workflow)) {
      if (!step.uses?.startsWith("actions/checkout@")) continue;
      expect(step.with?.ref, jobId).toBeUndefined();
      expect(step.with?.repository, jobId).toBeUndefined();
    }
  });

  it("asks for an OIDC token only in jobs that deploy, sign attestations, or call a kit workflow (and the npm publish)", () => {
    for (const [jobId, job] of jobsOf(file)) {
      if (typeof job.permissions !== "object" || job.permissions["id-token"] !== "write") continue;
      // npm's trusted publishing exchanges it (test/workflows/release.test.ts).
      if (file.path === ".github/workflows/release.yml" && jobId === "npm") continue;
      const deploys =
        (job.uses && ownWorkflow(job.uses)) ||
        (job.steps ?? []).some(
          (s) => s.uses?.startsWith(ATTEST) || (s.uses && ownAction(s.uses) === "pulumi-deploy"),
        );
      expect(deploys, `${jobId} has id-token: write`).toBeTruthy();
    }
  });

  it("signs attestations only in a job that runs no code of the pull request", () => {
    for (const [jobId, job] of jobsOf(file)) {
      const steps = job.steps ?? [];
      if (!steps.some((s) => s.uses?.startsWith(ATTEST))) continue;
      // Whoever runs code in the signing job can sign any digest as the kit's build: it has
      // no other step at all, so no checkout and no script.
      for (const step of steps)
        expect(step.uses ?? step.run, jobId).toMatch(/^actions\/attest-build-provenance@/);
    }
    // The legs that build (and run the pull request's Dockerfile) get no OIDC token.
    for (const [jobId, job] of jobsOf(file)) {
      const builds = (job.steps ?? []).some((s) => s.uses && ownAction(s.uses) === "build-image");
      if (builds && typeof job.permissions === "object")
        expect(job.permissions["id-token"], `${jobId}: id-token`).toBeUndefined();
    }
  });
});

/** GitHub's own signing action, the only step of build-images.yml's attest job. */
const ATTEST = "actions/attest-build-provenance@";

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
    expect(cancelInProgress(preview)).toBe(false);
    expect(JSON.stringify(preview.concurrency)).toContain("inputs.pr-number");
    for (const id of ["destroy", "destroy-with-role"]) {
      const cleanup = job("cleanup-preview.yml", id);
      expect(cancelInProgress(cleanup)).toBe(false);
      expect(cleanup.concurrency).toEqual(preview.concurrency);
    }
  });

  it("lets no later preview run cancel a waiting cleanup: every group of a preview queues (issue 24 item 4)", () => {
    expect(job("deploy-preview.yml", "preview").concurrency).toMatchObject({ queue: "max" });
    for (const id of ["destroy", "destroy-with-role"])
      expect(job("cleanup-preview.yml", id).concurrency).toMatchObject({ queue: "max" });
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
  const finishSteps = jobs.finish?.steps ?? [];
  const step = (steps: Step[], id: string) => steps.find((s) => s.id === id || s.name === id);

  it("marks the comment failed when the gate or a plan fails, or finish fails without commenting", () => {
    const report = jobs["report-failure"]!;
    expect(report.needs).toEqual(["gate", "plan", "plan-with-role", "finish"]);
    const condition = String(report.if);
    expect(condition).toMatch(/^\$\{\{ always\(\) && inputs\.pr-number > 0 && /);
    expect(condition).toContain("needs.gate.result == 'failure'");
    expect(condition).toContain("needs.plan.result == 'failure'");
    expect(condition).toContain("needs.plan-with-role.result == 'failure'");
    expect(condition).toContain(
      "(needs.finish.result == 'failure' && needs.finish.outputs.commented != 'true')",
    );
    expect(jobs.finish?.outputs?.commented).toBe("${{ steps.comment.outcome == 'success' }}");
    expect(step(finishSteps, "comment")?.uses).toBe("$/actions/preview-comment");
  });

  it("finishes the Deployment whatever happened to the deploy job once it was started", () => {
    expect(jobs.finish?.if).toBe(
      "${{ always() && needs.start.result != 'skipped' && needs.start.outputs.deploy != 'false' }}",
    );
    const finish = step(finishSteps, "Finish the deployment");
    expect(finish?.if).toBe("always() && needs.start.outputs.deployment-id != ''");
    expect(finish?.with?.status).toBe(
      "${{ env.DEPLOY_RESULT == 'success' && job.status || (env.DEPLOY_RESULT == 'cancelled' && 'cancelled' || 'failure') }}",
    );
    expect(jobs.finish?.needs).toEqual(
      expect.arrayContaining(["start", "deploy", "deploy-with-role"]),
    );
  });

  it("comments the result also when the deploy is cancelled, times out or is rejected", () => {
    for (const id of ["timings", "comment"])
      expect(step(finishSteps, id)?.if).toBe("always() && inputs.pr-number > 0");
    expect(step(finishSteps, "comment")?.with?.status).toBe(
      "${{ env.DEPLOY_RESULT == 'success' && job.status == 'success' && 'ready' || 'failed' }}",
    );
  });

  it("lets only previews destroy on failure", () => {
    const job = (path: string, id: string) =>
      loadWorkflow(`.github/workflows/${path}`).workflow.jobs[id]!;
    expect(job("deploy-dev.yml", "dev").with?.["destroy-on-failure"]).toBe(false);
    expect(job("deploy-production.yml", "production").with?.["destroy-on-failure"]).toBe(false);
    // deploy-gate refuses it outside a preview (test/actions/deploy-gate.test.ts).
    const gate = (jobs.gate?.steps ?? []).find((s) => s.id === "gate");
    expect(gate?.uses).toBe("$/actions/deploy-gate");
    expect(gate?.with?.["destroy-on-failure"]).toBe("${{ inputs.destroy-on-failure }}");
  });

  // #19 item 4: on a reused self-hosted runner a preview's program can write a provider into the
  // runner's ~/.pulumi/plugins; dev and production (plan and deploy) never take plugins from it.
  it("runs every dev and production Pulumi step with a plugin folder of its own", () => {
    const pulumiSteps = ["plan", "deploy"].flatMap((id) =>
      (jobs[id]?.steps ?? []).filter((s) => s.uses === "$/actions/pulumi-deploy"),
    );
    expect(pulumiSteps).toHaveLength(2);
    for (const step of pulumiSteps)
      expect(step.with?.["isolate-plugins"], step.name).toBe(
        "${{ inputs.environment-kind != 'preview' }}",
      );
    // The -with-role variants run the same steps (YAML anchors).
    expect(jobs["plan-with-role"]?.steps).toEqual(jobs.plan?.steps);
    expect(jobs["deploy-with-role"]?.steps).toEqual(jobs.deploy?.steps);
  });

  it("re-checks, right before the Deployment starts, that this run is still the one to deploy; deploys only then (finding 3)", () => {
    const steps = jobs.start?.steps ?? [];
    const at = (id: string) => steps.findIndex((s) => s.id === id);
    expect(at("current")).toBeGreaterThan(-1);
    expect(at("current")).toBe(at("start") - 1);
    expect(steps[at("start")]?.if).toBe("steps.current.outputs.deploy == 'true'");
    expect(jobs.start?.outputs?.deploy).toBe("${{ steps.current.outputs.deploy }}");
    for (const id of ["deploy", "deploy-with-role"])
      expect(String(jobs[id]?.if), id).toContain(
        "needs.start.result == 'success' && needs.start.outputs.deploy == 'true'",
      );
  });

  it("stores the images, whole references, under their own key of the Deployment's payload (finding 1)", () => {
    const start = (jobs.start?.steps ?? []).find((s) => s.id === "start");
    expect(start?.with?.payload).toBe('{"images":${{ needs.gate.outputs.image-refs }}}');
  });
});

/** The jobs of the package's workflows that run the caller's code: checkout, npm, Pulumi. */
const runsCallersCode = (job: Job) =>
  (job.steps ?? []).some(
    (s) =>
      s.uses?.startsWith("actions/checkout@") ||
      /\bnpm\b/.test(s.run ?? "") ||
      (s.uses !== undefined && ownAction(s.uses) === "pulumi-deploy"),
  );

describe("separation of duties (#19 items 1, 2)", () => {
  const reusable = files.filter((f) => f.path.startsWith(".github/") && workflowCall(f.workflow));
  const codeJobs = reusable.flatMap((file) =>
    jobsOf(file)
      .filter(([, job]) => job.steps && runsCallersCode(job))
      .map(([jobId, job]) => ({ where: `${file.path}#${jobId}`, jobId, job })),
  );

  it("finds the jobs that run the caller's code", () => {
    expect(codeJobs.map((j) => j.where).sort()).toEqual(
      [
        ".github/workflows/build-images.yml#build",
        ".github/workflows/cleanup-preview.yml#destroy",
        ".github/workflows/cleanup-preview.yml#destroy-with-role",
        ".github/workflows/deploy.yml#deploy",
        ".github/workflows/deploy.yml#deploy-with-role",
        ".github/workflows/deploy.yml#plan",
        ".github/workflows/deploy.yml#plan-with-role",
      ].sort(),
    );
  });

  it("gives them contents: read and nothing that writes Deployments or comments; id-token only to a -with-role variant that runs only with a role", () => {
    for (const { where, jobId, job } of codeJobs) {
      if (jobId === "build") {
        // docker build of the caller's images: pushing them is its one write.
        expect(job.permissions, where).toEqual({ contents: "read", packages: "write" });
        continue;
      }
      const withRole = jobId.endsWith("-with-role");
      expect(job.permissions, where).toEqual(
        withRole ? { contents: "read", "id-token": "write" } : { contents: "read" },
      );
      expect(String(job.if), where).toMatch(
        withRole ? /inputs\.aws(-plan)?-role-arn != ''/ : /inputs\.aws(-plan)?-role-arn == ''/,
      );
      // A Pulumi Cloud login by OIDC needs the token too: the same variant.
      expect(String(job.if), where).toContain(
        withRole
          ? "inputs.pulumi-oidc-organization != ''"
          : "inputs.pulumi-oidc-organization == ''",
      );
      // So does a preview's own Kubernetes user; in deploy.yml only for a preview (dev and
      // production deploy with their own kubeconfig).
      const kubernetes = where.includes("deploy.yml")
        ? "(inputs.kubernetes-oidc && inputs.environment-kind == 'preview')"
        : "inputs.kubernetes-oidc";
      expect(String(job.if), where).toContain(withRole ? `|| ${kubernetes}` : `!${kubernetes}`);
    }
  });

  it("runs the Deployment statuses, comments and the health check only in jobs that run no caller code", () => {
    for (const file of reusable)
      for (const [jobId, job] of jobsOf(file)) {
        const writes = (job.steps ?? []).filter((s) =>
          ["deployment-status", "preview-comment", "health-check"].includes(
            ownAction(s.uses ?? "") ?? "",
          ),
        );
        if (writes.length > 0) expect(runsCallersCode(job), `${file.path}#${jobId}`).toBe(false);
      }
  });

  it("installs the caller's dependencies with --ignore-scripts everywhere", () => {
    for (const file of reusable)
      for (const { jobId, step } of stepsOf(file.workflow))
        if (/\bnpm (ci|install)\b/.test(step.run ?? ""))
          expect(step.run, `${file.path}#${jobId}`).toContain("--ignore-scripts");
  });

  it("passes the sweep's kubernetes-oidc to each cleanup: its default-branch runs are the kit's cleanup user", () => {
    const sweep = loadWorkflow(".github/workflows/sweep-previews.yml").workflow;
    expect(workflowCall(sweep)?.inputs?.["kubernetes-oidc"]).toMatchObject({
      type: "boolean",
      default: false,
    });
    expect(JSON.stringify(sweep.jobs)).toContain(
      '"kubernetes-oidc":"${{ inputs.kubernetes-oidc }}"',
    );
  });

  it("keeps each variant pair identical but for permissions and if:", () => {
    for (const [path, pairs] of [
      ["deploy.yml", ["plan", "deploy"]],
      ["cleanup-preview.yml", ["destroy"]],
    ] as const) {
      const { jobs } = loadWorkflow(`.github/workflows/${path}`).workflow;
      for (const id of pairs) {
        const strip = ({ permissions: _p, if: _i, ...rest }: Job) => rest;
        expect(strip(jobs[`${id}-with-role`]!), `${path}#${id}`).toEqual(strip(jobs[id]!));
      }
    }
  });
});

describe("credentials before approval (finding 5)", () => {
  const { jobs } = loadWorkflow(".github/workflows/deploy.yml").workflow;

  it("plans only for trusted authors, in its own environment, with its own read token and never the deploy's", () => {
    for (const id of ["plan", "plan-with-role"]) {
      const plan = jobs[id]!;
      // ... and only while the pull request is open (a close during the build, finding 3).
      expect(plan.if).toContain(
        "needs.gate.outputs.trusted == 'true' && needs.gate.outputs.open == 'true'",
      );
      expect(plan.environment).toBe("${{ inputs.plan-environment }}");
      const text = JSON.stringify(plan);
      expect(text).not.toContain("inputs.aws-role-arn");
      expect(text).toContain("inputs.aws-plan-role-arn");
      expect(text).not.toContain("secrets.PULUMI_ACCESS_TOKEN");
      const tokens = (plan.steps ?? []).flatMap((s) =>
        s.env?.PULUMI_ACCESS_TOKEN === undefined ? [] : [s.env.PULUMI_ACCESS_TOKEN],
      );
      expect(tokens.length).toBe(2);
      for (const token of tokens) expect(token).toBe("${{ secrets.PULUMI_PLAN_ACCESS_TOKEN }}");
    }
  });

  it("starts an untrusted author's preview without a plan; its deploy waits for approval", () => {
    expect(String(jobs.start!.if)).toContain("needs.plan.result == 'skipped'");
    expect(jobs.deploy!.environment).toEqual({
      name: "${{ needs.gate.outputs.environment }}",
      url: "${{ steps.urls.outputs.first }}",
    });
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

  // Issue #19 item 8: `secrets: inherit` hands every repository secret to the package's jobs.
  it("are never passed to the kit by an example with secrets: inherit", () => {
    const examples = files.filter((f) => f.path.startsWith("action-docs/examples/"));
    expect(examples.length).toBeGreaterThan(0);
    for (const file of examples)
      for (const [id, job] of Object.entries(file.workflow.jobs ?? {}))
        expect((job as { secrets?: unknown }).secrets, `${file.path}#${id}`).not.toBe("inherit");
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
