import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { inputs } from "../../../actions/preview-comment/inputs.js";
import { inputName, parseInputs } from "../../../actions/shared/inputs.js";
import { repoRoot } from "../../harness/paths.js";

const actionYaml = parse(
  readFileSync(join(repoRoot, "actions/preview-comment/action.yml"), "utf8"),
) as {
  inputs: Record<string, { default?: string }>;
};

const touched: string[] = [];
function setInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const key = `INPUT_${name.toUpperCase()}`;
    touched.push(key);
    process.env[key] = value;
  }
}
afterEach(() => {
  for (const key of touched.splice(0)) delete process.env[key];
});

function problems(values: Record<string, string>): readonly string[] {
  setInputs(values);
  try {
    parseInputs(inputs, { secrets: ["githubToken"] });
    return [];
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
}

describe("preview-comment inputs", () => {
  it("are exactly the action.yml inputs", () => {
    expect(Object.keys(inputs).map(inputName).sort()).toEqual(
      Object.keys(actionYaml.inputs).sort(),
    );
  });

  it("have the action.yml defaults when not given", () => {
    setInputs({ "github-token": "ghs_x", "pr-number": "7" });
    const withoutDefaults = parseInputs(inputs);
    const defaults = Object.entries(actionYaml.inputs).filter(
      ([name, spec]) => spec.default !== undefined && name !== "github-token",
    );
    setInputs(Object.fromEntries(defaults.map(([name, spec]) => [name, String(spec.default)])));
    expect(parseInputs(inputs)).toEqual(withoutDefaults);
    expect(withoutDefaults).toMatchObject({
      key: "preview",
      mode: "upsert",
      prNumber: 7,
      urls: {},
      digests: {},
    });
  });

  it("reject every bad input in one go, digests validated whole", () => {
    expect(
      problems({
        "github-token": "ghs_x",
        "pr-number": "0",
        key: "my key",
        status: "done",
        urls: "web=ftp://x",
        digests: `web=sha256:${"a".repeat(12)}`,
        "details-file": "/nonexistent/plan.md",
        "commit-sha": "abc1234",
        timings: "deploy=fast",
        mode: "append",
      }),
    ).toEqual([
      "Input 'pr-number' must be a positive integer, got '0'",
      "Input 'key' must be letters, digits, '.', '_' or '-' (at most 64), got 'my key'",
      "Input 'status' must be one of deploying, ready, failed, destroyed, got 'done'",
      "Input 'urls' line 1 must be NAME=an http(s) URL, got 'web=ftp://x'",
      "Input 'digests' line 1 must be NAME=sha256: followed by 64 lowercase hex characters, got 'web=sha256:aaaaaaaaaaaa'",
      "Input 'details-file' must be a readable file, got '/nonexistent/plan.md'",
      "Input 'commit-sha' must be a full commit SHA (40 lowercase hex), got 'abc1234'",
      "Input 'timings' line 1 must be NAME=SECONDS (a number of seconds), got 'deploy=fast'",
      "Input 'mode' must be one of upsert, recreate, delete, got 'append'",
    ]);
  });
});
