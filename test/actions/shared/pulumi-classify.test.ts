/** Failure classification with the texts the real CLI prints (fixtures README), both exit-code generations. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  classifyFailure,
  relevantLines,
  RETRYABLE,
} from "../../../actions/shared/pulumi/classify.js";
import { PulumiError } from "../../../actions/shared/pulumi/failure.js";
import { sharedRoot } from "../../harness/paths.js";

const README = readFileSync(join(sharedRoot, "fixtures", "pulumi-cli", "README.md"), "utf8");

const LOCK =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
  "  s3://state/.pulumi/locks/acme/app/dev/1f2e.json: created by runner@fv-az12 (pid 2081) at 2026-05-01T10:00:00Z\n";

// [kind, stderr, new-generation exit code]
const CASES: [string, string, number][] = [
  ["stack-missing", "error: no stack named 'acme/app/pr-7' found\n", 6],
  ["locked", LOCK, 1],
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
  [
    "auth",
    "error: problem logging in: getting user info from https://api.pulumi.com: 401 HTTP error fetching user: Unauthorized: No credentials provided or are invalid.\n",
    3,
  ],
  [
    "decryption",
    'error: constructing secrets manager of type "passphrase": incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase\n',
    2,
  ],
  [
    "decryption",
    "error: failed to decrypt encrypted configuration value 'app:db': [400] Message authentication failed\n",
    2,
  ],
  ["expected-no-changes", "error: no changes were expected but changes were proposed\n", 7],
  ["expected-no-changes", "error: no changes were expected but changes occurred\n", 7],
  [
    "policy",
    "error: preview failed: 1 mandatory policy violation(s): [mandatory] sec v0.0.1 no-public-ingress\n",
    5,
  ],
  [
    "program",
    "    Error: boom\n        at Object.<anonymous> (/w/index.ts:12:11)\nerror: an unhandled error occurred: Program exited with non-zero exit code: 1\n",
    1,
  ],
  ["config", "error: unknown flag: --frobnicate\n", 2],
  ["config", "error: Missing required configuration variable 'app:images'\n", 1],
  [
    "network",
    'error: failed to get stack: Get "https://api.pulumi.com/api/stacks/acme/app/dev": dial tcp 104.18.22.7:443: read: connection reset by peer\n',
    1,
  ],
  ["cancelled", "error: update cancelled\n", 8],
  ["timeout", "error: operation timed out after 20m0s\n", 9],
  ["resource", "error: update failed\n", 4],
  ["unknown", "error: something nobody has seen before\n", 1],
];

describe("classifyFailure", () => {
  it("uses the error texts the fixtures README lists", () => {
    for (const text of [
      "no stack named 'ORG/PROJECT/STACK' found",
      "stack 'NAME' already exists",
      "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end",
      "[409] Conflict: Another update is currently in progress.",
    ]) {
      expect(README).toContain(text);
    }
  });

  it.each(CASES)(
    "%s from the text, on CLI >= 3.226 and on older CLIs (255)",
    (kind, stderr, code) => {
      expect(classifyFailure({ exitCode: code, stderr })).toBe(kind);
      expect(classifyFailure({ exitCode: 255, stderr })).toBe(kind);
    },
  );

  it("falls back to the new exit codes when the text says nothing", () => {
    const kinds = [2, 3, 4, 5, 6, 7, 8, 9, 1, 255].map((exitCode) =>
      classifyFailure({ exitCode, stderr: "" }),
    );
    expect(kinds).toEqual([
      "config",
      "auth",
      "resource",
      "policy",
      "stack-missing",
      "expected-no-changes",
      "cancelled",
      "timeout",
      "unknown",
      "unknown",
    ]);
  });

  it("puts the text before the exit code", () => {
    expect(classifyFailure({ exitCode: 6, stderr: LOCK })).toBe("locked");
  });

  it("reads stdout when stderr says nothing (policy violations print there)", () => {
    const stdout =
      "Policy Violations:\n    [mandatory]  sec v0.0.1  no-public-ingress (app-dev: pulumi:pulumi:Stack)\n";
    expect(classifyFailure({ exitCode: 255, stderr: "", stdout })).toBe("policy");
  });

  it("calls a run the driver stopped a timeout", () => {
    expect(classifyFailure({ exitCode: 128, stderr: "", timedOut: true })).toBe("timeout");
  });

  it("retries only locks, 409 conflicts and the network", () => {
    expect([...RETRYABLE].sort()).toEqual(["conflict", "locked", "network"]);
  });
});

describe("relevantLines and PulumiError", () => {
  it("keeps stderr's last lines, without colour codes, and not the stdout log", () => {
    const stdout = Array.from({ length: 500 }, (_, i) => `resource ${i} created`).join("\n");
    const stderr = `${"noise\n".repeat(20)}\u001b[31merror:\u001b[0m update failed\n`;
    const lines = relevantLines({ exitCode: 1, stderr, stdout });
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("error: update failed");
  });

  it("uses stdout's error lines when stderr is empty", () => {
    const stdout =
      "Updating (dev)\n  aws:s3:Bucket (b):\n    error: creating bucket: AccessDenied\nResources:\n";
    expect(relevantLines({ exitCode: 1, stderr: "", stdout })).toEqual([
      "    error: creating bucket: AccessDenied",
    ]);
  });

  it("names the kind in the title and keeps the lock line as details", () => {
    const error = new PulumiError("up", { exitCode: 255, stderr: LOCK });
    expect(error.title).toBe("Pulumi stack locked");
    expect(error.message).toMatch(
      /^`pulumi up` failed \(exit code 255\): the stack is currently locked/,
    );
    expect(error.details).toEqual([LOCK.split("\n")[1]]);
    expect(error.retryable).toBe(true);
    expect(new PulumiError("up", { exitCode: 5, stderr: "" }).retryable).toBe(false);
  });
});
