// The workflows' own shell steps, run exactly as written in the YAML (taken out of the parsed
// file, not copied) with the command line the runner uses for the step's shell, with `gh`
// replaced by a recording double: the timings, the digest map, the dispatch, the production
// finder and the OIDC credentials (the health check is a typed action now: test/actions/health-check.test.ts). (deploy.yml's
// decisions are the deploy-gate action, tested in test/actions/deploy-gate.test.ts.)
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../harness/paths.js";
import {
  effectiveShell,
  findStep,
  loadWorkflow,
  runScript as runInShell,
  type ScriptRun,
} from "../support/workflows.js";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"0123456789abcdef".repeat(4)}`;
interface StepScript {
  run: string;
  /** The shell the runner would start it with (the step's, the job's or the workflow's). */
  shell: string | undefined;
}

function script(path: string, jobId: string, name: string): StepScript {
  const { workflow } = loadWorkflow(path);
  const job = workflow.jobs[jobId]!;
  const step = findStep(workflow, jobId, name);
  return { run: step.run!, shell: effectiveShell(workflow, job, step) };
}

/** A step's script as the runner runs it; a bare string is a script under `shell: bash`. */
function runScript(
  step: StepScript | string,
  env: Record<string, string> = {},
  path: string[] = [],
): Promise<ScriptRun> {
  const { run, shell } = typeof step === "string" ? { run: step, shell: "bash" } : step;
  return runInShell(run, env, path, { shell });
}

/** A `gh` double: answers `gh api <path>` from a JSON map of path -> output (missing = 404). */
function fakeGh(answers: Record<string, string>): { bin: string; calls: () => string[] } {
  const bin = mkdtempSync(join(tmpdir(), "fake-gh-"));
  const log = join(bin, "calls.log");
  writeFileSync(join(bin, "answers.json"), JSON.stringify(answers));
  writeFileSync(
    join(bin, "gh"),
    [
      "#!/usr/bin/env bash",
      `printf '%s\\n' "$*" >>'${log}'`,
      "if [[ $1 == api ]]; then",
      `  answer=$(jq -r --arg p "$2" '.[$p] // empty' '${join(bin, "answers.json")}')`,
      '  if [[ -z $answer ]]; then echo "gh: Not Found (HTTP 404)" >&2; exit 1; fi',
      '  printf "%s\\n" "$answer"',
      "fi",
    ].join("\n"),
  );
  chmodSync(join(bin, "gh"), 0o755);
  return {
    bin,
    calls: () => {
      try {
        return readFileSync(log, "utf8").trim().split("\n");
      } catch {
        return [];
      }
    },
  };
}

// The gate's decisions (inputs, trust, reviewers, branch policies, open and superseded runs,
// the URLs to check) and the cleanup's names are the deploy-gate action:
// test/actions/deploy-gate.test.ts.
describe("deploy.yml: Collect the timings", () => {
  it("lists only the timings of the phases that ran, as NAME=SECONDS lines", async () => {
    const run = script(".github/workflows/deploy.yml", "finish", "timings");
    const both = await runScript(run, { PREVIEW_SECONDS: "12", UP_SECONDS: "95" });
    expect(both.outputs.timings).toBe("preview=12\nup=95");
    const failedEarly = await runScript(run, { PREVIEW_SECONDS: "12", UP_SECONDS: "" });
    expect(failedEarly.outputs.timings).toBe("preview=12");
  });
});

describe("build-images.yml", () => {
  const names = script(".github/workflows/build-images.yml", "prepare", "names");
  const env = (overrides: Record<string, string> = {}) => ({
    IMAGES: JSON.stringify([{ name: "web", context: "web" }, { name: "my--svc" }]),
    PREFIX: "",
    REGISTRY: "",
    REPOSITORY: "Acme/Shop",
    PR_NUMBER: "",
    REF: "refs/heads/main",
    DEFAULT_BRANCH: "main",
    ...overrides,
  });

  it("names the prefix (lowercased from the repository by default), the registry and the images", async () => {
    const result = await runScript(names, env());
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      prefix: "ghcr.io/acme/shop/",
      registry: "ghcr.io",
      names: "web\nmy--svc",
      "cache-scope": "",
    });
    const custom = await runScript(names, env({ PREFIX: "127.0.0.1:5000/shop-" }));
    expect(custom.outputs).toMatchObject({
      prefix: "127.0.0.1:5000/shop-",
      registry: "127.0.0.1:5000",
    });
  });

  it("gives every call its own artifact key", async () => {
    const first = (await runScript(names, env())).outputs.key!;
    const second = (await runScript(names, env())).outputs.key!;
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
  });

  it("lets only default-branch builds write the trusted cache", async () => {
    expect(
      (await runScript(names, env({ PR_NUMBER: "7", REF: "refs/pull/7/merge" }))).outputs[
        "cache-scope"
      ],
    ).toBe("pr-7");
    expect(
      (await runScript(names, env({ REF: "refs/heads/feature" }))).outputs["cache-scope"],
    ).toMatch(/^ref-[0-9a-f]{12}$/);
    expect((await runScript(names, env({ DEFAULT_BRANCH: "" }))).outputs["cache-scope"]).toMatch(
      /^ref-/,
    );
  });

  it("refuses an images input that is not a list of named images", async () => {
    for (const IMAGES of ["", "{}", "[]", '[{"context":"web"}]']) {
      const result = await runScript(names, env({ IMAGES }));
      expect(result.exitCode, IMAGES).toBe(1);
      expect(result.outputs).toEqual({});
    }
  });

  it("checks names and references with check-images, before a build and after", () => {
    const { workflow } = loadWorkflow(".github/workflows/build-images.yml");
    const checks = Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).filter((step) => step.uses === "$/actions/check-images"),
    );
    expect(checks.map((step) => Object.keys(step.with ?? {}).sort())).toEqual([
      ["image-prefix", "names"],
      ["digests", "image-prefix"],
    ]);
  });

  it("maps every image to its digest, and fails naming an image without one", async () => {
    const read = script(".github/workflows/build-images.yml", "collect", "read");
    const temp = mkdtempSync(join(tmpdir(), "digests-"));
    mkdirSync(join(temp, "digests"));
    writeFileSync(join(temp, "digests", "web"), D1);
    writeFileSync(join(temp, "digests", "api"), D2);
    const images = JSON.stringify([{ name: "web" }, { name: "api" }]);
    const result = await runScript(read, { RUNNER_TEMP: temp, IMAGES: images });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.digests!)).toEqual({ web: D1, api: D2 });
    const missing = await runScript(read, {
      RUNNER_TEMP: temp,
      IMAGES: JSON.stringify([{ name: "web" }, { name: "db" }]),
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([
      "image 'db' has no digest (its build failed, or a re-run of failed jobs came after its digest artifact expired: re-run all jobs)",
    ]);
  });

  it("keeps each leg's digest as long as GitHub lets failed jobs be re-run (30 days)", () => {
    // A re-run of failed jobs reads the other legs' digests from their artifacts: kept 1 day,
    // such a re-run the next day failed with "has no digest".
    const { workflow } = loadWorkflow(".github/workflows/build-images.yml");
    const upload = (workflow.jobs.build?.steps ?? []).find((step) =>
      String(step.uses).startsWith("actions/upload-artifact@"),
    );
    expect(upload?.with?.["retention-days"]).toBe(30);
  });
});

describe("the dispatch path (action-docs/examples/preview-dispatch-*.yml)", () => {
  const sha = "b".repeat(40);
  const WEB = `ghcr.io/acme/shop/web@${D1}`;
  const API = `ghcr.io/acme/shop/api@${D2}`;

  it("checks the number and the head commit in its first step, then the images with check-images", async () => {
    const { workflow } = loadWorkflow("action-docs/examples/preview-dispatch-deploy.yml");
    const [first, check] = workflow.jobs.check!.steps!;
    expect(workflow.jobs.preview?.needs).toBe("check");
    expect(check!.uses).toMatch(/\/actions\/check-images@/);
    const step = {
      run: first!.run!,
      shell: effectiveShell(workflow, workflow.jobs.check!, first!),
    };
    const ok = await runScript(step, {
      PR_NUMBER: "7",
      HEAD_SHA: sha,
      WEB_IMAGE: WEB,
      API_IMAGE: API,
    });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.outputs["image-refs"]!)).toEqual({ web: WEB, api: API });
    const bad = await runScript(step, {
      PR_NUMBER: "7x",
      HEAD_SHA: "abc",
      WEB_IMAGE: WEB,
      API_IMAGE: API,
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toEqual([
      "pr_number must be a pull request number, got '7x'",
      "head_sha must be a whole commit SHA, got 'abc'",
    ]);
  });

  it("dispatches with the workflow token on the pull request's branch, never a refs/pull ref", async () => {
    const run = script(
      "action-docs/examples/preview-dispatch-build.yml",
      "dispatch",
      "Start the preview deploy",
    );
    const env = {
      GH_TOKEN: "t",
      REPOSITORY: "acme/shop",
      IMAGE_REFS: JSON.stringify({ web: WEB, api: API }),
      PR_NUMBER: "7",
      HEAD_REF: "feature/x",
      HEAD_SHA: sha,
    };
    const gh = fakeGh({});
    expect((await runScript(run, env, [gh.bin])).exitCode).toBe(0);
    expect(gh.calls()).toEqual([
      `workflow run preview-dispatch-deploy.yml --repo acme/shop --ref feature/x -f pr_number=7 -f head_sha=${sha} -f web_image=${WEB} -f api_image=${API}`,
    ]);
    const pull = fakeGh({});
    const refused = await runScript(run, { ...env, HEAD_REF: "refs/pull/7/merge" }, [pull.bin]);
    expect(refused.exitCode).toBe(1);
    expect(pull.calls()).toEqual([]);
    const { workflow } = loadWorkflow("action-docs/examples/preview-dispatch-build.yml");
    expect(workflow.jobs.dispatch!.permissions).toEqual({ actions: "write" });
  });

  it("dispatches nothing when a digest is missing (a failed jq fails the step)", async () => {
    const run = script(
      "action-docs/examples/preview-dispatch-build.yml",
      "dispatch",
      "Start the preview deploy",
    );
    const gh = fakeGh({});
    const result = await runScript(
      run,
      {
        GH_TOKEN: "t",
        REPOSITORY: "acme/shop",
        IMAGE_REFS: JSON.stringify({ web: WEB }),
        PR_NUMBER: "7",
        HEAD_REF: "feature/x",
        HEAD_SHA: sha,
      },
      [gh.bin],
    );
    expect(result.exitCode).not.toBe(0);
    expect(gh.calls()).toEqual([]);
  });
});

describe("the runner's shell (finding 8)", () => {
  // The failure the review found: without `shell:`, the runner runs `bash -e {0}`, where a
  // failed command before a pipe is ignored and an empty token is written.
  const pipe = 'curl --silent --fail http://127.0.0.1:9/ | jq -r .value >"$RUNNER_TEMP/token"';

  it("runs a step without a shell as bash -e: a failed curl | jq succeeds", async () => {
    expect((await runScript({ run: pipe, shell: undefined })).exitCode).toBe(0);
  });

  it("runs a step of our workflows as bash -eo pipefail: the same pipe fails", async () => {
    expect((await runScript({ run: pipe, shell: "bash" })).exitCode).not.toBe(0);
  });
});

describe("actions/aws-credentials", () => {
  const spec = parse(readFileSync(join(repoRoot, "actions/aws-credentials/action.yml"), "utf8"));
  const step = { run: spec.runs.steps[0].run as string, shell: spec.runs.steps[0].shell as string };
  let issued = 0;
  let server: Server;
  let audience: string | null = null;
  const audiences: string[] = [];
  const refreshers: number[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      audience = new URL(request.url!, "http://x").searchParams.get("audience");
      const job = new URL(request.url!, "http://x").searchParams.get("job");
      if (job) audiences.push(`${job} ${audience}`);
      const authorised = request.headers.authorization === "bearer request-token";
      issued += authorised ? 1 : 0;
      response.writeHead(authorised ? 200 : 401, { "content-type": "application/json" });
      response.end(authorised ? JSON.stringify({ value: `eyJ.oidc-token-${issued}.sig` }) : "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    // The runner ends a job's leftover processes; here the test ends the refreshers it started.
    for (const pid of refreshers) {
      try {
        process.kill(pid);
      } catch {
        // already gone
      }
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const env = (overrides: Record<string, string> = {}) => {
    const { port } = server.address() as AddressInfo;
    return {
      ROLE_ARN: "arn:aws:iam::123456789012:role/deploy",
      REGION: "eu-west-1",
      AUDIENCE: "sts.amazonaws.com",
      REFRESH_SECONDS: "1",
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_ATTEMPT: "1",
      ...overrides,
    };
  };

  it("is the one OIDC step of every job that uses cloud credentials", () => {
    for (const [path, jobs] of [
      [".github/workflows/deploy.yml", ["plan", "plan-with-role", "deploy", "deploy-with-role"]],
      [".github/workflows/cleanup-preview.yml", ["destroy", "destroy-with-role"]],
    ] as const) {
      const { workflow } = loadWorkflow(path);
      for (const job of jobs) {
        expect(findStep(workflow, job, "Cloud credentials by OIDC").uses).toBe(
          "$/actions/aws-credentials",
        );
      }
    }
  });

  it("writes a fresh token for the AWS provider, masked, prints it nowhere, and keeps it fresh", async () => {
    const result = await runScript(step, env());
    refreshers.push(
      Number(
        readFileSync(
          join(result.exportedEnv.AWS_WEB_IDENTITY_TOKEN_FILE! + ".refresher-pid"),
          "utf8",
        ),
      ),
    );
    expect(result.exitCode).toBe(0);
    expect(audience).toBe("sts.amazonaws.com");
    const file = result.exportedEnv.AWS_WEB_IDENTITY_TOKEN_FILE!;
    const first = readFileSync(file, "utf8");
    expect(first).toMatch(/^eyJ\.oidc-token-\d+\.sig$/);
    expect(result.exportedEnv).toMatchObject({
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/deploy",
      AWS_ROLE_SESSION_NAME: "github-42-1",
      AWS_REGION: "eu-west-1",
    });
    expect(result.stdout.replace(`::add-mask::${first}`, "")).not.toContain(first);
    // The step ended at once; the file is rewritten with a newer token while the job runs.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(readFileSync(file, "utf8")).not.toBe(first);
    expect(readFileSync(file, "utf8")).toMatch(/^eyJ\.oidc-token-\d+\.sig$/);
  });

  it("refuses bad inputs and a job without id-token: write before fetching anything", async () => {
    // Its own job marker: the earlier test's refresher still fetches tokens every second.
    const { port } = server.address() as AddressInfo;
    const result = await runScript(
      step,
      env({
        ROLE_ARN: "deploy",
        REFRESH_SECONDS: "0",
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0&job=refused`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "",
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Input 'role-arn' must be arn:aws:iam::<12-digit account>:role/<name>, got 'deploy'",
      "Input 'refresh-seconds' must be a positive integer, got '0'",
      "the job cannot request an OIDC token: grant it 'permissions: id-token: write'",
    ]);
    expect(result.exportedEnv).toEqual({});
    expect(audiences.filter((line) => line.startsWith("refused "))).toEqual([]);
  });

  it("#23 item 6: a line break in role-arn or audience starts no workflow command", async () => {
    const result = await runScript(
      step,
      env({
        ROLE_ARN: "arn:x\n::add-mask::arn\n::warning::injected",
        AUDIENCE: "sts\n::stop-commands::x",
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Input 'role-arn' must be arn:aws:iam::<12-digit account>:role/<name>, got 'arn:x%0A::add-mask::arn%0A::warning::injected'",
      "Input 'audience' must be one word of at most 256 characters (e.g. sts.amazonaws.com), got 'sts%0A::stop-commands::x'",
    ]);
    const commands = result.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(commands.every((line) => line.startsWith("::error "))).toBe(true);
  });

  it("#23 item 6: the audience is URL-encoded, the token file is 0600, one refresher per job", async () => {
    const temp = mkdtempSync(join(tmpdir(), "aws-credentials-"));
    // This job's requests, told apart from the other tests' refreshers.
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/token?api-version=2.0&job=twice`;
    const first = await runScript(
      step,
      env({
        RUNNER_TEMP: temp,
        AUDIENCE: "api://first?x=1&y=2",
        ACTIONS_ID_TOKEN_REQUEST_URL: url,
      }),
    );
    const pidFile = join(temp, "aws-web-identity-token.refresher-pid");
    refreshers.push(Number(readFileSync(pidFile, "utf8")));
    expect(first.exitCode).toBe(0);
    // This job's request, not the last one: an earlier test's refresher may fetch in between.
    expect(audiences).toContain("twice api://first?x=1&y=2");
    const file = first.exportedEnv.AWS_WEB_IDENTITY_TOKEN_FILE!;
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await runScript(
      step,
      env({ RUNNER_TEMP: temp, AUDIENCE: "second.example", ACTIONS_ID_TOKEN_REQUEST_URL: url }),
    );
    refreshers.push(Number(readFileSync(pidFile, "utf8")));
    expect(second.exitCode).toBe(0);
    audiences.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 3500));
    // Only the second use refreshes: no token for the first audience after it.
    expect(audiences.length).toBeGreaterThan(0);
    expect(new Set(audiences)).toEqual(new Set(["twice second.example"]));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("fails without a token when GitHub refuses one, and exports nothing", async () => {
    const result = await runScript(step, env({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong" }));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "GitHub did not hand out an OIDC token for audience 'sts.amazonaws.com'",
    ]);
    expect(result.exportedEnv).toEqual({});
  });
});
