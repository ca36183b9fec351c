import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../../../actions/shared/errors.js";
import { input, inputName, parseInputs, rule } from "../../../actions/shared/inputs.js";
import { digest, imageRef, qualifiedStack } from "../../../actions/shared/schemas.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const set: string[] = [];

function given(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) {
    const key = `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
    process.env[key] = value;
    set.push(key);
  }
}

function problems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("expected an InputError");
}

afterEach(() => {
  for (const key of set.splice(0)) delete process.env[key];
});

describe("parseInputs", () => {
  it("maps camelCase keys to kebab-case input names", () => {
    expect(inputName("stackRef")).toBe("stack-ref");
    expect(inputName("prNumber")).toBe("pr-number");
    given({ "stack-ref": "org/project/dev" });
    expect(parseInputs({ stackRef: input.text(qualifiedStack) })).toEqual({
      stackRef: "org/project/dev",
    });
  });

  it("reports one line per bad input, saying what to write and what was given", () => {
    given({ "stack-ref": "dev", retries: "many" });
    expect(
      problems(() =>
        parseInputs({
          stackRef: input.text(qualifiedStack),
          retries: input.integer({ min: 0, max: 10, fallback: 3 }),
          command: input.oneOf(["preview", "up"]),
        }),
      ),
    ).toEqual([
      "Input 'stack-ref' must be ORG/PROJECT/STACK, got 'dev'",
      "Input 'retries' must be an integer from 0 to 10, got 'many'",
      "Input 'command' is required",
    ]);
  });

  it("never echoes a secret input's value", () => {
    given({ token: "hunter2" });
    expect(
      problems(() =>
        parseInputs({ token: input.text(rule(/^ghp_/, "a PAT")) }, { secrets: ["token"] }),
      ),
    ).toEqual(["Input 'token' must be a PAT, got '***'"]);
  });

  it("treats whitespace-only as not given", () => {
    given({ key: "   " });
    expect(parseInputs({ key: input.optionalText() })).toEqual({ key: undefined });
  });
});

describe("input builders", () => {
  it("booleans accept the YAML 1.2 core spellings only", () => {
    given({ a: "True", b: "FALSE", c: "yes" });
    expect(
      parseInputs({ a: input.boolean(false), b: input.boolean(true), d: input.boolean(true) }),
    ).toEqual({
      a: true,
      b: false,
      d: true,
    });
    expect(problems(() => parseInputs({ c: input.boolean(false) }))).toEqual([
      "Input 'c' must be true or false, got 'yes'",
    ]);
  });

  it("lines skip blanks and comments and check every line", () => {
    given({ list: `# images\n\nweb\n  api  \n` });
    expect(parseInputs({ list: input.lines() })).toEqual({ list: ["web", "api"] });
  });

  it("key=value lines reject a truncated digest, naming the line", () => {
    given({ digests: `web=${DIGEST}\napi=sha256:abcdef123456` });
    expect(problems(() => parseInputs({ digests: input.keyValues(digest) }))).toEqual([
      "Input 'digests' line 2 must be NAME=sha256: followed by 64 lowercase hex characters, got 'api=sha256:abcdef123456'",
    ]);
  });

  it("key=value lines reject duplicate names", () => {
    given({ digests: `web=${DIGEST}\nweb=${DIGEST}` });
    expect(problems(() => parseInputs({ digests: input.keyValues(digest) }))[0]).toMatch(
      /names 'web' twice/,
    );
  });

  it("image references must be pinned by a whole digest", () => {
    expect(imageRef.test(`ghcr.io/org/web@${DIGEST}`)).toBe(true);
    expect(imageRef.test(`127.0.0.1:5000/web@${DIGEST}`)).toBe(true);
    expect(imageRef.test(`123456789012.dkr.ecr.us-east-1.amazonaws.com/day@${DIGEST}`)).toBe(true);
    expect(imageRef.test("ghcr.io/org/web:latest")).toBe(false);
    expect(imageRef.test(`ghcr.io/org/web@${DIGEST.slice(0, 19)}`)).toBe(false);
    expect(imageRef.test(`ghcr.io/org/web@${DIGEST.toUpperCase()}`)).toBe(false);
  });
});
