/**
 * destroy-on-failure on the REAL Pulumi CLI (pulumi-deploy's bundle, file:// backend): a
 * failed `up` of an existing preview destroys only what that update added, never what the
 * stack held before it, whichever step of the cleanup fails. The program's resources log
 * every create and delete, so a test sees what was really destroyed, not only the state.
 * Under CI=true a missing engine fails the suite.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../harness/run-action.js";
import { engines } from "../support/engines.js";
import { type Sandbox, createSandbox, errorsOf } from "./sandbox.js";

const bin = engines("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs");

/**
 * db (its physical name `db-<dbVersion>`: a new version replaces it, create before delete),
 * web that depends on db, with `extra` a new resource that depends on db, and with `fail` a
 * resource that fails after all of them. Creates and deletes are logged to `log`.
 */
const PROGRAM = String.raw`const pulumi = require("@pulumi/pulumi");
const fs = require("fs");
const cfg = new pulumi.Config();
const provider = {
  async create(inputs) {
    if (inputs.fail) throw new Error(inputs.fail);
    fs.appendFileSync(inputs.log, "create " + inputs.physical + "\n");
    return { id: inputs.physical, outs: inputs };
  },
  async diff(id, olds, news) {
    const replaces = olds.physical !== news.physical ? ["physical"] : [];
    return { changes: replaces.length > 0 || olds.fail !== news.fail, replaces };
  },
  async delete(id, props) {
    fs.appendFileSync(props.log, "delete " + id + "\n");
  },
};
class Thing extends pulumi.dynamic.Resource {
  constructor(name, physical, opts, fail) {
    super(provider, name, { physical, log: cfg.require("log"), fail }, opts);
  }
}
const db = new Thing("db", "db-" + (cfg.get("dbVersion") ?? "1"));
const web = new Thing("web", "web-1", { dependsOn: [db] });
const all = [db, web];
if (cfg.getBoolean("extra")) all.push(new Thing("extra", "extra-1", { dependsOn: [db] }));
if (cfg.get("fail")) new Thing("bad", "bad-1", { dependsOn: all }, cfg.get("fail"));
exports.db = db.id;
`;

const FAILURE = "quota exceeded for bad-1";

interface State {
  deployment: { resources?: { urn: string; id?: string; delete?: boolean }[] };
}

describe.skipIf(!bin)("destroy-on-failure on the real Pulumi CLI", { timeout: 240_000 }, () => {
  let sandbox: Sandbox;
  let wrapperDir: string;
  beforeAll(() => {
    sandbox = createSandbox(bin as string);
    // A `pulumi` first on PATH that runs the real one, except `stack export` when told to
    // fail it: always (EXPORT_FAILS=always) or once an `up` ran (after).
    wrapperDir = join(sandbox.root, "wrapper");
    mkdirSync(wrapperDir);
    const wrapper = join(wrapperDir, "pulumi");
    writeFileSync(
      wrapper,
      `#!/bin/sh
if [ "$1" = up ]; then : > "$EXPORT_MARKS/up-ran"; fi
if [ "$1" = stack ] && [ "$2" = export ]; then
  if [ "$EXPORT_FAILS" = always ] || { [ "$EXPORT_FAILS" = after ] && [ -e "$EXPORT_MARKS/up-ran" ]; }; then
    echo "error: could not export the stack: simulated storage failure" >&2
    exit 1
  fi
fi
exec "${join(bin as string, "pulumi")}" "$@"
`,
    );
    chmodSync(wrapper, 0o755);
  });
  afterAll(() => sandbox?.close());

  /** An existing preview: db-1 and web-1 (web depends on db), created by a successful up. */
  async function existingPreview(name: string) {
    const dir = sandbox.project(name);
    writeFileSync(join(dir, "index.js"), PROGRAM);
    const log = join(sandbox.root, `${name}.log`);
    const first = await deploy(dir, { command: "up", "stack-name": "pr-1", config: `log: ${log}` });
    expect(errorsOf(first)).toEqual([]);
    expect(readFileSync(log, "utf8")).toBe("create db-1\ncreate web-1\n");
    return { dir, log };
  }

  const deploy = (dir: string, inputs: Record<string, string>, exportFails = "never") => {
    const marks = join(dir, `marks-${Date.now()}`);
    mkdirSync(marks);
    return runAction("pulumi-deploy", {
      inputs: { "cloud-url": sandbox.backendUrl, "work-dir": dir, ...inputs },
      cwd: sandbox.root,
      env: {
        ...sandbox.env,
        PREVIEW_KIT_RETRY_BASE_MS: "1",
        EXPORT_FAILS: exportFails,
        EXPORT_MARKS: marks,
      },
      path: [wrapperDir, ...sandbox.path],
      timeoutMs: 180_000,
    });
  };

  /** The push: db replaced (db-2), a new `extra` that depends on db, and `bad` that fails. */
  const failingPush = (log: string) =>
    `log: ${log}\ndbVersion: "2"\nextra: true\nfail: '${FAILURE}'`;

  async function resources(dir: string) {
    const exported = await sandbox.pulumi(["stack", "export", "--stack", "pr-1"], dir);
    const state = JSON.parse(exported.stdout) as State;
    return (state.deployment.resources ?? [])
      .filter((r) => !r.urn.includes("::pulumi:"))
      .map((r) => `${r.urn.split("::").pop()}=${r.id}${r.delete ? " (pending delete)" : ""}`);
  }

  it("a replacement keeps its URN: web-1 and db's current instance survive; only the new resource goes", async () => {
    const { dir, log } = await existingPreview("replaced");
    const run = await deploy(dir, {
      command: "up",
      "stack-name": "pr-1",
      config: failingPush(log),
      "destroy-on-failure": "true",
    });
    expect(run.exitCode).toBe(1);
    const errors = errorsOf(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.properties.title).toBe("Pulumi resource operation failed");
    expect(errors[0]?.message).toContain(FAILURE);
    expect(errors[0]?.message).toContain(
      "destroy-on-failure: the resources of the failed update were destroyed.",
    );
    const events = readFileSync(log, "utf8").split("\n").filter(Boolean);
    expect(events).toContain("create db-2");
    expect(events).toContain("delete extra-1");
    expect(events).not.toContain("delete web-1");
    expect(events).not.toContain("delete db-2");
    const left = await resources(dir);
    expect(left).toContain("web=web-1");
    expect(left).toContain("db=db-2");
    expect(left.some((r) => r.startsWith("extra="))).toBe(false);
  });

  for (const when of ["always", "after"] as const) {
    it(`a failing \`stack export\` (${when === "always" ? "before the update" : "after it"}) keeps the update's failure reported and destroys nothing`, async () => {
      const { dir, log } = await existingPreview(`export-${when}`);
      const run = await deploy(
        dir,
        {
          command: "up",
          "stack-name": "pr-1",
          config: failingPush(log),
          "destroy-on-failure": "true",
        },
        when,
      );
      expect(run.exitCode).toBe(1);
      const errors = errorsOf(run);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.properties.title).toBe("Pulumi resource operation failed");
      expect(errors[0]?.message).toContain(FAILURE);
      expect(errors[0]?.message).toMatch(
        new RegExp(
          `destroy-on-failure: the stack's state ${when === "always" ? "before the update" : "after the failed update"} could not be read \\(.*simulated storage failure.*\\), so nothing was destroyed`,
        ),
      );
      // Published although the cleanup failed: the summary and the plan say the update failed.
      expect(run.summary).toMatch(/failed/);
      expect(readFileSync(run.outputs["markdown-file"] ?? "", "utf8")).toContain("failed");
      expect(readFileSync(log, "utf8")).not.toMatch(/^delete (web-1|db-2)$/m);
      const left = await resources(dir);
      expect(left).toContain("web=web-1");
      expect(left).toContain("db=db-2");
    });
  }
});
