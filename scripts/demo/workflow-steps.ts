/**
 * The action steps of one workflow run of the pull request, each run as a process with the
 * run's event and environment; the ones GitHub shows are followed by what the reviewer sees.
 */
import { join } from "node:path";
import type { RunOptions } from "../../test/harness/run-action.js";
import { repoRoot } from "../../test/harness/paths.js";
import { actionSpec } from "../../test/support/actions.js";
import { runScript } from "../../test/support/workflows.js";
import { BASE_REQUIRED_OUTPUTS } from "./program.js";
import {
  BASE_STACK,
  COMMENT_KEY,
  ENVIRONMENT,
  NAMESPACE,
  STACK,
  runContext,
  type WorkflowRun,
} from "./pull-request.js";
import type { Reviewer } from "./reviewer.js";
import { action, step } from "./steps.js";
import type { World } from "./world.js";

/** NAME=VALUE lines, the format of the actions' map inputs. */
export const lines = (record: Record<string, string | number>) =>
  Object.entries(record)
    .map(([name, value]) => `${name}=${value}`)
    .join("\n");

/** pulumi-deploy's summary `{"create":7,"update":0,...,"same":0}` as `7 to create`. */
function changes(summary = "{}"): string {
  const counts = Object.entries(JSON.parse(summary) as Record<string, number>).filter(
    ([op, count]) => op !== "same" && count > 0,
  );
  return counts.length > 0
    ? counts.map(([op, count]) => `${count} to ${op}`).join(", ")
    : "no changes";
}

/** The composite health-check's one step, run as written in its action.yml. */
const healthCheckScript = () =>
  (actionSpec("health-check").runs.steps as { run: string }[])[0]?.run ?? "";

export function workflowSteps(world: World, reviewer: Reviewer, run: WorkflowRun) {
  const context = runContext(run, world.github.url);
  /** What a step with the Pulumi CLI gets: the double on PATH, its backend, the project. */
  const withPulumi = (inputs: Record<string, string>): RunOptions => ({
    ...context,
    inputs,
    env: { ...context.env, ...world.pulumi.env },
    path: [world.pulumi.binDir],
    cwd: world.pulumi.workDir,
  });

  return {
    pulumi: (command: string, inputs: Record<string, string>) =>
      action(
        `pulumi-deploy ${command}`,
        "pulumi-deploy",
        withPulumi({ "stack-name": STACK, command, ...inputs }),
        (r) => changes(r.outputs.summary),
      ),

    verifyBase: () =>
      action(
        `verify-stack-ref ${BASE_STACK}`,
        "verify-stack-ref",
        withPulumi({
          "stack-ref": BASE_STACK,
          "required-outputs": BASE_REQUIRED_OUTPUTS.join("\n"),
          "kubeconfig-output": "kubeconfig",
        }),
        (r) => `outputs ${r.outputs.outputs}`,
      ),

    async comment(status: string, inputs: Record<string, string> = {}) {
      await action(
        `preview-comment ${status}`,
        "preview-comment",
        { ...context, inputs: { key: COMMENT_KEY, status, ...inputs } },
        (r) => `${r.outputs.result} comment ${r.outputs["comment-id"]}`,
      );
      reviewer.lookAtComment();
    },

    async deployment(stepName: string, inputs: Record<string, string> = {}) {
      const result = await action(
        `deployment-status ${stepName}`,
        "deployment-status",
        { ...context, inputs: { step: stepName, environment: ENVIRONMENT, ...inputs } },
        (r) =>
          r.outputs.deactivated !== undefined
            ? `${r.outputs.deactivated} marked inactive`
            : `deployment ${r.outputs["deployment-id"]}`,
      );
      reviewer.lookAtDeployments();
      return result;
    },

    healthCheck: (urls: string[]) =>
      step(
        "health-check (composite, its bash step)",
        () =>
          runScript(healthCheckScript(), {
            GITHUB_ACTION_PATH: join(repoRoot, "actions", "health-check"),
            HEALTH_URLS: urls.join("\n"),
            HEALTH_TIMEOUT_SECONDS: "20",
            HEALTH_INITIAL_DELAY_SECONDS: "1",
            HEALTH_MAX_DELAY_SECONDS: "2",
          }),
        (r) => `healthy=${r.outputs.healthy}`,
        (r) => [...r.errors, r.stdout, r.stderr],
      ),

    cleanupNamespace: () =>
      action(
        `cleanup-namespace ${NAMESPACE}`,
        "cleanup-namespace",
        {
          ...context,
          inputs: {
            namespace: NAMESPACE,
            kubeconfig: world.kubernetes.kubeconfig(),
            "required-label": "app.kubernetes.io/managed-by=pulumi",
            // Short, so the lingering content is forced rather than waited out.
            "timeout-seconds": "2",
          },
        },
        (r) => `${r.outputs.result}, leftovers ${r.outputs.leftovers}`,
      ),
  };
}

export type WorkflowSteps = ReturnType<typeof workflowSteps>;
