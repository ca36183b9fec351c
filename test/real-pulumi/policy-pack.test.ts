/**
 * A policy pack written with @pulumi/policy, run by the REAL Pulumi CLI (3.274.1) through
 * pulumi-deploy's `policy-packs` input (issue #22 item 6): the CLI starts a `runtime: nodejs`
 * pack through the language host's RunPlugin. Mandatory, advisory and exempted violations (a
 * version 2 `--policy-pack-config` file's `exceptions`, which 3.274.1 reports on each PolicyEvent)
 * reach the step's outputs and summary; an exempted mandatory violation stops nothing.
 * Under CI=true a missing engine fails the suite.
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyViolation } from "../../actions/shared/pulumi/engine-facts.js";
import { repoRoot } from "../harness/paths.js";
import { engines } from "../support/engines.js";
import { type Sandbox, createSandbox, errorsOf } from "./sandbox.js";

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");

/** Two policies on the sandbox program's things: `value: forbidden` (mandatory), long values (advisory). */
const PACK = String.raw`const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("kit-policies", {
  policies: [
    {
      name: "no-forbidden-value",
      description: "A thing's value must not be 'forbidden'.",
      enforcementLevel: "mandatory",
      validateResource: (args, reportViolation) => {
        if (args.props.value === "forbidden") reportViolation("value 'forbidden' is not allowed");
      },
    },
    {
      name: "short-values",
      description: "A thing's value should be at most three characters.",
      enforcementLevel: "advisory",
      validateResource: (args, reportViolation) => {
        if (typeof args.props.value === "string" && args.props.value.length > 3)
          reportViolation("value longer than three characters");
      },
    },
  ],
});
`;

describe.skipIf(!bin)("a @pulumi/policy pack on the real Pulumi CLI", { timeout: 240_000 }, () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox(bin as string);
    // The pack's own node_modules, as `npm install` in a pack folder would leave it: the SDK
    // (whose run-policy-pack the host starts) and @pulumi/policy, both from the repository.
    const pack = join(sandbox.root, "pack");
    mkdirSync(join(pack, "node_modules", "@pulumi"), { recursive: true });
    const resolve = createRequire(join(repoRoot, "package.json")).resolve;
    for (const name of ["pulumi", "policy"]) {
      symlinkSync(
        dirname(resolve(`@pulumi/${name}/package.json`)),
        join(pack, "node_modules", "@pulumi", name),
        "dir",
      );
    }
    writeFileSync(
      join(pack, "PulumiPolicy.yaml"),
      "runtime:\n  name: nodejs\n  options:\n    typescript: false\n",
    );
    writeFileSync(
      join(pack, "package.json"),
      JSON.stringify({ name: "kit-policies", version: "0.1.0", main: "index.js" }),
    );
    writeFileSync(join(pack, "index.js"), PACK);
  });
  afterAll(() => sandbox?.close());

  const deploy = (workDir: string, inputs: Record<string, string>) =>
    sandbox.action("pulumi-deploy", {
      inputs: {
        "cloud-url": sandbox.backendUrl,
        "work-dir": workDir,
        "stack-name": "dev",
        "policy-packs": "../pack",
        ...inputs,
      },
      cwd: sandbox.root,
    });
  const violations = (outputs: Record<string, string>) =>
    JSON.parse(outputs["policy-violations"] ?? "[]") as PolicyViolation[];
  /** A v2 policy pack config excepting t0 from the mandatory policy. */
  const exceptT0 = (project: string) => {
    const file = join(sandbox.root, `${project}-policy.json`);
    writeFileSync(
      file,
      JSON.stringify({
        version: 2,
        exceptions: {
          "EXC-1": {
            reason: "t0 is a fixture",
            match: [
              {
                policies: ["no-forbidden-value"],
                targets: [`urn:pulumi:dev::${project}::pulumi-nodejs:dynamic:Resource::t0`],
              },
            ],
          },
        },
      }),
    );
    return `../${project}-policy.json`;
  };

  it("a mandatory violation fails the preview as a policy failure; advisory ones are reported", async () => {
    const dir = sandbox.project("policed");
    const run = await deploy(dir, { command: "preview", config: "value: forbidden" });
    expect(run.exitCode, run.stderr + run.stdout).toBe(1);
    expect(errorsOf(run)[0]?.properties.title).toBe("Pulumi policy violation");
    const found = violations(run.outputs);
    expect(found).toContainEqual(
      expect.objectContaining({
        policyPack: "kit-policies",
        policy: "no-forbidden-value",
        enforcementLevel: "mandatory",
        urn: "urn:pulumi:dev::policed::pulumi-nodejs:dynamic:Resource::t0",
        exceptions: [],
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ policy: "short-values", enforcementLevel: "advisory" }),
    );
    expect(run.summary).toMatch(/no-forbidden-value.*mandatory/);
    expect(run.summary).toMatch(/short-values.*advisory/);
  });

  it("advisory violations alone let the update through and are still shown", async () => {
    const dir = sandbox.project("advised");
    const run = await deploy(dir, { command: "up", config: "value: lengthy" });
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    expect(violations(run.outputs)).toEqual([
      expect.objectContaining({ policy: "short-values", enforcementLevel: "advisory" }),
    ]);
    expect(run.summary).toMatch(/short-values.*advisory/);
  });

  it("an exempted mandatory violation stops nothing and is shown with its exception", async () => {
    const dir = sandbox.project("exempted");
    const run = await deploy(dir, {
      command: "up",
      config: "value: forbidden",
      "policy-pack-configs": exceptT0("exempted"),
    });
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    expect(violations(run.outputs)).toContainEqual(
      expect.objectContaining({
        policy: "no-forbidden-value",
        enforcementLevel: "mandatory",
        exceptions: ["EXC-1"],
      }),
    );
    expect(run.summary).toMatch(/no-forbidden-value.*mandatory.*EXC-1/);
  });

  it("a failed update with an exempted mandatory violation is a resource failure, not a policy one", async () => {
    const dir = sandbox.project("exempted-failing");
    const run = await deploy(dir, {
      command: "up",
      config: "value: forbidden\nfail: quota exceeded",
      "policy-pack-configs": exceptT0("exempted-failing"),
    });
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error?.properties.title).toBe("Pulumi resource operation failed");
    expect(error?.message).toMatch(/quota exceeded/);
  });
});
