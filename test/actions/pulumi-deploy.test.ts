/**
 * pulumi-deploy as the runner runs it: the bundle in dist/ as a process, driving the
 * Pulumi CLI double (test/emulators/pulumi) through PATH.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PulumiDouble, createPulumiDouble } from "../emulators/pulumi/double.js";
import { leakedSecrets, runAction } from "../harness/run-action.js";

const WEB = `ghcr.io/acme/web@sha256:${"a".repeat(64)}`;
const SECRET = "hunter2-very-secret-value";
const NESTED_SECRET = "nested-s3cr3t-in-object";

const doubles: PulumiDouble[] = [];
afterEach(() => doubles.splice(0).forEach((d) => d.close()));

function double(options: Parameters<typeof createPulumiDouble>[0] = {}): PulumiDouble {
  const d = createPulumiDouble({
    program: {
      resources: [
        { type: "kubernetes:core/v1:Namespace", name: "ns", inputs: { name: "pr-1" } },
        {
          type: "kubernetes:apps/v1:Deployment",
          name: "web",
          inputs: { image: "${config:images.web}" },
        },
      ],
      outputs: {
        url: "https://pr-1.example.test",
        image: "${config:images.web}",
        db: { host: "db.default.svc.cluster.local", password: { secret: NESTED_SECRET } },
        token: { secret: SECRET },
        "kube.config": "apiVersion: v1",
        summary: "collides with a declared output",
      },
    },
    ...options,
  });
  doubles.push(d);
  return d;
}

function deploy(d: PulumiDouble, inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction("pulumi-deploy", {
    inputs: { "cloud-url": d.backendUrl, images: `web=${WEB}`, ...inputs },
    // Backoff shortened so that retry tests take milliseconds.
    env: { ...d.env, PREVIEW_KIT_RETRY_BASE_MS: "1", ...env },
    path: [d.binDir],
    cwd: d.workDir,
  });
}

const errors = (run: Awaited<ReturnType<typeof runAction>>) =>
  run.annotations.filter((a) => a.level === "error");
const calls = (d: PulumiDouble, command: string) => d.calls().filter((c) => c.argv[0] === command);

describe("pulumi-deploy", () => {
  it("preview: creates the stack (upsert), writes the summary, has-changes and the markdown plan", async () => {
    const d = double();
    const run = await deploy(d, { command: "preview", "stack-name": "pr-1" });
    expect(run.exitCode, run.log).toBe(0);
    expect(JSON.parse(run.outputs.summary ?? "")).toEqual({
      create: 3,
      update: 0,
      delete: 0,
      replace: 0,
      same: 0,
    });
    expect(run.outputs["has-changes"]).toBe("true");
    const markdown = readFileSync(run.outputs["markdown-file"] ?? "", "utf8");
    expect(run.outputs["markdown-file"]?.startsWith(run.runnerTemp)).toBe(true);
    expect(markdown).toContain("| + create | `kubernetes:apps/v1:Deployment` | web |");
    expect(markdown).toContain(`+ image: "${WEB}"`);
    expect(run.summary).toContain("Pulumi preview of `pr-1` succeeded");
    expect(run.summary).toContain("**3** to create");
    expect(d.stackExists("pr-1")).toBe(true);
    expect(d.readStack("pr-1")?.deployed).toBe(false);
    // The digest chain's hand-off: images is one config object the program reads.
    expect(d.readStack("pr-1")?.config["app:images"]).toEqual({
      value: { web: WEB },
      secret: false,
    });
    expect(errors(run)).toEqual([]);
  });

  it("up: outputs JSON with secrets hidden, one step output per stack output, secrets masked", async () => {
    const d = double();
    const run = await deploy(d, {
      command: "up",
      "stack-name": "pr-1",
      config: `replicas: 2\ndb:password: { value: ${SECRET}-config, secret: true }`,
      message: "deploy PR 1",
    });
    expect(run.exitCode, run.log).toBe(0);
    const outputs = JSON.parse(run.outputs.outputs ?? "");
    expect(outputs).toEqual({
      url: "https://pr-1.example.test",
      image: WEB,
      db: { host: "db.default.svc.cluster.local", password: "[secret]" },
      token: "[secret]",
      "kube.config": "apiVersion: v1",
      summary: "collides with a declared output",
    });
    expect(run.outputs.url).toBe("https://pr-1.example.test");
    expect(run.outputs.image).toBe(WEB);
    expect(run.outputs.kube_config).toBe("apiVersion: v1");
    expect(JSON.parse(run.outputs.db ?? "")).toEqual({
      host: "db.default.svc.cluster.local",
      password: NESTED_SECRET,
    });
    expect(run.outputs.token).toBe(SECRET);
    // The declared `summary` output wins; the stack output is in `outputs` and a warning says so.
    expect(JSON.parse(run.outputs.summary ?? "")).toMatchObject({ create: 3 });
    expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
      expect.stringContaining("stack output 'summary'"),
    ]);
    expect(run.outputs["duration-seconds"]).toMatch(/^\d+$/);
    const stack = d.readStack("pr-1");
    expect(stack?.deployed).toBe(true);
    expect(stack?.lastMessage).toBe("deploy PR 1");
    expect(stack?.config["app:replicas"]).toEqual({ value: "2", secret: false });
    expect(stack?.config["db:password"]).toEqual({ value: `${SECRET}-config`, secret: true });
    // Secret config went through stdin, never the command line.
    expect(JSON.stringify(d.calls().map((c) => c.argv))).not.toContain(SECRET);
  });

  it("masks a secret nested inside an object output before anything is written, and never logs it", async () => {
    const d = double();
    const run = await deploy(d, {
      command: "up",
      "stack-name": "pr-1",
      config: `pw: { value: ${SECRET}-config, secret: true }`,
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.masks).toEqual(expect.arrayContaining([NESTED_SECRET, SECRET, `${SECRET}-config`]));
    // Masks come before the first output or summary line could carry them.
    const firstMask = run.stdout.indexOf(`::add-mask::${NESTED_SECRET}`);
    expect(firstMask).toBeGreaterThanOrEqual(0);
    expect(leakedSecrets(run, [NESTED_SECRET, SECRET, `${SECRET}-config`])).toEqual([]);
    expect(readFileSync(run.outputs["markdown-file"] ?? "", "utf8")).not.toContain(NESTED_SECRET);
    expect(run.summary).toContain("[secret]");
    // A second read (output command) masks it too.
    const again = await deploy(d, { command: "output", "stack-name": "pr-1" });
    expect(again.exitCode, again.log).toBe(0);
    expect(again.masks).toContain(NESTED_SECRET);
    expect(leakedSecrets(again, [NESTED_SECRET, SECRET])).toEqual([]);
  });

  it("retries a lock twice, then succeeds within the retries", async () => {
    const d = double();
    d.addStack("pr-1");
    d.injectFault({ name: "locked", times: 2, commands: ["up"] });
    const run = await deploy(d, { command: "up", "stack-name": "pr-1", retries: "3" });
    expect(run.exitCode, run.log).toBe(0);
    expect(calls(d, "up").map((c) => c.exitCode)).toEqual([1, 1, 0]);
    expect(errors(run)).toEqual([]);
  });

  it("retries a lock on a CLI that exits 255 for everything", async () => {
    const d = double({ version: "3.100.0" });
    d.addStack("pr-1");
    d.injectFault({ name: "locked", times: 1, commands: ["up"] });
    const run = await deploy(d, { command: "up", "stack-name": "pr-1" });
    expect(run.exitCode, run.log).toBe(0);
    expect(calls(d, "up").map((c) => c.exitCode)).toEqual([255, 0]);
  });

  it("fails with one clear annotation when 409 outlasts the retries, and outputs still carry what is known", async () => {
    const d = double();
    d.addStack("pr-1", { outputs: { url: "https://old.example.test" } });
    d.injectFault({ name: "conflict", commands: ["up"] });
    const run = await deploy(d, { command: "up", "stack-name": "pr-1", retries: "2" });
    expect(run.exitCode).toBe(1);
    expect(calls(d, "up")).toHaveLength(3);
    const [error, ...others] = errors(run);
    expect(others).toEqual([]);
    expect(error?.message).toMatch(/409/);
    expect(error?.message).toContain("Another update is currently in progress");
    expect(error?.message).toContain("Stack pr-1:");
    expect(error?.message).toContain("Gave up after 3 tries.");
    expect(JSON.parse(run.outputs.outputs ?? "")).toEqual({ url: "https://old.example.test" });
    expect(run.outputs["duration-seconds"]).toMatch(/^\d+$/);
    expect(run.summary).toContain("failed");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("fails at once on a program error, without retrying", async () => {
    const d = double();
    d.addStack("pr-1");
    d.injectFault({ name: "program-error", message: "boom in index.ts" });
    const run = await deploy(d, { command: "up", "stack-name": "pr-1" });
    expect(run.exitCode).toBe(1);
    expect(calls(d, "up")).toHaveLength(1);
    expect(errors(run)).toHaveLength(1);
  });

  it("fails naming the stack when it is missing and upsert is false", async () => {
    const d = double();
    const run = await deploy(d, { command: "up", "stack-name": "pr-404", upsert: "false" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toContain("pr-404");
    expect(d.stackExists("pr-404")).toBe(false);
    expect(calls(d, "up")).toEqual([]);
  });

  it("does not turn a decryption failure into a new stack", async () => {
    const d = double();
    d.addStack("pr-1", { config: { pw: { secret: "x" } }, outputs: { url: "u" } });
    const run = await deploy(
      d,
      { command: "up", "stack-name": "pr-1" },
      { PULUMI_CONFIG_PASSPHRASE: "wrong" },
    );
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toMatch(/passphrase/);
    expect(d.calls().some((c) => c.argv.includes("init") || c.argv.includes("--create"))).toBe(
      false,
    );
    expect(d.readStack("pr-1")?.outputs).toEqual({ url: "u" });
    // A decryption failure is not retried either.
    expect(calls(d, "up")).toHaveLength(1);
  });

  it("does not create a stack when select fails for another reason (authentication)", async () => {
    const d = double();
    d.injectFault({ name: "auth", commands: ["stack select"] });
    const run = await deploy(d, { command: "preview", "stack-name": "pr-1" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(d.stackExists("pr-1")).toBe(false);
    expect(d.calls().some((c) => c.argv.includes("init") || c.argv.includes("--create"))).toBe(
      false,
    );
  });

  it("fails the drift check when expect-no-changes meets changes, with the plan written", async () => {
    const d = double();
    d.addStack("pr-1");
    const run = await deploy(d, {
      command: "preview",
      "stack-name": "pr-1",
      "expect-no-changes": "true",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toMatch(/no changes were expected/i);
    expect(run.outputs["has-changes"]).toBe("true");
    expect(existsSync(run.outputs["markdown-file"] ?? "")).toBe(true);
  });

  it("passes the drift check when nothing changed", async () => {
    const d = double();
    expect((await deploy(d, { command: "up", "stack-name": "pr-1" })).exitCode).toBe(0);
    const run = await deploy(d, {
      command: "preview",
      "stack-name": "pr-1",
      "expect-no-changes": "true",
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs["has-changes"]).toBe("false");
  });

  it("destroy + remove-stack removes the stack, and a second run succeeds", async () => {
    const d = double();
    expect((await deploy(d, { command: "up", "stack-name": "pr-1" })).exitCode).toBe(0);
    const first = await deploy(d, {
      command: "destroy",
      "stack-name": "pr-1",
      "remove-stack": "true",
    });
    expect(first.exitCode, first.log).toBe(0);
    expect(d.stackExists("pr-1")).toBe(false);
    expect(JSON.parse(first.outputs.summary ?? "")).toMatchObject({ delete: 3 });
    const second = await deploy(d, {
      command: "destroy",
      "stack-name": "pr-1",
      "remove-stack": "true",
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(second.outputs["has-changes"]).toBe("false");
    expect(second.outputs.outputs).toBe("{}");
    expect(d.stackExists("pr-1")).toBe(false);
  });

  it("destroy-on-failure destroys what a failed up created", async () => {
    const d = double();
    d.injectFault({ name: "fail-up-after", after: 1 });
    const run = await deploy(d, {
      command: "up",
      "stack-name": "pr-1",
      "destroy-on-failure": "true",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toContain(
      "destroy-on-failure: the resources of the failed update were destroyed",
    );
    expect(calls(d, "destroy")).toHaveLength(1);
    expect(d.readStack("pr-1")?.resources).toEqual([]);
  });

  it("destroy-on-failure leaves the stack alone when the update never started (409)", async () => {
    const d = double();
    expect((await deploy(d, { command: "up", "stack-name": "pr-1" })).exitCode).toBe(0);
    d.injectFault({ name: "conflict", commands: ["up"] });
    const run = await deploy(d, {
      command: "up",
      "stack-name": "pr-1",
      "destroy-on-failure": "true",
      retries: "0",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(calls(d, "destroy")).toHaveLength(0);
    expect(d.readStack("pr-1")?.resources).toHaveLength(2);
  });

  it("without destroy-on-failure a failed up keeps what it created", async () => {
    const d = double();
    d.injectFault({ name: "fail-up-after", after: 1 });
    const run = await deploy(d, { command: "up", "stack-name": "pr-1" });
    expect(run.exitCode).toBe(1);
    expect(calls(d, "destroy")).toHaveLength(0);
    expect(d.readStack("pr-1")?.resources).toHaveLength(1);
    expect(readFileSync(run.outputs["markdown-file"] ?? "", "utf8")).toContain("failed");
  });

  it("refresh: an existing stack, no upsert, outputs read back", async () => {
    const d = double();
    expect((await deploy(d, { command: "up", "stack-name": "pr-1" })).exitCode).toBe(0);
    const run = await deploy(d, { command: "refresh", "stack-name": "pr-1" });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs["has-changes"]).toBe("false");
    expect(run.outputs.url).toBe("https://pr-1.example.test");
    const missing = await deploy(d, { command: "refresh", "stack-name": "pr-2" });
    expect(missing.exitCode).toBe(1);
    expect(errors(missing)[0]?.message).toContain("Stack 'pr-2' does not exist");
    expect(d.stackExists("pr-2")).toBe(false);
  });

  it("passes refresh, targets, policy packs and the message to the CLI", async () => {
    const d = double();
    d.addStack("pr-1");
    const urn = "urn:pulumi:pr-1::app::kubernetes:core/v1:Namespace::ns";
    mkdirSync(join(d.workDir, "policies"));
    const run = await deploy(d, {
      command: "up",
      "stack-name": "pr-1",
      refresh: "true",
      target: urn,
      "policy-packs": "policies/",
      message: "why",
    });
    expect(run.exitCode, run.log).toBe(0);
    const [up] = calls(d, "up");
    expect(up?.argv).toEqual(
      expect.arrayContaining([
        "--refresh",
        "--target",
        urn,
        "--policy-pack",
        "policies/",
        "--message",
        "why",
        "--skip-preview",
      ]),
    );
    // The stack's root resource and the one target; not the Deployment.
    expect(JSON.parse(run.outputs.summary ?? "")).toMatchObject({ create: 2 });
    expect(d.readStack("pr-1")?.resources.map((r) => r.name)).toEqual(["ns"]);
  });

  describe("bad inputs fail before the CLI is ever started", () => {
    it("a work-dir that does not exist, or remove-stack without destroy", async () => {
      const d = double();
      const run = await deploy(d, {
        command: "up",
        "stack-name": "pr-1",
        "work-dir": "nope",
        "remove-stack": "true",
      });
      expect(run.exitCode).toBe(1);
      expect(errors(run).map((a) => a.message)).toEqual([
        "Input 'work-dir' must be an existing directory, got 'nope'",
        "Input 'remove-stack' only applies to command 'destroy', got command 'up'",
      ]);
      expect(d.calls()).toEqual([]);
    });

    it("a 12-character digest in images", async () => {
      const d = double();
      const run = await deploy(d, {
        command: "up",
        "stack-name": "pr-1",
        images: "web=ghcr.io/acme/web@sha256:0123456789ab",
      });
      expect(run.exitCode).toBe(1);
      expect(errors(run).map((a) => a.message)).toEqual([
        "Input 'images' line 1 ('web') must be NAME=REGISTRY/REPOSITORY@sha256:<64 lowercase hex>",
      ]);
      expect(d.calls()).toEqual([]);
      expect(run.outputs).toEqual({});
    });

    it("an org-less stack name for Pulumi Cloud", async () => {
      const d = double({ backend: "cloud" });
      const run = await deploy(d, { command: "up", "stack-name": "pr-1", "cloud-url": "" });
      expect(run.exitCode).toBe(1);
      expect(errors(run)[0]?.message).toMatch(
        /^Input 'stack-name' must be ORG\/PROJECT\/STACK for Pulumi Cloud/,
      );
      expect(d.calls()).toEqual([]);
    });

    it("malformed config, without echoing it", async () => {
      const d = double();
      const run = await deploy(d, {
        command: "up",
        "stack-name": "pr-1",
        config: `pw: { value: ${SECRET}`,
      });
      expect(run.exitCode).toBe(1);
      expect(errors(run)[0]?.message).toMatch(/^Input 'config' must be a YAML map/);
      expect(run.log).not.toContain(SECRET);
      expect(d.calls()).toEqual([]);
    });
  });

  it("Pulumi Cloud: an org-qualified stack, the token masked", async () => {
    const d = double({ backend: "cloud", org: "acme" });
    const run = await deploy(d, {
      command: "preview",
      "stack-name": "acme/app/pr-1",
      "cloud-url": "",
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.masks).toContain(d.env.PULUMI_ACCESS_TOKEN);
    expect(d.stackExists("acme/app/pr-1")).toBe(true);
  });

  describe("pulumi-version on a reused self-hosted runner (#19 item 4)", () => {
    const VERSION = "3.231.0";
    const ARCHIVE = `pulumi-v${VERSION}-linux-${process.arch}.tar.gz`;
    let releases: Server;
    let fetched: string[];
    let toolCache: string;

    /** GitHub's release downloads, for one release whose `pulumi` runs the CLI double. */
    beforeAll(async () => {
      const d = createPulumiDouble();
      const build = mkdtempSync(join(tmpdir(), "pulumi-release-"));
      mkdirSync(join(build, "pulumi"));
      writeFileSync(
        join(build, "pulumi", "pulumi"),
        `#!/bin/sh\nPULUMI_DOUBLE_VERSION=${VERSION} exec "${join(d.binDir, "pulumi")}" "$@"\n`,
        { mode: 0o755 },
      );
      execFileSync("tar", ["-czf", join(build, ARCHIVE), "-C", build, "pulumi"]);
      const archive = readFileSync(join(build, ARCHIVE));
      const sum = createHash("sha256").update(archive).digest("hex");
      releases = createServer((request, response) => {
        fetched.push(request.url ?? "");
        if (request.url === `/v${VERSION}/${ARCHIVE}`) return response.end(archive);
        if (request.url === `/v${VERSION}/pulumi-${VERSION}-checksums.txt`)
          return response.end(`${sum}  ${ARCHIVE}\n`);
        response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => releases.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => releases.close());
    beforeEach(() => {
      fetched = [];
    });

    const withVersion = (d: PulumiDouble) =>
      deploy(
        d,
        { command: "preview", "stack-name": "pr-1", "pulumi-version": `v${VERSION}` },
        {
          RUNNER_TOOL_CACHE: toolCache,
          PREVIEW_KIT_PULUMI_RELEASES: `http://127.0.0.1:${(releases.address() as AddressInfo).port}`,
        },
      );
    const cachedCli = () => join(toolCache, "pulumi", VERSION, process.arch, "pulumi");

    it("installs the verified release once, then runs the cached one only after checking it against the release's checksums, every time", async () => {
      toolCache = mkdtempSync(join(tmpdir(), "tool-cache-"));
      const d = double({ version: "3.230.0" });
      const first = await withVersion(d);
      expect(first.exitCode, first.log).toBe(0);
      expect(fetched.some((url) => url.endsWith(ARCHIVE))).toBe(true);
      expect(existsSync(cachedCli())).toBe(true);
      fetched = [];
      const second = await withVersion(d);
      expect(second.exitCode, second.log).toBe(0);
      // The checksums again, never the archive: the cache saves the download, not the check.
      expect(fetched).toEqual([`/v${VERSION}/pulumi-${VERSION}-checksums.txt`]);
      expect(second.log).toContain(`Pulumi CLI ${VERSION} from the tool cache, verified`);
      expect(d.calls().length).toBeGreaterThan(0);
    });

    it("refuses, in one line and before any CLI runs, a cached pulumi an earlier job swapped", async () => {
      const d = double({ version: "3.230.0" });
      const spy = join(mkdtempSync(join(tmpdir(), "swapped-")), "ran");
      // What a pull request's program could leave behind: a pulumi that keeps the next job's token.
      writeFileSync(cachedCli(), `#!/bin/sh\nenv > "${spy}"\nexit 0\n`, { mode: 0o755 });
      const run = await withVersion(d);
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(
        /^Pulumi CLI 3\.231\.0 in the tool cache differs from its verified release \(pulumi changed\): refused/,
      );
      expect(existsSync(spy)).toBe(false);
      expect(d.calls()).toEqual([]);
    });

    it("refuses a cached archive that fails the release's checksum", async () => {
      const d = double({ version: "3.230.0" });
      writeFileSync(join(toolCache, "pulumi", VERSION, `${process.arch}.archive`), "tampered");
      const run = await withVersion(d);
      expect(run.exitCode).toBe(1);
      expect(run.annotations.filter((a) => a.level === "error")[0]?.message).toContain(
        "fails the release's checksum: refused",
      );
      expect(d.calls()).toEqual([]);
      rmSync(toolCache, { recursive: true, force: true });
    });

    // Item 4: without pulumi-version the step ran whatever `pulumi` was first on PATH.
    it("refuses, on a self-hosted runner, the pulumi on PATH without pulumi-version: it never runs, never gets the token", async () => {
      const d = double({ version: "3.230.0" });
      const planted = {
        PULUMI_ACCESS_TOKEN: "pul-planted-token-value",
        RUNNER_ENVIRONMENT: "self-hosted",
      };
      const run = await deploy(d, { command: "preview", "stack-name": "pr-1" }, planted);
      expect(run.exitCode).toBe(1);
      expect(errors(run).map((a) => a.message)).toEqual([
        "Input 'pulumi-version' is required on a self-hosted runner: the pulumi on PATH may be one an earlier job left there, and this step would give it its token; set pulumi-version or pulumi-version-file (such as 3.274.1) so the release's CLI is verified against its checksums before it runs",
      ]);
      expect(d.calls()).toEqual([]);
      expect(run.outputs).toEqual({});
      expect(run.log).not.toContain("pul-planted-token-value");
      // The same step on a GitHub-hosted runner (a fresh image each job) runs it: the refusal
      // above is the rule, not a broken double.
      const hosted = await deploy(
        d,
        { command: "preview", "stack-name": "pr-1" },
        { ...planted, RUNNER_ENVIRONMENT: "github-hosted" },
      );
      expect(hosted.exitCode, hosted.log).toBe(0);
      expect(d.calls().length).toBeGreaterThan(0);
    });

    it("runs the verified release on a self-hosted runner when pulumi-version is given", async () => {
      toolCache = mkdtempSync(join(tmpdir(), "tool-cache-"));
      const d = double({ version: "3.230.0" });
      const run = await deploy(
        d,
        { command: "preview", "stack-name": "pr-1", "pulumi-version": VERSION },
        {
          RUNNER_ENVIRONMENT: "self-hosted",
          RUNNER_TOOL_CACHE: toolCache,
          PREVIEW_KIT_PULUMI_RELEASES: `http://127.0.0.1:${(releases.address() as AddressInfo).port}`,
        },
      );
      expect(run.exitCode, run.log).toBe(0);
      expect(fetched).toContain(`/v${VERSION}/pulumi-${VERSION}-checksums.txt`);
      rmSync(toolCache, { recursive: true, force: true });
    });
  });
});
