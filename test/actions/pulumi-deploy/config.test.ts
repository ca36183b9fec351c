import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../actions/pulumi-deploy/config.js";

describe("parseConfig", () => {
  it("reads plain values and {value, secret} specs", () => {
    const { entries, problems } = parseConfig(
      [
        "aws:region: eu-west-1",
        "replicas: 3",
        "debug: false",
        "db:password: { value: s3cr3t, secret: true }",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { key: "aws:region", value: "eu-west-1", secret: false },
      { key: "replicas", value: "3", secret: false },
      { key: "debug", value: "false", secret: false },
      { key: "db:password", value: "s3cr3t", secret: true },
    ]);
  });

  // Issue #22 item 2: the core schema re-stringified each scalar, changing the value the
  // program reads; `pulumi config set KEY VALUE` stores the text as written.
  it("keeps every value as written, in secrets too", () => {
    const { entries, problems } = parseConfig(
      [
        "account: 012345678901",
        "version: 1.10",
        "big: 12345678901234567890",
        "mask: 0x1F",
        "exp: 1e3",
        "flag: yes",
        "quoted: '007'",
        'escaped: "a\\tb"',
        "token: { value: 0x1F, secret: true }",
        "pin: { value: 000123 }",
        "anchor: &n 010",
        "alias: *n",
        "block: |\n  line 1\n  line 2",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({
      account: "012345678901",
      version: "1.10",
      big: "12345678901234567890",
      mask: "0x1F",
      exp: "1e3",
      flag: "yes",
      quoted: "007",
      escaped: "a\tb",
      token: "0x1F",
      pin: "000123",
      anchor: "010",
      alias: "010",
      block: "line 1\nline 2\n",
    });
    expect(entries.find((e) => e.key === "token")?.secret).toBe(true);
    expect(entries.find((e) => e.key === "pin")?.secret).toBe(false);
  });

  it("refuses a value left empty (an unset variable), unless quoted", () => {
    const { entries, problems } = parseConfig(
      "region:\nzone: ~\npw: { value: , secret: true }\nempty: ''\nnone: 'null'",
    );
    expect(problems).toEqual([
      "key 'region' has no value (write '' quoted to set that text)",
      "key 'zone' has no value (write '~' quoted to set that text)",
      "key 'pw' has no value (write '' quoted to set that text)",
    ]);
    expect(entries).toEqual([
      { key: "empty", value: "", secret: false },
      { key: "none", value: "null", secret: false },
    ]);
  });

  it("is empty when not given", () => {
    expect(parseConfig(undefined)).toEqual({ entries: [], problems: [] });
  });

  it("rejects text that is not YAML, or not a map", () => {
    expect(parseConfig("a: [1, 2").problems[0]).toMatch(/^must be a YAML map of key to value: /);
    expect(parseConfig("- a\n- b").problems).toEqual([
      "must be a YAML map of key to value, or to {value, secret}",
    ]);
    expect(parseConfig("just text").problems).toHaveLength(1);
  });

  it("rejects bad keys and values without echoing the values", () => {
    const { problems } = parseConfig(
      "'bad key': 1\nnested: { a: 1 }\nlist: [1]\nspec: { value: x, secret: maybe }\n[k]: 1",
    );
    expect(problems).toEqual([
      "key 'bad key' must be NAME or NAMESPACE:NAME",
      "key 'nested' must map to a value or to {value, secret}",
      "key 'list' must map to a value or to {value, secret}",
      "key 'spec' must map to a value or to {value, secret}",
      `key '["k"]' must be NAME or NAMESPACE:NAME`,
    ]);
  });

  // Issue #23 item 11: `pulumi config set --help --secret` exits 0 and sets nothing.
  it("refuses a key that would read as a flag", () => {
    expect(parseConfig("'--help': x\n'-h:x': y\n'aws:-p': z").problems).toEqual([
      "key '--help' must be NAME or NAMESPACE:NAME",
      "key '-h:x' must be NAME or NAMESPACE:NAME",
      "key 'aws:-p' must be NAME or NAMESPACE:NAME",
    ]);
    expect(parseConfig("_private: 1\naws:region: x").problems).toEqual([]);
  });
});
