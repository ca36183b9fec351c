/** What every job of one workflow run shares: its event, github context, artifacts, log. */
import type { GitHubEmulator } from "../emulators/github/server.js";
import type { CancelTimings } from "../harness/cancel.js";
import type { JobScopes } from "../emulators/github/scopes.js";
import type { ProvenanceSigner } from "./attest-stand-in.js";
import type { ConcurrencyGroups } from "./concurrency.js";
import type { RunRecord } from "./records.js";
import type { ReplacedRun } from "./steps.js";
import type { Resolver } from "./uses.js";

/**
 * Which secret a job of a called workflow gets when its environment has a secret of the same
 * name as one its caller passed. GitHub documents "environment" (Reusing workflows: "If you
 * include the environment keyword in the reusable workflow at the job level, the environment
 * secret will be used, and not the secret passed from the caller workflow"); a public report
 * observed the passed one winning, which "caller" models (a passed non-empty value wins).
 */
export type SecretPrecedence = "environment" | "caller";

export interface ApprovalRequest {
  run: number;
  job: string;
  environment: string;
}

export interface BaseEnvFor {
  workspace: string;
  runnerTemp: string;
  eventPath: string;
  job: string;
  toolCache: string;
  idToken: boolean;
  /** What the job's OIDC token says beyond the run: its environment and workflow. */
  environment?: string;
  jobWorkflowRef: string;
  jobWorkflowSha: string;
}

export interface RunState {
  id: number;
  record: RunRecord;
  emulator: GitHubEmulator;
  resolver: Resolver;
  repository: string;
  workflowPath: string;
  /** The package as the examples name it, the ref they call it at, and its stand-in SHA. */
  packageRepository: string;
  packageRef: string;
  packageSha: string;
  packageRoot: string;
  github: Record<string, unknown>;
  vars: Record<string, string>;
  event: object;
  eventName: string;
  environmentSecrets: Record<string, Record<string, string>>;
  /** The token's permissions where no `permissions:` says (default: the repository's). */
  defaultScopes?: JobScopes | undefined;
  environmentSecretPrecedence: SecretPrecedence;
  concurrency: ConcurrencyGroups;
  approve(request: ApprovalRequest): Promise<boolean>;
  source(sha: string): string;
  /** This run's temp root and artifact store. */
  root: string;
  artifacts: string;
  /** The repository's Actions cache, shared by the runner's runs (empty when it starts). */
  caches: string;
  /** Sigstore for the attest stand-in (RunnerOptions.signProvenance). */
  signProvenance?: ProvenanceSigner | undefined;
  replaceRuns: Record<string, ReplacedRun>;
  stepTimeoutMs?: number;
  cancelTimings?: CancelTimings;
  baseEnv(job: BaseEnvFor): Record<string, string>;
  /** A test's hook before a job starts (to hold it, ordering runs as a race would). */
  beforeJob(path: string): Promise<void>;
  log(line: string): void;
}
