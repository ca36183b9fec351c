/** Output type checks and kubeconfig parsing. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseKubeconfig } from "../../../actions/verify-stack-ref/kubeconfig.js";
import { checkOutputs, parseRequired } from "../../../actions/verify-stack-ref/required.js";

describe("checkOutputs", () => {
  it("tells present, missing and wrong type apart; null is no object", () => {
    const required = parseRequired([
      "a",
      "b:number",
      "c:object",
      "d:array",
      "e:boolean",
      "f:object",
    ]);
    const checks = checkOutputs(required, {
      a: null,
      b: "1",
      c: { x: 1 },
      d: [],
      e: false,
      f: null,
    });
    expect(checks.map((c) => c.status)).toEqual([
      "present",
      "wrong-type",
      "present",
      "present",
      "present",
      "wrong-type",
    ]);
    expect(checkOutputs(parseRequired(["zz"]), {})).toEqual([{ name: "zz", status: "missing" }]);
  });
});

describe("parseKubeconfig", () => {
  let written: string[] = [];
  afterEach(() => vi.restoreAllMocks());
  const capture = () => {
    written = [];
    vi.spyOn(process.stdout, "write").mockImplementation(
      (chunk) => (written.push(String(chunk)), true),
    );
  };

  const config = {
    "current-context": "b",
    contexts: [
      { name: "a", context: { cluster: "ca", user: "ua" } },
      { name: "b", context: { cluster: "cb", user: "ub" } },
    ],
    clusters: [
      { name: "ca", cluster: { server: "https://a.example.com" } },
      {
        name: "cb",
        cluster: { server: "https://b.example.com", "certificate-authority-data": "Y2EtZGF0YQ==" },
      },
    ],
    users: [
      { name: "ua", user: { token: "token-aaaaaa" } },
      { name: "ub", user: { token: "token-bbbbbb" } },
    ],
  };

  it("uses the current context's cluster and user, from text or object", () => {
    capture();
    for (const value of [JSON.stringify(config), config]) {
      expect(parseKubeconfig(value)).toMatchObject({
        server: "https://b.example.com",
        token: "token-bbbbbb",
        insecure: false,
      });
    }
  });

  it("masks credentials and the server, but not short names", () => {
    capture();
    parseKubeconfig(config);
    const masks = written.join("").match(/^::add-mask::.*$/gm) ?? [];
    expect(masks).toEqual(
      expect.arrayContaining(["::add-mask::token-bbbbbb", "::add-mask::https://b.example.com"]),
    );
    expect(masks).not.toContain("::add-mask::cb");
  });

  it("gives a reason, never the content, when it cannot be used", () => {
    capture();
    expect(parseKubeconfig("apiVersion: v1\nclusters: [\n  token: abcdefgh")).toBe(
      "the output is not valid kubeconfig YAML",
    );
    expect(parseKubeconfig({ clusters: [] })).toBe("the kubeconfig names no cluster server");
    expect(parseKubeconfig(42)).toBe("the output is not a kubeconfig object");
  });
});
