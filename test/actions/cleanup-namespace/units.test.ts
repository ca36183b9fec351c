/** The pure parts of cleanup-namespace: its input contract, guards, leftovers and pacing. */
import { afterEach, describe, expect, it } from "vitest";
import { checkLabel, checkName } from "../../../actions/cleanup-namespace/guards.js";
import { inputs } from "../../../actions/cleanup-namespace/inputs.js";
import { compileNamePattern } from "../../../actions/cleanup-namespace/name-pattern.js";
import { remainingGroupResources } from "../../../actions/cleanup-namespace/leftovers.js";
import { pollInterval } from "../../../actions/cleanup-namespace/wait.js";
import { parseInputs } from "../../../actions/shared/inputs.js";
import { clearInputs, setInputs } from "../../support/inputs.js";

afterEach(() => clearInputs());

describe("inputs", () => {
  it("parse a required label with a prefixed key", () => {
    setInputs({
      namespace: "preview-pr-1",
      "required-label": "app.kubernetes.io/managed-by=pulumi",
    });
    expect(parseInputs(inputs).requiredLabel).toEqual({
      key: "app.kubernetes.io/managed-by",
      value: "pulumi",
    });
  });

  it("default to the kit's preview label and no force", () => {
    setInputs({ namespace: "preview-pr-1" });
    const parsed = parseInputs(inputs);
    expect(parsed.requiredLabel).toEqual({ key: "preview-kit/pull-request" });
    expect(parsed.force).toBe(false);
    expect(parsed.allowedPattern.source).toBe("^preview-pr-[0-9]+$");
  });
});

describe("allowed-pattern", () => {
  const matches = (pattern: string, name: string) => compileNamePattern(pattern).matches(name);

  it.each([
    "^preview-pr-[0-9]+$",
    "preview-pr-\\d{1,6}",
    "(?:review|preview)-[a-z0-9-]*",
    "^pr-[0-9]+$|^feature-.+$",
    "[^k].*",
    "a?b*c+",
    "(ab){2,}x",
    "x{0}y",
  ])("matches whole names as a JavaScript RegExp would: %s", (pattern) => {
    const reference = new RegExp(`^(?:${pattern})$`);
    const names = [
      "preview-pr-42",
      "preview-pr-42x",
      "review-a-b",
      "pr-7",
      "feature-x",
      "kube-system",
      "abbbc",
      "c",
      "ababx",
      "abx",
      "y",
      "",
    ];
    for (const name of names)
      expect([name, matches(pattern, name)]).toEqual([name, reference.test(name)]);
  });

  it("takes linear time where a RegExp backtracks exponentially", () => {
    const started = performance.now();
    expect(matches("(a+)+b", "a".repeat(63))).toBe(false);
    expect(matches("(a|aa)*c", "a".repeat(63))).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it.each([
    ["preview-(", "missing ')' at position 10"],
    ["(?=x)y", "lookarounds and named groups are not supported"],
    ["(a)\\1", "unsupported escape '\\1'"],
    ["a{64}", "a count above 63"],
    ["a+?", "lazy quantifiers are not supported"],
    ["*a", "nothing to repeat before '*'"],
    ["((a{63}){63}){63}", "the pattern is too large"],
  ])("refuses %s: %s", (pattern, why) => {
    expect(() => compileNamePattern(pattern)).toThrow(why);
  });
});

describe("guards", () => {
  const pattern = compileNamePattern("^preview-pr-[0-9]+$");

  it.each([
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "kube-flannel",
    "openshift",
    "openshift-ingress",
  ])("never %s, whatever the pattern", (name) => {
    expect(() => checkName(name, compileNamePattern(".*"))).toThrow("it is a system namespace");
  });

  it("only whole-name matches of the pattern", () => {
    expect(() => checkName("preview-pr-42", pattern)).not.toThrow();
    expect(() => checkName("preview-pr-42x", pattern)).toThrow(
      "does not match allowed-pattern '^preview-pr-[0-9]+$'",
    );
  });

  it("a required label must be present with the exact value", () => {
    const label = { key: "owner", value: "ci" };
    expect(() => checkLabel("n", { owner: "ci" }, label)).not.toThrow();
    expect(() => checkLabel("n", { owner: "alice" }, label)).toThrow("(it has owner=alice)");
    expect(() => checkLabel("n", undefined, label)).toThrow("(it has no such label)");
  });

  it("a required label without a value must be present with any value", () => {
    const label = { key: "preview-kit/pull-request" };
    expect(() => checkLabel("n", { "preview-kit/pull-request": "7" }, label)).not.toThrow();
    expect(() => checkLabel("ingress-nginx", { app: "ingress" }, label)).toThrow(
      "Refusing to delete namespace 'ingress-nginx': required-label preview-kit/pull-request is not on the namespace (it has no such label). Nothing was deleted.",
    );
  });
});

describe("remaining resources named by the namespace controller", () => {
  const namespace = (message: string, status = "True") => ({
    metadata: { name: "n" },
    status: { conditions: [{ type: "NamespaceContentRemaining", status, message }] },
  });

  it("reads core and grouped resources", () => {
    const found = remainingGroupResources(
      namespace(
        "Some resources are remaining: pods. has 2 resource instances, tridentnodes.trident.netapp.io has 3 resource instances",
      ),
    );
    expect(found).toEqual(new Set(["pods.", "tridentnodes.trident.netapp.io"]));
  });

  it("is undefined when the condition is not True, so everything is listed", () => {
    expect(
      remainingGroupResources(namespace("All content successfully removed", "False")),
    ).toBeUndefined();
  });
});

describe("pacing", () => {
  it("polls a twentieth of the timeout, between 100 ms and 2 s", () => {
    expect(pollInterval(1000)).toBe(100);
    expect(pollInterval(10_000)).toBe(500);
    expect(pollInterval(120_000)).toBe(2000);
  });
});
