// The workflows' own shell steps, run exactly as written in the YAML (taken out of the parsed
// file, not copied) with the command line the runner uses for the step's shell, with `gh`
// replaced by a recording double: the input checks, the trust decision, the reviewers check,
// the superseded-run check, the URL collection, the digest map, the dispatch, the OIDC
// credentials, and the health check against a real HTTP server.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

describe("deploy.yml: Validate the inputs", () => {
  const run = script(".github/workflows/deploy.yml", "gate", "inputs");
  const env = (overrides: Record<string, string>) => ({
    KIND: "preview",
    STACK: "acme/shop/pr-7",
    PR_NUMBER: "7",
    DEPLOYMENT_ENVIRONMENT: "",
    ENVIRONMENT: "",
    DESTROY_ON_FAILURE: "false",
    CONFIG: "",
    ...overrides,
  });

  it("names the Deployment environment per kind", async () => {
    expect((await runScript(run, env({}))).outputs).toEqual({
      "deployment-environment": "preview-pr-7",
      config: 'prNumber: "7"',
    });
    const production = await runScript(run, env({ KIND: "production", PR_NUMBER: "0" }));
    expect(production.outputs["deployment-environment"]).toBe("production");
  });

  it("reports every bad input, one line each, and outputs nothing", async () => {
    const result = await runScript(run, env({ KIND: "staging", STACK: "" }));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "environment-kind must be dev, preview or production, got 'staging'",
      "stack is empty",
    ]);
    expect(result.outputs).toEqual({});
    expect((await runScript(run, env({ PR_NUMBER: "0" }))).errors).toEqual([
      "pr-number must be a pull request number for a preview, got '0'",
    ]);
  });

  it("refuses destroy-on-failure outside a preview: a failed up must not destroy dev or production", async () => {
    for (const KIND of ["dev", "production"]) {
      const result = await runScript(run, env({ KIND, DESTROY_ON_FAILURE: "true" }));
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        `destroy-on-failure is only for previews, not for environment-kind '${KIND}'`,
      ]);
      expect(result.outputs).toEqual({});
    }
    expect((await runScript(run, env({ DESTROY_ON_FAILURE: "true" }))).exitCode).toBe(0);
  });

  it("adds prNumber to a preview's config, keeping the caller's lines as given, and only a preview's", async () => {
    const given = 'domain: "pr.example.com"\nreplicas:\n  web: 2\nnote: |\n  two\n  lines';
    const preview = await runScript(run, env({ CONFIG: given }));
    expect(preview.outputs.config).toBe(`${given}\nprNumber: "7"`);
    expect(parse(preview.outputs.config!)).toEqual({
      domain: "pr.example.com",
      replicas: { web: 2 },
      note: "two\nlines\n",
      prNumber: "7",
    });
    const dev = await runScript(run, env({ KIND: "dev", PR_NUMBER: "0", CONFIG: given }));
    expect(dev.outputs.config).toBe(given);
  });

  it("refuses a preview config that sets prNumber itself", async () => {
    for (const line of ["prNumber: 8", '"prNumber": "8"', "prNumber : 8"]) {
      const result = await runScript(run, env({ CONFIG: `a: 1\n${line}` }));
      expect(result.exitCode, line).toBe(1);
      expect(result.errors).toEqual([
        "config sets prNumber; a preview's is its pull request number, added by the deploy",
      ]);
      expect(result.outputs).toEqual({});
    }
  });

  it("leaves the images to check-images, the package's one image rule", () => {
    const { workflow } = loadWorkflow(".github/workflows/deploy.yml");
    const images = findStep(workflow, "gate", "images");
    expect(images.uses).toBe("./.preview-kit/actions/check-images");
    expect(images.with?.["require-images"]).toBe("${{ inputs.environment-kind == 'production' }}");
    const runs = workflow.jobs.gate!.steps!.map((step) => step.run ?? "").join("\n");
    expect(runs).not.toMatch(/sha256/);
  });
});

describe("deploy.yml: Decide the environment from the author's permission", () => {
  const run = script(".github/workflows/deploy.yml", "gate", "trust");
  const env = (overrides: Record<string, string>) => ({
    GH_TOKEN: "t",
    REPOSITORY: "acme/shop",
    KIND: "preview",
    PR_NUMBER: "7",
    EVENT_PR_NUMBER: "7",
    EVENT_AUTHOR: "alice",
    ENVIRONMENT: "preview",
    APPROVAL_ENVIRONMENT: "preview-approval",
    ...overrides,
  });
  const permission = "repos/acme/shop/collaborators/alice/permission";

  it.each([
    ["admin", "admin admin", "true", "preview"],
    ["write", "write write", "true", "preview"],
    ["maintain", "write maintain", "true", "preview"],
    ["triage", "read triage", "false", "preview-approval"],
    ["read", "read read", "false", "preview-approval"],
  ])("an author with %s access gets trusted=%s", async (_role, access, trusted, environment) => {
    const gh = fakeGh({ [permission]: access });
    const result = await runScript(run, env({}), [gh.bin]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ trusted, environment });
  });

  it("treats an author who is no collaborator (404) as untrusted", async () => {
    const gh = fakeGh({});
    const result = await runScript(run, env({}), [gh.bin]);
    expect(result.outputs).toEqual({ trusted: "false", environment: "preview-approval" });
  });

  it("reads the author of a dispatched preview from the pull request", async () => {
    const gh = fakeGh({ "repos/acme/shop/pulls/7": "alice", [permission]: "write write" });
    const result = await runScript(run, env({ EVENT_PR_NUMBER: "", EVENT_AUTHOR: "" }), [gh.bin]);
    expect(result.outputs).toEqual({ trusted: "true", environment: "preview" });
    expect(gh.calls()[0]).toContain("repos/acme/shop/pulls/7");
  });

  it("does not gate dev or production (their environments do), and asks GitHub nothing", async () => {
    const gh = fakeGh({});
    const result = await runScript(run, env({ KIND: "production", ENVIRONMENT: "" }), [gh.bin]);
    expect(result.outputs).toEqual({ trusted: "true", environment: "production" });
    expect(gh.calls()).toEqual([]);
  });

  it("refuses an author login that is not a login", async () => {
    const gh = fakeGh({});
    const result = await runScript(run, env({ EVENT_AUTHOR: "a/../b" }), [gh.bin]);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(["cannot read the author of pull request #7"]);
  });
});

describe("deploy.yml: Check that the environment requires reviewers", () => {
  const run = script(
    ".github/workflows/deploy.yml",
    "gate",
    "Check that the environment requires reviewers",
  );
  const env = { GH_TOKEN: "t", REPOSITORY: "acme/shop", ENVIRONMENT: "production" };
  // As gh's --jq hands them on: the required_reviewers rules only.
  const rules = (...list: object[]) => ({
    "repos/acme/shop/environments/production": JSON.stringify(
      list.filter((rule) => (rule as { type: string }).type === "required_reviewers"),
    ),
  });
  const reviewers = (prevent: boolean) => ({
    type: "required_reviewers",
    prevent_self_review: prevent,
  });

  it("passes an environment with required reviewers and fails one without", async () => {
    const protectedEnv = fakeGh(rules(reviewers(true)));
    expect(
      (await runScript(run, { ...env, REQUIRE_OTHERS: "true" }, [protectedEnv.bin])).exitCode,
    ).toBe(0);
    const open = fakeGh(rules({ type: "wait_timer" }));
    const result = await runScript(run, { ...env, REQUIRE_OTHERS: "false" }, [open.bin]);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("environment 'production' has no required reviewers");
    expect(result.errors[0]).toContain("GitHub Enterprise");
    const missing = await runScript(run, { ...env, REQUIRE_OTHERS: "false" }, [fakeGh({}).bin]);
    expect(missing.exitCode).toBe(1);
  });

  it("fails production's environment when its reviewers may approve their own run", async () => {
    const self = fakeGh(rules(reviewers(false)));
    const result = await runScript(run, { ...env, REQUIRE_OTHERS: "true" }, [self.bin]);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "environment 'production' lets the person who started the run approve it: turn on 'Prevent self-review', or set allow-self-review",
    ]);
    const allowed = await runScript(run, { ...env, REQUIRE_OTHERS: "false" }, [self.bin]);
    expect(allowed.exitCode).toBe(0);
  });
});

describe("deploy.yml: Check that this run is still the one to deploy", () => {
  const run = script(".github/workflows/deploy.yml", "deploy", "current");
  const head = "b".repeat(40);
  const env = (overrides: Record<string, string> = {}) => ({
    GH_TOKEN: "t",
    REPOSITORY: "acme/shop",
    KIND: "preview",
    PR_NUMBER: "7",
    HEAD_SHA: head,
    REF: "refs/pull/7/merge",
    SHA: "m".repeat(40),
    ...overrides,
  });
  const pull = (state: string, sha: string) => ({
    "repos/acme/shop/pulls/7": JSON.stringify({ state, head: { sha } }),
  });

  it("deploys a preview while its pull request is open at the head it built", async () => {
    const result = await runScript(run, env(), [fakeGh(pull("open", head)).bin]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ deploy: "true" });
  });

  it("does not recreate the preview of a pull request closed meanwhile", async () => {
    const result = await runScript(run, env(), [fakeGh(pull("closed", head)).bin]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ deploy: "false" });
    expect(result.stdout).toContain("pull request #7 is closed");
  });

  it("does not ship an older push's images over a newer one", async () => {
    const newer = "c".repeat(40);
    const result = await runScript(run, env(), [fakeGh(pull("open", newer)).bin]);
    expect(result.outputs).toEqual({ deploy: "false" });
    expect(result.stdout).toContain(`moved on to ${newer}`);
  });

  it("skips a dev or production run whose commit is no longer the branch's head", async () => {
    const sha = "m".repeat(40);
    const branch = (at: string) => fakeGh({ "repos/acme/shop/commits/heads/main": at });
    const stale = { KIND: "dev", REF: "refs/heads/main", SHA: sha };
    expect((await runScript(run, env(stale), [branch(sha).bin])).outputs).toEqual({
      deploy: "true",
    });
    expect((await runScript(run, env(stale), [branch("n".repeat(40)).bin])).outputs).toEqual({
      deploy: "false",
    });
  });

  it("fails, rather than deploys, when GitHub cannot be asked", async () => {
    const result = await runScript(run, env(), [fakeGh({}).bin]);
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs).toEqual({});
  });
});

describe("deploy.yml: Check that the pull request is still open", () => {
  const run = script(".github/workflows/deploy.yml", "gate", "open");
  const env = { GH_TOKEN: "t", REPOSITORY: "acme/shop", KIND: "preview", PR_NUMBER: "7" };
  const state = (answer: string) => fakeGh({ "repos/acme/shop/pulls/7": answer });

  it("plans a preview only while its pull request is open", async () => {
    expect((await runScript(run, env, [state("open").bin])).outputs).toEqual({ open: "true" });
    const closed = await runScript(run, env, [state("closed").bin]);
    expect(closed.outputs).toEqual({ open: "false" });
    expect(closed.stdout).toContain("pull request #7 is closed");
  });

  it("asks nothing for dev or production, and fails when GitHub cannot be asked", async () => {
    const gh = fakeGh({});
    expect((await runScript(run, { ...env, KIND: "dev" }, [gh.bin])).outputs).toEqual({
      open: "true",
    });
    expect(gh.calls()).toEqual([]);
    const unreachable = await runScript(run, env, [gh.bin]);
    expect(unreachable.exitCode).not.toBe(0);
    expect(unreachable.outputs).toEqual({});
  });
});

describe("deploy.yml: Collect the URLs to check", () => {
  const run = script(".github/workflows/deploy.yml", "deploy", "urls");

  it("takes the named outputs that hold http(s) URLs, single or in a list", async () => {
    const outputs = {
      url: "https://a.example",
      urls: ["https://b.example", "http://c.example"],
      other: "x",
      bad: "ftp://d",
    };
    const result = await runScript(run, {
      OUTPUTS: JSON.stringify(outputs),
      NAMES: "url\n urls \nbad\nmissing",
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.urls).toBe("https://a.example\nhttps://b.example\nhttp://c.example");
    expect(result.outputs.named).toBe(
      "url=https://a.example\nurls-1=https://b.example\nurls-2=http://c.example",
    );
    expect(result.outputs.first).toBe("https://a.example");
  });

  it("outputs nothing to check when the stack has no URL output", async () => {
    const result = await runScript(run, { OUTPUTS: "", NAMES: "url" });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ urls: "", named: "", first: "" });
  });

  it("lists only the timings of the phases that ran, as NAME=SECONDS lines", async () => {
    const run = script(".github/workflows/deploy.yml", "deploy", "timings");
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
      (job.steps ?? []).filter((step) => step.uses === "./.preview-kit/actions/check-images"),
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
    expect(missing.errors).toEqual(["image 'db' has no digest"]);
  });
});

describe("the dispatch path (action-docs/examples/preview-dispatch-*.yml)", () => {
  const sha = "b".repeat(40);

  it("checks the number and the head commit in its first step, then the digests with check-images", async () => {
    const { workflow } = loadWorkflow("action-docs/examples/preview-dispatch-deploy.yml");
    const [first, check] = workflow.jobs.digests!.steps!;
    expect(workflow.jobs.preview?.needs).toBe("digests");
    expect(check!.uses).toMatch(/\/actions\/check-images@/);
    const step = {
      run: first!.run!,
      shell: effectiveShell(workflow, workflow.jobs.digests!, first!),
    };
    const ok = await runScript(step, {
      PR_NUMBER: "7",
      HEAD_SHA: sha,
      WEB_DIGEST: D1,
      API_DIGEST: D2,
    });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.outputs.digests!)).toEqual({ web: D1, api: D2 });
    const bad = await runScript(step, {
      PR_NUMBER: "7x",
      HEAD_SHA: "abc",
      WEB_DIGEST: D1,
      API_DIGEST: D2,
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
      DIGESTS: JSON.stringify({ web: D1, api: D2 }),
      PR_NUMBER: "7",
      HEAD_REF: "feature/x",
      HEAD_SHA: sha,
    };
    const gh = fakeGh({});
    expect((await runScript(run, env, [gh.bin])).exitCode).toBe(0);
    expect(gh.calls()).toEqual([
      `workflow run preview-dispatch-deploy.yml --repo acme/shop --ref feature/x -f pr_number=7 -f head_sha=${sha} -f web_digest=${D1} -f api_digest=${D2}`,
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
        DIGESTS: JSON.stringify({ web: D1 }),
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

describe("actions/health-check", () => {
  const check = join(repoRoot, "actions", "health-check", "check.sh");
  const hits = new Map<string, number>();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // /flaky answers 503 twice, then 200; /down always 503; /moved redirects.
    server = createServer((request, response) => {
      const count = (hits.get(request.url!) ?? 0) + 1;
      hits.set(request.url!, count);
      if (request.url === "/moved") response.writeHead(302, { location: "/elsewhere" });
      else
        response.writeHead(
          request.url === "/flaky" && count > 2 ? 200 : request.url === "/ok" ? 200 : 503,
        );
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = (urls: string, timeout = "20") => ({
    HEALTH_URLS: urls,
    HEALTH_TIMEOUT_SECONDS: timeout,
    HEALTH_INITIAL_DELAY_SECONDS: "1",
    HEALTH_MAX_DELAY_SECONDS: "2",
  });

  it("retries with backoff until every URL is healthy", async () => {
    const result = await runScript(
      `bash '${check}'`,
      env(`${base}/flaky\n\n  ${base}/ok  \n${base}/moved`),
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ healthy: "true", unhealthy: "" });
    expect(hits.get("/flaky")).toBe(3);
    expect(hits.get("/ok")).toBe(1);
    expect(result.stdout).toContain("waiting 1s for 1 URL(s)");
    expect(result.stdout).toContain("waiting 2s for 1 URL(s)");
  });

  it("gives up at the time limit with one error line per unhealthy URL", async () => {
    const result = await runScript(
      `bash '${check}'`,
      env(`${base}/down\n${base}/ok\nhttp://127.0.0.1:9/closed`, "3"),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `${base}/down: HTTP 503 (not healthy within 3s)`,
      "http://127.0.0.1:9/closed: no response (curl exit 7) (not healthy within 3s)",
    ]);
    expect(result.outputs).toEqual({
      healthy: "false",
      unhealthy: `${base}/down\nhttp://127.0.0.1:9/closed`,
    });
  });

  it("refuses a URL that is not http(s) and an empty list", async () => {
    const ftp = await runScript(`bash '${check}'`, env("ftp://example.com/"));
    expect(ftp.errors).toEqual(["line 1 of input 'urls' is not an http:// or https:// URL"]);
    const none = await runScript(`bash '${check}'`, env(" \n"));
    expect(none.errors).toEqual(["no URL to check: input 'urls' is empty"]);
  });
});

describe("cleanup-preview.yml: Name what belongs to the pull request", () => {
  const run = script(".github/workflows/cleanup-preview.yml", "cleanup", "names");
  const env = {
    PR_NUMBER: "7",
    STACK_PROJECT: "",
    NAMESPACE: "",
    DEPLOYMENT_ENVIRONMENT: "",
    HAS_KUBECONFIG: "false",
  };

  it("names the stack, namespace and Deployment environment as deploy-preview.yml made them", async () => {
    expect((await runScript(run, env)).outputs).toEqual({
      stack: "pr-7",
      namespace: "preview-pr-7",
      "deployment-environment": "preview-pr-7",
      "has-kubeconfig": "false",
    });
    const cloud = await runScript(run, {
      ...env,
      STACK_PROJECT: "acme/shop",
      HAS_KUBECONFIG: "true",
    });
    expect(cloud.outputs.stack).toBe("acme/shop/pr-7");
    expect((await runScript(run, { ...env, PR_NUMBER: "0" })).exitCode).toBe(1);
  });
});

describe("actions/aws-credentials", () => {
  const spec = parse(readFileSync(join(repoRoot, "actions/aws-credentials/action.yml"), "utf8"));
  const step = { run: spec.runs.steps[0].run as string, shell: spec.runs.steps[0].shell as string };
  let issued = 0;
  let server: Server;
  let audience: string | null = null;
  const refreshers: number[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      audience = new URL(request.url!, "http://x").searchParams.get("audience");
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
      [".github/workflows/deploy.yml", ["plan", "deploy"]],
      [".github/workflows/cleanup-preview.yml", ["cleanup"]],
    ] as const) {
      const { workflow } = loadWorkflow(path);
      for (const job of jobs) {
        expect(findStep(workflow, job, "Cloud credentials by OIDC").uses).toBe(
          "./.preview-kit/actions/aws-credentials",
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
    const before = issued;
    const result = await runScript(
      step,
      env({ ROLE_ARN: "deploy", REFRESH_SECONDS: "0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "" }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Input 'role-arn' must be arn:aws:iam::<12-digit account>:role/<name>, got 'deploy'",
      "Input 'refresh-seconds' must be a positive integer, got '0'",
      "the job cannot request an OIDC token: grant it 'permissions: id-token: write'",
    ]);
    expect(result.exportedEnv).toEqual({});
    expect(issued).toBe(before);
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

describe("release.yml: Commit, tag and push (finding 4)", () => {
  const run = script(".github/workflows/release.yml", "publish", "Commit, tag and push");

  /** A clone whose HEAD is the commit verify pinned, a bare origin, and verify's patch. */
  function release(patchPaths: Record<string, string>) {
    const temp = mkdtempSync(join(tmpdir(), "release-"));
    const git = (cwd: string, ...args: string[]) => {
      const result = spawnSync("git", args, {
        cwd,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", ...gitEnv(temp) },
      });
      if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
      return result.stdout.trim();
    };
    const origin = join(temp, "origin.git");
    git(temp, "init", "--quiet", "--bare", origin);
    const work = join(temp, "work");
    git(temp, "init", "--quiet", "-b", "main", work);
    mkdirSync(join(work, ".github", "workflows"), { recursive: true });
    writeFileSync(join(work, ".github/workflows/deploy.yml"), "uses: ./actions/x\n");
    writeFileSync(join(work, "README.md"), "readme\n");
    git(work, "add", ".");
    git(
      work,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.com",
      "commit",
      "--quiet",
      "-m",
      "main",
    );
    git(work, "remote", "add", "origin", origin);
    for (const [path, text] of Object.entries(patchPaths)) writeFileSync(join(work, path), text);
    const releaseDir = join(temp, "release");
    mkdirSync(releaseDir);
    writeFileSync(join(releaseDir, "pin.patch"), `${git(work, "diff", "--binary")}\n`);
    writeFileSync(join(releaseDir, "commit"), git(work, "rev-parse", "HEAD"));
    git(work, "checkout", "--quiet", "--", ".");
    return { temp, work, origin, git };
  }
  // No global or system git config: the job has no identity but the one the script gives.
  const gitEnv = (home: string) => ({
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  });

  /** The step in the clone, as the runner runs it, releasing v1.2.3. */
  const publish = (work: string, temp: string, ghBin: string) =>
    runInShell(
      `cd '${work}'\n${run.run}`,
      {
        ...gitEnv(temp),
        RUNNER_TEMP: temp,
        VERSION: "v1.2.3",
        MINOR: "v1.2",
        MAJOR: "v1",
        GH_TOKEN: "release-token",
      },
      [ghBin],
      { shell: run.shell },
    );

  it("commits and tags with the bot's identity on a runner that has none, and pushes the tags", async () => {
    const { temp, work, origin, git } = release({
      ".github/workflows/deploy.yml": "uses: acme/kit/actions/x@v1.2.3\n",
    });
    const gh = fakeGh({});
    const result = await publish(work, temp, gh.bin);
    expect(result.stderr).not.toContain("tell me who you are");
    expect(result.exitCode).toBe(0);
    expect(gh.calls()).toContain("auth setup-git");
    expect(git(origin, "tag", "--list").split("\n").sort()).toEqual(["v1", "v1.2", "v1.2.3"]);
    expect(git(origin, "for-each-ref", "--format=%(taggername)", "refs/tags/v1.2.3")).toBe(
      "github-actions[bot]",
    );
    expect(git(origin, "show", "v1.2.3:.github/workflows/deploy.yml")).toBe(
      "uses: acme/kit/actions/x@v1.2.3",
    );

    // What the old step did: `-c user.*` on the commit only. An annotated tag then has no tagger.
    const bare = spawnSync("git", ["tag", "--annotate", "v9", "--message", "v9"], {
      cwd: work,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...gitEnv(temp) },
    });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/tell me who you are|unable to auto-detect email/i);
  });

  it("refuses a patch that touches more than uses: files, and pushes nothing", async () => {
    const { temp, work, origin, git } = release({
      ".github/workflows/deploy.yml": "uses: acme/kit/actions/x@v1.2.3\n",
      "README.md": "changed\n",
    });
    const result = await publish(work, temp, fakeGh({}).bin);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("README.md");
    expect(git(origin, "tag", "--list")).toBe("");
  });
});
