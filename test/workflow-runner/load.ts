/**
 * Loads a workflow with GitHub's own parser (`@actions/workflow-parser`) and expands every
 * reusable-workflow call, at any depth, with the library's own `convertReferencedWorkflow`.
 * The converter drops keys the runner still needs (permissions, defaults, timeout-minutes,
 * a step's with/shell/working-directory): those are read from the parsed tokens of the file
 * each job came from, which `rawJob` and `rawStep` give.
 */
import { readFileSync } from "node:fs";
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  parseWorkflow,
} from "@actions/workflow-parser";
import type {
  WorkflowTemplate,
  WorkflowJob,
} from "@actions/workflow-parser/model/workflow-template";
import { convertReferencedWorkflow } from "@actions/workflow-parser/model/converter/referencedWorkflow";
import { isMapping, isSequence } from "@actions/workflow-parser";
import type { TemplateContext } from "@actions/workflow-parser/templates/template-context";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import { resolveWorkflow, type Origin, type PackageCheckout, type Resolver } from "./uses.js";

export interface WorkflowFile {
  /** Absolute path. */
  path: string;
  origin: Origin;
  root: MappingToken;
  /** A package file from Resolver.packageAt: the checkout (ref and commit) it came from. */
  kit?: PackageCheckout;
}

export interface LoadedWorkflow {
  file: WorkflowFile;
  template: WorkflowTemplate;
  /** The file a job's definition is in (the called workflow's for expanded jobs). */
  fileOf(job: WorkflowJob): WorkflowFile;
  /** The called workflow's file of a reusable-workflow job. */
  calledFile(job: WorkflowJob): WorkflowFile;
}

/** One key of a parsed mapping, or undefined. */
export function member(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (pair.key.toString() === key) return pair.value;
  return undefined;
}

/** The job's own mapping in the file it was written in. */
export function rawJob(file: WorkflowFile, job: WorkflowJob): MappingToken {
  const token = member(member(file.root, "jobs"), job.id.value);
  if (!token || !isMapping(token)) throw new Error(`job ${job.id.value} not found in ${file.path}`);
  return token;
}

/** The n-th step's mapping of a job (the converter keeps the steps' order). */
export function rawStep(file: WorkflowFile, job: WorkflowJob, index: number): TemplateToken {
  const steps = member(rawJob(file, job), "steps");
  if (!steps || !isSequence(steps)) throw new Error(`job ${job.id.value} has no steps`);
  return steps.get(index);
}

function parse(path: string, origin: Origin, context?: TemplateContext) {
  const file = { name: path, content: readFileSync(path, "utf8") };
  const parsed = context
    ? parseWorkflow(file, context)
    : parseWorkflow(file, new NoOperationTraceWriter());
  if (!parsed.value || !isMapping(parsed.value)) {
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    throw new Error(`${path} does not parse: ${errors.join("; ")}`);
  }
  return { parsed, file: { path, origin, root: parsed.value } satisfies WorkflowFile };
}

export async function loadWorkflow(
  path: string,
  origin: Origin,
  resolver: Resolver,
): Promise<LoadedWorkflow> {
  const { parsed, file } = parse(path, origin);
  const context = parsed.context;
  const template = await convertWorkflowTemplate(context, file.root);
  const called = new Map<WorkflowJob, WorkflowFile>();

  const expand = (jobs: WorkflowJob[], from: WorkflowFile, depth: number) => {
    for (const job of jobs) {
      if (job.type !== "reusableWorkflowJob") continue;
      if (depth >= 4)
        throw new Error(`${from.path}: reusable workflows nest deeper than GitHub's limit of 4`);
      const target = resolveWorkflow(job.ref.value, from.origin, resolver, from.kit);
      // A parse per call: convertReferencedWorkflow fills this job from the file's tokens.
      const { file: parsed } = parse(target.path, target.origin, context);
      const fresh: WorkflowFile = target.kit ? { ...parsed, kit: target.kit } : parsed;
      convertReferencedWorkflow(context, fresh.root, job);
      called.set(job, fresh);
      expand(job.jobs ?? [], fresh, depth + 1);
    }
  };
  expand(template.jobs ?? [], file, 0);
  const errors = [
    ...(template.errors ?? []),
    ...context.errors.getErrors().map((e) => ({ Message: e.message })),
  ];
  if (errors.length > 0) {
    throw new Error(`${path}: ${[...new Set(errors.map((e) => e.Message))].join("; ")}`);
  }

  const byName = new Map<string, WorkflowFile>();
  for (const f of [file, ...called.values()]) byName.set(f.path, f);
  return {
    file,
    template,
    fileOf(job) {
      const name = job.id.file === undefined ? undefined : context.getFileName(job.id.file);
      const found = name === undefined ? undefined : byName.get(name);
      if (!found) throw new Error(`no file known for job ${job.id.value}`);
      return found;
    },
    calledFile(job) {
      const found = called.get(job);
      if (!found) throw new Error(`job ${job.id.value} calls no workflow`);
      return found;
    },
  };
}
