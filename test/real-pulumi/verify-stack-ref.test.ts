/**
 * verify-stack-ref's bundle against stacks the REAL Pulumi CLI made on a file:// backend
 * (`npm run engines`); under CI=true a missing engine fails the suite.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leakedSecrets } from "../harness/run-action.js";
import { engines } from "../support/engines.js";
import { type Sandbox, createSandbox, errorsOf } from "./sandbox.js";

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");
const DB_PASSWORD = "verify-db-password-never-printed";

describe.skipIf(!bin)("verify-stack-ref on the real Pulumi CLI", { timeout: 240_000 }, () => {
  let sandbox: Sandbox;
  let infra: string;
  beforeAll(async () => {
    sandbox = createSandbox(bin as string);
    infra = sandbox.project("infra");
    for (const stack of ["prod", "staging"]) {
      const init = await sandbox.pulumi(["stack", "init", stack], infra);
      expect(init.exitCode, init.stderr).toBe(0);
    }
    await sandbox.pulumi(
      ["config", "set", "--secret", "dbPassword", DB_PASSWORD, "--stack", "prod"],
      infra,
    );
    const up = await sandbox.pulumi(["up", "--yes", "--skip-preview", "--stack", "prod"], infra);
    expect(up.exitCode, up.stdout).toBe(0);
  }, 240_000);
  afterAll(() => sandbox?.close());

  const verify = (inputs: Record<string, string>) =>
    sandbox.action("verify-stack-ref", {
      inputs: { "cloud-url": sandbox.backendUrl, ...inputs },
      cwd: sandbox.root,
    });

  it("passes for a present stack with the required outputs and types; secrets never print", async () => {
    const run = await verify({
      "stack-ref": "organization/infra/prod",
      "required-outputs": "value:string\ncount:number\ndb:object",
    });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs["stack-exists"]).toBe("true");
    expect(JSON.parse(run.outputs.outputs ?? "{}").db).toEqual({
      host: "db.internal",
      auth: { password: "[secret]" },
    });
    expect(leakedSecrets(run, [DB_PASSWORD])).toEqual([]);
  });

  it("fails on a missing output and a wrong type", async () => {
    const run = await verify({
      "stack-ref": "organization/infra/prod",
      "required-outputs": "kubeconfig\nvalue:number",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.missing).toBe('["kubeconfig"]');
    expect(errorsOf(run)[0]?.message).toContain("output 'value' is string, expected number");
  });

  it("lists the project's existing stacks when the referenced one is missing", async () => {
    const run = await verify({ "stack-ref": "organization/infra/pr-9" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs["stack-exists"]).toBe("false");
    expect(errorsOf(run)[0]?.message).toContain(
      "Stacks in organization/infra: organization/infra/prod, organization/infra/staging",
    );
  });

  it("resolves a relative file:// against work-dir (the CLI runs in a folder of its own)", async () => {
    const stateName = `file://./${"state"}`;
    const run = await sandbox.action("verify-stack-ref", {
      inputs: {
        "stack-ref": "organization/infra/prod",
        "cloud-url": stateName,
        "work-dir": sandbox.root,
      },
      cwd: sandbox.root,
    });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs["stack-exists"]).toBe("true");
  });

  it("reports a missing state folder as a missing stack, in one line", async () => {
    const run = await verify({
      "stack-ref": "organization/infra/prod",
      "cloud-url": `file://${join(sandbox.root, "nowhere")}`,
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toMatch(
      /does not exist\. The state folder .*nowhere of the file:\/\/ backend does not exist/,
    );
  });

  it("lints fn::stackReference with an org-less name in the work-dir's stack YAML", async () => {
    const dir = join(sandbox.root, "lint");
    mkdirSync(dir);
    writeFileSync(join(dir, "Pulumi.yaml"), "name: lint\nruntime: nodejs\n");
    writeFileSync(
      join(dir, "Pulumi.dev.yaml"),
      "config:\n  lint:kubeconfig:\n    fn::stackReference: [infra/prod, kubeconfig]\n",
    );
    const run = await verify({ "stack-ref": "organization/infra/prod", "work-dir": dir });
    expect(run.exitCode).toBe(1);
    const messages = errorsOf(run)
      .map((a) => a.message)
      .join("\n");
    expect(messages).toContain("fn::");
  });
});
