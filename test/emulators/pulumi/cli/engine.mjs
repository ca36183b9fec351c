/** preview / up / refresh / destroy: the program diffed against the stack's state. */
import { appendFileSync, writeFileSync } from "node:fs";
import { CliError, errors, takeFault } from "./failures.mjs";
import { conceal, evaluate, loadProgram, programError, reveal } from "./program.mjs";
import { saveStack } from "./store.mjs";

const STACK_TYPE = "pulumi:pulumi:Stack";
const SYMBOLS = { create: "+", update: "~", delete: "-", same: " " };
const PAST = { create: "created", update: "updated", delete: "deleted", same: "unchanged" };

const urnOf = (ref, type, name) => `urn:pulumi:${ref.stack}::${ref.project}::${type}::${name}`;
const stackUrn = (ref) => urnOf(ref, STACK_TYPE, `${ref.project}-${ref.stack}`);
const providerUrn = (ref, type) =>
  `urn:pulumi:${ref.stack}::${ref.project}::pulumi:providers:${type.split(":")[0]}::default::7b99a6ae-83b6-49d1-a82d-3f9f7cf83d42`;

function resourceState(ref, resource, outputs) {
  return {
    type: resource.type,
    urn: urnOf(ref, resource.type, resource.name),
    custom: true,
    id: outputs ? `${resource.name}-${resource.type.length.toString(16)}a1b2c3` : "",
    parent: stackUrn(ref),
    inputs: conceal(resource.inputs),
    outputs: outputs ? conceal(resource.inputs) : {},
    provider: providerUrn(ref, resource.type),
  };
}

function stackState(ref, outputs) {
  return {
    type: STACK_TYPE,
    urn: stackUrn(ref),
    custom: false,
    id: "",
    parent: "",
    inputs: {},
    outputs: conceal(outputs ?? {}),
    provider: "",
  };
}

const sameInputs = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The steps that take the stack from its state to the program's (or to nothing). */
function plan(ref, data, desired, targets) {
  const targeted = (resource) =>
    !targets ||
    targets.some((t) => t === resource.name || t === urnOf(ref, resource.type, resource.name));
  const steps = [];
  const current = new Map(data.resources.map((r) => [urnOf(ref, r.type, r.name), r]));
  const stackOp =
    desired === null ? (data.deployed ? "delete" : "same") : data.deployed ? "same" : "create";
  steps.push({ op: stackOp, type: STACK_TYPE, name: `${ref.project}-${ref.stack}`, stack: true });
  for (const resource of desired ?? []) {
    const urn = urnOf(ref, resource.type, resource.name);
    const old = current.get(urn);
    current.delete(urn);
    const changed = !old ? "create" : sameInputs(old.inputs, resource.inputs) ? "same" : "update";
    steps.push({
      op: targeted(resource) ? changed : "same",
      old,
      new: targeted(resource) ? resource : (old ?? resource),
      type: resource.type,
      name: resource.name,
    });
  }
  for (const old of current.values()) {
    steps.push({
      op: targeted(old) ? "delete" : "same",
      old,
      new: targeted(old) ? undefined : old,
      type: old.type,
      name: old.name,
    });
  }
  // The root stack resource goes last when deleting, first otherwise.
  if (desired === null) steps.push(steps.shift());
  return steps.filter(
    (step) => !(step.stack && step.op === "same" && desired === null && !data.deployed),
  );
}

function summarize(steps) {
  const summary = {};
  for (const step of steps) summary[step.op] = (summary[step.op] ?? 0) + 1;
  return summary;
}

const hasChanges = (steps) => steps.some((step) => step.op !== "same");

/** Engine events, numbered like the real stream, echoed to --event-log. */
function eventWriter(flags) {
  let sequence = 0;
  const lines = [];
  if (flags["event-log"]) writeFileSync(flags["event-log"], "");
  return {
    emit(kind, body) {
      const line = JSON.stringify({
        sequence: sequence++,
        timestamp: Math.floor(Date.now() / 1000),
        [kind]: body,
      });
      lines.push(line);
      if (flags["event-log"]) appendFileSync(flags["event-log"], line + "\n");
      if (flags.json) process.stdout.write(line + "\n");
      // The real engine logs each program run at debug level (recorded: up.json).
      if (kind === "preludeEvent")
        this.emit("diagnosticEvent", {
          prefix: "debug: ",
          message: "Running program in the double\n",
          color: "never",
          severity: "debug",
        });
    },
    /** The summary that ends an update, refresh or destroy, and the event the stream closes with. */
    end(resourceChanges, maybeCorrupt = false, failed = maybeCorrupt) {
      this.emit("summaryEvent", {
        maybeCorrupt,
        durationSeconds: 1,
        resourceChanges,
        PolicyPacks: {},
        isPreview: false,
        result: failed ? "failed" : "succeeded",
      });
      this.emit("cancelEvent", {});
    },
    lines,
  };
}

function stepMetadata(ref, step, outputs) {
  const state = (resource, withOutputs) =>
    step.stack
      ? stackState(ref, withOutputs ? outputs : undefined)
      : resource
        ? resourceState(ref, resource, withOutputs)
        : null;
  return {
    op: step.op,
    urn: step.stack ? stackUrn(ref) : urnOf(ref, step.type, step.name),
    type: step.type,
    old: step.op === "create" ? null : state(step.old ?? step.new, true),
    new: step.op === "delete" ? null : state(step.new, step.op === "same"),
    detailedDiff: null,
    logical: true,
    provider: step.stack ? "" : providerUrn(ref, step.type),
  };
}

function previewStep(ref, step) {
  const meta = stepMetadata(ref, step);
  const out = { op: step.op, urn: meta.urn, detailedDiff: null };
  if (!step.stack) out.provider = meta.provider;
  if (meta.old) out.oldState = meta.old;
  if (meta.new) {
    // The nodejs SDK registers where each resource was declared (recorded: preview-json.json).
    meta.new = { ...meta.new, sourcePosition: "project:///index.js#1,1", stackTrace: [] };
    out.newState = meta.new.custom
      ? {
          ...meta.new,
          propertyDependencies: Object.fromEntries(
            Object.keys(meta.new.inputs).map((key) => [key, null]),
          ),
        }
      : meta.new;
  }
  return out;
}

function configForDisplay(data) {
  return Object.fromEntries(
    Object.entries(data.config).map(([key, entry]) => [
      key,
      entry.secret
        ? "[secret]"
        : typeof entry.value === "string"
          ? entry.value
          : JSON.stringify(entry.value),
    ]),
  );
}

function checkLocks(ref, backend, command) {
  const fqn = `${ref.org}/${ref.project}/${ref.stack}`;
  if (takeFault("locked", command, fqn)) {
    const base = backend.diy ? backend.url : "file:///home/runner/.pulumi";
    throw errors.locked(
      `${base}/.pulumi/locks/${ref.org}/${ref.project}/${ref.stack}/0b5c8f3e-4c1d-4b8e-9d55-6a4f1e2b7c90.json`,
    );
  }
  if (takeFault("conflict", command, fqn)) throw errors.conflict();
  const cancelled = takeFault("cancelled", command, fqn);
  if (cancelled) throw errors.cancelled(command === "up" ? "update" : command);
}

function policyFailure(ref, command, events, flags) {
  const fault = takeFault("policy", command, `${ref.org}/${ref.project}/${ref.stack}`);
  if (!fault) return;
  const pack = fault.pack ?? "security-policies";
  const policy = fault.policy ?? "no-public-ingress";
  const message = fault.message ?? "Ingress must not be open to 0.0.0.0/0.";
  events.emit("policyEvent", {
    resourceUrn: stackUrn(ref),
    message,
    color: "raw",
    policyName: policy,
    policyPackName: pack,
    policyPackVersion: "0.0.1",
    enforcementLevel: "mandatory",
  });
  if (!flags.json) {
    process.stdout.write(
      `\nPolicy Violations:\n    [mandatory]  ${pack} v0.0.1  ${policy} (${ref.project}-${ref.stack}: ${STACK_TYPE})\n    ${message}\n\n`,
    );
  }
  throw new CliError(
    "policy",
    `${command === "preview" ? "preview" : "update"} failed: 1 mandatory policy violation(s): [mandatory] ${pack} v0.0.1 ${policy}: ${message}`,
  );
}

function human(flags, text) {
  if (!flags.json) process.stdout.write(text);
}

function printSteps(flags, ref, steps, verb, past) {
  human(
    flags,
    `${verb} (${ref.org}/${ref.project}/${ref.stack})\n\n     Type                 Name        Status\n`,
  );
  for (const step of steps) {
    human(
      flags,
      ` ${SYMBOLS[step.op]}   ${step.type}  ${step.name}  ${past ? (step.op === "same" ? "" : PAST[step.op]) : step.op}\n`,
    );
  }
}

function printOutputs(flags, outputs) {
  const entries = Object.entries(conceal(outputs));
  if (entries.length === 0) return;
  human(flags, "\nOutputs:\n");
  for (const [key, value] of entries) {
    human(flags, `    ${key}: ${value === "[secret]" ? "[secret]" : JSON.stringify(value)}\n`);
  }
}

function printSummary(flags, summary, seconds) {
  human(flags, "\nResources:\n");
  for (const op of ["create", "update", "delete"]) {
    if (summary[op]) human(flags, `    ${SYMBOLS[op]} ${summary[op]} ${PAST[op]}\n`);
  }
  if (summary.same) human(flags, `    ${summary.same} unchanged\n`);
  human(flags, `\nDuration: ${seconds}s\n`);
}

/** The program's `logs` (pulumi.log.info in a real program) as diagnostic events. */
function emitLogs(ctx, events, flags) {
  for (const message of loadProgram(ctx.project.dir).logs) {
    events.emit("diagnosticEvent", {
      urn: stackUrn(ctx.ref),
      prefix: "info: ",
      message: `${message}\n`,
      color: "raw",
      severity: "info",
    });
    human(flags, `    ${message}\n`);
  }
}

function desiredState(ctx, command) {
  const program = loadProgram(ctx.project.dir);
  const fault = takeFault(
    "program-error",
    command,
    `${ctx.ref.org}/${ctx.ref.project}/${ctx.ref.stack}`,
  );
  if (fault) throw programError(fault.message ?? "boom", ctx.project.dir);
  return evaluate(program, ctx.data.config, ctx.ref.project, ctx.project.dir);
}

/**
 * The program's state, or, when the program throws, its error as the real engine reports it:
 * an error diagnostic in the events (and in `preview --json`'s document), nothing on stderr.
 */
function desiredOrFail(ctx, command, events, flags) {
  try {
    return desiredState(ctx, command);
  } catch (error) {
    if (!error.diagnostic) throw error;
    events.emit("preludeEvent", { config: configForDisplay(ctx.data) });
    events.emit("diagnosticEvent", {
      prefix: "error: ",
      message: error.diagnostic,
      color: "never",
      severity: "error",
    });
    events.emit("summaryEvent", {
      maybeCorrupt: false,
      durationSeconds: 0,
      resourceChanges: {},
      PolicyPacks: {},
      isPreview: command === "preview",
      result: "failed",
    });
    if (command === "preview" && flags.json) {
      const diagnostics = [{ message: `error: ${error.diagnostic}`, severity: "error" }];
      process.stdout.write(
        JSON.stringify(
          {
            config: configForDisplay(ctx.data),
            steps: [],
            diagnostics,
            duration: 0,
            changeSummary: {},
          },
          null,
          4,
        ) + "\n",
      );
    } else {
      human(
        flags,
        `Diagnostics:\n  ${STACK_TYPE} (${ctx.ref.project}-${ctx.ref.stack}):\n    error: ${error.diagnostic}\n`,
      );
    }
    throw error;
  }
}

export function preview(ctx, flags) {
  const { ref, data } = ctx;
  // Previews take no lock (recorded: preview-while-locked.json); a Cloud 409 still applies.
  if (takeFault("conflict", "preview", `${ref.org}/${ref.project}/${ref.stack}`))
    throw errors.conflict();
  const events = eventWriter({ ...flags, json: false });
  const started = process.hrtime.bigint();
  const desired = desiredOrFail(ctx, "preview", events, flags);
  const steps = plan(ref, data, desired.resources, flags.target);
  events.emit("preludeEvent", { config: configForDisplay(data) });
  for (const step of steps)
    events.emit("resourcePreEvent", {
      metadata: stepMetadata(ref, step, desired.outputs),
      planning: true,
    });
  policyFailure(ref, "preview", events, flags);
  const summary = summarize(steps);
  events.emit("summaryEvent", {
    maybeCorrupt: false,
    durationSeconds: 0,
    resourceChanges: summary,
    PolicyPacks: {},
  });
  if (flags.json) {
    const document = {
      config: configForDisplay(data),
      steps: steps
        .filter((step) => step.op !== "same" || flags["show-sames"])
        .map((step) => previewStep(ref, step)),
      outputs: conceal(desired.outputs),
      changeSummary: summary,
      duration: Number(process.hrtime.bigint() - started),
    };
    process.stdout.write(JSON.stringify(document, null, 4) + "\n");
  } else {
    printSteps(flags, ref, steps, "Previewing update", false);
    printOutputs(flags, desired.outputs);
    printSummary(flags, summary, 1);
  }
  if (flags["expect-no-changes"] && hasChanges(steps)) throw errors.expectedNoChanges("preview");
}

function record(ctx, resources, outputs, flags) {
  ctx.data.resources = resources;
  ctx.data.outputs = outputs;
  ctx.data.lastUpdate = new Date().toISOString();
  ctx.data.updates = (ctx.data.updates ?? 0) + 1;
  if (flags.message) ctx.data.lastMessage = flags.message;
  saveStack(ctx.ref, ctx.data);
}

export function up(ctx, flags) {
  const { ref, data } = ctx;
  checkLocks(ref, ctx.backend, "up");
  const events = eventWriter(flags);
  const desired = desiredOrFail(ctx, "up", events, flags);
  const steps = plan(ref, data, desired.resources, flags.target);
  // No check before applying: `up --expect-no-changes` applies the update, then fails
  // (recorded: up-expect-no-changes-applies.json).
  events.emit("preludeEvent", { config: configForDisplay(data) });
  emitLogs(ctx, events, flags);
  policyFailure(ref, "up", events, flags);
  printSteps(flags, ref, steps, "Updating", true);

  const failure = takeFault("fail-up-after", "up", `${ref.org}/${ref.project}/${ref.stack}`);
  const resources = data.resources.filter((old) =>
    steps.some((s) => s.op === "same" && s.old === old),
  );
  let changed = 0;
  for (const step of steps) {
    const metadata = stepMetadata(ref, step, desired.outputs);
    if (failure && !step.stack && step.op !== "same" && changed >= (failure.after ?? 1)) {
      const message =
        failure.message ??
        `creating ${step.type} (${step.name}): operation error: StatusCode: 400, api error InvalidParameterValue`;
      events.emit("resourcePreEvent", { metadata });
      events.emit("diagnosticEvent", {
        urn: metadata.urn,
        prefix: "error: ",
        message: `${message}\n`,
        color: "raw",
        severity: "error",
      });
      events.emit("resOpFailedEvent", { metadata, status: 2, steps: 1 });
      // maybeCorrupt stays false for a failed create (recorded: up-resource-failed.json).
      events.end(summarize(steps.filter((s) => s.op === "same" || s.stack)), false, true);
      // What was created before the failure is in the state, as with the real engine.
      record(ctx, resources, data.outputs, flags);
      human(flags, `\nDiagnostics:\n  ${step.type} (${step.name}):\n    error: ${message}\n`);
      throw errors.engineFailed();
    }
    events.emit("resourcePreEvent", { metadata });
    if (step.op !== "same" && !step.stack) changed++;
    if (!step.stack && (step.op === "create" || step.op === "update")) resources.push(step.new);
    events.emit("resOutputsEvent", {
      metadata: {
        ...metadata,
        new:
          metadata.new &&
          (step.stack ? stackState(ref, desired.outputs) : resourceState(ref, step.new, true)),
      },
    });
  }
  const summary = summarize(steps);
  events.end(summary);
  record(ctx, resources, desired.outputs, flags);
  ctx.data.deployed = true;
  saveStack(ctx.ref, ctx.data);
  printOutputs(flags, flags["show-secrets"] ? reveal(desired.outputs) : desired.outputs);
  printSummary(flags, summary, 1);
  if (flags["expect-no-changes"] && hasChanges(steps)) throw errors.expectedNoChanges("update");
}

/**
 * `stack export`: the checkpoint's resources (URNs and types only; the double keeps no more),
 * in the real document's envelope `{version, deployment: {resources}}`.
 */
export function stackExport(ctx) {
  const { ref, data } = ctx;
  const resources = data.resources.map((r) => ({ urn: urnOf(ref, r.type, r.name), type: r.type }));
  const deployment = {
    resources: data.deployed ? [{ urn: stackUrn(ref), type: STACK_TYPE }, ...resources] : [],
  };
  process.stdout.write(JSON.stringify({ version: 3, deployment }, null, 4) + "\n");
}

export function refresh(ctx, flags) {
  checkLocks(ctx.ref, ctx.backend, "refresh");
  const events = eventWriter(flags);
  const steps = plan(ctx.ref, ctx.data, ctx.data.resources, undefined).map((step) => ({
    ...step,
    op: "same",
  }));
  events.emit("preludeEvent", { config: configForDisplay(ctx.data) });
  printSteps(flags, ctx.ref, steps, "Refreshing", true);
  const summary = summarize(ctx.data.deployed ? steps : []);
  events.end(summary);
  printSummary(flags, summary, 1);
}

export function destroy(ctx, flags) {
  const { ref, data } = ctx;
  checkLocks(ref, ctx.backend, "destroy");
  const events = eventWriter(flags);
  const steps = plan(ref, data, null, flags.target);
  events.emit("preludeEvent", { config: configForDisplay(data) });
  printSteps(flags, ref, steps, "Destroying", true);
  for (const step of steps) {
    const metadata = stepMetadata(ref, step, data.outputs);
    events.emit("resourcePreEvent", { metadata });
    events.emit("resOutputsEvent", { metadata });
  }
  const kept = data.resources.filter((old) => steps.some((s) => s.op === "same" && s.old === old));
  const summary = summarize(steps);
  events.end(summary);
  record(ctx, kept, kept.length > 0 ? data.outputs : {}, flags);
  ctx.data.deployed = kept.length > 0;
  saveStack(ctx.ref, ctx.data);
  printSummary(flags, summary, 1);
  human(
    flags,
    `\nThe resources in the stack have been deleted, but the history and configuration associated with the stack are still maintained.\n`,
  );
}
