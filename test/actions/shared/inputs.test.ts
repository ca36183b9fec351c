import { afterEach, describe, expect, it } from "vitest";
import { input, inputName, parseInputs, rule } from "../../../actions/shared/inputs.js";
import { digest, httpUrl, imageRef, qualifiedStack } from "../../../actions/shared/schemas.js";
import { clearInputs, inputProblems, setInputs } from "../../support/inputs.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

afterEach(clearInputs);

describe("parseInputs", () => {
  it("maps camelCase keys to kebab-case input names", () => {
    expect(inputName("stackRef")).toBe("stack-ref");
    expect(inputName("prNumber")).toBe("pr-number");
    setInputs({ "stack-ref": "org/project/dev" });
    expect(parseInputs({ stackRef: input.text(qualifiedStack) })).toEqual({
      stackRef: "org/project/dev",
    });
  });

  it("reports one line per bad input, saying what to write and what was given", () => {
    setInputs({ "stack-ref": "dev", retries: "many" });
    expect(
      inputProblems(() =>
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
    setInputs({ token: "hunter2" });
    expect(
      inputProblems(() =>
        parseInputs({ token: input.text(rule(/^ghp_/, "a PAT")) }, { secrets: ["token"] }),
      ),
    ).toEqual(["Input 'token' must be a PAT, got '***'"]);
  });

  it("treats whitespace-only as not given", () => {
    setInputs({ key: "   " });
    expect(parseInputs({ key: input.optionalText() })).toEqual({ key: undefined });
  });
});

describe("input builders", () => {
  it("booleans accept the YAML 1.2 core spellings only", () => {
    setInputs({ a: "True", b: "FALSE", c: "yes" });
    expect(
      parseInputs({ a: input.boolean(false), b: input.boolean(true), d: input.boolean(true) }),
    ).toEqual({
      a: true,
      b: false,
      d: true,
    });
    expect(inputProblems(() => parseInputs({ c: input.boolean(false) }))).toEqual([
      "Input 'c' must be true or false, got 'yes'",
    ]);
  });

  it("lines skip blanks and comments and check every line", () => {
    setInputs({ list: `# images\n\nweb\n  api  \n` });
    expect(parseInputs({ list: input.lines() })).toEqual({ list: ["web", "api"] });
  });

  it("key=value lines reject a truncated digest, naming the line", () => {
    setInputs({ digests: `web=${DIGEST}\napi=sha256:abcdef123456` });
    expect(inputProblems(() => parseInputs({ digests: input.keyValues(digest) }))).toEqual([
      "Input 'digests' line 2 ('api') must be NAME=sha256: followed by 64 lowercase hex characters",
    ]);
  });

  it("key=value lines reject duplicate names", () => {
    setInputs({ digests: `web=${DIGEST}\nweb=${DIGEST}` });
    expect(inputProblems(() => parseInputs({ digests: input.keyValues(digest) }))[0]).toMatch(
      /line 2 names 'web' a second time/,
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

  it("URLs are http(s) and carry no credentials, which would be published", () => {
    expect(httpUrl.test("https://7.pr.example.com/health")).toBe(true);
    expect(httpUrl.test("ftp://example.com")).toBe(false);
    expect(httpUrl.test("https://user:pass@example.com")).toBe(false);
    expect(httpUrl.test("https://token@example.com")).toBe(false);
  });
});
