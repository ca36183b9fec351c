#!/usr/bin/env node
// Builds the real engines the suites drive (Pulumi CLI, language host, Kubernetes provider,
// etcd, kube-apiserver, kube-controller-manager, kubectl, actionlint; the test node's kubelet,
// kube-proxy, kube-scheduler, CoreDNS and the static programs its images hold) from the Go modules
// pinned under test/engines/, once, into a cache outside the repository.
//
// Contract, relied on by every suite and tool: the LAST line of stdout is the absolute
// directory holding all the binaries; progress goes to stderr.
//
//   node scripts/engines.mjs           build what is missing, print the directory
//   node scripts/engines.mjs --check   build nothing; print the directory, exit 1 if some are missing
//
// Cache root: $PREVIEW_KIT_ENGINES_CACHE, else $XDG_CACHE_HOME/pulumi-preview-kit/engines,
// else ~/.cache/pulumi-preview-kit/engines. Each module builds into a folder keyed by the
// hash of its own files (go.mod, go.sum, sources), so changing one pin rebuilds one module.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const modulesRoot = fileURLToPath(new URL("../test/engines/", import.meta.url));

/**
 * What each pinned module builds. `version` reads the pinned version from go.mod; `files` are
 * executables copied as they are from a module it requires (name -> [module, path in it]).
 */
const MODULES = [
  {
    dir: "actionlint",
    commands: ["github.com/rhysd/actionlint/cmd/actionlint"],
    ldflags: () => [],
  },
  {
    // The test node's cluster DNS: a CoreDNS main of ours with the cluster plugins only.
    dir: "coredns",
    commands: ["./cmd/coredns"],
    ldflags: () => [],
  },
  {
    dir: "etcd",
    commands: ["go.etcd.io/etcd/server/v3"],
    rename: { server: "etcd" },
    ldflags: () => [],
  },
  {
    dir: "kubernetes",
    commands: [
      "k8s.io/kubernetes/cmd/kube-apiserver",
      "k8s.io/kubernetes/cmd/kube-controller-manager",
      "k8s.io/kubernetes/cmd/kube-proxy",
      "k8s.io/kubernetes/cmd/kube-scheduler",
      "k8s.io/kubernetes/cmd/kubectl",
      // The node (test/support/node.ts). Its containerd is Debian's 1.6, which answers no
      // RuntimeConfig call: kubelet 1.37 falls back to its own `cgroupDriver` setting, a
      // fallback 1.38 removes, so moving this pin past 1.37 needs containerd >= 2.0 too.
      "k8s.io/kubernetes/cmd/kubelet",
    ],
    // What Kubernetes' own build stamps in: without it the binaries call themselves v0.0.0
    // and version-skew and emulation-version checks misbehave.
    ldflags: (v) => {
      const version = v("k8s.io/kubernetes");
      const [major, minor] = version.replace(/^v/, "").split(".");
      return ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => [
        `-X ${pkg}.gitVersion=${version}`,
        `-X ${pkg}.gitMajor=${major}`,
        `-X ${pkg}.gitMinor=${minor}`,
        `-X ${pkg}.gitTreeState=clean`,
      ]);
    },
  },
  {
    dir: "kubernetes-provider",
    commands: ["./cmd/pulumi-resource-kubernetes"],
    // The module proxy serves the provider only as a pseudo-version (its tags are the repository's,
    // not the provider/v4 module's), and the pinned one is the commit upstream tagged v4.25.0
    // (`git tag --points-at f47bc2d6f199` in pulumi/pulumi-kubernetes): stamp that release, as
    // the provider's own build does, so the engine sees the provider's real version.
    release: { pinned: "v4.0.0-20260115033456-f47bc2d6f199", version: "4.25.0" },
    ldflags(v) {
      const pinned = v("github.com/pulumi/pulumi-kubernetes/provider/v4");
      if (pinned !== this.release.pinned)
        throw new Error(
          `test/engines/kubernetes-provider pins ${pinned}: set the release its commit was tagged in scripts/engines.mjs`,
        );
      return [
        `-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${this.release.version}`,
      ];
    },
    // The provider's main embeds files its build generates and its module does not ship
    // under those names: take them from the module itself.
    prepare: (dir, moduleDir) => {
      const source = moduleDir("github.com/pulumi/pulumi-kubernetes/provider/v4");
      const cmd = path.join(dir, "cmd/pulumi-resource-kubernetes");
      for (const name of ["schema", "terraform-mapping"]) {
        fs.copyFileSync(
          path.join(source, "cmd/pulumi-resource-kubernetes", `${name}.json`),
          path.join(cmd, `${name}-embed.json`),
        );
      }
    },
    generated: [
      "cmd/pulumi-resource-kubernetes/schema-embed.json",
      "cmd/pulumi-resource-kubernetes/terraform-mapping-embed.json",
    ],
  },
  {
    dir: "node-images",
    commands: ["./cmd/preview-kit-pause", "./cmd/preview-kit-echo", "./cmd/preview-kit-app"],
    ldflags: () => [],
    // They go into images FROM scratch: no C library there, so no cgo.
    env: { CGO_ENABLED: "0" },
  },
  {
    dir: "pulumi",
    commands: ["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"],
    ldflags: (v) => [
      `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v("github.com/pulumi/pulumi/pkg/v3")}`,
    ],
  },
  {
    // Our stand-in nodejs language host (the proxy refuses the real one), in a module of its own
    // so that changing it does not rebuild the CLI; and the real dynamic-provider launcher, a
    // script the pinned SDK module ships.
    dir: "pulumi-language-nodejs",
    commands: ["./cmd/pulumi-language-nodejs"],
    ldflags: () => [],
    files: {
      "pulumi-resource-pulumi-nodejs": [
        "github.com/pulumi/pulumi/sdk/v3",
        "nodejs/dist/pulumi-resource-pulumi-nodejs",
      ],
    },
  },
];

const log = (line) => process.stderr.write(`engines: ${line}\n`);

function cacheRoot() {
  if (process.env.PREVIEW_KIT_ENGINES_CACHE)
    return path.resolve(process.env.PREVIEW_KIT_ENGINES_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-preview-kit", "engines");
}

function filesOf(dir, skip) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((rel) => !skip.includes(rel))
    .sort();
}

/** What `go build` names a command: its last path element, skipping a major-version suffix. */
function goName(command) {
  const base = path.basename(command);
  return /^v[0-9]+$/.test(base) ? path.basename(path.dirname(command)) : base;
}

function binaryName(command, module) {
  return module.rename?.[goName(command)] ?? goName(command);
}

/** Every file a module puts in its folder: the commands' binaries and the copied files. */
function outputsOf(module) {
  return [...module.commands.map((c) => binaryName(c, module)), ...Object.keys(module.files ?? {})];
}

/** The module's cache key: its files, the Go version and what is built from it. */
function keyOf(module, goVersion) {
  const dir = path.join(modulesRoot, module.dir);
  const hash = createHash("sha256").update(`${goVersion}\n${module.commands.join("\n")}\n`);
  if (module.env) hash.update(`${JSON.stringify(module.env)}\n`);
  if (module.files) hash.update(`${JSON.stringify(module.files)}\n`);
  if (module.release) hash.update(`${JSON.stringify(module.release)}\n`);
  for (const rel of filesOf(dir, module.generated ?? [])) {
    hash.update(`${rel}\n`).update(fs.readFileSync(path.join(dir, rel)));
  }
  return hash.digest("hex").slice(0, 16);
}

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly", ...env },
  });
  if (result.error) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${result.status})`);
  return result.stdout.trim();
}

function build(module, target) {
  const dir = path.join(modulesRoot, module.dir);
  const goList = (what) => (mod) => run("go", ["list", "-m", "-f", `{{${what}}}`, mod], dir);
  // `go list -m` names no directory for a module the cache does not hold yet (a cold
  // machine): download it, which prints where it is.
  const moduleDir = (mod) => JSON.parse(run("go", ["mod", "download", "-json", mod], dir)).Dir;
  module.prepare?.(dir, moduleDir);
  const staging = `${target}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const ldflags = ["-s", "-w", ...module.ldflags(goList(".Version"))].join(" ");
  run(
    "go",
    ["build", "-trimpath", `-ldflags=${ldflags}`, "-o", staging, ...module.commands],
    dir,
    module.env,
  );
  for (const command of module.commands) {
    const built = path.join(staging, goName(command));
    const wanted = path.join(staging, binaryName(command, module));
    if (built !== wanted) fs.renameSync(built, wanted);
  }
  for (const [name, [mod, rel]] of Object.entries(module.files ?? {})) {
    // The module cache holds it read-only and without the execute bit.
    fs.copyFileSync(path.join(moduleDir(mod), rel), path.join(staging, name));
    fs.chmodSync(path.join(staging, name), 0o755);
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
}

/**
 * On a cold machine each `go build` first downloads its modules, leaving the cores idle: start
 * every missing module's download at once, so the later ones arrive while the first compile.
 * The module cache's own file locks make a download and a build of the same module safe; the
 * build still downloads whatever a prefetch has not finished, so a failed prefetch changes nothing.
 */
function prefetch(modules) {
  // `go list -deps` loads (so downloads) exactly the packages the build needs, and compiles nothing.
  return modules.map((module) =>
    spawn("go", ["list", "-deps", "-e", ...module.commands], {
      cwd: path.join(modulesRoot, module.dir),
      stdio: "ignore",
      env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" },
    }).on("error", () => {}),
  );
}

function isAlive(pid) {
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

/** One build at a time across processes: Go already uses every core. */
function withLock(root, fn) {
  const lock = path.join(root, ".lock");
  fs.mkdirSync(root, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      const holder = Number(
        fs.readFileSync(path.join(lock, "pid"), { encoding: "utf8", flag: "a+" }) || 0,
      );
      if (!isAlive(holder)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      log(`waiting for the build in process ${holder}`);
      spawnSync("sleep", ["5"]);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function link(from, to) {
  const staging = `${to}.partial-${process.pid}`;
  try {
    fs.linkSync(from, staging);
  } catch {
    fs.copyFileSync(from, staging);
    fs.chmodSync(staging, 0o755);
  }
  fs.renameSync(staging, to);
}

function main() {
  const checkOnly = process.argv.includes("--check");
  const root = cacheRoot();
  const goVersion = run("go", ["env", "GOVERSION"], modulesRoot);
  const planned = MODULES.map((module) => ({
    module,
    dir: path.join(root, `${module.dir}-${keyOf(module, goVersion)}`),
  }));
  const isBuilt = ({ module, dir }) =>
    outputsOf(module).every((name) => fs.existsSync(path.join(dir, name)));

  const missing = planned.filter((p) => !isBuilt(p));
  if (missing.length > 0 && !checkOnly) {
    withLock(root, () => {
      const downloads = prefetch(missing.map((p) => p.module));
      for (const p of planned) {
        if (isBuilt(p)) continue;
        const started = Date.now();
        log(`building ${p.module.dir} (${outputsOf(p.module).join(", ")})`);
        build(p.module, p.dir);
        log(`built ${p.module.dir} in ${Math.round((Date.now() - started) / 1000)} s`);
      }
      for (const child of downloads) if (child.exitCode === null) child.kill();
    });
  }

  // One directory holding every binary: hard links into the per-module builds, so a
  // binary's own directory (where the Pulumi CLI also looks for plugins) is this one.
  const combined = createHash("sha256")
    .update(planned.map((p) => p.dir).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const bin = path.join(root, `bin-${combined}`);
  fs.mkdirSync(bin, { recursive: true });
  for (const { module, dir } of planned) {
    for (const name of outputsOf(module)) {
      if (fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(bin, name)))
        link(path.join(dir, name), path.join(bin, name));
    }
  }
  const unbuilt = planned.filter((p) => !isBuilt(p));
  if (unbuilt.length > 0) {
    // --check: the directory still goes to stdout, so a suite can use the engines that are there.
    log(`not built: ${unbuilt.map((p) => p.module.dir).join(", ")} (run \`npm run engines\`)`);
    process.exitCode = 1;
  }
  process.stdout.write(`${bin}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`engines: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
