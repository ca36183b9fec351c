// Every call into this package is checked against its contract, the way GitHub would check
// it at run time (or silently not): a step's `with:` against the action's action.yml, a
// job's `with:`/`secrets:` against the reusable workflow's `workflow_call`, the outputs read
// back, and the permissions a caller grants against those the called jobs ask for.
import { describe, expect, it } from "vitest";
import { actionSpec } from "../support/actions.js";
import {
  loadWorkflow,
  loadWorkflows,
  ownAction,
  ownWorkflow,
  stringsIn,
  workflowCall,
  type CallInput,
  type Job,
  type Permissions,
  type Workflow,
  type WorkflowFile,
} from "../support/workflows.js";

const files = loadWorkflows();
const isExpression = (value: unknown) =>
  typeof value === "string" && /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(value);

function calleeOf(job: Job): Workflow | undefined {
  const file = job.uses ? ownWorkflow(job.uses) : undefined;
  return file ? loadWorkflow(`.github/workflows/${file}`).workflow : undefined;
}

/** Problems of the steps that run this package's actions. */
function actionCallProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(file.workflow.jobs)) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (!step.uses) continue;
      const where = `${jobId} step ${step.id ?? step.name ?? index + 1}`;
      const name = ownAction(step.uses);
      if (!name) {
        if (step.uses.startsWith("./"))
          problems.push(`${where}: ${step.uses} is no action of this package`);
        continue;
      }
      const declared = actionSpec(name).inputs ?? {};
      const given = Object.keys(step.with ?? {});
      for (const input of given) {
        if (!(input in declared)) problems.push(`${where}: ${name} has no input '${input}'`);
      }
      for (const [input, spec] of Object.entries(declared)) {
        if (spec.required && spec.default === undefined && !given.includes(input)) {
          problems.push(`${where}: ${name} requires input '${input}'`);
        }
      }
    }
  }
  return problems;
}

/** Problems of `steps.<id>.outputs.<name>` reads: the step exists and produces that output. */
function stepOutputProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(file.workflow.jobs)) {
    const steps = new Map((job.steps ?? []).filter((s) => s.id).map((s) => [s.id!, s]));
    for (const text of stringsIn({
      steps: job.steps,
      outputs: job.outputs,
      environment: job.environment,
    })) {
      for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const step = steps.get(id!);
        const action = step?.uses ? ownAction(step.uses) : undefined;
        if (!step) problems.push(`${jobId}: no step with id '${id}'`);
        else if (action && !(output! in (actionSpec(action).outputs ?? {}))) {
          problems.push(`${jobId}: ${action} (step ${id}) has no output '${output}'`);
        } else if (
          step.run &&
          !new RegExp(`(^|[\\s'"]|\\\\n)${output}(=|<<)`, "m").test(step.run)
        ) {
          problems.push(`${jobId}: step ${id} never writes output '${output}'`);
        }
      }
    }
  }
  return problems;
}

function typeProblem(name: string, input: CallInput, value: unknown): string | undefined {
  if (isExpression(value)) return undefined;
  const ok =
    input.type === "boolean"
      ? typeof value === "boolean"
      : input.type === "number"
        ? typeof value === "number"
        : typeof value === "string" || typeof value === "number";
  return ok ? undefined : `input '${name}' is a ${input.type}, got ${JSON.stringify(value)}`;
}

const LEVEL = { none: 0, read: 1, write: 2 } as const;
function level(permissions: Permissions | undefined, scope: string): number {
  if (permissions === "write-all") return 2;
  if (permissions === "read-all") return scope === "id-token" ? 0 : 1;
  return LEVEL[permissions?.[scope] ?? "none"];
}

/** Problems of the jobs that call this package's reusable workflows. */
function workflowCallProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(file.workflow.jobs)) {
    if (!job.uses) continue;
    if (job.uses.startsWith("./") && !ownWorkflow(job.uses))
      problems.push(`${jobId}: ${job.uses} does not exist`);
    const callee = calleeOf(job);
    if (!callee) continue;
    const contract = workflowCall(callee);
    if (!contract) {
      problems.push(`${jobId}: ${job.uses} is not a reusable workflow (no workflow_call)`);
      continue;
    }
    const inputs = contract.inputs ?? {};
    const given = job.with ?? {};
    for (const [name, value] of Object.entries(given)) {
      const input = inputs[name];
      if (!input) problems.push(`${jobId}: ${job.uses} has no input '${name}'`);
      else {
        const problem = typeProblem(name, input, value);
        if (problem) problems.push(`${jobId}: ${problem}`);
      }
    }
    for (const [name, input] of Object.entries(inputs)) {
      if (input.required && !(name in given))
        problems.push(`${jobId}: ${job.uses} requires input '${name}'`);
    }
    const secrets = contract.secrets ?? {};
    if (job.secrets !== "inherit") {
      for (const name of Object.keys(job.secrets ?? {})) {
        if (!(name in secrets)) problems.push(`${jobId}: ${job.uses} has no secret '${name}'`);
      }
      for (const [name, secret] of Object.entries(secrets)) {
        if (secret.required && !(name in (job.secrets ?? {})))
          problems.push(`${jobId}: requires secret '${name}'`);
      }
    }
    // A called workflow's jobs get at most what the calling job grants; more fails the run.
    for (const [calleeJobId, calleeJob] of Object.entries(callee.jobs)) {
      const asked = calleeJob.permissions;
      const scopes = typeof asked === "object" ? Object.keys(asked) : [];
      for (const scope of scopes) {
        if (level(job.permissions, scope) < level(asked, scope)) {
          problems.push(
            `${jobId}: grants ${scope} below what ${job.uses} job '${calleeJobId}' needs`,
          );
        }
      }
    }
  }
  return problems;
}

/** Problems of `needs.<job>.outputs.<name>` and of a reusable workflow's own outputs. */
function jobOutputProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  const { jobs } = file.workflow;
  const outputsOf = (id: string): string[] | undefined => {
    const job = jobs[id];
    if (!job) return undefined;
    const callee = calleeOf(job);
    if (callee) return Object.keys(workflowCall(callee)?.outputs ?? {});
    return job.uses ? undefined : Object.keys(job.outputs ?? {});
  };
  for (const [jobId, job] of Object.entries(jobs)) {
    const needs = [job.needs ?? []].flat();
    for (const text of stringsIn(job)) {
      for (const [, id, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (!needs.includes(id!)) problems.push(`${jobId}: reads needs.${id} without needing it`);
        const known = outputsOf(id!);
        if (known && !known.includes(output!))
          problems.push(`${jobId}: job '${id}' has no output '${output}'`);
      }
    }
  }
  for (const [name, output] of Object.entries(workflowCall(file.workflow)?.outputs ?? {})) {
    for (const [, id, jobOutput] of output.value.matchAll(/jobs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const known = outputsOf(id!);
      if (!known?.includes(jobOutput!))
        problems.push(`output '${name}': job '${id}' has no output '${jobOutput}'`);
    }
  }
  return problems;
}

describe.each(files.map((f) => [f.path, f] as const))("%s", (_path, file) => {
  it("passes only known inputs to this package's actions, and every required one", () => {
    expect(actionCallProblems(file)).toEqual([]);
  });

  it("reads only outputs that the steps produce", () => {
    expect(stepOutputProblems(file)).toEqual([]);
  });

  it("calls this package's reusable workflows with their inputs, secrets and permissions", () => {
    expect(workflowCallProblems(file)).toEqual([]);
  });

  it("reads only job outputs that exist", () => {
    expect(jobOutputProblems(file)).toEqual([]);
  });
});

describe("the contract checks", () => {
  const deploy = loadWorkflow(".github/workflows/deploy.yml");

  it("see every action and reusable workflow call", () => {
    const actions = new Set(
      files
        .flatMap((f) => Object.values(f.workflow.jobs).flatMap((j) => j.steps ?? []))
        .flatMap((s) => (s.uses && ownAction(s.uses) ? [ownAction(s.uses)] : [])),
    );
    for (const name of [
      "build-image",
      "pulumi-deploy",
      "preview-comment",
      "deployment-status",
      "cleanup-namespace",
    ]) {
      expect(actions, name).toContain(name);
    }
    const calls = files.flatMap((f) =>
      Object.values(f.workflow.jobs).flatMap((j) => (j.uses ? [j.uses] : [])),
    );
    expect(calls.filter((uses) => ownWorkflow(uses)).length).toBeGreaterThanOrEqual(9);
  });

  it("catch an unknown input, a missing required one, a bad type and a missing permission", () => {
    const broken = structuredClone(deploy);
    const plan = broken.workflow.jobs.plan!;
    const preview = plan.steps!.find((s) => s.id === "preview")!;
    preview.with = { ...preview.with, "no-such-input": "x" };
    delete preview.with!.command;
    // plan-with-role shares plan's steps (a YAML alias): the same step, twice.
    expect(actionCallProblems(broken)).toEqual([
      "plan step preview: pulumi-deploy has no input 'no-such-input'",
      "plan step preview: pulumi-deploy requires input 'command'",
      "plan-with-role step preview: pulumi-deploy has no input 'no-such-input'",
      "plan-with-role step preview: pulumi-deploy requires input 'command'",
    ]);

    const caller = loadWorkflow(".github/workflows/deploy-preview.yml");
    const job = caller.workflow.jobs.preview!;
    job.with = { ...job.with, "destroy-on-failure": "yes", "no-such-input": 1 };
    delete job.with["environment-kind"];
    job.permissions = { contents: "read" };
    const problems = workflowCallProblems(caller);
    expect(problems).toContain("preview: input 'destroy-on-failure' is a boolean, got \"yes\"");
    expect(problems).toContain(
      "preview: $/.github/workflows/deploy.yml has no input 'no-such-input'",
    );
    expect(problems).toContain(
      "preview: $/.github/workflows/deploy.yml requires input 'environment-kind'",
    );
    expect(problems).toContain(
      "preview: grants id-token below what $/.github/workflows/deploy.yml job 'plan-with-role' needs",
    );
  });

  it("catch an output that no step writes", () => {
    const broken = structuredClone(deploy);
    broken.workflow.jobs.deploy!.outputs = { x: "${{ steps.up.outputs.no-such-output }}" };
    expect(stepOutputProblems(broken)).toContain(
      "deploy: pulumi-deploy (step up) has no output 'no-such-output'",
    );
  });
});
