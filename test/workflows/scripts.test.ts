// The workflows' own shell steps, run with bash exactly as written in the YAML (taken out
// of the parsed file, not copied), with `gh` replaced by a recording double: the digest
// checks, the trust decision, the URL collection, the digest map, the dispatch, and the
// health check against a real HTTP server.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import { findStep, loadWorkflow, runScript } from "../support/workflows.js";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"0123456789abcdef".repeat(4)}`;
const script = (path: string, job: string, step: string) =>
  findStep(loadWorkflow(path).workflow, job, step).run!;

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

describe("deploy.yml: Validate inputs and digests", () => {
  const run = script(".github/workflows/deploy.yml", "gate", "images");
  const env = (overrides: Record<string, string>) => ({
    KIND: "preview",
    STACK: "acme/shop/pr-7",
    PR_NUMBER: "7",
    DIGESTS: "",
    IMAGE_PREFIX: "",
    IMAGE_REFS: "",
    DEPLOYMENT_ENVIRONMENT: "",
    ENVIRONMENT: "",
    DESTROY_ON_FAILURE: "false",
    ...overrides,
  });

  it("turns digests and a prefix into the images input, whole", async () => {
    const result = await runScript(
      run,
      env({ DIGESTS: JSON.stringify({ web: D1, api: D2 }), IMAGE_PREFIX: "ghcr.io/acme/shop/" }),
    );
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.images).toBe(
      `web=ghcr.io/acme/shop/web@${D1}\napi=ghcr.io/acme/shop/api@${D2}`,
    );
    expect(JSON.parse(result.outputs.digests!)).toEqual({ web: D1, api: D2 });
    expect(result.outputs["digest-lines"]).toBe(`web=${D1}\napi=${D2}`);
    expect(result.outputs["deployment-environment"]).toBe("preview-pr-7");
  });

  it("takes image references as they are", async () => {
    const refs = { web: `127.0.0.1:5000/shop/web@${D1}` };
    const result = await runScript(
      run,
      env({ KIND: "production", IMAGE_REFS: JSON.stringify(refs) }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.images).toBe(`web=${refs.web}`);
    expect(JSON.parse(result.outputs.digests!)).toEqual({ web: D1 });
    expect(result.outputs["deployment-environment"]).toBe("production");
  });

  it.each([
    ["a digest cut to 12 characters", { web: "sha256:abcdef012345" }],
    ["an upper-case digest", { web: D1.toUpperCase().replace("SHA256", "sha256") }],
    ["a digest without its algorithm", { web: "a".repeat(64) }],
  ])("fails with one line on %s, and outputs nothing", async (_case, digests) => {
    const result = await runScript(
      run,
      env({ DIGESTS: JSON.stringify(digests), IMAGE_PREFIX: "ghcr.io/a/" }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `image 'web' must be sha256: followed by 64 lowercase hex characters, got '${digests.web}'`,
    ]);
    expect(result.outputs).toEqual({});
  });

  it("reports every bad input, one line each", async () => {
    const result = await runScript(
      run,
      env({
        KIND: "staging",
        STACK: "",
        DIGESTS: JSON.stringify({ Web: D1, api: "sha256:1" }),
        IMAGE_PREFIX: "x",
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "environment-kind must be dev, preview or production, got 'staging'",
      "stack is empty",
      "image name 'Web' must be lowercase letters, digits, '-' or '_'",
      "image 'api' must be sha256: followed by 64 lowercase hex characters, got 'sha256:1'",
    ]);
  });

  it("refuses a preview without a pull request, a map that is not JSON, and a production without images", async () => {
    expect((await runScript(run, env({ PR_NUMBER: "0" }))).errors).toEqual([
      "pr-number must be a pull request number for a preview, got '0'",
    ]);
    expect((await runScript(run, env({ DIGESTS: "web=sha256:1" }))).errors).toEqual([
      "the images must be a JSON object of name to string, got 'web=sha256:1'",
    ]);
    expect((await runScript(run, env({ KIND: "production" }))).errors).toEqual([
      "production deploys exactly the digests it is given, and none was given",
    ]);
  });

  it("refuses destroy-on-failure outside a preview: a failed up must not destroy dev or production", async () => {
    const refs = JSON.stringify({ web: `ghcr.io/acme/shop/web@${D1}` });
    for (const KIND of ["dev", "production"]) {
      const result = await runScript(
        run,
        env({ KIND, IMAGE_REFS: refs, DESTROY_ON_FAILURE: "true" }),
      );
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        `destroy-on-failure is only for previews, not for environment-kind '${KIND}'`,
      ]);
      expect(result.outputs).toEqual({});
    }
    const preview = await runScript(run, env({ IMAGE_REFS: refs, DESTROY_ON_FAILURE: "true" }));
    expect(preview.exitCode).toBe(0);
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

  it("passes an environment with required reviewers and fails one without", async () => {
    const protectedEnv = fakeGh({ "repos/acme/shop/environments/production": "1" });
    expect((await runScript(run, env, [protectedEnv.bin])).exitCode).toBe(0);
    const open = fakeGh({ "repos/acme/shop/environments/production": "0" });
    const result = await runScript(run, env, [open.bin]);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("environment 'production' has no required reviewers");
    const missing = await runScript(run, env, [fakeGh({}).bin]);
    expect(missing.exitCode).toBe(1);
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
  it("names each image's repository from the prefix, lowercased from the repository by default", async () => {
    const run = script(".github/workflows/build-images.yml", "build", "entry");
    const result = await runScript(run, {
      NAME: "web",
      PREFIX: "",
      REGISTRY: "",
      REPOSITORY: "Acme/Shop",
    });
    expect(result.outputs).toEqual({ image: "ghcr.io/acme/shop/web", registry: "ghcr.io" });
    const custom = await runScript(run, {
      NAME: "api",
      PREFIX: "127.0.0.1:5000/shop-",
      REGISTRY: "",
      REPOSITORY: "a/b",
    });
    expect(custom.outputs).toEqual({
      image: "127.0.0.1:5000/shop-api",
      registry: "127.0.0.1:5000",
    });
    const bad = await runScript(run, {
      NAME: "../web",
      PREFIX: "",
      REGISTRY: "",
      REPOSITORY: "a/b",
    });
    expect(bad.exitCode).toBe(1);
  });

  it("maps every image to its whole digest, and fails naming an image without one", async () => {
    const run = script(".github/workflows/build-images.yml", "collect", "map");
    const temp = mkdtempSync(join(tmpdir(), "digests-"));
    mkdirSync(join(temp, "digests"));
    writeFileSync(join(temp, "digests", "web"), D1);
    writeFileSync(join(temp, "digests", "api"), D2);
    const images = JSON.stringify([{ name: "web" }, { name: "api" }]);
    const result = await runScript(run, {
      RUNNER_TEMP: temp,
      IMAGES: images,
      PREFIX: "",
      REPOSITORY: "Acme/Shop",
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.digests!)).toEqual({ web: D1, api: D2 });
    expect(JSON.parse(result.outputs["image-refs"]!)).toEqual({
      web: `ghcr.io/acme/shop/web@${D1}`,
      api: `ghcr.io/acme/shop/api@${D2}`,
    });
    writeFileSync(join(temp, "digests", "api"), "sha256:0123456789ab");
    const short = await runScript(run, {
      RUNNER_TEMP: temp,
      IMAGES: images,
      PREFIX: "",
      REPOSITORY: "a/b",
    });
    expect(short.exitCode).toBe(1);
    expect(short.errors).toEqual(["image 'api' has no whole digest"]);
  });
});

describe("the dispatch path (action-docs/examples/preview-dispatch-*.yml)", () => {
  it("checks every digest input whole in its first step", async () => {
    const { workflow } = loadWorkflow("action-docs/examples/preview-dispatch-deploy.yml");
    const first = workflow.jobs.digests!.steps![0]!;
    expect(workflow.jobs.preview?.needs).toBe("digests");
    const ok = await runScript(first.run!, { PR_NUMBER: "7", WEB_DIGEST: D1, API_DIGEST: D2 });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.outputs.digests!)).toEqual({ web: D1, api: D2 });
    const bad = await runScript(first.run!, {
      PR_NUMBER: "7x",
      WEB_DIGEST: "sha256:abc",
      API_DIGEST: D2,
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toEqual([
      "pr_number must be a pull request number, got '7x'",
      "web_digest must be sha256: followed by 64 lowercase hex characters, got 'sha256:abc'",
    ]);
  });

  it("dispatches on the pull request's branch, or the default branch for a fork, never a refs/pull ref", async () => {
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
      HEAD_REPOSITORY: "acme/shop",
      DEFAULT_BRANCH: "main",
    };
    const gh = fakeGh({});
    expect((await runScript(run, env, [gh.bin])).exitCode).toBe(0);
    expect(gh.calls()).toEqual([
      `workflow run preview-dispatch-deploy.yml --repo acme/shop --ref feature/x -f pr_number=7 -f web_digest=${D1} -f api_digest=${D2}`,
    ]);
    const fork = fakeGh({});
    await runScript(run, { ...env, HEAD_REPOSITORY: "mallory/shop" }, [fork.bin]);
    expect(fork.calls()[0]).toContain("--ref main ");
    const pull = fakeGh({});
    const refused = await runScript(
      run,
      { ...env, HEAD_REPOSITORY: "mallory/shop", DEFAULT_BRANCH: "refs/pull/7/merge" },
      [pull.bin],
    );
    expect(refused.exitCode).toBe(1);
    expect(pull.calls()).toEqual([]);
  });

  it("refuses to dispatch without DISPATCH_TOKEN, naming the scope it needs", async () => {
    const run = script(
      "action-docs/examples/preview-dispatch-build.yml",
      "dispatch",
      "Start the preview deploy",
    );
    const gh = fakeGh({});
    const result = await runScript(
      run,
      {
        GH_TOKEN: "",
        REPOSITORY: "acme/shop",
        DIGESTS: JSON.stringify({ web: D1, api: D2 }),
        PR_NUMBER: "7",
        HEAD_REF: "feature/x",
        HEAD_REPOSITORY: "acme/shop",
        DEFAULT_BRANCH: "main",
      },
      [gh.bin],
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "the secret DISPATCH_TOKEN is empty: set a token with the workflow scope (the workflow token cannot start a workflow)",
    ]);
    expect(gh.calls()).toEqual([]);
  });
});

describe("examples/production.yml: the previewed digests", () => {
  const run = script("action-docs/examples/production.yml", "previewed", "find");
  const env = { GH_TOKEN: "t", REPOSITORY: "acme/shop", SHA: "m".repeat(40) };
  const head = "h".repeat(40);
  const deployments = `repos/acme/shop/deployments?environment=preview-pr-7&sha=${head}&per_page=1`;
  const api = (statuses: { state: string }[], payload: unknown = { web: D1, api: D2 }) => ({
    [`repos/acme/shop/commits/${env.SHA}/pulls`]: JSON.stringify([{ number: 7 }]),
    "repos/acme/shop/pulls/7": JSON.stringify({ head: { sha: head } }),
    [deployments]: JSON.stringify([{ id: 41, sha: head, payload }]),
    "repos/acme/shop/deployments/41/statuses": JSON.stringify(statuses),
  });

  it("takes the digests of the merged head commit's preview once it became healthy", async () => {
    for (const payload of [{ web: D1, api: D2 }, JSON.stringify({ web: D1, api: D2 })]) {
      const gh = fakeGh(api([{ state: "inactive" }, { state: "success" }], payload));
      const result = await runScript(run, env, [gh.bin]);
      expect(result.errors).toEqual([]);
      expect(JSON.parse(result.outputs.digests!)).toEqual({ web: D1, api: D2 });
      expect(gh.calls()).toContain(`api ${deployments}`);
    }
  });

  it("refuses a preview that never became healthy, or none of the head commit", async () => {
    const failed = await runScript(run, env, [fakeGh(api([{ state: "failure" }])).bin]);
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toEqual([
      `pull request #7 has no successful preview of its head commit ${head}`,
    ]);
    expect(failed.outputs).toEqual({});
    const none = await runScript(run, env, [fakeGh({ ...api([]), [deployments]: "[]" }).bin]);
    expect(none.errors).toEqual([
      `pull request #7 has no successful preview of its head commit ${head}`,
    ]);
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

describe("deploy.yml: Cloud credentials by OIDC", () => {
  const run = script(".github/workflows/deploy.yml", "deploy", "Cloud credentials by OIDC");
  const token = "eyJ.oidc-token.sig";
  let server: Server;
  let audience: string | null = null;

  beforeAll(async () => {
    server = createServer((request, response) => {
      audience = new URL(request.url!, "http://x").searchParams.get("audience");
      const authorised = request.headers.authorization === "bearer request-token";
      response.writeHead(authorised ? 200 : 401, { "content-type": "application/json" });
      response.end(authorised ? JSON.stringify({ value: token }) : "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("is the same script in every job that deploys", () => {
    expect(script(".github/workflows/deploy.yml", "plan", "Cloud credentials by OIDC")).toBe(run);
    expect(
      script(".github/workflows/cleanup-preview.yml", "cleanup", "Cloud credentials by OIDC"),
    ).toBe(run);
  });

  it("writes the job's OIDC token to a file for the AWS provider, masked, and prints it nowhere", async () => {
    const { port } = server.address() as AddressInfo;
    const result = await runScript(run, {
      ROLE_ARN: "arn:aws:iam::123456789012:role/deploy",
      REGION: "eu-west-1",
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      GITHUB_RUN_ID: "42",
    });
    expect(result.exitCode).toBe(0);
    expect(audience).toBe("sts.amazonaws.com");
    const file = result.exportedEnv.AWS_WEB_IDENTITY_TOKEN_FILE!;
    expect(readFileSync(file, "utf8").trim()).toBe(token);
    expect(result.exportedEnv).toMatchObject({
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/deploy",
      AWS_ROLE_SESSION_NAME: "github-42",
      AWS_REGION: "eu-west-1",
    });
    expect(result.stdout.replace(`::add-mask::${token}`, "")).not.toContain(token);
  });
});
