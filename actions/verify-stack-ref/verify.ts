/** The action's work, once the inputs are valid: lint, read the stack, check, report. */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { ActionError } from "../shared/errors.js";
import type { Inputs } from "../shared/inputs.js";
import { maskDeep } from "../shared/mask.js";
import { setOutputs } from "../shared/outputs.js";
import { resolveBackendUrl, stateDir } from "../shared/pulumi/backend.js";
import type { PulumiOptions } from "../shared/pulumi/cli.js";
import { PulumiError } from "../shared/pulumi/failure.js";
import {
  SECRET_PLACEHOLDER,
  readStackOutputs,
  revealStackOutputs,
} from "../shared/pulumi/outputs.js";
import { withRetries } from "../shared/pulumi/retry.js";
import { listStacks } from "../shared/pulumi/stacks.js";
import { annotate, appendSummary, info } from "../shared/runner.js";
import { stepTempDir } from "../shared/temp.js";
import type { inputs as inputShape } from "./inputs.js";
import { type ExecPolicy, type Probe, probeCluster } from "./probe.js";
import { type Finding, lintWorkDir } from "./lint.js";
import { type RequiredOutput, checkOutputs, parseRequired } from "./required.js";
import { renderSummary } from "./summary.js";

type VerifyInputs = Inputs<typeof inputShape>;

/** `dir`: the work-dir input, already checked to be a folder inside the workspace. */
function lint(dir: string): Finding[] {
  const root = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const findings = lintWorkDir(dir, (path) => relative(root, path) || path);
  for (const finding of findings) {
    annotate("error", finding.message, {
      title: "Pulumi stack YAML",
      file: finding.file,
      line: finding.line,
    });
  }
  return findings;
}

/** The stacks of the referenced project, fully named; undefined when the backend will not list them. */
async function projectStacks(
  org: string,
  project: string,
  options: PulumiOptions,
): Promise<string[] | undefined> {
  try {
    const stacks = await listStacks({ organization: org, project }, options);
    return stacks
      .map((s) => (s.name.includes("/") ? s.name : `${org}/${project}/${s.name}`))
      .sort();
  } catch {
    return undefined;
  }
}

function withHint(error: unknown, cloudUrl: string | undefined): unknown {
  if (!(error instanceof PulumiError) || error.kind !== "auth") return error;
  const hint = cloudUrl?.match(/^(?:file|s3|gs|azblob):/)
    ? "Check the credentials of the state backend."
    : "Pulumi Cloud needs PULUMI_ACCESS_TOKEN in the step's environment (or set cloud-url to a self-managed backend).";
  return new ActionError(error.message, {
    title: error.title,
    details: [...error.details, hint],
    cause: error,
  });
}

async function probe(name: string, value: unknown, exec: ExecPolicy): Promise<Probe> {
  if (value === undefined) return { reachable: false, reason: `the stack has no output '${name}'` };
  // The whole text, line by line, in case the output was not marked secret.
  if (typeof value === "string") maskDeep(value);
  return probeCluster(value, { exec });
}

export async function verify(inputs: VerifyInputs): Promise<void> {
  const { stackRef, kubeconfigOutput } = inputs;
  // The CLI runs in a folder of its own (below), so a relative file:// path is resolved here:
  // against work-dir when given, else the workspace.
  const base = resolve(inputs.workDir || process.env.GITHUB_WORKSPACE || process.cwd());
  const cloudUrl = inputs.cloudUrl && resolveBackendUrl(inputs.cloudUrl, base);
  const [org = "", project = ""] = stackRef.split("/");
  const findings = inputs.workDir ? lint(inputs.workDir) : [];
  const required: RequiredOutput[] = parseRequired(inputs.requiredOutputs);
  if (kubeconfigOutput && !required.some((r) => r.name === kubeconfigOutput))
    required.push({ name: kubeconfigOutput });

  // A folder of its own: a Pulumi.yaml in the workspace must not change what the CLI resolves.
  const options: PulumiOptions = {
    cwd: stepTempDir("verify-stack-ref"),
    backendUrl: cloudUrl,
    timeoutMs: inputs.timeoutMinutes * 60_000,
  };
  const retry = {
    onRetry: (e: PulumiError, n: number, ms: number) => info(`${e.title}; retry ${n} in ${ms} ms`),
  };

  const state = stateDir(cloudUrl);
  const stateMissing = state !== undefined && !existsSync(state);
  let outputs;
  try {
    // The CLI would fail with "unable to open state directory": no folder, no stack.
    if (stateMissing) throw new PulumiError("stack output", { exitCode: 6, stderr: "" });
    outputs = await withRetries(() => readStackOutputs(stackRef, options), retry);
  } catch (error) {
    if (!(error instanceof PulumiError) || error.kind !== "stack-missing")
      throw withHint(error, cloudUrl);
    const existingStacks = stateMissing ? [] : await projectStacks(org, project, options);
    setOutputs({ "stack-exists": false, missing: required.map((r) => r.name) });
    appendSummary(renderSummary({ stackRef, exists: false, existingStacks, checks: [], findings }));
    const listing = stateMissing
      ? `The state folder ${state} of the file:// backend does not exist.`
      : existingStacks === undefined
        ? "The backend did not list the project's stacks."
        : existingStacks.length === 0
          ? `Project ${org}/${project} has no stacks.`
          : `Stacks in ${org}/${project}: ${existingStacks.join(", ")}.`;
    throw new ActionError(`Stack '${stackRef}' does not exist. ${listing}`, {
      title: "Stack reference not found",
      details: error.details,
    });
  }

  const needsValues =
    kubeconfigOutput !== undefined ||
    required.some((r) => r.type && outputs.shown[r.name] === SECRET_PLACEHOLDER);
  const values = needsValues
    ? await withRetries(() => revealStackOutputs(stackRef, outputs, options), retry)
    : outputs.shown;
  const checks = checkOutputs(required, values);
  const kubeconfig = kubeconfigOutput
    ? {
        output: kubeconfigOutput,
        probe: await probe(kubeconfigOutput, values[kubeconfigOutput], {
          allowed: inputs.allowExecPlugin,
          passEnv: inputs.execPluginEnv,
        }),
      }
    : undefined;

  const shown = { ...outputs.shown };
  if (kubeconfigOutput && kubeconfigOutput in shown) shown[kubeconfigOutput] = SECRET_PLACEHOLDER;
  const missing = checks.filter((c) => c.status === "missing").map((c) => c.name);
  setOutputs({ outputs: shown, missing, "stack-exists": true });
  appendSummary(renderSummary({ stackRef, exists: true, checks, kubeconfig, findings }));
  info(`Stack ${stackRef} exists with outputs: ${Object.keys(shown).join(", ") || "none"}`);

  const problems = [
    ...missing.map((name) => `output '${name}' is missing`),
    ...checks.flatMap((c) =>
      c.status === "wrong-type" ? [`output '${c.name}' is ${c.actual}, expected ${c.type}`] : [],
    ),
    ...(kubeconfig && !kubeconfig.probe.reachable
      ? [`the cluster of output '${kubeconfig.output}' is unreachable: ${kubeconfig.probe.reason}`]
      : []),
    ...(findings.length > 0
      ? [`${findings.length} problem(s) in Pulumi YAML under ${inputs.workDir} (annotated)`]
      : []),
  ];
  if (kubeconfig?.probe.reachable) {
    info(
      `Cluster of output '${kubeconfig.output}' is reachable${kubeconfig.probe.version ? `: Kubernetes ${kubeconfig.probe.version}` : ""}`,
    );
  }
  if (problems.length > 0) {
    throw new ActionError(
      `Stack reference '${stackRef}' failed verification: ${problems.length} problem(s)`,
      {
        title: "Stack reference verification failed",
        details: problems,
      },
    );
  }
}
