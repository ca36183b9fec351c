/** What a run leaves for a test to read: per job its result, outputs, steps and log. */
import type { Annotation } from "../harness/run-action.js";

export type Result = "success" | "failure" | "cancelled" | "skipped";

export interface StepRecord {
  name: string;
  outcome: Result;
  conclusion: Result;
  /** Which part ran it: "run (bash -e {0})", "package action", "stand-in", ... */
  kind: string;
  /** Wall-clock time it took. */
  ms: number;
}

export interface JobRecord {
  /** `caller-job / called-job / ...`, the way GitHub names nested jobs. */
  path: string;
  name: string;
  result: Result;
  outputs: Record<string, string>;
  steps: StepRecord[];
  annotations: Annotation[];
  log: string[];
  summary: string;
  /** The job token's permissions (what GitHub computed for it), once the job started. */
  permissions?: Record<string, string>;
  /** The environment the job ran in, if any. */
  environment?: string;
  startedAt?: number;
  finishedAt?: number;
}

export interface RunRecord {
  id: number;
  workflow: string;
  event: string;
  jobs: JobRecord[];
  log: string[];
}

/** One job's errors, warnings and notices, as `level: title: message` lines. */
export function annotationLines(job: JobRecord): string[] {
  return job.annotations.map(
    (a) => `${a.level}: ${a.properties.title ? `${a.properties.title}: ` : ""}${a.message}`,
  );
}

/** A run's failed jobs with their annotations and last log lines, for an assertion message. */
export function failureLines(record: RunRecord): string[] {
  return record.jobs
    .filter((job) => job.result === "failure")
    .flatMap((job) => [`${job.path}:`, ...annotationLines(job), ...job.log.slice(-8)]);
}
