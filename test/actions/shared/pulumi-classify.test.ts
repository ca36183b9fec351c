/**
 * Failure classification: from what the real CLI printed (test/fixtures/pulumi-cli, recorded
 * by scripts/record-pulumi-fixtures.ts), and, for what a local engine cannot produce (Pulumi
 * Cloud, object stores), from texts that name their source.
 */
import { describe, expect, it } from "vitest";
import {
  type CliFailure,
  classifyFailure,
  relevantLines,
  RETRYABLE,
} from "../../../actions/shared/pulumi/classify.js";
import { factsFromEvents, factsFromPreview } from "../../../actions/shared/pulumi/engine-facts.js";
import { PulumiError } from "../../../actions/shared/pulumi/failure.js";
import { recorded } from "../../fixtures/pulumi-cli.js";

/** A recorded run as the driver sees it: facts from its event log or preview document. */
function failureOf(name: string): CliFailure {
  const run = recorded(name);
  let facts;
  if (run.eventLog !== undefined) facts = factsFromEvents(run.eventLog);
  else if (run.command.startsWith("pulumi preview --json"))
    facts = factsFromPreview(JSON.parse(run.stdout));
  return { exitCode: run.exitCode, stderr: run.stderr, stdout: run.stdout, facts };
}

describe("classifyFailure on what the real CLI printed", () => {
  it.each([
    ["stack-select-missing", "stack-missing"],
    ["up-locked", "locked"],
    ["preview-json-expect-no-changes", "expected-no-changes"],
    ["up-expect-no-changes-applies", "expected-no-changes"],
    ["up-resource-failed", "resource"],
    ["up-preview-phase-failed", "program"],
    ["preview-json-program-error", "program"],
    ["destroy-remove-protected", "resource"],
    ["stack-output-wrong-passphrase", "decryption"],
    ["state-dir-missing", "config"],
    ["up-event-log-without-debug-commands", "config"],
    ["refresh-preview-only-yes", "config"],
  ])("%s is %s", (name, kind) => {
    expect(recorded(name).exitCode).not.toBe(0);
    expect(classifyFailure(failureOf(name))).toBe(kind);
  });

  it("a provider's `dial tcp ... i/o timeout` is the resource's failure, never the network's", () => {
    const failure = failureOf("up-resource-failed");
    expect(failure.stderr).toBe("");
    expect(failure.stdout).toContain("dial tcp 10.9.9.9:443: i/o timeout");
    expect(new PulumiError("up", failure).retryable).toBe(false);
  });

  it("headlines the resource's own error, on one line, not the stack's `update failed`", () => {
    const error = new PulumiError("up", failureOf("up-resource-failed"));
    expect(error.message).toBe(
      "`pulumi up` failed (exit code 1): dial tcp 10.9.9.9:443: i/o timeout",
    );
    const program = new PulumiError("up", failureOf("up-preview-phase-failed"));
    expect(program.message).toMatch(/failed with an unhandled exception: Error: boom$/);
  });

  // Issue #22 item 5: the cause of a TypeScript error is on the line after the one ending ":".
  it("keeps a multi-line exception's cause: the TS error after `Unable to compile TypeScript:`", () => {
    const facts = factsFromEvents(
      [
        JSON.stringify({
          sequence: 1,
          timestamp: 1,
          diagnosticEvent: {
            urn: "urn:pulumi:dev::app::pulumi:pulumi:Stack::app-dev",
            prefix: "error: ",
            message:
              "Running program '/w/app' failed with an unhandled exception:\nTSError: ⨯ Unable to compile TypeScript:\nindex.ts(3,7): error TS2322: Type 'number' is not assignable to type 'string'.\n\n    at createTSError (/w/node_modules/ts-node/src/index.ts:859:12)\n",
            color: "raw",
            severity: "error",
          },
        }),
      ].join("\n"),
    );
    const error = new PulumiError("up", { exitCode: 1, stderr: "", facts });
    expect(error.kind).toBe("program");
    expect(error.message).toBe(
      "`pulumi up` failed (exit code 1): Running program '/w/app' failed with an unhandled exception: TSError: ⨯ Unable to compile TypeScript: index.ts(3,7): error TS2322: Type 'number' is not assignable to type 'string'.",
    );
  });
});

// Pulumi Cloud and object stores, which no local engine can produce. Sources:
// 409: pkg/backend/httpstate/client (apitype.ErrorResponse "[409] Conflict: ..."), the
// Automation API's `isConcurrentUpdateError`; 401 / token: pkg/backend/httpstate/login.go;
// 5xx/429: the same "[code] message" error format; blob: gocloud.dev/blob errors
// ("(code=PermissionDenied)") with the S3 SDK's "AccessDenied ... status code: 403".
const CLOUD: [string, string, number][] = [
  [
    "conflict",
    "error: [409] Conflict: Another update is currently in progress.\nTo learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/common-errors/#conflict\n",
    1,
  ],
  [
    "auth",
    "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
    3,
  ],
  // What 3.274.1 prints for a token Pulumi Cloud answers 401 to: ErrUnauthorized in
  // pkg/backend/httpstate/backend.go:80 (line as read in the v3.260 tree; checked live:
  // test/emulators/pulumi/conformance.test.ts).
  ["auth", "error: Unauthorized: No credentials provided or are invalid.\n", 1],
  ["unavailable", "error: [503] Service Unavailable: the service is temporarily unavailable\n", 1],
  // Any 429 in 3.274.1: pkg/backend/httpstate/client/api.go:560, the 429 branch of
  // pulumiAPICall (v3.260 tree; checked live likewise).
  ["unavailable", "error: pulumi service: request rate-limit exceeded\n", 1],
  [
    "auth",
    'error: failed to load checkpoint: blob (key ".pulumi/stacks/app/dev.json") (code=PermissionDenied): operation error S3: GetObject, https response error StatusCode: 403, api error AccessDenied: Access Denied\n',
    1,
  ],
  [
    "network",
    'error: failed to get stack: Get "https://api.pulumi.com/api/stacks/acme/app/dev": dial tcp 104.18.22.7:443: read: connection reset by peer\n',
    1,
  ],
];

describe("classifyFailure on Pulumi Cloud and object-store texts (stand-ins, sources above)", () => {
  it.each(CLOUD)("%s", (kind, stderr, exitCode) => {
    expect(classifyFailure({ exitCode, stderr })).toBe(kind);
  });

  it("retries only locks, 409 conflicts and the Cloud API's 5xx/429", () => {
    expect([...RETRYABLE].sort()).toEqual(["conflict", "locked", "unavailable"]);
  });

  it("headlines the error line, not the 'Logging in using access token' line before it", () => {
    const stderr = `Logging in using access token from PULUMI_ACCESS_TOKEN\n${CLOUD[2]?.[1] ?? ""}`;
    const error = new PulumiError("up", { exitCode: 1, stderr });
    expect(error.message).toMatch(/: Unauthorized: No credentials provided or are invalid\.$/);
  });

  it('reads no stdout free text: an `"errorCode": 401` in a resource input is no auth failure', () => {
    const stdout = '    + inputs: {"errorCode": 401, "body": "Unauthorized"}\n';
    expect(classifyFailure({ exitCode: 1, stderr: "", stdout })).toBe("unknown");
  });

  it("calls a run the driver stopped a timeout", () => {
    expect(classifyFailure({ exitCode: 128, stderr: "", timedOut: true })).toBe("timeout");
  });
});

describe("relevantLines", () => {
  it("keeps stderr's last lines, without colour codes, and not the stdout log", () => {
    const stdout = Array.from({ length: 500 }, (_, i) => `resource ${i} created`).join("\n");
    const stderr = `${"noise\n".repeat(20)}\u001b[31merror:\u001b[0m the stack is currently locked by 1 lock(s).\n`;
    const lines = relevantLines({ exitCode: 1, stderr, stdout });
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("error: the stack is currently locked by 1 lock(s).");
  });

  it("names the kind in the title and keeps the recorded lock line as details", () => {
    const error = new PulumiError("up", failureOf("up-locked"));
    expect(error.title).toBe("Pulumi stack locked");
    expect(error.message).toMatch(
      /^`pulumi up` failed \(exit code 1\): the stack is currently locked/,
    );
    expect(error.details[0]).toMatch(/^ {2}file:\/\/.*\.json.*: created by /);
    expect(error.retryable).toBe(true);
  });
});
