import { afterEach, describe, expect, it } from "vitest";
import { inputs } from "../../../actions/preview-comment/inputs.js";
import { parseInputs } from "../../../actions/shared/inputs.js";
import { clearInputs, inputProblems, setInputs } from "../../support/inputs.js";

afterEach(clearInputs);

function problems(values: Record<string, string>): readonly string[] {
  setInputs(values);
  return inputProblems(() => parseInputs(inputs, { secrets: ["githubToken"] }));
}

describe("preview-comment inputs", () => {
  it("default to key preview, mode upsert and the given pull request", () => {
    setInputs({ "github-token": "ghs_x", "pr-number": "7" });
    expect(parseInputs(inputs)).toMatchObject({
      key: "preview",
      mode: "upsert",
      prNumber: 7,
      urls: {},
      images: {},
    });
  });

  it("reject every bad input in one go, image references validated whole", () => {
    expect(
      problems({
        "github-token": "ghs_x",
        "pr-number": "0",
        key: "my key",
        status: "done",
        urls: "web=ftp://x",
        images: `web=ghcr.io/acme/web@sha256:${"a".repeat(12)}`,
        "details-file": "/nonexistent/plan.md",
        "commit-sha": "abc1234",
        timings: "deploy=fast",
        mode: "append",
      }),
    ).toEqual([
      "Input 'pr-number' must be a positive integer, got '0'",
      "Input 'key' must be letters, digits, '.', '_' or '-' (at most 64), got 'my key'",
      "Input 'status' must be one of deploying, ready, failed, destroyed, got 'done'",
      "Input 'urls' line 1 ('web') must be NAME=an http(s) URL without credentials",
      "Input 'images' line 1 ('web') must be NAME=REGISTRY/REPOSITORY@sha256:<64 lowercase hex>",
      "Input 'details-file' must be an existing file, got '/nonexistent/plan.md'",
      "Input 'commit-sha' must be a full commit SHA (40 lowercase hex), got 'abc1234'",
      "Input 'timings' line 1 ('deploy') must be NAME=SECONDS (a number of seconds)",
      "Input 'mode' must be one of upsert, recreate, delete, got 'append'",
    ]);
  });
});
