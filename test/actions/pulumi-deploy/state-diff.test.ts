/** destroy-on-failure's one rule: only what the failed update added, never what the stack held. */
import { describe, expect, it } from "vitest";
import {
  type StateResource,
  addedByUpdate,
  stateResources,
} from "../../../actions/pulumi-deploy/state-diff.js";

const T = "pulumi-nodejs:dynamic:Resource";
const urn = (name: string, type = T) => `urn:pulumi:pr-1::app::${type}::${name}`;
const STACK = urn("app-pr-1", "pulumi:pulumi:Stack");
const PROVIDER = urn("default", "pulumi:providers:kubernetes");
const res = (name: string, extra: Partial<StateResource> = {}): StateResource => ({
  urn: urn(name),
  type: T,
  id: `${name}-1`,
  parent: STACK,
  ...extra,
});
const stack: StateResource = { urn: STACK, type: "pulumi:pulumi:Stack" };

describe("addedByUpdate", () => {
  const before = [stack, res("db"), res("web", { dependencies: [urn("db")] })];

  it("a replaced resource keeps its URN: neither instance nor its dependents are targeted", () => {
    const after = [
      stack,
      res("db", { id: "db-2" }),
      // The old instance, pending deletion after the failure.
      { ...res("db"), id: "db-1" },
      res("web", { dependencies: [urn("db")] }),
      res("extra", { dependencies: [urn("db")] }),
    ];
    expect(addedByUpdate(before, after)).toEqual([urn("extra")]);
  });

  it("a new resource an existing one now depends on is kept, and what it needs", () => {
    const after = [
      stack,
      res("db"),
      res("queue-base"),
      res("queue", { dependencies: [urn("queue-base")] }),
      res("web", { propertyDependencies: { url: [urn("queue")] } }),
      res("lonely"),
    ];
    expect(addedByUpdate(before, after)).toEqual([urn("lonely")]);
  });

  it("a resource renamed by an alias, or imported under a new URN, existed before", () => {
    const after = [
      stack,
      res("db"),
      res("web2", { id: "web-1", aliases: [urn("web")] }),
      res("imported", { id: "db-1" }),
      res("child", { parent: urn("web2") }),
    ];
    expect(addedByUpdate(before, after)).toEqual([urn("child")]);
  });

  it("parents, deleted-with and providers of kept resources are kept; stack and providers never targeted", () => {
    const after = [
      stack,
      { urn: PROVIDER, type: "pulumi:providers:kubernetes", id: "p-1" },
      res("component"),
      res("db", { parent: urn("component"), provider: `${PROVIDER}::p-1` }),
      res("web", { deletedWith: urn("owner") }),
      res("owner"),
    ];
    expect(addedByUpdate(before, after)).toEqual([]);
  });

  it("a fresh resource without an ID does not match another ID-less one", () => {
    expect(addedByUpdate([stack, res("a", { id: "" })], [stack, res("b", { id: "" })])).toEqual([
      urn("b"),
    ]);
  });
});

describe("stateResources", () => {
  it("reads `stack export`; anything else throws", () => {
    const exported = JSON.stringify({
      version: 3,
      deployment: { manifest: {}, resources: [{ urn: STACK, type: "pulumi:pulumi:Stack" }] },
    });
    expect(stateResources(exported)).toEqual([{ urn: STACK, type: "pulumi:pulumi:Stack" }]);
    expect(stateResources(JSON.stringify({ deployment: {} }))).toEqual([]);
    expect(() => stateResources("error: no stack")).toThrow();
    expect(() => stateResources(JSON.stringify({ deployment: { resources: [{}] } }))).toThrow();
  });
});
