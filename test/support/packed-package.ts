/**
 * The packed package, set up once for every suite that installs it (test/repo/package-*.test.ts):
 * the `npm pack` tarball and a node_modules with it installed, cached under .tmp/packed/<key>,
 * the key a hash of everything in the checkout but test/ (what the tarball is built from) and of
 * the packages installed beside it. Test files run in parallel processes: the first builds the
 * cache holding a lock, the others wait for it, then reuse it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../harness/paths.js";
import { withDirLock } from "./dir-lock.js";
import { packTarball } from "./pack.js";

const MINUTE = 60_000;
const CACHE = join(repoRoot, ".tmp", "packed");
// The pack (prepack compiles lib/) and one install, on a busy runner.
const BUILD_MS = 10 * MINUTE;

/** What `pulumi new kubernetes-typescript` installs, at the versions this package is tested with. */
export const CONSUMER_PACKAGES = [
  "@pulumi/pulumi@3.270.0",
  "@pulumi/kubernetes@4.34.2",
  "typescript@5.9.3",
  "@types/node@24.19.2",
];

/** The compiler options of `pulumi new kubernetes-typescript`'s tsconfig.json, as it makes them. */
export const TEMPLATE_COMPILER_OPTIONS = {
  strict: true,
  outDir: "bin",
  target: "es2020",
  module: "commonjs",
  moduleResolution: "node",
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

/**
 * Only what npm and node need (and the machine's certificate authorities): nothing of this
 * repository's npm run leaks into the projects.
 */
export function consumerEnv(home: string): Record<string, string> {
  const env = Object.fromEntries(
    ["PATH", "HOME", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR"]
      .filter((name) => process.env[name] !== undefined)
      .map((name) => [name, process.env[name]!]),
  );
  env.HOME ??= home;
  return env;
}

export interface PackedPackage {
  /** The `npm pack` tarball; shared, so only read. */
  tarball: string;
  /**
   * `npm install` of the tarball and CONSUMER_PACKAGES into the project `dir` (its package.json
   * written), offline where the npm cache has them and without install scripts (the providers'
   * plugin downloads cannot reach GitHub here). node_modules starts as hard links to the cached
   * install, so npm only checks it and writes the project's package.json and lockfile.
   */
  install(dir: string, env: Record<string, string>): void;
}

function npmInstall(tarball: string, dir: string, env: Record<string, string>): void {
  execFileSync(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      tarball,
      ...CONSUMER_PACKAGES,
    ],
    { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 4 * MINUTE },
  );
}

/** A hash of the checkout's files but test/ (tracked or not, ignored ones left out), as they are. */
function contentKey(): string {
  const paths = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".", ":!test"],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 },
  )
    .split("\0")
    .filter((path) => path && existsSync(join(repoRoot, path)));
  const blobs = execFileSync("git", ["hash-object", "--stdin-paths"], {
    cwd: repoRoot,
    input: paths.join("\n"),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  }).split("\n");
  const hash = createHash("sha256");
  paths.forEach((path, i) => hash.update(`${path}\0${blobs[i]}\n`));
  hash.update(CONSUMER_PACKAGES.join("\n"));
  return hash.digest("hex").slice(0, 16);
}

/** The cache for this checkout's content, built by the first caller; older ones removed. */
export function packedPackage(): PackedPackage {
  const key = contentKey();
  const dir = join(CACHE, key);
  withDirLock(join(CACHE, "lock"), BUILD_MS, () => {
    if (existsSync(dir)) return;
    for (const old of existsSync(CACHE) ? readdirSync(CACHE) : [])
      if (old !== "lock") rmSync(join(CACHE, old), { recursive: true, force: true });
    // Built aside and renamed in place: a half-built cache (a killed run) is never taken.
    const building = join(CACHE, `${key}.building`);
    mkdirSync(join(building, "project"), { recursive: true });
    const tarball = packTarball(building);
    writeFileSync(join(building, "project", "package.json"), '{ "private": true }\n');
    npmInstall(tarball, join(building, "project"), consumerEnv(building));
    renameSync(building, dir);
  });
  const tarball = join(
    dir,
    readdirSync(dir).find((file) => file.endsWith(".tgz"))!,
  );
  return {
    tarball,
    install(project, env) {
      execFileSync("cp", ["-al", join(dir, "project", "node_modules"), project]);
      // npm rewrites its record of node_modules; not through the link into the cache.
      rmSync(join(project, "node_modules", ".package-lock.json"), { force: true });
      npmInstall(tarball, project, env);
    },
  };
}
