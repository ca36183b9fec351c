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
      "'bad key': 1\nnested: { a: 1 }\nlist: [1]\nspec: { value: x, secret: maybe }",
    );
    expect(problems).toEqual([
      "key 'bad key' must be NAME or NAMESPACE:NAME",
      "key 'nested' must map to a value or to {value, secret}",
      "key 'list' must map to a value or to {value, secret}",
      "key 'spec' must map to a value or to {value, secret}",
    ]);
  });
});
