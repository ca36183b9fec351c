/**
 * A real Kubernetes control plane on loopback for the suites: etcd, kube-apiserver and
 * kube-controller-manager from the engines `npm run engines` builds. Its own CA and serving
 * certificate (openssl), RBAC on, a service-account signing key, an admin client
 * certificate (system:masters), and limited tokens minted through ServiceAccounts, RBAC
 * and TokenRequest. By default no kubelet, no scheduler: pods never run, and the namespace
 * controller and garbage collector are what the cleanup tests exercise. With `node: true` a real
 * node runs beside it (test/support/node.ts): the API server then also listens on the node's
 * bridge, where pods reach it as `kubernetes.default`, and the workload controllers run.
 *
 * One per test file at most (`beforeAll` / `afterAll`); `stop()` kills the processes and
 * removes every file it made.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from "node:fs";
import { Agent, request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { engines } from "./engines.js";
import { claimNodeNetwork, NODE_NETWORK, type Node, startNode } from "./node.js";

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** An RBAC PolicyRule, as in a ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface KubeconfigOptions {
  /** A bearer token user; without it and `exec`, the admin's client certificate. */
  token?: string;
  /** An `exec` credential plugin section for the user. */
  exec?: object;
  /** Another server (a proxy in front of this one), default the API server itself. */
  server?: string;
  /** Another CA than this control plane's (a wrong one, for the failure cases). */
  caData?: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:PORT of kube-apiserver. */
  url: string;
  /** Base64 PEM of the CA that signed the serving certificate. */
  caData: string;
  /** PEM serving certificate and key for 127.0.0.1, for a test proxy to present. */
  serving: { cert: string; key: string };
  /** A request as the admin (system:masters): JSON in, JSON (or text) out. */
  admin<T = unknown>(method: string, path: string, body?: object): Promise<ApiResponse<T>>;
  /** Kubeconfig YAML with one context `test`. */
  kubeconfig(options?: KubeconfigOptions): string;
  /**
   * A token of a new ServiceAccount `ci/<name>` bound cluster-wide to a ClusterRole with
   * `rules` (TokenRequest, one hour).
   */
  token(name: string, rules: PolicyRule[]): Promise<string>;
  /** Polls `check` every 100 ms until it returns true; throws after `timeoutMs`. */
  waitFor(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** The node, when started with `node: true`. */
  node?: Node;
  stop(): Promise<void>;
}

/** The directory holding the three binaries, or undefined (skip) outside CI. */
export function controlPlaneEngines(): string | undefined {
  return engines("etcd", "kube-apiserver", "kube-controller-manager");
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

function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A new EC P-256 key in `dir`/`name`. */
function ecKey(dir: string, name: string): void {
  openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
}

/** A self-signed CA in `dir` (`ca.key`, `ca.crt`), valid two days; EC, fast. */
export function makeCertificateAuthority(dir: string): void {
  ecKey(dir, "ca.key");
  openssl(
    dir,
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-subj",
    "/CN=preview-kit-test-ca",
    "-days",
    "2",
    "-out",
    "ca.crt",
  );
}

/** `name.key` and `name.crt` in `dir`, issued by its CA with `extensions` (openssl syntax). */
export function issueCertificate(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
): void {
  ecKey(dir, `${name}.key`);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, "req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`);
  openssl(
    dir,
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.crt`,
  );
}

/** The serving certificate's extensions for 127.0.0.1, localhost and `names`. */
export const servingExtensions = (names: string[] = []) =>
  `subjectAltName=${["IP:127.0.0.1", "DNS:localhost", ...names].join(",")}\nextendedKeyUsage=serverAuth\n`;

/**
 * A CA, a serving certificate for 127.0.0.1 (and `serving`'s extra names) and an admin client
 * certificate; EC keys, fast.
 */
function makeCertificates(dir: string, serving: string[]): void {
  makeCertificateAuthority(dir);
  issueCertificate(dir, "serving", "/CN=kube-apiserver", servingExtensions(serving));
  issueCertificate(
    dir,
    "admin",
    "/O=system:masters/CN=preview-kit-admin",
    "extendedKeyUsage=clientAuth\n",
  );
  // The service-account token signing key pair.
  ecKey(dir, "sa.key");
  openssl(dir, "pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub");
}

/** The status of a SelfSubjectReview with `token`: 201 once the API server authenticates it. */
function whoAmI(url: string, caData: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
      {
        method: "POST",
        ca: Buffer.from(caData, "base64"),
        timeout: 10_000,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      },
      (res) => {
        res.resume().on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy(new Error("SelfSubjectReview timed out")));
    req.on("error", reject);
    req.end(JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }));
  });
}

interface Started {
  child: ChildProcess;
  log: string;
}

function start(bin: string, name: string, args: string[], dir: string): Started {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, "w");
  const child = spawn(join(bin, name), args, { cwd: dir, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  return { child, log };
}

function tail(started: Started): string {
  try {
    return readFileSync(started.log, "utf8").split("\n").slice(-15).join("\n");
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

export interface ControlPlaneOptions {
  /**
   * Controllers besides namespace, garbagecollector and the service-account ones (e.g.
   * `deployment`, `replicaset`, so ReplicaSets create pods through the real quota admission).
   */
  controllers?: string[];
  /** A real node beside the control plane (one per machine at a time; needs root). */
  node?: boolean;
  /** More plain-HTTP registries on loopback (host:port) the node pulls from. */
  registries?: string[];
  /**
   * Structured authentication (`--authentication-config`): the AuthenticationConfiguration's
   * `jwt` authenticators, and a token one of them must accept before the plane is returned
   * (the API server fetches each issuer's discovery and keys in the background, refusing
   * every token until then).
   */
  authentication?: { jwt: object[]; ready: string };
}

/**
 * What pods on the node need running: their owners, Service endpoints (the legacy Endpoints
 * too: the Pulumi Kubernetes provider awaits a Service through them), volumes (binding, and
 * the protection finalizers lifted so a claim and its volume can be deleted), and the node
 * lifecycle controller, which lifts the `not-ready` taint the kubelet registers the node with.
 */
const NODE_CONTROLLERS = [
  "nodelifecycle",
  "deployment",
  "replicaset",
  "endpoints-controller",
  "endpointslice",
  "job",
  "statefulset",
  "persistentvolume-binder",
  "persistentvolume-protection-controller",
  "persistentvolumeclaim-protection-controller",
  "podgc",
  // kube-root-ca.crt in every namespace: pods with a service-account token mount it.
  "root-ca-certificate-publisher-controller",
];
/**
 * How long a component may take to come up: generous, since a CI machine may run several
 * suites' builds and servers on two cores (seen: 60 s too short for /readyz under load 25).
 */
const STARTUP_TIMEOUT = 180_000;
/** The `kubernetes` Service's ClusterIP in --service-cluster-ip-range. */
const KUBERNETES_SERVICE_IP = "10.96.0.1";

const BASE_CONTROLLERS = [
  "namespace",
  "garbagecollector",
  "serviceaccount",
  "serviceaccount-token",
];

export async function startControlPlane(
  bin: string,
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), "control-plane-"));
  const processes: Started[] = [];
  let node: Node | undefined;
  let releaseNetwork: (() => Promise<void>) | undefined;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    try {
      await node?.stop();
    } finally {
      // The controller manager first: it would only log the API server going away.
      for (const started of [...processes].reverse()) await stopProcess(started);
      rmSync(dir, { recursive: true, force: true });
      await releaseNetwork?.();
    }
  };
  try {
    // The bridge first: the API server listens on its address.
    if (options.node) releaseNetwork = await claimNodeNetwork();
    makeCertificates(
      dir,
      options.node
        ? [
            `IP:${NODE_NETWORK.gateway}`,
            `IP:${KUBERNETES_SERVICE_IP}`,
            "DNS:kubernetes",
            "DNS:kubernetes.default",
            "DNS:kubernetes.default.svc",
            "DNS:kubernetes.default.svc.cluster.local",
          ]
        : [],
    );
    const file = (name: string) => readFileSync(join(dir, name), "utf8");
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const url = `https://127.0.0.1:${apiPort}`;
    const caData = Buffer.from(file("ca.crt")).toString("base64");
    const agent = new Agent({
      ca: file("ca.crt"),
      cert: file("admin.crt"),
      key: file("admin.key"),
      keepAlive: true,
    });

    // A kept-alive socket the API server closed while idle (a long pulumi run between two
    // requests) resets the next request on it: Node's documented answer is to send it again on a
    // fresh socket (nodejs.org/api/http.html, request.reusedSocket); the server never read it.
    const admin = <T>(method: string, path: string, body?: object, retried = false) =>
      new Promise<ApiResponse<T>>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          `${url}${path}`,
          {
            method,
            agent,
            timeout: 10_000,
            headers: {
              Accept: "application/json",
              ...(payload ? { "Content-Type": "application/json" } : {}),
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8").on("data", (c: string) => (text += c));
            res.on("end", () => {
              let parsed: unknown = text;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                // /readyz and /healthz answer text.
              }
              resolve({ status: res.statusCode ?? 0, body: parsed as T });
            });
          },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on("error", (error: NodeJS.ErrnoException) => {
          if (req.reusedSocket && error.code === "ECONNRESET" && !retried)
            resolve(admin<T>(method, path, body, true));
          else reject(error);
        });
        req.end(payload);
      });

    const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await check().catch(() => false)) return;
        const dead = processes.find((p) => p.child.exitCode !== null);
        if (dead)
          throw new Error(
            `${dead.child.spawnfile} exited while waiting for ${what}:\n${tail(dead)}`,
          );
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}:\n${processes.map(tail).join("\n---\n")}`);
        await sleep(100);
      }
    };

    processes.push(
      start(
        bin,
        "etcd",
        [
          "--name=test",
          `--data-dir=${join(dir, "etcd")}`,
          `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
          `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
          `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-cluster=test=http://127.0.0.1:${peerPort}`,
          // A throwaway store: durability costs seconds on a shared disk.
          "--unsafe-no-fsync",
          "--log-level=warn",
        ],
        dir,
      ),
    );
    if (options.authentication)
      writeFileSync(
        join(dir, "authentication.yaml"),
        stringify({
          apiVersion: "apiserver.config.k8s.io/v1",
          kind: "AuthenticationConfiguration",
          jwt: options.authentication.jwt,
        }),
      );
    processes.push(
      start(
        bin,
        "kube-apiserver",
        [
          `--etcd-servers=http://127.0.0.1:${etcdPort}`,
          ...(options.node
            ? [
                // Loopback for the tests, the bridge for pods (through the `kubernetes`
                // Service, whose endpoint the lease reconciler keeps at the advertised address).
                "--bind-address=0.0.0.0",
                `--advertise-address=${NODE_NETWORK.gateway}`,
                "--endpoint-reconciler-type=lease",
              ]
            : [
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--endpoint-reconciler-type=none",
              ]),
          `--secure-port=${apiPort}`,
          "--tls-cert-file=serving.crt",
          "--tls-private-key-file=serving.key",
          "--client-ca-file=ca.crt",
          // Never with --oidc-* flags: the API server refuses both.
          ...(options.authentication ? ["--authentication-config=authentication.yaml"] : []),
          "--authorization-mode=RBAC",
          "--service-account-issuer=https://kubernetes.default.svc",
          "--service-account-key-file=sa.pub",
          "--service-account-signing-key-file=sa.key",
          "--service-cluster-ip-range=10.96.0.0/24",
          // As clusters run it (kubeadm, EKS): otherwise validation refuses privileged
          // containers before Pod Security admission could judge them.
          "--allow-privileged=true",
          // Fewer bootstrap objects and controllers: a faster start, nothing under test.
          "--enable-priority-and-fairness=false",
          "--profiling=false",
          "-v=0",
        ],
        dir,
      ),
    );
    await waitFor(
      "kube-apiserver /readyz",
      async () => (await admin("GET", "/readyz")).status === 200,
      STARTUP_TIMEOUT,
    );

    const ready = options.authentication?.ready;
    if (ready)
      await waitFor(
        "the JWT authenticator (its issuer's discovery and keys)",
        async () => (await whoAmI(url, caData, ready)) === 201,
        STARTUP_TIMEOUT,
      );

    writeFileSync(
      join(dir, "admin.kubeconfig"),
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          { name: "test", cluster: { server: url, "certificate-authority": join(dir, "ca.crt") } },
        ],
        users: [
          {
            name: "admin",
            user: {
              "client-certificate": join(dir, "admin.crt"),
              "client-key": join(dir, "admin.key"),
            },
          },
        ],
        contexts: [{ name: "test", context: { cluster: "test", user: "admin" } }],
        "current-context": "test",
      }),
    );
    processes.push(
      start(
        bin,
        "kube-controller-manager",
        [
          "--kubeconfig=admin.kubeconfig",
          `--controllers=${[
            ...new Set([
              ...BASE_CONTROLLERS,
              ...(options.node ? NODE_CONTROLLERS : []),
              ...(options.controllers ?? []),
            ]),
          ].join(",")}`,
          "--service-account-private-key-file=sa.key",
          "--root-ca-file=ca.crt",
          "--leader-elect=false",
          "--use-service-account-credentials=false",
          "--bind-address=127.0.0.1",
          "--secure-port=0",
          "-v=0",
        ],
        dir,
      ),
    );

    const namespace = (name: string) => `/api/v1/namespaces/${name}`;
    // The namespace controller is live once it deletes a namespace end to end.
    const probe = "control-plane-warmup";
    await admin("POST", "/api/v1/namespaces", { metadata: { name: probe } });
    await admin("DELETE", namespace(probe));
    await waitFor(
      "the namespace controller",
      async () => (await admin("GET", namespace(probe))).status === 404,
      STARTUP_TIMEOUT,
    );
    await admin("POST", "/api/v1/namespaces", { metadata: { name: "ci" } });
    if (options.node)
      node = await startNode({
        bin,
        dir: join(dir, "node"),
        kubeconfig: join(dir, "admin.kubeconfig"),
        clientCa: join(dir, "ca.crt"),
        waitFor,
        admin,
        registries: options.registries,
      });

    const kubeconfig = (options: KubeconfigOptions = {}) =>
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "test",
            cluster: {
              server: options.server ?? url,
              "certificate-authority-data": options.caData ?? caData,
            },
          },
        ],
        users: [
          {
            name: "test",
            user: options.exec
              ? { exec: options.exec }
              : options.token
                ? { token: options.token }
                : {
                    "client-certificate-data": Buffer.from(file("admin.crt")).toString("base64"),
                    "client-key-data": Buffer.from(file("admin.key")).toString("base64"),
                  },
          },
        ],
        contexts: [{ name: "test", context: { cluster: "test", user: "test" } }],
        "current-context": "test",
      });

    const must = async (method: string, path: string, body: object) => {
      const response = await admin<{ message?: string }>(method, path, body);
      if (response.status >= 300)
        throw new Error(
          `${method} ${path}: HTTP ${response.status} ${response.body?.message ?? ""}`,
        );
      return response;
    };
    const token = async (name: string, rules: PolicyRule[]) => {
      await must("POST", `${namespace("ci")}/serviceaccounts`, { metadata: { name } });
      await must("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", {
        metadata: { name: `test-${name}` },
        rules,
      });
      await must("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
        metadata: { name: `test-${name}` },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: `test-${name}`,
        },
        subjects: [{ kind: "ServiceAccount", name, namespace: "ci" }],
      });
      const response = await must("POST", `${namespace("ci")}/serviceaccounts/${name}/token`, {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 3600 },
      });
      return (response.body as { status: { token: string } }).status.token;
    };

    return {
      url,
      caData,
      serving: { cert: file("serving.crt"), key: file("serving.key") },
      admin,
      kubeconfig,
      token,
      waitFor,
      node,
      // Once, however often called: the node test stops it to check the machine, afterAll again.
      stop: () =>
        (stopping ??= (async () => {
          agent.destroy();
          await stop();
        })()),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
