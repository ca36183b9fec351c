import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inputName, type InputShape } from "../../actions/shared/inputs.js";
import { repoRoot } from "../harness/paths.js";
import { runAction } from "../harness/run-action.js";
import { actionSpec, javascriptActions } from "../support/actions.js";

async function inputShape(name: string): Promise<InputShape> {
  const module = (await import(join(repoRoot, "actions", name, "inputs.ts"))) as {
    inputs: InputShape;
  };
  return module.inputs;
}

const isExpression = (value: unknown) => typeof value === "string" && value.includes("${{");

describe.each(javascriptActions)("actions/%s", (name) => {
  const spec = actionSpec(name);
  const declared = spec.inputs ?? {};

  it("describes itself, every input and every output, and runs the checked-in bundle on node24", () => {
    expect(spec.name).toBeTruthy();
    expect(spec.description).toBeTruthy();
    expect(spec.branding?.icon).toBeTruthy();
    expect(spec.branding?.color).toBeTruthy();
    expect(spec.runs).toEqual({ using: "node24", main: `../../dist/${name}/index.js` });
    for (const [input, field] of Object.entries(declared))
      expect(field.description, input).toBeTruthy();
    for (const [output, field] of Object.entries(spec.outputs ?? {}))
      expect(field.description, output).toBeTruthy();
  });

  it("parses exactly the inputs action.yml declares, with the same defaults and required ones", async () => {
    const shape = await inputShape(name);
    expect(Object.keys(shape).map(inputName).sort()).toEqual(Object.keys(declared).sort());
    for (const [key, schema] of Object.entries(shape)) {
      const field = declared[inputName(key)] ?? {};
      const withoutValue = schema.safeParse(undefined);
      // An expression default (`${{ github.token }}`) is always supplied by the runner.
      if (isExpression(field.default)) continue;
      if (field.required)
        expect(withoutValue.success, `${inputName(key)} is required by action.yml`).toBe(false);
      // The runner passes an empty default as "", which parseInputs reads as not given.
      if (field.default === undefined || field.default === "") continue;
      const withDefault = schema.safeParse(String(field.default));
      expect(withDefault.success, `${inputName(key)}: action.yml default is valid`).toBe(true);
      if (withoutValue.success) {
        expect(
          withDefault.data,
          `${inputName(key)}: same default in action.yml and schema`,
        ).toEqual(withoutValue.data);
      }
    }
  });

  const required = Object.entries(declared)
    .filter(([, field]) => field.required)
    .map(([input]) => `Input '${input}' is required`);
  // An action whose every input is optional (stale-previews) does its work with none: its own
  // suite refuses its bad inputs.
  if (required.length === 0) return;
  it("run as the runner runs it with no inputs, fails with one line per bad input and writes nothing", async () => {
    const run = await runAction(name);
    expect(run.exitCode).toBe(1);
    const messages = run.annotations.map((a) => a.message);
    expect(messages).toEqual(expect.arrayContaining(required));
    for (const annotation of run.annotations) {
      expect(annotation).toMatchObject({ level: "error", properties: { title: "Invalid input" } });
      expect(annotation.message).toMatch(/^Input '[a-z-]+' /);
    }
    expect(run.outputs).toEqual({});
    expect(run.summary).toBe("");
    expect(run.stderr).toBe("");
  });
});
