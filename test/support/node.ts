/**
 * A real Kubernetes node beside the test control plane (test/support/control-plane.ts):
 * Debian's containerd (its own root, state and socket, never Docker's) with runc, the kubelet,
 * kube-scheduler and kube-proxy (nftables mode) from the pinned engines, a CNI bridge with
 * host-local IPAM, and a Distribution registry (Debian's docker-registry) on a loopback port
 * from which the node pulls the images test/support/node-images.ts builds, by digest.
 *
 * What this machine kind needs, found by trial:
 * - root lacks CAP_SYS_RESOURCE, so runc cannot raise a sandbox's OOM score: containerd's CRI
 *   must `restrict_oom_score_adj` or every pod sandbox fails (`can't get final child's PID`);
 * - cgroup v1 only: the kubelet needs `failCgroupV1: false` and the cgroupfs driver;
 * - no IPVS: kube-proxy runs in nftables mode, and the kubelet makes no iptables chains;
 * - the API server listens on the bridge's address and advertises it (lease reconciler), so
 *   pods reach `kubernetes.default` through kube-proxy.
 *
 * One node per machine at a time: the bridge, the pod subnet, the cgroup root and kube-proxy's
 * nftables tables have fixed names, so a lock serializes node suites across processes.
 * `stop()` leaves nothing: `leftovers()` lists what would remain, and the node suite checks it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { engines, type EngineName } from "./engines.js";
import { pushImage } from "./node-images.js";

export const NODE_ENGINES: readonly EngineName[] = [
  "kubelet",
  "kube-proxy",
  "kube-scheduler",
  "coredns",
  "preview-kit-pause",
  "preview-kit-echo",
];

export const NODE_NAME = "preview-kit-node";
/** The CNI bridge; its address is the API server's and the pods' gateway. */
export const NODE_NETWORK = {
  bridge: "pk-node0",
  gateway: "10.97.0.1",
  prefix: 24,
  subnet: "10.97.0.0/24",
  network: "preview-kit-node",
} as const;
const CGROUP_ROOT = "preview-kit-node";
const CGROUPS = "/sys/fs/cgroup";
const LOCK = "/run/preview-kit-node.lock";
const CNI_BIN = "/usr/lib/cni";
const CNI_RESULTS = "/var/lib/cni/results";
/** Where containerd 1.6's shims put their sockets, whatever containerd's own state dir. */
const SHIM_SOCKETS = "/run/containerd/s";
const NFT_TABLES = [
  ["ip", "kube-proxy"],
  ["ip6", "kube-proxy"],
] as const;

/** Host programs and files the node runs (Debian packages .ci/run installs). */
const HOST_NEEDS: Record<string, string> = {
  "/usr/bin/containerd": "containerd (docker.io)",
  "/usr/bin/containerd-shim-runc-v2": "containerd (docker.io)",
  "/usr/sbin/runc": "runc",
  "/usr/bin/docker-registry": "docker-registry",
  "/usr/sbin/conntrack": "conntrack",
  "/usr/sbin/nft": "nftables",
  [`${CNI_BIN}/bridge`]: "containernetworking-plugins",
  [`${CNI_BIN}/host-local`]: "containernetworking-plugins",
  [`${CNI_BIN}/loopback`]: "containernetworking-plugins",
};

/** Why no node can start here, or undefined. */
export function nodeHostProblem(): string | undefined {
  if (process.getuid?.() !== 0) return "the node needs root";
  const missing = Object.entries(HOST_NEEDS).filter(([file]) => !existsSync(file));
  if (missing.length > 0)
    return `missing ${[...new Set(missing.map(([, pkg]) => pkg))].join(", ")} (apt-get install; see .ci/run)`;
  if (!existsSync(join(CGROUPS, "memory")) && !existsSync(join(CGROUPS, "cgroup.controllers")))
    return "no cgroup hierarchy mounted";
  return undefined;
}

/**
 * The engines' directory when a node can run here with `names` too, else undefined after one
 * line saying why; under CI=true it throws instead, so a node suite fails rather than skips.
 */
export function nodeEngines(...names: EngineName[]): string | undefined {
  const bin = engines(...names, ...NODE_ENGINES);
  if (!bin) return undefined;
  const problem = nodeHostProblem();
  if (!problem) return bin;
  const reason = `no test node: ${problem}`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipped: ${reason}`);
  return undefined;
}

function sh(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 30_000 });
  return { ok: result.status === 0, out: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * How long a node suite may wait for the machine's node lock: the suites hold it one at a time,
 * and the demo's real mode alone holds it for 10–18 min on a loaded machine.
 */
const LOCK_WAIT_MS = 45 * 60_000;

/** A node suite's `beforeAll` bound: the longest wait for the lock, then a start. */
export const NODE_SETUP_TIMEOUT_MS = LOCK_WAIT_MS + 10 * 60_000;

/** Waits until no other process runs a node, then holds the lock. */
async function lock(): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      const holder = Number(
        (existsSync(join(LOCK, "pid")) && readFileSync(join(LOCK, "pid"), "utf8")) || 0,
      );
      if (holder === 0 || !isAlive(holder)) {
        // A run that died without its teardown: end what its node left running first.
        const stale = join(LOCK, "dir");
        if (existsSync(stale)) await clean(readFileSync(stale, "utf8"));
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the test node is held by process ${holder}`);
      await sleep(1000);
    }
  }
}

/** Every cgroup directory of the node, deepest first, in every v1 hierarchy. */
function nodeCgroups(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) walk(join(dir, entry.name));
    found.push(dir);
  };
  for (const hierarchy of readdirSync(CGROUPS)) {
    const root = join(CGROUPS, hierarchy, CGROUP_ROOT);
    if (existsSync(root)) walk(root);
  }
  return found;
}

function cgroupPids(): number[] {
  const pids = new Set<number>();
  for (const dir of nodeCgroups()) {
    try {
      for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n"))
        if (line.trim()) pids.add(Number(line));
    } catch {
      // Removed meanwhile.
    }
  }
  return [...pids];
}

/** Processes whose command line names `needle` (the node's directory), with their arguments. */
function processesNaming(needle: string): { pid: number; args: string[] }[] {
  const found: { pid: number; args: string[] }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(needle)) found.push({ pid: Number(entry), args: cmdline.split("\0") });
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/**
 * What a shim of the node's containerd leaves outside the node's directory once killed: its
 * socket (containerd 1.6 names it by the hash of containerd's address, namespace and sandbox
 * id) and the CNI results of its sandbox (`/var/lib/cni` is libcni's fixed cache).
 */
function shimTraces(args: string[]): string[] {
  const flag = (name: string) => args[args.indexOf(name) + 1] ?? "";
  if (!args[0]?.endsWith("containerd-shim-runc-v2") || !args.includes("-id")) return [];
  const id = flag("-id");
  const socket = createHash("sha256")
    .update(join(flag("-address"), flag("-namespace"), id))
    .digest("hex");
  return [
    join(SHIM_SOCKETS, socket),
    join(CNI_RESULTS, `cni-loopback-${id}-lo`),
    join(CNI_RESULTS, `${NODE_NETWORK.network}-${id}-eth0`),
  ];
}

/** Traces of the node's shims seen by `clean`, which `leftovers` checks are gone. */
const traces = new Set<string>();

/** Mount points at or under `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => !!point && (point === dir || point.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

function vethsOnBridge(): string[] {
  const { out } = sh("ip", ["-o", "link", "show", "master", NODE_NETWORK.bridge]);
  return out
    .split("\n")
    .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1])
    .filter((name): name is string => !!name);
}

/**
 * What a node leaves on this machine if its teardown fails: processes, mounts under `dir`,
 * cgroups, the bridge and its veths, kube-proxy's nftables tables, CNI state. Empty after a
 * clean stop.
 */
export function leftovers(dir?: string): string[] {
  const found: string[] = [];
  if (dir) {
    for (const { pid, args } of processesNaming(dir)) found.push(`process ${pid} ${args[0]}`);
    for (const point of mountsUnder(dir)) found.push(`mount ${point}`);
    if (existsSync(dir)) found.push(`directory ${dir}`);
  }
  for (const cgroup of nodeCgroups()) found.push(`cgroup ${cgroup}`);
  if (sh("ip", ["link", "show", NODE_NETWORK.bridge]).ok)
    found.push(`interface ${NODE_NETWORK.bridge}`);
  for (const veth of vethsOnBridge()) found.push(`interface ${veth}`);
  for (const [family, table] of NFT_TABLES)
    if (sh("nft", ["list", "table", family, table]).ok) found.push(`nft table ${family} ${table}`);
  if (existsSync(CNI_RESULTS))
    for (const file of readdirSync(CNI_RESULTS))
      if (file.startsWith(`${NODE_NETWORK.network}-`)) found.push(`CNI result ${file}`);
  for (const trace of traces) if (existsSync(trace)) found.push(`file ${trace}`);
  return found;
}

async function killAll(pids: () => number[], what: string): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const alive = pids();
    if (alive.length === 0) return;
    for (const pid of alive) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    await sleep(100);
  }
  throw new Error(`${what} did not exit: ${pids().join(", ")}`);
}

/**
 * Removes whatever a node left: its containers and shims, mounts under `dir`, cgroups, the
 * bridge, kube-proxy's tables, CNI results. Safe when there is nothing; run before a node
 * starts (a crashed run's remains) and after it stops.
 */
async function clean(dir?: string): Promise<void> {
  await killAll(cgroupPids, "the node's containers");
  if (dir) {
    for (const { args } of processesNaming(dir))
      for (const trace of shimTraces(args)) traces.add(trace);
    await killAll(() => processesNaming(dir).map((p) => p.pid), "the node's processes");
  }
  if (dir) for (const point of mountsUnder(dir)) sh("umount", ["--lazy", point]);
  for (const cgroup of nodeCgroups()) {
    try {
      rmdirSync(cgroup);
    } catch {
      // A hierarchy may still count an exiting task; retried below.
    }
  }
  for (let round = 0; round < 50 && nodeCgroups().length > 0; round++) {
    await sleep(100);
    for (const cgroup of nodeCgroups()) {
      try {
        rmdirSync(cgroup);
      } catch {
        // Retried.
      }
    }
  }
  for (const veth of vethsOnBridge()) sh("ip", ["link", "delete", veth]);
  sh("ip", ["link", "delete", NODE_NETWORK.bridge]);
  for (const [family, table] of NFT_TABLES) sh("nft", ["delete", "table", family, table]);
  if (existsSync(CNI_RESULTS))
    for (const file of readdirSync(CNI_RESULTS))
      if (file.startsWith(`${NODE_NETWORK.network}-`))
        rmSync(join(CNI_RESULTS, file), { force: true });
  for (const trace of traces) rmSync(trace, { force: true });
  // The shared directories those lived in, where nothing else uses them.
  for (const shared of [CNI_RESULTS, "/var/lib/cni", SHIM_SOCKETS, "/run/containerd"]) {
    try {
      rmdirSync(shared);
    } catch {
      // Not empty (someone else's) or absent.
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * Takes the machine's node lock, clears a crashed run's remains, and makes the bridge with
 * its gateway address, which the API server must listen on before any pod exists.
 * Returns the release (which cleans again).
 */
export async function claimNodeNetwork(): Promise<() => Promise<void>> {
  const unlock = await lock();
  try {
    await clean();
    const { bridge, gateway, prefix } = NODE_NETWORK;
    for (const args of [
      ["link", "add", bridge, "type", "bridge"],
      ["addr", "add", `${gateway}/${prefix}`, "dev", bridge],
      ["link", "set", bridge, "up"],
    ]) {
      const result = sh("ip", args);
      if (!result.ok) throw new Error(`ip ${args.join(" ")}: ${result.out.trim()}`);
    }
  } catch (error) {
    unlock();
    throw error;
  }
  return async () => {
    try {
      await clean();
    } finally {
      unlock();
    }
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  log: string;
}

function startProcess(file: string, args: string[], dir: string, name: string): Started {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, "w");
  const child = spawn(file, args, { cwd: dir, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  return { child, log };
}

function tail({ log }: Started): string {
  try {
    return `${log}:\n${readFileSync(log, "utf8").split("\n").slice(-20).join("\n")}`;
  } catch {
    return "(no log)";
  }
}

async function stopProcess({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const killed = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(killed);
}

/** The cgroup root the kubelet must find in every hierarchy (cpuset needs its CPUs set). */
function makeCgroupRoot(): void {
  for (const hierarchy of readdirSync(CGROUPS)) {
    const parent = join(CGROUPS, hierarchy);
    if (!statSync(parent).isDirectory() || !existsSync(join(parent, "cgroup.procs"))) continue;
    const root = join(parent, CGROUP_ROOT);
    mkdirSync(root, { recursive: true });
    if (hierarchy === "cpuset")
      for (const file of ["cpuset.cpus", "cpuset.mems"])
        writeFileSync(join(root, file), readFileSync(join(parent, file)));
  }
}

export interface NodeImages {
  /** The pod sandbox (`preview-kit-pause`). */
  pause: string;
  /** An HTTP server answering `hello from $POD_NAME at <path>` on :8080 as user 65532. */
  echo: string;
}

export interface Node {
  name: string;
  /** host:port of the node's registry (plain HTTP on loopback). */
  registry: string;
  images: NodeImages;
  /** The node's working directory (containerd root, kubelet root, logs). */
  dir: string;
  /** The last lines of each node process's log, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

export interface NodeContext {
  bin: string;
  /** A fresh directory the node owns (removed by `stop()`). */
  dir: string;
  /** Admin kubeconfig file the node's components use. */
  kubeconfig: string;
  /** PEM file of the CA that signs API clients (the kubelet's client CA). */
  clientCa: string;
  waitFor(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  admin<T = unknown>(method: string, path: string): Promise<{ status: number; body: T }>;
  /** More plain-HTTP registries on loopback (host:port) the node pulls from. */
  registries?: string[];
}

/** Starts the node's processes on a claimed network; resolves once the node is Ready. */
export async function startNode(context: NodeContext): Promise<Node> {
  const { bin, dir } = context;
  const processes: Started[] = [];
  const stop = async () => {
    for (const started of [...processes].reverse()) await stopProcess(started);
    await clean(dir);
  };
  try {
    mkdirSync(dir, { recursive: true });
    // So that the next run can clean up after this one if it dies without its teardown.
    writeFileSync(join(LOCK, "dir"), dir);
    const registryPort = await freePort();
    const registry = `127.0.0.1:${registryPort}`;
    writeFileSync(
      join(dir, "registry.yml"),
      stringify({
        version: 0.1,
        log: { level: "warn" },
        storage: { filesystem: { rootdirectory: join(dir, "registry") } },
        http: { addr: registry },
      }),
    );
    processes.push(
      startProcess(
        "/usr/bin/docker-registry",
        ["serve", join(dir, "registry.yml")],
        dir,
        "registry",
      ),
    );
    const running = async (what: string, check: () => Promise<boolean>, timeoutMs = 180_000) => {
      const dead = () => processes.find((p) => p.child.exitCode !== null);
      await context.waitFor(
        what,
        async () => {
          const exited = dead();
          if (exited) throw new Error(`${exited.child.spawnfile} exited while waiting for ${what}`);
          return check();
        },
        timeoutMs,
      );
    };
    await running("the registry", async () => (await fetch(`http://${registry}/v2/`)).ok);
    const images: NodeImages = {
      pause: await pushImage(registry, {
        repository: "preview-kit/pause",
        files: { "/pause": join(bin, "preview-kit-pause") },
        entrypoint: ["/pause"],
        user: "65535",
      }),
      echo: await pushImage(registry, {
        repository: "preview-kit/echo",
        files: { "/echo": join(bin, "preview-kit-echo") },
        entrypoint: ["/echo"],
        user: "65532",
        port: 8080,
      }),
    };

    // containerd: every path under `dir`, and its own socket.
    const socket = join(dir, "containerd.sock");
    mkdirSync(join(dir, "cni"), { recursive: true });
    writeFileSync(
      join(dir, "cni", "10-preview-kit.conflist"),
      JSON.stringify({
        cniVersion: "0.4.0",
        name: NODE_NETWORK.network,
        plugins: [
          {
            type: "bridge",
            bridge: NODE_NETWORK.bridge,
            isGateway: true,
            hairpinMode: true,
            ipam: {
              type: "host-local",
              dataDir: join(dir, "ipam"),
              ranges: [[{ subnet: NODE_NETWORK.subnet, gateway: NODE_NETWORK.gateway }]],
              routes: [{ dst: "0.0.0.0/0" }],
            },
          },
          { type: "loopback" },
        ],
      }),
    );
    // Plain HTTP for the node's registry and the loopback ones the caller names.
    for (const host of [registry, ...(context.registries ?? [])]) {
      const hosts = join(dir, "certs.d", host);
      mkdirSync(hosts, { recursive: true });
      writeFileSync(
        join(hosts, "hosts.toml"),
        `server = "http://${host}"\n\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n`,
      );
    }
    writeFileSync(
      join(dir, "containerd.toml"),
      [
        "version = 2",
        `root = "${join(dir, "containerd-root")}"`,
        `state = "${join(dir, "containerd-state")}"`,
        `disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]`,
        "[grpc]",
        `  address = "${socket}"`,
        "[ttrpc]",
        `  address = "${socket}.ttrpc"`,
        "[debug]",
        `  address = ""`,
        "[metrics]",
        `  address = ""`,
        `[plugins."io.containerd.internal.v1.opt"]`,
        `  path = "${join(dir, "containerd-opt")}"`,
        `[plugins."io.containerd.grpc.v1.cri"]`,
        `  sandbox_image = "${images.pause}"`,
        // Root here lacks CAP_SYS_RESOURCE: runc may only raise OOM scores it is allowed to.
        "  restrict_oom_score_adj = true",
        "  netns_mounts_under_state_dir = true",
        `  stream_server_address = "127.0.0.1"`,
        `  stream_server_port = "0"`,
        "  enable_selinux = false",
        `  [plugins."io.containerd.grpc.v1.cri".containerd]`,
        `    snapshotter = "overlayfs"`,
        `    default_runtime_name = "runc"`,
        `    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]`,
        `      runtime_type = "io.containerd.runc.v2"`,
        `      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]`,
        `        SystemdCgroup = false`,
        // runc's state, by default in /run/containerd/runc, shared with any other containerd.
        `        Root = "${join(dir, "runc")}"`,
        `  [plugins."io.containerd.grpc.v1.cri".cni]`,
        `    bin_dir = "${CNI_BIN}"`,
        `    conf_dir = "${join(dir, "cni")}"`,
        `  [plugins."io.containerd.grpc.v1.cri".registry]`,
        `    config_path = "${join(dir, "certs.d")}"`,
        "",
      ].join("\n"),
    );
    processes.push(
      startProcess(
        "/usr/bin/containerd",
        ["--config", join(dir, "containerd.toml"), "--log-level", "warn"],
        dir,
        "containerd",
      ),
    );
    await running("containerd's socket", async () => existsSync(socket));

    makeCgroupRoot();
    const kubeletPort = await freePort();
    writeFileSync(
      join(dir, "kubelet.yaml"),
      stringify({
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        // This kernel has only cgroup v1; containerd 1.6 reports no driver, so the kubelet
        // uses this one (see the kubernetes pin in scripts/engines.mjs).
        failCgroupV1: false,
        cgroupDriver: "cgroupfs",
        cgroupRoot: `/${CGROUP_ROOT}`,
        containerRuntimeEndpoint: `unix://${socket}`,
        address: NODE_NETWORK.gateway,
        port: kubeletPort,
        readOnlyPort: 0,
        healthzPort: 0,
        authentication: {
          anonymous: { enabled: false },
          webhook: { enabled: false },
          x509: { clientCAFile: context.clientCa },
        },
        authorization: { mode: "AlwaysAllow" },
        makeIPTablesUtilChains: false,
        failSwapOn: false,
        podLogsDirectory: join(dir, "pod-logs"),
        resolvConf: join(dir, "resolv.conf"),
        // CoreDNS, below, answers on the bridge's address.
        clusterDNS: [NODE_NETWORK.gateway],
        clusterDomain: "cluster.local",
        // A shared CI disk is often above the default eviction thresholds.
        evictionHard: {
          "memory.available": "50Mi",
          "nodefs.available": "1%",
          "imagefs.available": "1%",
        },
        imageGCHighThresholdPercent: 100,
        imageGCLowThresholdPercent: 99,
        serializeImagePulls: false,
        nodeStatusUpdateFrequency: "2s",
        syncFrequency: "5s",
        fileCheckFrequency: "5s",
        registerNode: true,
      }),
    );
    writeFileSync(join(dir, "resolv.conf"), "nameserver 127.0.0.1\n");
    processes.push(
      startProcess(
        join(bin, "kubelet"),
        [
          `--config=${join(dir, "kubelet.yaml")}`,
          `--kubeconfig=${context.kubeconfig}`,
          `--root-dir=${join(dir, "kubelet")}`,
          `--hostname-override=${NODE_NAME}`,
          `--node-ip=${NODE_NETWORK.gateway}`,
          "-v=1",
        ],
        dir,
        "kubelet",
      ),
    );
    processes.push(
      startProcess(
        join(bin, "kube-scheduler"),
        [
          `--kubeconfig=${context.kubeconfig}`,
          `--authentication-kubeconfig=${context.kubeconfig}`,
          `--authorization-kubeconfig=${context.kubeconfig}`,
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          "--secure-port=0",
          "-v=0",
        ],
        dir,
        "kube-scheduler",
      ),
    );
    writeFileSync(
      join(dir, "kube-proxy.yaml"),
      stringify({
        apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
        kind: "KubeProxyConfiguration",
        // No IPVS here, and nftables is what the kernel offers.
        mode: "nftables",
        clientConnection: { kubeconfig: context.kubeconfig },
        hostnameOverride: NODE_NAME,
        clusterCIDR: NODE_NETWORK.subnet,
        healthzBindAddress: "",
        metricsBindAddress: "",
        // Leave the machine's conntrack settings alone.
        conntrack: {
          maxPerCore: 0,
          min: 0,
          tcpEstablishedTimeout: "0s",
          tcpCloseWaitTimeout: "0s",
        },
      }),
    );
    processes.push(
      startProcess(
        join(bin, "kube-proxy"),
        [`--config=${join(dir, "kube-proxy.yaml")}`, "-v=0"],
        dir,
        "kube-proxy",
      ),
    );

    // Cluster DNS: CoreDNS as a process beside the kubelet (not a pod), on the bridge's
    // address, serving Services and pods from the API; nothing is forwarded outside.
    const dnsReadyPort = await freePort();
    writeFileSync(
      join(dir, "Corefile"),
      [
        ".:53 {",
        `  bind ${NODE_NETWORK.gateway}`,
        "  errors",
        `  ready 127.0.0.1:${dnsReadyPort}`,
        "  kubernetes cluster.local in-addr.arpa ip6.arpa {",
        `    kubeconfig ${context.kubeconfig} test`,
        "    pods insecure",
        "    fallthrough in-addr.arpa ip6.arpa",
        "  }",
        "  cache 30",
        "}",
        "",
      ].join("\n"),
    );
    processes.push(
      startProcess(join(bin, "coredns"), ["-conf", join(dir, "Corefile")], dir, "coredns"),
    );
    await running(
      "CoreDNS ready",
      async () => (await fetch(`http://127.0.0.1:${dnsReadyPort}/ready`)).ok,
    );

    interface NodeStatus {
      spec?: { taints?: { key: string }[] };
      status?: { conditions?: { type: string; status: string }[] };
    }
    try {
      await running(
        `node ${NODE_NAME} Ready`,
        async () => {
          const { status, body } = await context.admin<NodeStatus>(
            "GET",
            `/api/v1/nodes/${NODE_NAME}`,
          );
          return (
            status === 200 &&
            !!body.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") &&
            // Schedulable: the node lifecycle controller has lifted the registration taints.
            (body.spec?.taints ?? []).length === 0
          );
        },
        180_000,
      );
    } catch (error) {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n${processes.map(tail).join("\n---\n")}`,
        { cause: error },
      );
    }
    return {
      name: NODE_NAME,
      registry,
      images,
      dir,
      logs: () => processes.map(tail).join("\n---\n"),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
