/** verify-stack-ref as the runner runs it (the bundle), against the Pulumi CLI double. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createPulumiDouble,
  type PulumiDouble,
  type PulumiDoubleOptions,
} from "../emulators/pulumi/double.js";
import { leakedSecrets, runAction } from "../harness/run-action.js";

const KUBE_TOKEN = "kube-token-7f3a9c1e5b2d4f60";
const DB_PASSWORD = "db-pass-Zq8wX2";
const EXEC_TOKEN = "exec-token-4d2e8b1a6c";

let double: PulumiDouble;
let server: Server | undefined;
afterEach(async () => {
  double?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

function setup(options: PulumiDoubleOptions = {}) {
  double = createPulumiDouble({ project: "infra", ...options });
  return double;
}

/** Runs the action with the backend given through `cloud-url`, not the environment. */
function verify(
  given: Record<string, string>,
  extra: { env?: Record<string, string>; cwd?: string } = {},
) {
  const { PULUMI_BACKEND_URL: _, ...env } = double.env;
  return runAction("verify-stack-ref", {
    inputs: { "cloud-url": double.backendUrl, ...given },
    env: { ...env, PREVIEW_KIT_RETRY_BASE_MS: "1", ...extra.env },
    path: [double.binDir],
    cwd: extra.cwd,
  });
}

function kubeconfig(server: string) {
  return [
    "apiVersion: v1",
    "kind: Config",
    "current-context: infra",
    "clusters:",
    "- name: infra",
    "  cluster:",
    `    server: ${server}`,
    "contexts:",
    "- name: infra",
    "  context: {cluster: infra, user: deployer}",
    "users:",
    "- name: deployer",
    "  user:",
    `    token: ${KUBE_TOKEN}`,
    "",
  ].join("\n");
}

function addInfraStack(kubeServer = "http://127.0.0.1:9") {
  double.addStack("dev", {
    outputs: {
      vpcId: "vpc-0abc",
      albPort: 443,
      subnets: ["a", "b"],
      dbPassword: { secret: DB_PASSWORD },
      kubeconfig: { secret: kubeconfig(kubeServer) },
    },
  });
}

describe("inputs", () => {
  it("with no inputs: one error naming stack-ref, no outputs, no CLI call", async () => {
    setup();
    const run = await runAction("verify-stack-ref", { env: double.env, path: [double.binDir] });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toEqual([
      {
        level: "error",
        message: "Input 'stack-ref' is required",
        properties: { title: "Invalid input" },
      },
    ]);
    expect(run.outputs).toEqual({});
    expect(double.calls()).toEqual([]);
  });

  it("rejects an org-less reference with the reason, before any CLI call", async () => {
    setup();
    const run = await verify({
      "stack-ref": "infra/dev",
      "required-outputs": "vpcId\nport:integer",
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Input 'stack-ref' must be ORG/PROJECT/STACK (an org-less name resolves in whichever org the credentials default to, so it can read the wrong stack), got 'infra/dev'",
      "Input 'required-outputs' line 2 must be NAME or NAME:TYPE with TYPE one of string, number, boolean, object, array, got 'port:integer'",
    ]);
    expect(run.outputs).toEqual({});
    expect(double.calls()).toEqual([]);
  });
});

describe("timeout-minutes", () => {
  /** A `pulumi` first on PATH that never answers, as a CLI waiting on a backend that hangs. */
  function hungCli(): string {
    const bin = mkdtempSync(join(tmpdir(), "hung-pulumi-"));
    writeFileSync(
      join(bin, "pulumi"),
      `#!/bin/sh\necho "$*" >> ${join(bin, "calls")}\nexec sleep 600\n`,
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    return bin;
  }

  it("stops a CLI call that hangs at the limit, naming the call and the limit, without a retry", async () => {
    setup();
    const bin = hungCli();
    const started = performance.now();
    const run = await runAction("verify-stack-ref", {
      inputs: { "stack-ref": "organization/infra/dev", "timeout-minutes": "0.02" },
      env: { ...double.env, PREVIEW_KIT_RETRY_BASE_MS: "1" },
      path: [bin],
      timeoutMs: 30_000,
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]?.properties.title).toBe("Pulumi timed out");
    expect(run.annotations[0]?.message).toContain("did not finish within 1.2 s");
    expect(run.outputs).toEqual({});
    // The same hang would come back: one call, no retry.
    expect(readFileSync(join(bin, "calls"), "utf8").trim().split("\n")).toHaveLength(1);
  }, 30_000);

  it("refuses a limit that is not minutes from 0 to 360 with the rule pulumi-deploy uses", async () => {
    for (const given of ["0", "361", "10m", "99999999999999999999"]) {
      setup();
      const run = await verify({ "stack-ref": "organization/infra/dev", "timeout-minutes": given });
      expect(run.exitCode).toBe(1);
      expect(run.annotations.map((a) => a.message)).toEqual([
        `Input 'timeout-minutes' must be minutes, more than 0 and at most 360 (e.g. 30 or 0.5), got '${given}'`,
      ]);
      expect(double.calls()).toEqual([]);
      double.close();
    }
  });
});

describe("required outputs", () => {
  it("passes when the stack has them all, with the right types, secrets as [secret]", async () => {
    setup();
    addInfraStack();
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "required-outputs": "vpcId:string\nalbPort:number\nsubnets:array\ndbPassword:string",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.outputs ?? "")).toEqual({
      vpcId: "vpc-0abc",
      albPort: 443,
      subnets: ["a", "b"],
      dbPassword: "[secret]",
      kubeconfig: "[secret]",
    });
    expect(run.outputs.missing).toBe("[]");
    expect(run.outputs["stack-exists"]).toBe("true");
    expect(run.summary).toContain("| `albPort` | number | ✅ present |");
    expect(run.summary).toContain("| `dbPassword` | string | ✅ present |");
    // The typed secret was read with --show-secrets, and masked first.
    expect(run.masks).toContain(DB_PASSWORD);
    expect(leakedSecrets(run, [DB_PASSWORD, KUBE_TOKEN])).toEqual([]);
    expect(run.stdout.indexOf(`::add-mask::${DB_PASSWORD}`)).toBeGreaterThanOrEqual(0);
    expect(double.calls().every((c) => c.argv.includes("--non-interactive"))).toBe(true);
  });

  it("fails on a missing output, listing it in `missing`", async () => {
    setup();
    addInfraStack();
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "required-outputs": "vpcId\nclusterName",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.missing).toBe('["clusterName"]');
    expect(run.outputs["stack-exists"]).toBe("true");
    expect(run.summary).toContain("| `clusterName` | any | ❌ missing |");
    const [error] = run.annotations;
    expect(error?.properties.title).toBe("Stack reference verification failed");
    expect(error?.message).toContain("output 'clusterName' is missing");
  });

  it("fails on a wrong type, naming the type found", async () => {
    setup();
    addInfraStack();
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "required-outputs": "vpcId:number\nsubnets:object",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.missing).toBe("[]");
    expect(run.summary).toContain("| `vpcId` | number | ❌ wrong type: string |");
    expect(run.summary).toContain("| `subnets` | object | ❌ wrong type: array |");
    expect(run.annotations[0]?.message).toContain("output 'vpcId' is string, expected number");
  });

  it("does not retry a network error: only locks, 409s and Cloud 5xx/429 are known to pass", async () => {
    setup();
    addInfraStack();
    double.injectFault({ name: "network", times: 2, commands: ["stack output"] });
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "required-outputs": "vpcId",
    });
    expect(run.exitCode).toBe(1);
    expect(double.calls().map((c) => c.exitCode)).toEqual([1]);
  });
});

describe("missing stack", () => {
  it.each(["3.230.0", "3.150.0"])(
    "names the reference and lists the project's stacks (CLI %s)",
    async (version) => {
      setup({ version });
      double.addStack("prod");
      double.addStack("pr-12");
      double.addStack("organization/other/dev");
      const run = await verify({
        "stack-ref": "organization/infra/dev",
        "required-outputs": "vpcId\nalbPort",
      });
      expect(run.exitCode).toBe(1);
      expect(run.annotations).toHaveLength(1);
      expect(run.annotations[0]?.properties.title).toBe("Stack reference not found");
      expect(run.annotations[0]?.message).toMatch(
        /^Stack 'organization\/infra\/dev' does not exist\. Stacks in organization\/infra: organization\/infra\/pr-12, organization\/infra\/prod\./,
      );
      expect(run.outputs["stack-exists"]).toBe("false");
      expect(run.outputs.missing).toBe('["vpcId","albPort"]');
      expect(run.summary).toContain("The stack does not exist");
      expect(double.calls().some((c) => c.argv.includes("init"))).toBe(false);
      expect(double.stackExists("dev")).toBe(false);
    },
  );

  it("on Pulumi Cloud too", async () => {
    setup({ backend: "cloud", org: "acme" });
    double.addStack("acme/infra/prod");
    const run = await verify({ "stack-ref": "acme/infra/dev" });
    expect(run.annotations[0]?.message).toContain("Stacks in acme/infra: acme/infra/prod.");
    expect(double.calls().every((c) => c.env.PULUMI_ACCESS_TOKEN)).toBe(true);
  });

  it("reports a Pulumi Cloud login problem as such, with what to do", async () => {
    setup({ backend: "cloud" });
    const run = await verify(
      { "stack-ref": "acme/infra/dev" },
      { env: { PULUMI_ACCESS_TOKEN: "" } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.properties.title).toBe("Pulumi authentication failed");
    expect(run.annotations[0]?.message).toContain("PULUMI_ACCESS_TOKEN");
    expect(run.outputs).toEqual({});
  });
});

describe("work-dir lint", () => {
  it("reports fn::stackReference in stack YAML and org-less references with file and line", async () => {
    setup();
    addInfraStack();
    const workspace = mkdtempSync(join(tmpdir(), "workspace-"));
    mkdirSync(join(workspace, "app"));
    writeFileSync(join(workspace, "app", "Pulumi.yaml"), "name: app\nruntime: nodejs\n");
    writeFileSync(
      join(workspace, "app", "Pulumi.dev.yaml"),
      [
        "config:",
        "  app:replicas: 2",
        "  app:kubeconfig:",
        "    fn::stackReference:",
        "      - infra/dev",
        "      - kubeconfig",
        "  app:infraStack: organization/infra/dev",
        "  app:dbStack: database/dev",
        "",
      ].join("\n"),
    );
    const run = await verify(
      { "stack-ref": "organization/infra/dev", "work-dir": "app" },
      { cwd: workspace, env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(run.exitCode).toBe(1);
    const lint = run.annotations.filter((a) => a.properties.file);
    expect(lint.map((a) => [a.properties.file, a.properties.line])).toEqual([
      ["app/Pulumi.dev.yaml", "4"],
      ["app/Pulumi.dev.yaml", "5"],
      ["app/Pulumi.dev.yaml", "8"],
    ]);
    expect(lint[0]?.message).toMatch(/'fn::stackReference' in stack config is silently ignored/);
    expect(lint[1]?.message).toMatch(/Stack reference 'infra\/dev' .* is not org-qualified/);
    expect(lint[2]?.message).toMatch(
      /Stack reference 'database\/dev' in config 'app:dbStack' is not org-qualified/,
    );
    expect(run.annotations.at(-1)?.message).toContain("3 problem(s) in Pulumi YAML under app");
    expect(run.summary).toContain("app/Pulumi.dev.yaml");
  });

  it("stops before any CLI call when work-dir is not a folder", async () => {
    setup();
    const run = await verify({ "stack-ref": "organization/infra/dev", "work-dir": "no-such-dir" });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Input 'work-dir' must be an existing directory, got 'no-such-dir'",
    ]);
    expect(double.calls()).toEqual([]);
  });
});

describe("kubeconfig-output", () => {
  async function cluster(): Promise<{ url: string; auth: string[] }> {
    const auth: string[] = [];
    server = createServer((req, res) => {
      auth.push(req.headers.authorization ?? "");
      if (req.url !== "/version") return void res.writeHead(404).end();
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ major: "1", minor: "31", gitVersion: "v1.31.2" }));
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth };
  }

  it("reaches the cluster with the kubeconfig's token and never prints the kubeconfig", async () => {
    const { url, auth } = await cluster();
    setup();
    addInfraStack(url);
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "kubeconfig-output": "kubeconfig",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(auth).toEqual([`Bearer ${KUBE_TOKEN}`]);
    expect(run.summary).toContain(
      "Cluster from output `kubeconfig`: ✅ reachable (Kubernetes v1.31.2)",
    );
    expect(JSON.parse(run.outputs.outputs ?? "").kubeconfig).toBe("[secret]");
    expect(leakedSecrets(run, [KUBE_TOKEN, DB_PASSWORD, url])).toEqual([]);
    expect(run.outputs.outputs).not.toContain(KUBE_TOKEN);
    // Masks cover credentials, not common words: the log stays readable.
    expect(run.log).toContain("Stack organization/infra/dev exists with outputs:");
  });

  it("authenticates through an exec credential plugin (as aws eks get-token) and masks its token", async () => {
    const { url, auth } = await cluster();
    const plugin = join(mkdtempSync(join(tmpdir(), "exec-plugin-")), "get-token.mjs");
    const credential = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      status: { token: EXEC_TOKEN },
    };
    writeFileSync(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});`);
    setup();
    double.addStack("dev", {
      outputs: {
        kubeconfig: {
          secret: kubeconfig(url).replace(
            `    token: ${KUBE_TOKEN}`,
            [
              "    exec:",
              "      apiVersion: client.authentication.k8s.io/v1beta1",
              `      command: ${JSON.stringify(process.execPath)}`,
              `      args: [${JSON.stringify(plugin)}]`,
            ].join("\n"),
          ),
        },
      },
    });
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "kubeconfig-output": "kubeconfig",
      "allow-exec-plugin": "true",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(auth).toEqual([`Bearer ${EXEC_TOKEN}`]);
    expect(run.masks).toContain(EXEC_TOKEN);
    expect(leakedSecrets(run, [EXEC_TOKEN, url])).toEqual([]);
    expect(run.summary).toContain("✅ reachable (Kubernetes v1.31.2)");
  });

  it("fails with the reason when the cluster does not answer", async () => {
    const { url } = await cluster();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    setup();
    addInfraStack(url);
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "kubeconfig-output": "kubeconfig",
    });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain("❌ unreachable: connection refused (ECONNREFUSED)");
    expect(run.annotations[0]?.message).toContain(
      "the cluster of output 'kubeconfig' is unreachable",
    );
    expect(leakedSecrets(run, [KUBE_TOKEN, url])).toEqual([]);
  });

  it("fails when the kubeconfig output does not exist", async () => {
    setup();
    double.addStack("dev", { outputs: { vpcId: "v" } });
    const run = await verify({
      "stack-ref": "organization/infra/dev",
      "kubeconfig-output": "kubeconfig",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.missing).toBe('["kubeconfig"]');
    expect(run.summary).toContain("unreachable: the stack has no output 'kubeconfig'");
  });
});

// Issue #19 item 4: without pulumi-version the step ran whatever `pulumi` was first on PATH,
// with the plan's read token, on a runner an earlier job may have changed.
describe("a reused self-hosted runner", () => {
  const VERSION = "3.231.0";
  const ARCHIVE = `pulumi-v${VERSION}-linux-${process.arch}.tar.gz`;
  const TOKEN = "pul-read-token-3e9a1c";

  it("refuses the pulumi on PATH without pulumi-version: it never runs, never gets the token", async () => {
    setup();
    addInfraStack();
    const given = { "stack-ref": "organization/infra/dev", "required-outputs": "vpcId" };
    const env = { PULUMI_ACCESS_TOKEN: TOKEN, RUNNER_ENVIRONMENT: "self-hosted" };
    const run = await verify(given, { env });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === "error").map((a) => a.message)).toEqual([
      "Input 'pulumi-version' is required on a self-hosted runner: the pulumi on PATH may be one an earlier job left there, and this step would give it its token; set pulumi-version (such as 3.274.1) so the release's CLI is verified against its checksums before it runs",
    ]);
    expect(double.calls()).toEqual([]);
    expect(run.outputs).toEqual({});
    expect(leakedSecrets(run, [TOKEN])).toEqual([]);
    // On a GitHub-hosted runner (a fresh image each job) the same step runs it.
    const hosted = await verify(given, { env: { ...env, RUNNER_ENVIRONMENT: "github-hosted" } });
    expect(hosted.exitCode, hosted.stdout).toBe(0);
    expect(double.calls().length).toBeGreaterThan(0);
  });

  it("reads the stack with the release's verified CLI when pulumi-version is given", async () => {
    setup();
    addInfraStack();
    // GitHub's release downloads, for one release whose `pulumi` runs the CLI double.
    const build = mkdtempSync(join(tmpdir(), "pulumi-release-"));
    mkdirSync(join(build, "pulumi"));
    writeFileSync(
      join(build, "pulumi", "pulumi"),
      `#!/bin/sh\nPULUMI_DOUBLE_VERSION=${VERSION} exec "${join(double.binDir, "pulumi")}" "$@"\n`,
      { mode: 0o755 },
    );
    execFileSync("tar", ["-czf", join(build, ARCHIVE), "-C", build, "pulumi"]);
    const archive = readFileSync(join(build, ARCHIVE));
    const sum = createHash("sha256").update(archive).digest("hex");
    const fetched: string[] = [];
    server = createServer((request, response) => {
      fetched.push(request.url ?? "");
      if (request.url === `/v${VERSION}/${ARCHIVE}`) return response.end(archive);
      if (request.url === `/v${VERSION}/pulumi-${VERSION}-checksums.txt`)
        return response.end(`${sum}  ${ARCHIVE}\n`);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const run = await verify(
      {
        "stack-ref": "organization/infra/dev",
        "required-outputs": "vpcId",
        "pulumi-version": VERSION,
      },
      {
        env: {
          RUNNER_ENVIRONMENT: "self-hosted",
          RUNNER_TOOL_CACHE: mkdtempSync(join(tmpdir(), "tool-cache-")),
          PREVIEW_KIT_PULUMI_RELEASES: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        },
      },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(fetched).toEqual([
      `/v${VERSION}/pulumi-${VERSION}-checksums.txt`,
      `/v${VERSION}/${ARCHIVE}`,
    ]);
    expect(run.outputs["stack-exists"]).toBe("true");
  });
});
