/**
 * The work of pulumi-deploy once inputs are valid: select (or create) the stack, set its
 * config and images, run the command, read the outputs, and publish what is known, also
 * when the command failed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cancelledBy } from "../shared/cancel.js";
import { ActionError } from "../shared/errors.js";
import { maskDeep } from "../shared/mask.js";
import { stateDir } from "../shared/pulumi/backend.js";
import { type PolicyViolation, factsFromEvents } from "../shared/pulumi/engine-facts.js";
import { setOutputs } from "../shared/outputs.js";
import { redact } from "../shared/redact.js";
import { annotate, appendSummary, endGroup, info, startGroup } from "../shared/runner.js";
import { stepTempDir } from "../shared/temp.js";
import type { DeployInputs } from "./checks.js";
import { type Cli, createCli, describeFailure, failedRun, failureStdout } from "./cli.js";
import type { ConfigEntry } from "./config.js";
import { ensurePulumi, installedVersion } from "./install.js";
import { resolvePulumiVersion } from "./version-range.js";
import { backendName, stackTraces, tracesSentence } from "./missing-stack.js";
import { budgetOutputs } from "./output-budget.js";
import { bytesLeft, fitRawOutput } from "./raw-output.js";
import { cancelTimeoutMs, leftLock } from "./lock.js";
import { type Plan, emptyCounts, hasChanges, planFromEvents, planFromPreview } from "./plan.js";
import { countsLine, renderPlan } from "./plan-markdown.js";
import { type Outputs, perOutputNames, splitOutputs } from "./stack-outputs.js";
import { type StateResource, addedByUpdate, stateResources } from "./state-diff.js";
import { renderSummary } from "./summary.js";

const DECLARED_OUTPUTS = [
  "outputs",
  "summary",
  "has-changes",
  "markdown-file",
  "duration-seconds",
  "policy-violations",
  "output",
];

/** What the run has learnt so far; published whether or not the command succeeded. */
interface Known {
  selected: boolean;
  /** This run created the stack. */
  created: boolean;
  /** What `preview --json` printed. */
  previewDocument?: string;
  /** The engine events file of up, refresh and destroy. */
  eventLog?: string;
  /** A plan known without the CLI (destroy of a stack that is gone). */
  plan?: Plan;
  plain?: Outputs;
  visible?: Outputs;
  note?: string;
  /** destroy-on-failure's baseline: the stack's resources before `up` changed anything. */
  before?: StateResource[];
  /** Why `before` could not be read. */
  beforeUnread?: string;
  /** What the command printed (the `output` output); not set when it failed. */
  output?: string;
}

/** `backend`: the resolved backend URL (shared/pulumi/backend.ts), undefined for Pulumi Cloud. */
export async function deploy(
  i: DeployInputs,
  config: readonly ConfigEntry[],
  backend: string | undefined,
): Promise<void> {
  const started = Date.now();
  if (i.pulumiVersion)
    await ensurePulumi(await resolvePulumiVersion(i.pulumiVersion, installedVersion));
  // A plugin folder of this step's own: on a reused runner, ~/.pulumi/plugins holds
  // providers that any earlier job (a pull request's program among them) could replace.
  if (i.isolatePlugins) process.env.PULUMI_HOME = stepTempDir("pulumi-plugins");
  const cli = createCli({ cwd: resolve(i.workDir), backendUrl: backend, retries: i.retries });
  const known: Known = {
    selected: false,
    created: false,
  };

  let failure: ActionError | undefined;
  try {
    await runCommand(i, config, cli, known, backend);
  } catch (error) {
    if (i.command === "preview") known.previewDocument ??= failureStdout(error);
    failure = describeFailure(error, failureContext(i));
    const stopped = failedRun(error);
    if (stopped && i.command !== "preview" && i.command !== "output") {
      const lock = { result: stopped, backendUrl: backend, eventLog: known.eventLog };
      if (leftLock(lock)) failure = await clearLeftLock(i, cli, failure);
    }
    // A cancelled step starts nothing more: the runner kills what is left within seconds.
    if (!cancelledBy()) {
      if (i.destroyOnFailure && i.command === "up" && updateStarted(known)) {
        failure = await destroyAfterFailure(i, cli, failure, known);
      }
      if (stopped && known.selected && ["up", "refresh", "destroy"].includes(i.command)) {
        failure = await reportPendingCreates(i, cli, failure);
      }
      // Outputs carry what is known: a stack keeps its outputs through a failed update, and
      // through destroy-on-failure of what that update created (a stack destroyed whole has
      // none: known.plain is set then).
      if (!known.plain && known.selected && i.command !== "destroy") {
        await readOutputs(i, cli, known).catch(() => undefined);
      }
    }
  }
  publish(i, known, Math.round((Date.now() - started) / 1000), failure);
  if (failure) throw failure;
}

/**
 * `pulumi cancel` for the lock the stopped command left (lock.ts says when), so that the
 * next run is not blocked; the outcome is added to the failure.
 */
async function clearLeftLock(
  i: DeployInputs,
  cli: Cli,
  failure: ActionError,
): Promise<ActionError> {
  let cleared = false;
  try {
    cleared = (await cli.cancel(i.stackName, cancelTimeoutMs())).exitCode === 0;
  } catch {
    // The CLI could not start: said below like any other failure to clear the lock.
  }
  const outcome = cleared
    ? `The stopped command left stack ${i.stackName} locked: \`pulumi cancel\` cleared the lock.`
    : `The stopped command left stack ${i.stackName} locked and \`pulumi cancel\` failed: run \`pulumi cancel --stack ${i.stackName}\` before the next update.`;
  info(outcome);
  return new ActionError(failure.message, {
    title: failure.title,
    details: [...failure.details, outcome],
    cause: failure,
  });
}

/**
 * Creates the stopped command left pending: every later `up` warns about them and no run
 * clears them, while the resources may exist in the cloud untracked. Said in the failure,
 * with what to do; a failure to read the state adds nothing.
 */
async function reportPendingCreates(
  i: DeployInputs,
  cli: Cli,
  failure: ActionError,
): Promise<ActionError> {
  const urns = await cli.pendingCreates(i.stackName).catch(() => []);
  if (urns.length === 0) return failure;
  const outcome = `${urns.length} pending CREATE operation(s) left in stack ${i.stackName}: ${urns.join(", ")}. Each resource may exist in the cloud without being in the state: import it (pulumi import), or once none exists run refresh with clear-pending-creates: true.`;
  info(outcome);
  return new ActionError(failure.message, {
    title: failure.title,
    details: [...failure.details, outcome],
    cause: failure,
  });
}

/**
 * Whether the failed update got as far as changing resources. A lock, a 409, a bad
 * passphrase or a failed preview phase (its steps are only `planning`) stops it before that,
 * and destroying then would tear down an environment that another run may be updating.
 */
function updateStarted(known: Known): boolean {
  return engineFacts(known)?.updateStarted ?? false;
}

function engineFacts(known: Known) {
  if (!known.eventLog || !existsSync(known.eventLog)) return undefined;
  return factsFromEvents(readFileSync(known.eventLog, "utf8"));
}

function failureContext(i: DeployInputs) {
  return { stack: i.stackName, tries: i.retries + 1, redact };
}

/** Selects the stack; creates it only when the CLI said it does not exist and upsert allows. */
async function selectStack(
  i: DeployInputs,
  cli: Cli,
  known: Known,
  backend: string | undefined,
): Promise<boolean> {
  // Creating a stack only to destroy it is never wanted, whatever upsert says.
  const upsert = willUpsert(i);
  const result = await cli.select(i.stackName, {
    create: upsert,
    secretsProvider: i.secretsProvider,
  });
  if (result === "created") {
    info(`Created stack ${i.stackName}`);
    known.created = true;
  }
  if (result !== "missing") return true;
  if (i.command === "destroy") return false;
  throw missingStack(i, backend, upsert ? "" : " and upsert is false");
}

/** The stack is not there: say where it was looked for and what the backend still holds. */
function missingStack(i: DeployInputs, backend: string | undefined, why: string): ActionError {
  const traces = stackTraces(backend, resolve(i.workDir), i.stackName);
  return new ActionError(
    `Stack '${i.stackName}' does not exist in ${backendName(backend)}${why}: pulumi ${i.command} needs an existing stack.${tracesSentence(traces)}`,
    { title: "Pulumi stack missing" },
  );
}

async function setConfig(i: DeployInputs, config: readonly ConfigEntry[], cli: Cli): Promise<void> {
  const stack = ["--stack", i.stackName];
  const plain = config.filter((c) => !c.secret).map((c) => `--plaintext=${c.key}=${c.value}`);
  if (plain.length > 0) await cli.run(["config", "set-all", ...stack, ...plain]);
  // Secrets go through stdin, never the command line that other processes can read.
  for (const entry of config.filter((c) => c.secret)) {
    // `--` before the key: `pulumi config set --help --secret` exits 0 and sets nothing.
    await cli.run(["config", "set", "--secret", ...stack, "--", entry.key], {
      stdin: entry.value,
    });
  }
  const images = Object.entries(i.images).map(([name, ref]) => `--plaintext=images.${name}=${ref}`);
  if (images.length > 0) await cli.run(["config", "set-all", "--path", ...stack, ...images]);
}

/** What the CLI runs: `up` with expect-no-changes runs `preview`. */
type CliCommand = "preview" | "up" | "refresh" | "destroy";

/** The flags of the inputs, for the command the CLI runs (checks.ts refused what none takes). */
function commandFlags(i: DeployInputs, run: CliCommand): string[] {
  const flags = ["--stack", i.stackName];
  if (i.refresh && run !== "refresh") flags.push("--refresh");
  if (i.expectNoChanges && run !== "destroy") flags.push("--expect-no-changes");
  for (const urn of i.target) flags.push("--target", urn);
  if (i.targetDependents) flags.push("--target-dependents");
  for (const urn of i.exclude) flags.push("--exclude", urn);
  if (i.excludeDependents) flags.push("--exclude-dependents");
  if (run === "preview" || run === "up") {
    for (const urn of i.replace) flags.push("--replace", urn);
    for (const pack of i.policyPacks) flags.push("--policy-pack", pack);
    for (const config of i.policyPackConfigs) flags.push("--policy-pack-config", config);
  }
  if (i.diff) flags.push("--diff");
  if (i.parallel > 0) flags.push("--parallel", String(i.parallel));
  if (i.suppressOutputs) flags.push("--suppress-outputs");
  if (i.suppressProgress) flags.push("--suppress-progress");
  if (i.debug) flags.push("--debug");
  if (i.continueOnError && (run === "up" || run === "destroy")) flags.push("--continue-on-error");
  if (i.message) flags.push("--message", i.message);
  // Update plans (pkg/cmd/pulumi/operations: preview --save-plan, up --plan).
  if (i.plan !== undefined && i.command === run) {
    const path = resolve(i.workDir, i.plan);
    if (run === "preview") flags.push("--save-plan", path);
    if (run === "up") flags.push("--plan", path);
  }
  if (run === "refresh" && i.clearPendingCreates) flags.push("--clear-pending-creates");
  if (run === "destroy" && i.excludeProtected) flags.push("--exclude-protected");
  if (run === "destroy" && i.removeStack) flags.push("--remove");
  return flags;
}

async function runCommand(
  i: DeployInputs,
  config: readonly ConfigEntry[],
  cli: Cli,
  known: Known,
  backend: string | undefined,
): Promise<void> {
  const state = stateDir(backend);
  if (!stateReady(i, state) || !(await selectStack(i, cli, known, backend))) {
    known.note = `Stack ${i.stackName} does not exist: nothing to destroy.`;
    known.plan = { counts: emptyCounts(), changes: [], failed: [], errors: [] };
    known.plain = known.visible = {};
    info(known.note);
    return;
  }
  known.selected = true;
  await setConfig(i, config, cli);

  known.eventLog = join(stepTempDir("pulumi-deploy"), "events.ndjson");
  const eventLog = known.eventLog;
  const timeoutMs = i.timeoutMinutes * 60_000;
  if (i.command === "preview" || (i.command === "up" && i.expectNoChanges)) {
    // A drift check of `up` is a preview: `up --expect-no-changes` checks only after applying.
    const { stdout } = await cli.run(["preview", "--json", ...commandFlags(i, "preview")], {
      echo: false,
      eventLog,
      timeoutMs,
    });
    known.previewDocument = known.output = stdout;
    // Without a plan, has-changes would be missing and a gate on it would read "no changes".
    if (!isJson(stdout)) {
      throw new ActionError(
        `Stack ${i.stackName}: \`pulumi preview --json\` exited 0 but printed no JSON plan, so whether it has changes is unknown`,
        { title: "Pulumi output unreadable" },
      );
    }
  } else if (i.command === "refresh" && i.expectNoChanges) {
    // Likewise `refresh --expect-no-changes` writes the refreshed state before it fails.
    // (The CLI refuses --yes with --preview-only.)
    const { stdout } = await cli.run(["refresh", "--preview-only", ...commandFlags(i, "refresh")], {
      echo: true,
      eventLog,
      timeoutMs,
    });
    known.output = stdout;
  } else if (i.command === "up") {
    if (i.destroyOnFailure && !known.created) await recordBefore(i, cli, known);
    // The preview is skipped: it would plan the same update a second time.
    const { stdout } = await cli.run(["up", "--yes", "--skip-preview", ...commandFlags(i, "up")], {
      echo: true,
      eventLog,
      timeoutMs,
    });
    known.output = stdout;
  } else if (i.command === "refresh" || i.command === "destroy") {
    const { stdout } = await cli.run([i.command, "--yes", ...commandFlags(i, i.command)], {
      echo: true,
      eventLog,
      timeoutMs,
    });
    known.output = stdout;
  } else {
    known.eventLog = undefined;
  }
  if (i.command === "destroy") known.plain = known.visible = {};
  else await readOutputs(i, cli, known);
}

/**
 * A file:// backend's folder: the CLI fails when it is missing ("unable to open state
 * directory"). Created when this run may create the stack; for destroy it means there is no
 * stack to destroy (false); otherwise the stack cannot exist.
 */
function stateReady(i: DeployInputs, state: string | undefined): boolean {
  if (!state || existsSync(state)) return true;
  if (willUpsert(i)) {
    mkdirSync(state, { recursive: true });
    return true;
  }
  if (i.command === "destroy") return false;
  throw new ActionError(
    `Stack '${i.stackName}' does not exist: the state folder ${state} of the file:// backend is missing, and pulumi ${i.command} needs an existing stack. Check the backend path (cloud-url, PULUMI_BACKEND_URL or backend.url in Pulumi.yaml).`,
    { title: "Pulumi stack missing" },
  );
}

/** Whether the run may create the stack: never for destroy, by default for preview and up. */
function willUpsert(i: DeployInputs): boolean {
  return i.command !== "destroy" && (i.upsert ?? (i.command === "preview" || i.command === "up"));
}

/** Reads the outputs with and without secrets; every secret is masked before anything else. */
async function readOutputs(i: DeployInputs, cli: Cli, known: Known): Promise<void> {
  const { shown, revealed } = await cli.outputs(i.stackName);
  const split = splitOutputs(revealed, shown);
  // The driver masked what printed as "[secret]"; this also covers values the two reads
  // disagree on (the stack changed in between).
  for (const secret of split.secrets) maskDeep(secret);
  known.plain = revealed;
  known.visible = split.visible;
}

/**
 * destroy-on-failure after a failed `up`: a stack this run created goes whole; in an existing
 * one, only what the update added (state-diff.ts), never what the stack held before. Every
 * step may fail (reading the state, the destroy): the update's failure stays the reported
 * one and the outcome of the cleanup is added to it.
 */
async function destroyAfterFailure(
  i: DeployInputs,
  cli: Cli,
  failure: ActionError,
  known: Known,
): Promise<ActionError> {
  // destroyAdded says what each of its steps did; anything else thrown stops it before the
  // destroy, which is the one step that removes anything.
  const outcome = await destroyAdded(i, cli, known).catch(
    (error: unknown) =>
      `stopped (${describeFailure(error, failureContext(i)).message}); nothing was destroyed.`,
  );
  return new ActionError(failure.message, {
    title: failure.title,
    details: [...failure.details, `destroy-on-failure: ${outcome}`],
    cause: failure,
  });
}

async function destroyAdded(i: DeployInputs, cli: Cli, known: Known): Promise<string> {
  const kept = `nothing was destroyed: what the failed update created is still in stack ${i.stackName}`;
  let targets: string[] = [];
  if (!known.created) {
    if (!known.before) {
      return `the stack's state before the update could not be read (${known.beforeUnread ?? "not read"}), so ${kept}.`;
    }
    let after: StateResource[];
    try {
      after = await readState(i, cli);
    } catch (error) {
      return `the stack's state after the failed update could not be read (${describeFailure(error, failureContext(i)).message}), so ${kept}.`;
    }
    targets = addedByUpdate(known.before, after);
    if (targets.length === 0) return "the failed update created nothing to destroy.";
  }
  info(
    `destroy-on-failure: destroying what the failed update of ${i.stackName} created${known.created ? " (the whole new stack)" : `: ${targets.length} resource(s)`}`,
  );
  try {
    // No --target-dependents: every dependent of a target is a target (state-diff.ts), and
    // the flag would reach whatever depends on them.
    const flags = targets.flatMap((urn) => ["--target", urn]);
    await cli.run(["destroy", "--yes", "--stack", i.stackName, ...flags], {
      echo: true,
      timeoutMs: i.timeoutMinutes * 60_000,
    });
  } catch (error) {
    return `the destroy failed too: ${describeFailure(error, failureContext(i)).message}`;
  }
  if (known.created) known.plain = known.visible = {};
  return "the resources of the failed update were destroyed.";
}

/** The stack's resources (`stack export`: secrets stay encrypted). */
async function readState(i: DeployInputs, cli: Cli): Promise<StateResource[]> {
  const { stdout } = await cli.run(["stack", "export", "--stack", i.stackName]);
  try {
    return stateResources(stdout);
  } catch {
    throw new ActionError("`pulumi stack export` printed no readable state", {
      title: "Pulumi output unreadable",
    });
  }
}

/** Records what the stack holds before `up` changes it; a failure only disables the cleanup. */
async function recordBefore(i: DeployInputs, cli: Cli, known: Known): Promise<void> {
  try {
    known.before = await readState(i, cli);
  } catch (error) {
    known.beforeUnread = describeFailure(error, failureContext(i)).message;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function planOf(known: Known): Plan | undefined {
  if (known.plan) return known.plan;
  if (known.previewDocument) {
    try {
      return planFromPreview(JSON.parse(known.previewDocument), redact);
    } catch {
      return undefined;
    }
  }
  if (known.eventLog && existsSync(known.eventLog))
    return planFromEvents(readFileSync(known.eventLog, "utf8"), redact);
  return undefined;
}

/** Step outputs, the markdown file and the job summary: whatever is known, secrets hidden. */
function publish(
  i: DeployInputs,
  known: Known,
  seconds: number,
  failure: ActionError | undefined,
): void {
  const plan = planOf(known);
  let markdownFile: string | undefined;
  if (plan) {
    markdownFile = join(stepTempDir("pulumi-deploy"), `${i.command}.md`);
    // Redacted whole as well: a non-secret output may still embed a secret config value.
    const markdown = redact(
      renderPlan({ command: i.command, stack: i.stackName, plan, failed: failure?.message }),
    );
    writeFileSync(markdownFile, markdown);
    // The preview's JSON is not echoed while it runs, so its plan goes to the log here.
    if (i.command === "preview") {
      startGroup(`Plan: ${countsLine(plan.counts, true).replace(/\*\*/g, "")}`);
      info(markdown);
      endGroup();
    }
  }
  const perOutput: Record<string, string> = {};
  if (known.plain) {
    const { names, skipped } = perOutputNames(Object.keys(known.plain), DECLARED_OUTPUTS);
    for (const reason of skipped)
      annotate("warning", reason, { title: "Stack output not exposed" });
    for (const [key, name] of names) {
      const value = known.plain[key];
      perOutput[name] = typeof value === "string" ? value : JSON.stringify(value ?? null);
    }
  }
  const violations = policyViolations(known);
  const declared: Record<string, string> = { "duration-seconds": String(seconds) };
  if (violations) declared["policy-violations"] = JSON.stringify(violations);
  if (plan) {
    declared.summary = JSON.stringify(plan.counts);
    declared["has-changes"] = String(hasChanges(plan.counts));
  }
  if (markdownFile) declared["markdown-file"] = markdownFile;
  const { outputs, omitted } = budgetOutputs(declared, known.visible ?? {}, perOutput);
  for (const reason of omitted) annotate("warning", reason, { title: "Stack output not exposed" });
  const revealed = Object.fromEntries(
    Object.entries(outputs).filter(([name]) => name in perOutput),
  );
  // A stack's outputs, secret ones too, are what a later step asked for (and are masked).
  setOutputs(revealed, { revealed: true });
  setOutputs(Object.fromEntries(Object.entries(outputs).filter(([name]) => !(name in perOutput))));
  // Last, in what the others left: a secret in it (a program's log line) is redacted first.
  if (known.output !== undefined) {
    const output = fitRawOutput(redact(known.output), bytesLeft(outputs));
    if (output !== undefined) setOutputs({ output });
  }
  appendSummary(
    renderSummary({
      command: i.command,
      stack: i.stackName,
      counts: plan?.counts,
      durationSeconds: seconds,
      outputs: known.visible,
      failure: failure?.message,
      note: known.note,
      policyViolations: violations,
    }),
  );
}

/** What policy packs reported, when the engine ran; a pack's message may quote a secret. */
function policyViolations(known: Known): PolicyViolation[] | undefined {
  return engineFacts(known)?.policyViolations.map((v) => ({ ...v, message: redact(v.message) }));
}
