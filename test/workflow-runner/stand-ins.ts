/**
 * STAND-INS for the third-party actions the workflows use. None of them is the real action:
 * each does, locally, the part of its job the workflows depend on, and says so in the log
 * with a `[stand-in <name>]` prefix. A `uses:` of any other third-party action fails.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface StandInContext {
  inputs: Record<string, string>;
  workspace: string;
  /** The run's artifact store (one directory per artifact name). */
  artifacts: string;
  /** The consumer repository's tree at a commit. */
  source(sha: string): string;
  repository: string;
  sha: string;
  /** The step's environment (ACTIONS_ID_TOKEN_REQUEST_* for an OIDC token). */
  env: Record<string, string>;
}

export interface StandInResult {
  ok: boolean;
  log: string[];
  outputs?: Record<string, string>;
  exportedEnv?: Record<string, string>;
  addedPath?: string[];
}

type StandIn = (context: StandInContext) => StandInResult | Promise<StandInResult>;

const checkout: StandIn = ({ inputs, workspace, source, sha, repository }) => {
  const target = join(workspace, inputs.path ?? "");
  const wanted = inputs.repository || repository;
  if (wanted.toLowerCase() !== repository.toLowerCase())
    return {
      ok: false,
      log: [`cannot check out ${wanted}: only ${repository} exists here`],
    };
  const ref = inputs.ref || sha;
  const tree = source(ref);
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(tree))
    cpSync(join(tree, entry), join(target, entry), { recursive: true });
  return {
    ok: true,
    log: [
      `copied ${repository} at ${ref.slice(0, 12)} into ${target} (persist-credentials ignored)`,
    ],
  };
};

const setupNode: StandIn = ({ inputs }) => {
  const major = process.versions.node.split(".")[0];
  const wanted = (inputs["node-version"] ?? "").replace(/^v/, "").split(".")[0];
  const log = [`node ${process.versions.node} from ${dirname(process.execPath)} put first on PATH`];
  if (wanted && wanted !== major)
    return {
      ok: false,
      log: [...log, `node-version ${inputs["node-version"]} asked, only ${major} here`],
    };
  return {
    ok: true,
    log,
    addedPath: [dirname(process.execPath)],
    outputs: { "node-version": `v${process.versions.node}` },
  };
};

const uploadArtifact: StandIn = ({ inputs, artifacts }) => {
  const name = inputs.name || "artifact";
  const path = inputs.path ?? "";
  const files = path
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) {
    const level = inputs["if-no-files-found"] || "warn";
    return {
      ok: level !== "error",
      log: [`no files found at ${path} (if-no-files-found: ${level})`],
    };
  }
  const dir = join(artifacts, name);
  if (existsSync(dir)) {
    if (inputs.overwrite !== "true")
      return { ok: false, log: [`an artifact named ${name} already exists in this run`] };
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  for (const file of present)
    cpSync(file, join(dir, basename(file)), { recursive: statSync(file).isDirectory() });
  return {
    ok: true,
    log: [`stored ${present.length} file(s) as artifact ${name} of this run`],
    outputs: { "artifact-id": name },
  };
};

const downloadArtifact: StandIn = ({ inputs, artifacts, workspace }) => {
  const pattern = inputs.pattern || inputs.name || "*";
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  const names = existsSync(artifacts)
    ? readdirSync(artifacts).filter((name) => regex.test(name))
    : [];
  if (inputs.name && names.length === 0)
    return { ok: false, log: [`artifact ${inputs.name} not found in this run`] };
  const target = inputs.path || workspace;
  for (const name of names) {
    const dir = inputs["merge-multiple"] === "true" || inputs.name ? target : join(target, name);
    mkdirSync(dir, { recursive: true });
    cpSync(join(artifacts, name), dir, { recursive: true });
  }
  return {
    ok: true,
    log: [`downloaded ${names.length} artifact(s) matching ${pattern} into ${target}`],
    outputs: { "download-path": target },
  };
};

const awsCredentials: StandIn = ({ inputs }) => ({
  ok: true,
  log: [
    `no AWS here: exported stand-in credentials for role ${inputs["role-to-assume"] || "(none)"}`,
  ],
  exportedEnv: {
    AWS_ACCESS_KEY_ID: "ASIASTANDIN000000000",
    AWS_SECRET_ACCESS_KEY: "stand-in-secret-access-key",
    AWS_SESSION_TOKEN: "stand-in-session-token",
    ...(inputs["aws-region"]
      ? { AWS_REGION: inputs["aws-region"], AWS_DEFAULT_REGION: inputs["aws-region"] }
      : {}),
  },
});

const setupBuildx: StandIn = () => {
  const version = spawnSync("docker", ["buildx", "version"], { encoding: "utf8", timeout: 10_000 });
  return version.status === 0
    ? {
        ok: true,
        log: [`the engine's own buildx: ${version.stdout.trim()}`],
        outputs: { name: "default", driver: "docker" },
      }
    : {
        ok: true,
        log: ["no buildx plugin on this engine: later builds use the classic builder"],
        outputs: { name: "", driver: "" },
      };
};

const dockerLogin: StandIn = ({ inputs }) => {
  const login = spawnSync(
    "docker",
    ["login", inputs.registry ?? "", "--username", inputs.username ?? "", "--password-stdin"],
    {
      input: inputs.password ?? "",
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  return {
    ok: login.status === 0,
    log: [`docker login ${inputs.registry}: ${(login.stdout + login.stderr).trim()}`],
  };
};

/** Third-party action name (without @ref) -> its stand-in. */
export const STAND_INS: Record<string, StandIn> = {
  "actions/checkout": checkout,
  "actions/setup-node": setupNode,
  "actions/upload-artifact": uploadArtifact,
  "actions/download-artifact": downloadArtifact,
  "aws-actions/configure-aws-credentials": awsCredentials,
  "docker/setup-buildx-action": setupBuildx,
  "docker/login-action": dockerLogin,
};
