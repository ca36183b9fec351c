/**
 * What the engine itself reported, read from its structured output: the events of
 * `--event-log` (one JSON object a line) or the document of `preview --json`. The real CLI
 * prints engine failures as diagnostics there (and on stdout), not on stderr, and exits 1.
 *
 * The event log holds one display session: `up` without --skip-preview rewrites it when the
 * update starts, so a log whose steps are all `planning` (a failed preview phase) says the
 * update never began.
 */

export interface Diagnostic {
  severity: string;
  message: string;
  /** The resource it is about; absent (or the stack's URN) for the program itself. */
  urn?: string;
}

/** One policy violation the engine reported (a PolicyEvent). */
export interface PolicyViolation {
  policyPack: string;
  policy: string;
  /** As the event says: "mandatory", "advisory", "remediate", ... */
  enforcementLevel: string;
  message: string;
  /** The resource it is about; absent for a stack-wide policy. */
  urn?: string;
  /**
   * IDs of the policy exceptions (a version 2 policy pack config's `exceptions`) that matched
   * it. The CLI fails no operation on an exempted violation, whatever its level.
   */
  exceptions: string[];
}

export interface EngineFacts {
  diagnostics: Diagnostic[];
  /** Every policy violation, in the order reported. */
  policyViolations: PolicyViolation[];
  /** Policy violations whose enforcement level stops the update: not exempted. */
  mandatoryPolicyViolations: string[];
  /** URNs whose operation failed (resOpFailedEvent). */
  failedUrns: string[];
  /** Whether any step really ran: a non-planning step that changes something, or a failed one. */
  updateStarted: boolean;
}

interface StepMetadata {
  op?: string;
  urn?: string;
}

interface EngineEvent {
  resourcePreEvent?: { metadata?: StepMetadata; planning?: boolean };
  resOpFailedEvent?: { metadata?: StepMetadata };
  diagnosticEvent?: { severity?: string; message?: string; urn?: string };
  policyEvent?: {
    enforcementLevel?: string;
    policyName?: string;
    policyPackName?: string;
    message?: string;
    resourceUrn?: string;
    exceptions?: { id?: string }[];
  };
}

/** Steps that change nothing: a `same` or a read does not count as the update starting. */
const NO_CHANGE_OPS = new Set(["same", "read", "refresh"]);

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001b\[[0-9;]*m|<\{%[a-z]+%\}>/g;

export function emptyFacts(): EngineFacts {
  return {
    diagnostics: [],
    policyViolations: [],
    mandatoryPolicyViolations: [],
    failedUrns: [],
    updateStarted: false,
  };
}

function clean(message: string): string {
  return message.replace(COLOUR, "").trim();
}

/**
 * Whether the CLI fails the operation over it: a mandatory (or remediate) level and no exception
 * (3.274.1, apitype.PolicyEvent.Exceptions: "An excepted violation doesn't fail the operation,
 * whatever its EnforcementLevel").
 */
function stopsTheUpdate(violation: PolicyViolation): boolean {
  const level = violation.enforcementLevel;
  return (level === "mandatory" || level === "remediate") && violation.exceptions.length === 0;
}

/** Facts from engine events, one JSON object a line; lines that are not JSON objects are skipped. */
export function factsFromEvents(ndjson: string): EngineFacts {
  const facts = emptyFacts();
  for (const line of ndjson.split(/\r?\n/)) {
    if (!line.startsWith("{")) continue;
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      continue;
    }
    const pre = event.resourcePreEvent;
    if (pre && !pre.planning && !NO_CHANGE_OPS.has(pre.metadata?.op ?? "same")) {
      facts.updateStarted = true;
    }
    const failed = event.resOpFailedEvent?.metadata?.urn;
    if (failed) {
      facts.failedUrns.push(failed);
      facts.updateStarted = true;
    }
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity && diagnostic.severity !== "debug" && diagnostic.message) {
      facts.diagnostics.push({
        severity: diagnostic.severity,
        message: clean(diagnostic.message),
        ...(diagnostic.urn ? { urn: diagnostic.urn } : {}),
      });
    }
    const policy = event.policyEvent;
    if (policy) {
      const violation: PolicyViolation = {
        policyPack: policy.policyPackName ?? "policy pack",
        policy: policy.policyName ?? "policy",
        enforcementLevel: policy.enforcementLevel ?? "",
        message: clean(policy.message ?? ""),
        ...(policy.resourceUrn ? { urn: policy.resourceUrn } : {}),
        exceptions: (policy.exceptions ?? []).flatMap((e) => (e.id ? [e.id] : [])),
      };
      facts.policyViolations.push(violation);
      if (stopsTheUpdate(violation))
        facts.mandatoryPolicyViolations.push(`${violation.policyPack}: ${violation.policy}`);
    }
  }
  return facts;
}

/** Facts from the one document `preview --json` prints, also when the preview failed. */
export function factsFromPreview(document: unknown): EngineFacts {
  const facts = emptyFacts();
  const diagnostics = (document as { diagnostics?: unknown } | null)?.diagnostics;
  if (!Array.isArray(diagnostics)) return facts;
  for (const raw of diagnostics as { severity?: string; message?: string; urn?: string }[]) {
    if (!raw.severity || !raw.message || raw.severity === "debug") continue;
    // The JSON display prefixes the message with its severity ("error: ...").
    const message = clean(raw.message).replace(/^(?:error|warning|info): /, "");
    facts.diagnostics.push({
      severity: raw.severity,
      message,
      ...(raw.urn ? { urn: raw.urn } : {}),
    });
  }
  return facts;
}

/** Whether a diagnostic is about a resource rather than the program (the stack resource). */
export function isResourceDiagnostic(diagnostic: Diagnostic): boolean {
  return diagnostic.urn !== undefined && !diagnostic.urn.includes("::pulumi:pulumi:Stack::");
}
