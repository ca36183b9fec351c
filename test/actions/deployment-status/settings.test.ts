import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { inputs } from "../../../actions/deployment-status/inputs.js";
import { checkPayload } from "../../../actions/deployment-status/payload.js";
import { looksLikePreview, resolveSettings } from "../../../actions/deployment-status/settings.js";
import { parseInputs } from "../../../actions/shared/inputs.js";
import { clearInputs, inputProblems, setInputs } from "../../support/inputs.js";

const DIGEST = `sha256:${"b".repeat(64)}`;
const HEAD = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
const touched: string[] = [];
function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    touched.push(name);
    process.env[name] = value;
  }
}
afterEach(() => {
  for (const name of touched.splice(0)) delete process.env[name];
  clearInputs();
});

function settingsFor(given: Record<string, string>, event: object = {}) {
  clearInputs();
  const eventPath = join(mkdtempSync(join(tmpdir(), "ds-")), "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  setEnv({
    GITHUB_REPOSITORY: "octo-org/octo-repo",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_RUN_ID: "7",
  });
  setInputs({ "github-token": "t", ...given });
  return resolveSettings(parseInputs(inputs));
}

describe("payload", () => {
  it("keeps whole digests and image references wherever they are", () => {
    const payload = {
      pr: 7,
      digests: { web: DIGEST },
      images: [`ghcr.io/o/web@${DIGEST}`],
      url: "https://x",
    };
    expect(checkPayload(JSON.stringify(payload))).toEqual(payload);
  });

  it.each([
    [{ digests: { web: "sha256:bbbbbbbbbbbb" } }, "at digests.web"],
    [{ images: [`ghcr.io/o/web@sha256:${"b".repeat(12)}`] }, "at images[0]"],
    [{ web: { digest: "bbbbbbbbbbbb" } }, "at web.digest"],
    [{ digests: { web: DIGEST.toUpperCase() } }, "at digests.web"],
  ])("rejects a digest that is not whole: %j", (payload, where) => {
    expect(checkPayload(JSON.stringify(payload))).toMatch(
      new RegExp(`must hold whole digests .*${where.replace(/[[\]]/g, "\\$&")}$`),
    );
  });

  it("must be a JSON object and leaves the run stamp to the action", () => {
    expect(checkPayload("[1]")).toMatch(/^must be a JSON object/);
    expect(checkPayload("{")).toMatch(/^must be a JSON object/);
    expect(checkPayload('{"preview_kit":{}}')).toMatch(/must not set 'preview_kit'/);
  });
});

describe("settings", () => {
  it("deploys the PR head, never the merge commit GITHUB_SHA names", () => {
    const settings = settingsFor(
      { step: "start", environment: "pr-7" },
      { pull_request: { number: 7, head: { sha: HEAD } } },
    );
    expect(settings.ref).toBe(HEAD);
    expect(settings.payload).toEqual({ pr: 7, preview_kit: { run_id: "7" } });
    expect(settings.transient).toBe(true);
  });

  it("names preview-looking environments transient, others not", () => {
    expect(
      ["pr-7", "preview-pr-42", "preview", "review/12", "app-pr-3"].filter(looksLikePreview),
    ).toHaveLength(5);
    expect(["production", "staging", "dev", "prod-eu", "preprod"].filter(looksLikePreview)).toEqual(
      [],
    );
    expect(
      settingsFor({ step: "start", environment: "production", production: "true" }).transient,
    ).toBe(false);
    expect(settingsFor({ step: "start", environment: "pr-1", transient: "false" }).transient).toBe(
      false,
    );
  });

  it("turns cancelled into inactive and refuses inputs given to the wrong step", () => {
    expect(
      settingsFor({ step: "finish", environment: "pr-1", status: "cancelled" }).finalState,
    ).toBe("inactive");
    expect(settingsFor({ step: "finish", environment: "pr-1", status: "Success" }).finalState).toBe(
      "success",
    );
    expect(
      inputProblems(() =>
        settingsFor({
          step: "start",
          environment: "pr-1",
          status: "success",
          "deployment-id": "3",
        }),
      ),
    ).toEqual([
      "Input 'status' is only used by step finish, got step 'start'",
      "Input 'deployment-id' is only used by step finish, got step 'start'",
    ]);
    expect(
      inputProblems(() =>
        settingsFor({ step: "start", environment: "pr-1", transient: "true", production: "true" }),
      ),
    ).toEqual(["Inputs 'transient' and 'production' cannot both be true"]);
    expect(
      inputProblems(() => settingsFor({ step: "start", environment: "pr-1", "github-token": "" })),
    ).toEqual([
      "Input 'github-token' is empty: leave it out to use the workflow token, or pass a token",
    ]);
  });

  it("refuses a deployment id a number cannot hold exactly", () => {
    expect(
      settingsFor({
        step: "finish",
        environment: "pr-1",
        status: "success",
        "deployment-id": "9007199254740991",
      }).deploymentId,
    ).toBe(9007199254740991);
    expect(
      inputProblems(() =>
        settingsFor({
          step: "finish",
          environment: "pr-1",
          status: "success",
          "deployment-id": "9007199254740993",
        }),
      ),
    ).toEqual([
      "Input 'deployment-id' must be a deployment id (the `deployment-id` output of the start step), got '9007199254740993'",
    ]);
  });

  it("refuses merge refs and bad environment names", () => {
    expect(
      inputProblems(() =>
        settingsFor({ step: "start", environment: "a,b", ref: "refs/pull/7/merge" }),
      ),
    ).toEqual([
      "Input 'environment' must be an environment name such as preview-pr-42, got 'a,b'",
      "Input 'ref' must be a branch, tag or commit SHA (never a pull request merge ref such as refs/pull/42/merge), got 'refs/pull/7/merge'",
    ]);
    expect(settingsFor({ step: "start", environment: "pr-1", ref: "refs/pull/7/head" }).ref).toBe(
      "refs/pull/7/head",
    );
  });
});
