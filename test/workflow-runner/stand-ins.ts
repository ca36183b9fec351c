/**
 * STAND-INS for the third-party actions the workflows use. None of them is the real action:
 * each does, locally, the part of its job the workflows depend on, and says so in the log
 * with a `[stand-in <name>]` prefix. A `uses:` of any other third-party action fails.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { attestBuildProvenance, type ProvenanceSigner } from "./attest-stand-in.js";

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
  /** The repository's Actions cache (one folder per key), shared by the runner's runs. */
  caches: string;
  /** The job's GITHUB_TOKEN (`github.token`, what an action's token input defaults to). */
  token: string;
  /** Sigstore for the attest stand-in (RunnerOptions.signProvenance). */
  signProvenance?: ProvenanceSigner | undefined;
}

export interface StandInResult {
  ok: boolean;
  log: string[];
  outputs?: Record<string, string>;
  exportedEnv?: Record<string, string>;
  addedPath?: string[];
  /**
   * The action's `post:` step, run after the job's steps when its `post-if` holds (both
   * stand-ins with one, setup-go and cache, declare `post-if: success()`).
   */
  post?: () => StandInResult;
}

export type StandIn = (context: StandInContext) => StandInResult | Promise<StandInResult>;

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

/** `go X.Y[.Z]` / `toolchain goX.Y.Z` of a go.mod, as setup-go reads a go-version-file. */
function goModVersion(text: string): string | undefined {
  return /^toolchain go(\S+)$/m.exec(text)?.[1] ?? /^go (\d+\.\d+(?:\.\d+)?)$/m.exec(text)?.[1];
}

const newer = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if ((x![i] ?? 0) !== (y![i] ?? 0)) return (x![i] ?? 0) > (y![i] ?? 0);
  return false;
};

/**
 * actions/setup-go (inputs and outputs of test/fixtures/actions/actions/setup-go/b7ad1dad...
 * /action.yml): the version from `go-version` or `go-version-file`, Go put on PATH, outputs
 * `go-version` and `cache-hit`. No download here: the machine's Go (from PATH or
 * /usr/local/go) serves, and the step fails when it is older than the version asked for (a
 * newer Go builds a module whose `go` line is older, Go's forward compatibility). `cache`
 * (default true: the module and build caches keyed by go.sum) is not modelled: a step that
 * asks for it fails, so a workflow relying on it is seen.
 */
const setupGo: StandIn = ({ inputs, workspace, env }) => {
  const file = inputs["go-version-file"];
  const wanted =
    inputs["go-version"] ||
    (file
      ? goModVersion(readFileSync(isAbsolute(file) ? file : join(workspace, file), "utf8"))
      : undefined);
  if (!wanted)
    return { ok: false, log: ["neither go-version nor go-version-file gives a version"] };
  if ((inputs.cache ?? "true") !== "false")
    return { ok: false, log: ["cache: true is not modelled by this stand-in (set cache: false)"] };
  const search = [env.PATH ?? "", "/usr/local/go/bin"].join(":");
  const probe = spawnSync("go", ["env", "GOVERSION", "GOROOT"], {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...env, PATH: search },
  });
  if (probe.status !== 0) return { ok: false, log: [`no Go on this machine: ${probe.stderr}`] };
  const [goVersion = "", goRoot = ""] = probe.stdout.trim().split("\n");
  const have = goVersion.replace(/^go/, "");
  const log = [`no download: the machine's Go ${have} (${goRoot}) put first on PATH for ${wanted}`];
  if (newer(wanted, have))
    return { ok: false, log: [...log, `Go ${wanted} asked, only ${have} here`] };
  return {
    ok: true,
    log,
    addedPath: [join(goRoot, "bin")],
    outputs: { "go-version": have, "cache-hit": "false" },
    post: () => ({ ok: true, log: ["cache: false, nothing to save"] }),
  };
};

/** A cache entry's folder: the key, made a file name. */
const entryDir = (caches: string, key: string) =>
  join(caches, Buffer.from(key).toString("base64url"));

/**
 * actions/cache (test/fixtures/actions/actions/cache/27d5ce7f.../action.yml): restores `path`
 * from the entry of `key`, else from the newest entry whose key starts with one of
 * `restore-keys` in their order (a partial hit: `cache-hit` false, as the action documents);
 * its post step (`post-if: success()`) saves `path` under `key` unless the key was hit
 * exactly (entries are immutable). Paths may start with `~` (the step's HOME). The store is
 * the runner's, empty when it starts: a first run is GitHub's empty cache. Symbolic links are
 * kept as links (a test can point a path at a folder it does not want copied, and says so).
 */
const cache: StandIn = ({ inputs, caches, env }) => {
  const home = env.HOME ?? "";
  const paths = (inputs.path ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((path) => path.replace(/^~(?=\/|$)/, home));
  const key = inputs.key ?? "";
  if (paths.length === 0 || !key) return { ok: false, log: ["path and key are required"] };
  const restoreKeys = (inputs["restore-keys"] ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  mkdirSync(caches, { recursive: true });
  const entries = readdirSync(caches)
    .map((name) => ({ name, meta: join(caches, name, "meta.json") }))
    .filter((entry) => existsSync(entry.meta))
    .map((entry) => ({
      dir: join(caches, entry.name),
      ...(JSON.parse(readFileSync(entry.meta, "utf8")) as { key: string; created: number }),
    }))
    .sort((a, b) => b.created - a.created);
  const matched =
    entries.find((entry) => entry.key === key) ??
    restoreKeys
      .map((prefix) => entries.find((entry) => entry.key.startsWith(prefix)))
      .find(Boolean);
  const exact = matched?.key === key;
  const save = (): StandInResult => {
    if (exact)
      return { ok: true, log: [`Cache hit occurred on the primary key ${key}, not saving cache.`] };
    const dir = entryDir(caches, key);
    if (existsSync(dir))
      return { ok: true, log: [`an entry for ${key} exists already, not saving`] };
    const present = paths.filter((path) => existsSync(path));
    if (present.length === 0)
      return {
        ok: true,
        log: [
          `Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.`,
        ],
      };
    mkdirSync(dir, { recursive: true });
    for (const [index, path] of paths.entries())
      if (existsSync(path))
        cpSync(path, join(dir, String(index)), { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(dir, "meta.json"), JSON.stringify({ key, created: Date.now() }));
    return { ok: true, log: [`Cache saved with key: ${key}`] };
  };
  if (!matched) {
    if (inputs["fail-on-cache-miss"] === "true")
      return {
        ok: false,
        log: [
          `Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}`,
        ],
      };
    return {
      ok: true,
      log: [`Cache not found for input keys: ${[key, ...restoreKeys].join(", ")}`],
      outputs: { "cache-hit": "false" },
      post: save,
    };
  }
  if (inputs["lookup-only"] !== "true")
    for (const [index, path] of paths.entries()) {
      const stored = join(matched.dir, String(index));
      if (!existsSync(stored)) continue;
      mkdirSync(dirname(path), { recursive: true });
      cpSync(stored, path, { recursive: true, verbatimSymlinks: true });
    }
  return {
    ok: true,
    log: [`Cache restored from key: ${matched.key}`],
    outputs: { "cache-hit": String(exact) },
    post: save,
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
  "actions/setup-go": setupGo,
  "actions/cache": cache,
  "actions/attest-build-provenance": attestBuildProvenance,
};
