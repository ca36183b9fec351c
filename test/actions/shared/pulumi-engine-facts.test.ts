import { homedir } from "node:os";
import { join } from "node:path";
/** The engine's structured report and the backend's resolution, on recorded real runs. */
import { describe, expect, it } from "vitest";
import { resolveBackendUrl, stateDir } from "../../../actions/shared/pulumi/backend.js";
import { factsFromEvents, factsFromPreview } from "../../../actions/shared/pulumi/engine-facts.js";
import { recorded } from "../../fixtures/pulumi-cli.js";

describe("factsFromEvents", () => {
  it("a failed preview phase of `up` (only planning steps) never started the update", () => {
    const facts = factsFromEvents(recorded("up-preview-phase-failed").eventLog ?? "");
    expect(facts.updateStarted).toBe(false);
  });

  it("a failed update started and failed on bad", () => {
    const facts = factsFromEvents(recorded("up-resource-failed").eventLog ?? "");
    expect(facts.updateStarted).toBe(true);
    expect(facts.failedUrns).toEqual(["urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::bad"]);
    expect(facts.diagnostics.every((d) => d.severity !== "debug")).toBe(true);
  });

  it("an exempted violation is reported with its exceptions and stops nothing, whatever its level", () => {
    // The shape of 3.274.1's apitype.PolicyEvent, as policy-pack.test.ts sees it on the real CLI.
    const event = (level: string, exceptions?: { id: string; reason: string }[]) =>
      JSON.stringify({
        policyEvent: {
          resourceUrn: "urn:pulumi:dev::app::pulumi-nodejs:dynamic:Resource::t0",
          message: "value 'forbidden' is not allowed",
          policyName: "no-forbidden-value",
          policyPackName: "kit-policies",
          enforcementLevel: level,
          ...(exceptions ? { exceptions } : {}),
        },
      });
    const facts = factsFromEvents(
      [
        event("mandatory", [{ id: "EXC-1", reason: "fixture" }]),
        event("advisory"),
        event("remediate", [{ id: "EXC-2", reason: "fixture" }]),
      ].join("\n"),
    );
    expect(facts.policyViolations.map((v) => [v.enforcementLevel, v.exceptions])).toEqual([
      ["mandatory", ["EXC-1"]],
      ["advisory", []],
      ["remediate", ["EXC-2"]],
    ]);
    expect(facts.mandatoryPolicyViolations).toEqual([]);
    expect(factsFromEvents(event("mandatory")).mandatoryPolicyViolations).toEqual([
      "kit-policies: no-forbidden-value",
    ]);
  });

  it("reads the diagnostics `preview --json` prints even when the preview failed", () => {
    const run = recorded("preview-json-program-error");
    expect(run.exitCode).toBe(1);
    const [diagnostic] = factsFromPreview(JSON.parse(run.stdout)).diagnostics;
    expect(diagnostic?.message).toMatch(/^Running program .* failed with an unhandled exception:/);
  });
});

describe("resolveBackendUrl", () => {
  it("resolves a relative file:// path against the work-dir, as the CLI would against its cwd", () => {
    // Recorded: the CLI resolved file://./state against its own working directory.
    expect(recorded("state-dir-relative").stderr).toMatch(
      /resolved to "file:\/\/\/sandbox\/app\/state"/,
    );
    expect(resolveBackendUrl("file://./state", "/w/infra")).toBe("file:///w/infra/state");
    expect(resolveBackendUrl("file://state?no_tmp_dir=true", "/w")).toBe(
      "file:///w/state?no_tmp_dir=true",
    );
    expect(resolveBackendUrl("file:///abs", "/w")).toBe("file:///abs");
    expect(resolveBackendUrl("file://~", "/w")).toBe("file://~");
    expect(resolveBackendUrl("s3://bucket", "/w")).toBe("s3://bucket");
    expect(stateDir("file:///w/state?no_tmp_dir=true")).toBe("/w/state");
    expect(stateDir("s3://bucket")).toBeUndefined();
    expect(stateDir("file://~/.pulumi-state")).toBe(join(homedir(), ".pulumi-state"));
    expect(stateDir("file://~")).toBe(homedir());
    expect(stateDir("file:///w/with%20space")).toBe("/w/with space");
  });
});
