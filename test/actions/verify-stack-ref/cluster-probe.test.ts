/**
 * verify-stack-ref's cluster probe against the real kube-apiserver's /version: a kubeconfig
 * as another stack would export it, reachable, with a wrong CA, with a bad token, and with
 * an exec plugin that must not run unless allowed. The probe in-process for each case,
 * then the bundle as the runner runs it (stack outputs from the Pulumi CLI double) for
 * the inputs that govern the plugin.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { probeCluster } from "../../../actions/verify-stack-ref/probe.js";
import { createPulumiDouble, type PulumiDouble } from "../../emulators/pulumi/double.js";
import { leakedSecrets, runAction } from "../../harness/run-action.js";
import {
  controlPlaneEngines,
  startControlPlane,
  type ControlPlane,
} from "../../support/control-plane.js";

const bin = controlPlaneEngines();
const VERSION = /^v1\.\d+\.\d+/;

let plane: ControlPlane;
let token: string;
/** A CA the server's certificate was not signed by. */
let otherCa: string;

beforeAll(async () => {
  if (!bin) return;
  plane = await startControlPlane(bin);
  token = await plane.token("deployer", [
    { apiGroups: [""], resources: ["namespaces"], verbs: ["get"] },
  ]);
  otherCa = selfSignedCa();
}, 120_000);

afterAll(async () => {
  await plane?.stop();
});

let double: PulumiDouble | undefined;
afterEach(() => {
  double?.close();
  double = undefined;
  vi.restoreAllMocks();
});

/** Any self-signed CA will do: the serving certificate does not chain to it. */
function selfSignedCa(): string {
  const dir = mkdtempSync(join(tmpdir(), "other-ca-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(dir, "ca.key"),
      "-out",
      join(dir, "ca.crt"),
      "-subj",
      "/CN=other-ca",
      "-days",
      "1",
    ],
    { stdio: "ignore" },
  );
  return readFileSync(join(dir, "ca.crt")).toString("base64");
}

/** A plugin that leaves a trace (its environment) when it runs, and prints `token`. */
function plugin(printed: string) {
  const dir = mkdtempSync(join(tmpdir(), "exec-plugin-"));
  const trace = join(dir, "ran.json");
  const script = join(dir, "get-token.mjs");
  writeFileSync(
    script,
    [
      `import { writeFileSync } from "node:fs";`,
      `writeFileSync(${JSON.stringify(trace)}, JSON.stringify(process.env));`,
      `process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: ${JSON.stringify(printed)} } }));`,
    ].join("\n"),
  );
  return {
    exec: {
      apiVersion: "client.authentication.k8s.io/v1",
      command: process.execPath,
      args: [script],
    },
    ran: () => existsSync(trace),
    env: () => JSON.parse(readFileSync(trace, "utf8")) as Record<string, string>,
  };
}

const quiet = () => vi.spyOn(process.stdout, "write").mockImplementation(() => true);

describe.skipIf(!bin)("the cluster probe on a real API server", () => {
  it("reaches /version with the kubeconfig's CA and token", async () => {
    quiet();
    const probe = await probeCluster(plane.kubeconfig({ token }));
    expect(probe).toEqual({ reachable: true, version: expect.stringMatching(VERSION) });
  });

  it("fails on a CA the server's certificate does not chain to, by its code only", async () => {
    quiet();
    const probe = await probeCluster(plane.kubeconfig({ token, caData: otherCa }));
    expect(probe).toEqual({
      reachable: false,
      reason: expect.stringMatching(
        /^the server's certificate does not verify against the kubeconfig's certificate authority \([A-Z_]+\)$/,
      ),
    });
    expect(JSON.stringify(probe)).not.toContain("127.0.0.1");
  });

  it("fails on a token the server rejects (401)", async () => {
    quiet();
    const probe = await probeCluster(plane.kubeconfig({ token: "not-a-valid-token-0123" }));
    expect(probe).toEqual({
      reachable: false,
      reason: "the cluster rejected the kubeconfig's credentials (HTTP 401)",
    });
  });

  it("does not run an exec plugin unless allowed: /version is asked without credentials", async () => {
    quiet();
    const { exec, ran } = plugin(token);
    const probe = await probeCluster(plane.kubeconfig({ exec }));
    expect(ran()).toBe(false);
    expect(probe).toEqual({
      reachable: true,
      version: expect.stringMatching(VERSION),
      note: "its exec credential plugin was not run (allow-exec-plugin is off), so /version was asked without credentials",
    });
  });

  it("runs an allowed exec plugin with PATH, HOME and the variables named for it only", async () => {
    quiet();
    const { exec, env } = plugin(token);
    process.env.PREVIEW_KIT_TEST_REGION = "eu-west-1";
    process.env.PREVIEW_KIT_TEST_SECRET = "must-not-reach-the-plugin";
    try {
      const probe = await probeCluster(plane.kubeconfig({ exec }), {
        exec: { allowed: true, passEnv: ["PREVIEW_KIT_TEST_REGION"] },
      });
      expect(probe).toEqual({ reachable: true, version: expect.stringMatching(VERSION) });
    } finally {
      delete process.env.PREVIEW_KIT_TEST_REGION;
      delete process.env.PREVIEW_KIT_TEST_SECRET;
    }
    expect(Object.keys(env()).sort()).toEqual(
      ["HOME", "KUBERNETES_EXEC_INFO", "PATH", "PREVIEW_KIT_TEST_REGION"].filter(
        (name) => name !== "HOME" || process.env.HOME !== undefined,
      ),
    );
  });

  describe("as the runner runs it", () => {
    const PULUMI_TOKEN = "pul-0123456789abcdef0123456789abcdef01234567";

    async function verify(kubeconfig: string, inputs: Record<string, string> = {}) {
      double = createPulumiDouble({ project: "infra" });
      double.addStack("dev", { outputs: { kubeconfig: { secret: kubeconfig } } });
      const { PULUMI_BACKEND_URL: _, ...env } = double.env;
      return runAction("verify-stack-ref", {
        inputs: {
          "stack-ref": "organization/infra/dev",
          "cloud-url": double.backendUrl,
          "kubeconfig-output": "kubeconfig",
          ...inputs,
        },
        env: { ...env, PULUMI_ACCESS_TOKEN: PULUMI_TOKEN, PREVIEW_KIT_RETRY_BASE_MS: "1" },
        path: [double.binDir],
      });
    }

    it("leaves the referenced stack's exec plugin alone by default", async () => {
      const { exec, ran } = plugin(token);
      const run = await verify(plane.kubeconfig({ exec }));
      expect(run.exitCode, run.stdout).toBe(0);
      expect(ran()).toBe(false);
      expect(run.summary).toContain(
        "its exec credential plugin was not run (allow-exec-plugin is off)",
      );
      expect(leakedSecrets(run, [plane.url])).toEqual([]);
    });

    it("with allow-exec-plugin, runs it without the job's PULUMI_ACCESS_TOKEN and masks its token", async () => {
      const { exec, env } = plugin(token);
      const run = await verify(plane.kubeconfig({ exec }), { "allow-exec-plugin": "true" });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(env().PULUMI_ACCESS_TOKEN).toBeUndefined();
      expect(Object.values(env())).not.toContain(PULUMI_TOKEN);
      expect(run.masks).toContain(token);
      expect(leakedSecrets(run, [token, plane.url])).toEqual([]);
      expect(run.summary).toMatch(/✅ reachable \(Kubernetes v1\.\d+\.\d+\)/);
    });

    it("fails with the reason when the token is rejected", async () => {
      const run = await verify(plane.kubeconfig({ token: "not-a-valid-token-0123" }));
      expect(run.exitCode).toBe(1);
      expect(run.summary).toContain("the cluster rejected the kubeconfig's credentials (HTTP 401)");
    });
  });
});
