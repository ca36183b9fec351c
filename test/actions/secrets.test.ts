/**
 * Issue 14, "Secrets" (items 1-5) and the non-JSON preview (item 8): every case run on the
 * bundles as the runner runs them. A secret must reach no log line (masks aside), no
 * annotation, no output, no job summary, no file the action writes and no PR comment.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HtmlRenderer, Parser } from "commonmark";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGitHubEmulator, type GitHubEmulator, TOKENS } from "../emulators/github/server.js";
import {
  type ProgramSpec,
  type PulumiDouble,
  createPulumiDouble,
} from "../emulators/pulumi/double.js";
import { type ActionRun, type RunOptions, runAction } from "../harness/run-action.js";

const OWNER = "octo-org";
const REPO = "octo-repo";
const SHA = "a".repeat(40);
const WEB = `ghcr.io/acme/web@sha256:${"a".repeat(64)}`;
const PULUMI_TOKEN = "pul-0123456789abcdef0123456789abcdef01234567";
const GITHUB_TOKEN = TOKENS.workflow;
const CONFIG_SECRET = "config-s3cr3t-value";

/** What a reader could see: every line of stdout but the masks' own, stderr, files. */
function visible(run: ActionRun, ...files: string[]): string {
  const log = run.stdout
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  return [log, run.stderr, run.summary, JSON.stringify(run.outputs), ...files].join("\n");
}

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === "error");
const workspace = (prefix: string) => mkdtempSync(join(tmpdir(), `${prefix}-`));

let gh: GitHubEmulator;
let nextPr = 900;
beforeAll(async () => {
  gh = await createGitHubEmulator();
});
afterAll(() => gh.close());

function newPr(): number {
  const number = nextPr++;
  gh.state.addPull(OWNER, REPO, number, { headSha: SHA });
  return number;
}

function comment(pr: number, inputs: Record<string, string>, options: RunOptions = {}) {
  return runAction("preview-comment", {
    eventName: "pull_request",
    event: {
      pull_request: {
        number: pr,
        head: { sha: SHA, repo: { full_name: `${OWNER}/${REPO}` } },
        base: { repo: { full_name: `${OWNER}/${REPO}` } },
      },
    },
    ...options,
    inputs: { status: "ready", ...inputs },
    env: { GITHUB_API_URL: gh.url, ...options.env },
  });
}

const bodyOf = (pr: number) => gh.state.commentsOf(OWNER, REPO, pr)[0]?.body ?? "";

const doubles: PulumiDouble[] = [];
afterEach(() => doubles.splice(0).forEach((d) => d.close()));

function double(program: ProgramSpec = {}) {
  const d = createPulumiDouble({
    program: {
      resources: [{ type: "kubernetes:core/v1:Namespace", name: "ns", inputs: { name: "pr-1" } }],
      outputs: { url: "https://pr-1.example.test" },
      ...program,
    },
  });
  doubles.push(d);
  return d;
}

function deploy(
  d: PulumiDouble,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; path?: string[] } = {},
) {
  return runAction("pulumi-deploy", {
    inputs: { "cloud-url": d.backendUrl, images: `web=${WEB}`, ...inputs },
    env: { ...d.env, PREVIEW_KIT_RETRY_BASE_MS: "1", ...options.env },
    path: [...(options.path ?? []), d.binDir],
    cwd: d.workDir,
  });
}

describe("1. file inputs refuse symbolic links and paths outside the workspace and RUNNER_TEMP", () => {
  it("preview-comment: a details-file linked to /proc/self/environ, or outside, is never read", async () => {
    const pr = newPr();
    const dir = workspace("ws");
    symlinkSync("/proc/self/environ", join(dir, "plan.md"));
    const linked = await comment(pr, { "details-file": "plan.md" }, { cwd: dir });
    expect(linked.exitCode).toBe(1);
    expect(errors(linked).map((a) => a.message)).toEqual([
      "Input 'details-file' must not be a symbolic link, got 'plan.md'",
    ]);

    const outside = join(workspace("elsewhere"), "plan.md");
    writeFileSync(outside, "AWS_SECRET_ACCESS_KEY=outside-secret");
    const far = await comment(pr, { "details-file": outside }, { cwd: workspace("ws") });
    expect(errors(far).map((a) => a.message)).toEqual([
      `Input 'details-file' must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP, got '${outside}'`,
    ]);
    expect(gh.state.commentsOf(OWNER, REPO, pr)).toEqual([]);
  });

  it("preview-comment: a details-file in RUNNER_TEMP (pulumi-deploy's markdown-file) is read", async () => {
    const pr = newPr();
    const temp = workspace("runner-temp");
    writeFileSync(join(temp, "plan.md"), "the plan");
    const run = await comment(
      pr,
      { "details-file": join(temp, "plan.md") },
      { cwd: workspace("ws"), env: { RUNNER_TEMP: temp } },
    );
    expect(run.exitCode, run.log).toBe(0);
    expect(bodyOf(pr)).toContain("the plan");
  });

  it("build-image: a Dockerfile linked out of the checkout, given or default, stops the step before Docker", async () => {
    const dir = workspace("ws");
    mkdirSync(join(dir, "app"));
    symlinkSync("/proc/self/environ", join(dir, "app", "Dockerfile"));
    const image = { image: "127.0.0.1:5000/web", push: "false" };
    const given = await runAction("build-image", {
      inputs: { ...image, context: "app", file: "app/Dockerfile" },
      cwd: dir,
    });
    expect(errors(given).map((a) => a.message)).toEqual([
      "Input 'file' must not be a symbolic link, got 'app/Dockerfile'",
    ]);
    const byDefault = await runAction("build-image", {
      inputs: { ...image, context: "app" },
      cwd: dir,
    });
    expect(errors(byDefault).map((a) => a.message)).toEqual([
      "Input 'file' (default app/Dockerfile) must not be a symbolic link",
    ]);
    const outside = await runAction("build-image", {
      inputs: { ...image, context: "/etc" },
      cwd: dir,
    });
    expect(errors(outside)[0]?.message).toBe(
      "Input 'context' must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP, got '/etc'",
    );
  });

  it("pulumi-deploy: a linked work-dir and a policy pack outside are refused before the CLI starts", async () => {
    const d = double();
    symlinkSync(d.workDir, join(d.workDir, "linked"));
    const run = await deploy(d, {
      command: "preview",
      "stack-name": "pr-1",
      "work-dir": "linked",
      "policy-packs": "/etc",
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).map((a) => a.message)).toEqual([
      "Input 'work-dir' must not be a symbolic link, got 'linked'",
      "Input 'policy-packs' line 1 must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP, got '/etc'",
    ]);
    expect(d.calls()).toEqual([]);
  });

  it("verify-stack-ref: a work-dir outside is refused; a linked stack file in it is never read", async () => {
    const d = createPulumiDouble({ project: "infra" });
    doubles.push(d);
    d.addStack("dev", { outputs: { url: "https://x" } });
    const { PULUMI_BACKEND_URL: _, ...env } = d.env;
    const verify = (dir: string, cwd: string) =>
      runAction("verify-stack-ref", {
        inputs: {
          "cloud-url": d.backendUrl,
          "stack-ref": "organization/infra/dev",
          "work-dir": dir,
        },
        env: { ...env, PREVIEW_KIT_RETRY_BASE_MS: "1" },
        path: [d.binDir],
        cwd,
      });
    const far = await verify("/etc", workspace("ws"));
    expect(errors(far).map((a) => a.message)).toEqual([
      "Input 'work-dir' must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP, got '/etc'",
    ]);

    const dir = workspace("ws");
    mkdirSync(join(dir, "app"));
    const secretFile = join(workspace("elsewhere"), "env");
    writeFileSync(secretFile, "config:\n  AWS_SECRET_ACCESS_KEY: linked-secret-value\n");
    symlinkSync(secretFile, join(dir, "app", "Pulumi.dev.yaml"));
    const linked = await verify("app", dir);
    expect(linked.exitCode).toBe(1);
    expect(errors(linked)[0]?.message).toBe(
      "Pulumi.dev.yaml must not be a symbolic link: not read",
    );
    expect(visible(linked)).not.toContain("linked-secret-value");
  });
});

describe("2. one redactor for everything written", () => {
  it("a token the engine echoes in an error reaches no summary, markdown file or PR comment", async () => {
    // A provider that echoes credentials into a property the plan shows...
    const d = double({
      resources: [
        {
          type: "kubernetes:core/v1:Secret",
          name: "echo",
          inputs: { data: `token ${PULUMI_TOKEN} github ${GITHUB_TOKEN}` },
        },
        { type: "kubernetes:core/v1:Namespace", name: "ns", inputs: { name: "pr-1" } },
      ],
    });
    d.addStack("pr-1");
    // ...and then fails with them in its error (diagnostic event and CLI output).
    d.injectFault({
      name: "fail-up-after",
      after: 1,
      message: `auth failed with ${PULUMI_TOKEN} for ${GITHUB_TOKEN} and ${CONFIG_SECRET}`,
    });
    const run = await deploy(
      d,
      {
        command: "up",
        "stack-name": "pr-1",
        config: `app:db: { value: ${CONFIG_SECRET}, secret: true }`,
      },
      { env: { PULUMI_ACCESS_TOKEN: PULUMI_TOKEN, GITHUB_TOKEN } },
    );
    expect(run.exitCode).toBe(1);
    const markdownFile = run.outputs["markdown-file"] ?? "";
    const markdown = readFileSync(markdownFile, "utf8");
    expect(markdown).toContain('data: "token [secret] github [secret]"');
    // The CLI's output, echoed to the log, is redacted as it streams.
    expect(run.stdout).toContain("error: auth failed with [secret] for [secret] and [secret]");
    const shown = visible(run, markdown);
    for (const secret of [PULUMI_TOKEN, GITHUB_TOKEN, CONFIG_SECRET])
      expect(shown).not.toContain(secret);

    // The next step posts the markdown file: the comment is as clean as the file.
    const pr = newPr();
    const dir = workspace("ws");
    copyFileSync(markdownFile, join(dir, "plan.md"));
    const posted = await comment(pr, { "details-file": "plan.md" }, { cwd: dir });
    expect(posted.exitCode, posted.log).toBe(0);
    expect(bodyOf(pr)).toContain('data: "token [secret] github [secret]"');
    for (const secret of [PULUMI_TOKEN, GITHUB_TOKEN, CONFIG_SECRET])
      expect(bodyOf(pr)).not.toContain(secret);
  });

  it("preview-comment redacts its own token and the job's credentials from the comment", async () => {
    const pr = newPr();
    const dir = workspace("ws");
    writeFileSync(join(dir, "plan.md"), `echoed ${GITHUB_TOKEN}\n\`\`\`\n${PULUMI_TOKEN}\n\`\`\``);
    const run = await comment(
      pr,
      { "details-file": "plan.md" },
      { cwd: dir, env: { PULUMI_ACCESS_TOKEN: PULUMI_TOKEN } },
    );
    expect(run.exitCode, run.log).toBe(0);
    expect(bodyOf(pr)).toContain("echoed [secret]");
    expect(`${bodyOf(pr)}${visible(run)}`).not.toContain(GITHUB_TOKEN);
    expect(`${bodyOf(pr)}${visible(run)}`).not.toContain(PULUMI_TOKEN);
  });
});

describe("3. errors never quote secret values", () => {
  it("build-image: a build-args or labels line with a bad name quotes its name and line only", async () => {
    const run = await runAction("build-image", {
      inputs: {
        image: "127.0.0.1:5000/web",
        "build-args": "GOOD=1\nNPM-TOKEN=npm_s3cr3tbuildarg",
        labels: "token npm_s3cr3tlabel",
      },
      cwd: workspace("ws"),
    });
    expect(errors(run).map((a) => a.message)).toEqual([
      "Input 'build-args' line 2 has a NAME 'NPM-TOKEN' that is not allowed (^[A-Za-z_][A-Za-z0-9_]*$)",
      "Input 'labels' line 1 must be NAME=VALUE: no NAME= found",
    ]);
    expect(visible(run)).not.toMatch(/npm_s3cr3t/);
  });

  it("URLs with credentials are refused naming the input only (environment-url, cloud-url)", async () => {
    const status = await runAction("deployment-status", {
      inputs: {
        step: "start",
        environment: "preview-pr-1",
        "environment-url": "https://deploy:hunter2pass@pr-1.example.test",
      },
      env: { GITHUB_API_URL: gh.url },
    });
    expect(errors(status).map((a) => a.message)).toEqual([
      "Input 'environment-url' must be an http(s) URL without credentials",
    ]);
    expect(visible(status)).not.toContain("hunter2pass");

    const d = double();
    const cloud = await deploy(d, {
      command: "preview",
      "stack-name": "acme/app/pr-1",
      "cloud-url": "https://robot:hunter2pass@pulumi.example.test",
    });
    expect(errors(cloud).map((a) => a.message)).toEqual([
      "Input 'cloud-url' must be a Pulumi backend URL without credentials: https://..., file://..., s3://..., gs://... or azblob://...",
    ]);
    expect(visible(cloud)).not.toContain("hunter2pass");
    expect(d.calls()).toEqual([]);
  });

  it("pulumi-deploy: a PULUMI_BACKEND_URL with credentials from the job is redacted from what it writes", async () => {
    const d = double({ error: "cannot reach https://robot:hunter2pass@pulumi.example.test" });
    const run = await deploy(
      d,
      { command: "preview", "stack-name": "pr-1" },
      {
        env: { PULUMI_BACKEND_URL: d.backendUrl.replace("file://", "file://robot:hunter2pass@") },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(visible(run)).not.toContain("hunter2pass");
  });

  // health-check: its credential masking is tested on the bundle in health-check.test.ts.
});

describe("4. workflow commands in what the CLI prints are inert", () => {
  it("a program log carrying ::warning:: or ::stop-commands:: runs no command when echoed", async () => {
    const d = double({
      logs: [
        "x\n::warning::pwned",
        "::stop-commands::tok",
        "  ::add-mask::visible",
        "##[error]legacy",
      ],
    });
    d.addStack("pr-1");
    const run = await deploy(d, { command: "up", "stack-name": "pr-1" });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.annotations.filter((a) => a.message.includes("pwned"))).toEqual([]);
    const lines = run.stdout.split("\n");
    expect(
      lines.filter((l) =>
        /^\s*::(?:warning|stop-commands|add-mask)::(?:pwned|tok|visible)/.test(l),
      ),
    ).toEqual([]);
    expect(lines.filter((l) => l.includes("##[error]"))).toEqual([]);
    // Still readable: only a zero-width space was added.
    expect(run.stdout.replace(/\u200b/g, "")).toContain("::warning::pwned");
  });
});

describe("5. details markdown: fences as CommonMark decides them, checked by rendering", () => {
  it("a fence whose info string holds a backtick lets no HTML, mention or comment through", async () => {
    const details = [
      "![tracker](https://evil.test/pixel.png) @octo-owner",
      "```a`b",
      '<img src="https://evil.test/x.png"> @octo-maintainer </details> <!--',
      // No fence opened above (a backtick in a backtick fence's info string): this one opens.
      "```",
      "<b>code</b> @octo-team",
      "```",
      "<!-- never closed",
    ].join("\n");
    const pr = newPr();
    const dir = workspace("ws");
    writeFileSync(join(dir, "plan.md"), details);
    const run = await comment(pr, { "details-file": "plan.md" }, { cwd: dir });
    expect(run.exitCode, run.log).toBe(0);
    const html = new HtmlRenderer().render(new Parser().parse(bodyOf(pr)));
    // Our marker is the one HTML comment, closed on its line.
    expect(html.match(/<!--/g)).toHaveLength(1);
    expect(html).toMatch(/^<!-- pulumi-preview-kit:[^\n]*-->\n/);
    expect(html).not.toMatch(/<img|<b>/);
    expect(html.match(/<\/details>/g)).toHaveLength(1);
    // Mentions outside code carry a zero-width space; inside real code they are shown as text.
    const outsideCode = html.replace(/<pre><code>[\s\S]*?<\/code><\/pre>/g, "");
    expect(outsideCode).toContain("@\u200bocto-maintainer");
    expect(outsideCode).not.toMatch(/@octo-(?:maintainer|team)/);
    expect(html).toContain("<pre><code>&lt;b&gt;code&lt;/b&gt; @octo-team\n</code></pre>");
  });
});

describe("8. a preview --json that prints no JSON", () => {
  it("fails the step with one clear line and sets no has-changes", async () => {
    const d = double();
    // Stands in for a CLI (or a wrapper around it) that prints text where JSON was asked
    // for: the real CLI cannot be made to do it on purpose.
    const bin = workspace("bin");
    const pulumi = join(bin, "pulumi");
    writeFileSync(
      pulumi,
      `#!/usr/bin/env bash\nif [[ $1 == preview ]]; then echo "Previewing update (pr-1):"; exit 0; fi\nexec '${join(d.binDir, "pulumi")}' "$@"\n`,
    );
    chmodSync(pulumi, 0o755);
    const run = await deploy(d, { command: "preview", "stack-name": "pr-1" }, { path: [bin] });
    expect(run.exitCode).toBe(1);
    expect(errors(run).map((a) => a.message)).toEqual([
      "Stack pr-1: `pulumi preview --json` exited 0 but printed no JSON plan, so whether it has changes is unknown",
    ]);
    expect(run.outputs["has-changes"]).toBeUndefined();
  });
});

describe("#23 item 3: encoded and unlisted secrets, overlaps, short secrets", () => {
  const ARM_SECRET = "arm~Client~Secret~0123456789";
  const PASSPHRASE = "pass phrase/with&symbols+1";
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  /** Every encoding a CLI failure line may carry, and the fragment of each a reader could use. */
  const leaks = [
    b64(PULUMI_TOKEN).slice(0, -4),
    b64(`:${PULUMI_TOKEN}`).slice(4, -4),
    b64(`x-access-token:${GITHUB_TOKEN}`).slice(24, -4),
    encodeURIComponent(PASSPHRASE),
    JSON.stringify(PASSPHRASE).slice(1, -1),
    ARM_SECRET,
    "ABC123yyyyyyyy",
    "xxxxxxxxABC123",
  ];
  const env = {
    PULUMI_ACCESS_TOKEN: PULUMI_TOKEN,
    GITHUB_TOKEN,
    ARM_CLIENT_SECRET: ARM_SECRET,
    FIRST_TOKEN: "xxxxxxxxABC123",
    SECOND_TOKEN: "ABC123yyyyyyyy",
  };
  const message = [
    `token ${b64(PULUMI_TOKEN)}`,
    `basic ${b64(`:${PULUMI_TOKEN}`)}`,
    `header ${b64(`x-access-token:${GITHUB_TOKEN}`)}`,
    `url https://x.test/?p=${encodeURIComponent(PASSPHRASE)}`,
    `json {"p":${JSON.stringify(PASSPHRASE)}}`,
    `arm ${ARM_SECRET}`,
    `both xxxxxxxxABC123yyyyyyyy`,
  ].join(" ; ");

  it("none reaches the annotation, summary, markdown-file or the PR comment", async () => {
    const d = createPulumiDouble({
      passphrase: PASSPHRASE,
      program: {
        resources: [
          { type: "kubernetes:core/v1:Namespace", name: "ns", inputs: { name: "pr-1" } },
          { type: "kubernetes:apps/v1:Deployment", name: "web", inputs: { replicas: 1 } },
        ],
      },
    });
    doubles.push(d);
    d.addStack("pr-1");
    d.injectFault({ name: "fail-up-after", after: 1, message });
    const run = await deploy(d, { command: "up", "stack-name": "pr-1" }, { env });
    expect(run.exitCode).toBe(1);
    const markdownFile = run.outputs["markdown-file"] ?? "";
    const markdown = readFileSync(markdownFile, "utf8");
    const annotations = run.annotations.map((a) => a.message).join("\n");
    expect(annotations).toContain("[secret]");
    for (const written of [annotations, run.summary, markdown, visible(run)])
      expect(leaks.filter((leak) => written.includes(leak))).toEqual([]);

    // The comment step of the same job, with the same credentials in its environment.
    const pr = newPr();
    const dir = workspace("ws");
    writeFileSync(join(dir, "plan.md"), `${markdown}\n\nraw: ${message}`);
    const posted = await comment(
      pr,
      { "details-file": "plan.md" },
      { cwd: dir, env: { ...env, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE } },
    );
    expect(posted.exitCode, posted.log).toBe(0);
    expect(bodyOf(pr)).toContain("raw: token [secret]");
    expect(leaks.filter((leak) => bodyOf(pr).includes(leak))).toEqual([]);
  });

  it("a short passphrase is not redacted from every word it matches: it is flagged by name", async () => {
    const d = createPulumiDouble({ passphrase: "dev" });
    doubles.push(d);
    const run = await deploy(d, { command: "preview", "stack-name": "dev" });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.summary).toContain("`dev`");
    expect(run.summary).not.toContain("[secret]");
    expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toContain(
      "PULUMI_CONFIG_PASSPHRASE is shorter than 8 characters: too short to be hidden from what this step writes without revealing it, so it is not redacted; replace it with a longer secret",
    );
  });
});

describe("#23 item 4: links planted in the checkout, hard links, a swapped folder, RUNNER_TEMP=/", () => {
  const TOKEN_TEXT = "eyJhbGciOiJSUzI1NiJ9.oidc-token-from-runner-temp";

  /** A checkout and a RUNNER_TEMP holding the job's OIDC token file, as aws-credentials leaves it. */
  function job() {
    const ws = workspace("ws");
    const temp = workspace("runner-temp");
    writeFileSync(join(temp, "aws-web-identity-token"), TOKEN_TEXT);
    mkdirSync(join(ws, ".git"));
    writeFileSync(
      join(ws, ".git", "config"),
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${TOKEN_TEXT}\n`,
    );
    return { ws, temp, env: { RUNNER_TEMP: temp, GITHUB_WORKSPACE: ws } };
  }

  it("preview-comment: a details-file through a linked folder (to RUNNER_TEMP, to .git) or in .git is refused", async () => {
    const { ws, temp, env } = job();
    symlinkSync(temp, join(ws, "preview"));
    symlinkSync(join(ws, ".git"), join(ws, "docs"));
    const cases = {
      "preview/aws-web-identity-token":
        "Input 'details-file' must not pass through a symbolic link (a folder on its path is one), got 'preview/aws-web-identity-token'",
      "docs/config": "Input 'details-file' must not be inside a .git folder, got 'docs/config'",
      ".git/config": "Input 'details-file' must not be inside a .git folder, got '.git/config'",
    };
    for (const [path, message] of Object.entries(cases)) {
      const pr = newPr();
      const run = await comment(pr, { "details-file": path }, { cwd: ws, env });
      expect(run.exitCode, path).toBe(1);
      expect(errors(run).map((a) => a.message)).toEqual([message]);
      expect(gh.state.commentsOf(OWNER, REPO, pr)).toEqual([]);
      expect(visible(run)).not.toContain(TOKEN_TEXT);
    }
  });

  it("preview-comment: a hard link to RUNNER_TEMP's token file is refused", async () => {
    const { ws, temp, env } = job();
    linkSync(join(temp, "aws-web-identity-token"), join(ws, "plan.md"));
    const pr = newPr();
    const run = await comment(pr, { "details-file": "plan.md" }, { cwd: ws, env });
    expect(errors(run).map((a) => a.message)).toEqual([
      "Input 'details-file' must not be a hard link (it has other names), got 'plan.md'",
    ]);
    expect(gh.state.commentsOf(OWNER, REPO, pr)).toEqual([]);
  });

  it("RUNNER_TEMP=/ (or a folder around the workspace) confines nothing and is not used", async () => {
    const { ws } = job();
    const outside = join(workspace("elsewhere"), "plan.md");
    writeFileSync(outside, TOKEN_TEXT);
    for (const runnerTemp of ["/", join(ws, "..")]) {
      const pr = newPr();
      const run = await comment(
        pr,
        { "details-file": outside },
        { cwd: ws, env: { RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: ws } },
      );
      expect(errors(run).map((a) => a.message)).toEqual([
        `Input 'details-file' must be inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP, got '${outside}'`,
      ]);
    }
  });

  it("a folder swapped for a link while the step runs never gets RUNNER_TEMP's token into the comment", async () => {
    const { ws, temp, env } = job();
    // `preview` flips between a real folder with the plan and a link to RUNNER_TEMP, where the
    // token file bears the plan's name.
    writeFileSync(join(temp, "plan.md"), TOKEN_TEXT);
    const real = join(ws, "preview-real");
    mkdirSync(real);
    writeFileSync(join(real, "plan.md"), "the plan");
    symlinkSync(temp, join(ws, "preview-link"));
    const flipper = spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("fs"); const ws = ${JSON.stringify(ws)};
         const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
         for (;;) {
           fs.renameSync(ws + "/preview-real", ws + "/preview"); pause();
           fs.renameSync(ws + "/preview", ws + "/preview-real");
           fs.renameSync(ws + "/preview-link", ws + "/preview"); pause();
           fs.renameSync(ws + "/preview", ws + "/preview-link");
         }`,
      ],
      { stdio: "ignore" },
    );
    try {
      for (let i = 0; i < 8; i++) {
        const pr = newPr();
        await comment(pr, { "details-file": "preview/plan.md" }, { cwd: ws, env });
        expect(bodyOf(pr)).not.toContain(TOKEN_TEXT);
      }
    } finally {
      flipper.kill();
    }
  });
});
