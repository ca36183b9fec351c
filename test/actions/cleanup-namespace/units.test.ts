/** The pure parts of cleanup-namespace: its input contract, guards, leftovers and pacing. */
import { afterEach, describe, expect, it } from "vitest";
import { checkLabel, checkName } from "../../../actions/cleanup-namespace/guards.js";
import { inputs } from "../../../actions/cleanup-namespace/inputs.js";
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
});

describe("guards", () => {
  const pattern = /^(?:^preview-pr-[0-9]+$)$/;

  it.each(["default", "kube-system", "kube-public", "kube-node-lease"])(
    "never %s, whatever the pattern",
    (name) => {
      expect(() => checkName(name, /^(?:.*)$/)).toThrow("it is a system namespace");
    },
  );

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
    expect(() => checkLabel("n", undefined, undefined)).not.toThrow();
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
