export const id = 979;
export const ids = [979];
export const modules = {

/***/ 1979:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanupNamespace: () => (/* binding */ cleanupNamespace)
});

// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(9336);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: ./actions/shared/cancel.ts
var cancel = __webpack_require__(613);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./actions/shared/retry.ts
/**
 * The one retry loop: an operation is tried again while it fails for a reason that passes
 * (an HTTP 503, a dropped connection, a held lock), waiting longer each time; any other
 * failure, and the last try's, goes to the caller as it is. A cancelled step stops waiting:
 * the last try's failure is what the caller gets.
 */


async function retry(attempt, policy) {
    for (let failures = 1;; failures++) {
        let reason;
        try {
            const result = await attempt();
            if (failures >= policy.tries || !policy.retryResult?.(result))
                return result;
            reason = { result };
        }
        catch (error) {
            if (failures >= policy.tries || !policy.retryError?.(error))
                throw error;
            reason = { error };
        }
        const waitMs = policy.waitMs(failures);
        if (!cancel/* cancelSignal */.Bj.aborted) {
            policy.onRetry?.(reason, failures, waitMs);
            await (0,promises_.setTimeout)(waitMs, undefined, { signal: cancel/* cancelSignal */.Bj }).catch(() => undefined);
        }
        if (cancel/* cancelSignal */.Bj.aborted) {
            if ("error" in reason)
                throw reason.error;
            return reason.result;
        }
    }
}
/** A first wait, or the wait unit; PREVIEW_KIT_RETRY_BASE_MS overrides it (tests). */
function retryBaseMs(fallback) {
    const fromEnv = Number(process.env.PREVIEW_KIT_RETRY_BASE_MS);
    return process.env.PREVIEW_KIT_RETRY_BASE_MS !== undefined &&
        Number.isFinite(fromEnv) &&
        fromEnv >= 0
        ? fromEnv
        : fallback;
}
/** An HTTP answer that says "try later": rate limited, or the server failed for now. */
function isTransientStatus(status) {
    return status === 429 || status >= 500;
}

// EXTERNAL MODULE: ./actions/shared/runner.ts
var runner = __webpack_require__(2393);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./actions/shared/process-tree.ts
/**
 * The processes a child started, wherever their process group. Pulumi's CLI starts each
 * plugin (language host, providers) in a process group of its own (sdk/go/common/util/
 * cmdutil/child_unix.go `RegisterProcessGroup`), so a signal to the CLI's group misses them;
 * once the CLI is killed they are re-parented and nothing finds them any more. They are
 * therefore looked up by parent pid BEFORE the kill, as the runner finds a tree to kill it.
 * Linux keeps the parent pids in /proc; where there is no /proc the list is empty and only
 * the child's group is reached.
 */

/** Parent pid of each process, from /proc/<pid>/stat ("pid (comm) state ppid ..."). */
function parentsByPid() {
    const children = new Map();
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)("/proc");
    }
    catch {
        return children;
    }
    for (const entry of entries) {
        if (!/^\d+$/.test(entry))
            continue;
        try {
            const stat = (0,external_node_fs_.readFileSync)(`/proc/${entry}/stat`, "utf8");
            // comm may hold spaces and parentheses: the fields start after the last ")".
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
        }
        catch {
            // The process ended while we looked.
        }
    }
    return children;
}
/** Every descendant of `pid` (children, their children, ...), found by parent pid. */
function descendantsOf(pid) {
    const children = parentsByPid();
    const found = [];
    const queue = [pid];
    while (queue.length > 0) {
        for (const child of children.get(queue.shift()) ?? []) {
            if (found.includes(child))
                continue;
            found.push(child);
            queue.push(child);
        }
    }
    return found;
}
/** SIGKILL to `pid`'s group and to each of its descendants, found before the kill. */
function killTree(pid) {
    const tree = descendantsOf(pid);
    for (const target of [-pid, ...tree]) {
        try {
            process.kill(target, "SIGKILL");
        }
        catch {
            // ESRCH: gone already.
        }
    }
}

;// CONCATENATED MODULE: ./actions/shared/exec.ts
/**
 * Runs a program without a shell, bounded in time, and stops it when the step is cancelled.
 *
 * Each child gets its own process group, so a stop reaches what it started too (Pulumi's
 * language host and providers, a credential plugin's helpers): the runner signals the
 * action's process only. A stop is the runner's own sequence, shortened to fit inside it:
 * SIGINT (Pulumi cancels the update cleanly and releases its lock), SIGTERM after a grace
 * (Pulumi terminates at once on a second signal), SIGKILL last: to the group and to every
 * descendant, since the CLI starts its plugins in process groups of their own (process-tree.ts).
 */




/** How long a stopped child may wind down after SIGINT, then after SIGTERM. */
const GRACE_MS = { timeout: [10_000, 5_000], cancel: [4_000, 1_500] };
/** After its leader exits, the group's stragglers are killed and the pipes given this long. */
const CLOSE_WAIT_MS = 1_000;
/** "exit code 3" or "killed by SIGKILL": how a program ended, in words. */
function describeExit(result) {
    return result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
}
function duration(ms) {
    if (ms >= 60_000 && ms % 60_000 === 0)
        return `${ms / 60_000} min`;
    return `${Math.round(ms / 100) / 10} s`;
}
/** Why a stopped child ended, for its error message; undefined when it was not stopped. */
function describeStop(what, result, timeoutMs) {
    if (result.stoppedBy === "timeout")
        return `${what} did not finish within ${duration(timeoutMs)} and was stopped (${describeExit(result)})`;
    if (result.stoppedBy === "cancel")
        return `${what} was stopped because the step was cancelled (${describeExit(result)})`;
    return undefined;
}
const live = new Set();
function signalGroup(child, signal) {
    if (child.pid === undefined)
        return;
    try {
        process.kill(-child.pid, signal);
    }
    catch {
        // ESRCH: the group is gone already.
    }
}
/** The kill: what the child started in other process groups dies with it, not after the step. */
function killChildTree(child) {
    if (child.pid !== undefined)
        killTree(child.pid);
}
const STAGE_SIGNALS = ["SIGINT", "SIGTERM", "SIGKILL"];
/** Moves a stop one stage on: SIGINT, then SIGTERM, then SIGKILL, each after its grace. */
function advance(tracked, reason) {
    if (tracked.stage === 3)
        return;
    tracked.reason ??= reason;
    clearTimeout(tracked.timer);
    const stage = (tracked.stage + 1);
    tracked.stage = stage;
    if (stage === 3)
        killChildTree(tracked.child);
    else
        signalGroup(tracked.child, STAGE_SIGNALS[stage - 1]);
    if (stage < 3) {
        // A cancel shortens a stop the time limit began: the runner will not wait long.
        const grace = GRACE_MS[reason === "cancel" ? "cancel" : tracked.reason];
        tracked.timer = setTimeout(() => advance(tracked, reason), grace[stage - 1]);
    }
}
(0,cancel/* onCancel */.Ao)((_signal, first) => {
    for (const tracked of live) {
        if (tracked.afterCancel)
            continue;
        // The first signal starts each stop; a later one (the runner's SIGTERM) hurries it.
        if (first && tracked.stage > 0)
            continue;
        advance(tracked, "cancel");
    }
});
// The cancellation's last resort: nothing this action started outlives it.
(0,cancel/* atDeadline */.ag)(() => {
    for (const tracked of live)
        killChildTree(tracked.child);
});
function refuseAfterCancel(command) {
    const signal = (0,cancel/* cancelledBy */.tK)();
    if (signal)
        throw new errors/* ActionError */.l(`Not starting '${command}': ${new cancel/* CancelledError */.cc(signal).message}`, {
            title: "Cancelled",
        });
}
/**
 * Starts a tracked child: own process group, time limit, stopped on cancel. The returned
 * promise settles once it has exited and its group is gone. For callers that need the
 * ChildProcess itself (a library's spawn hook); `exec` is the usual way in.
 */
function startChild(command, args, spawnOptions, limits) {
    if (!limits.afterCancel)
        refuseAfterCancel(command);
    const child = (0,external_node_child_process_.spawn)(command, args, { ...spawnOptions, detached: true });
    const tracked = { child, afterCancel: limits.afterCancel ?? false, stage: 0 };
    live.add(tracked);
    const limit = setTimeout(() => advance(tracked, "timeout"), limits.timeoutMs);
    const ended = new Promise((resolve, reject) => {
        const finish = () => {
            clearTimeout(limit);
            clearTimeout(tracked.timer);
            live.delete(tracked);
        };
        child.on("error", (error) => {
            finish();
            reject(error);
        });
        child.on("exit", (exitCode, signal) => {
            finish();
            // Whatever the leader left behind in its group does not outlive it.
            signalGroup(child, "SIGKILL");
            const result = {
                exitCode: signal ? null : exitCode,
                signal,
                pid: child.pid,
                stoppedBy: tracked.reason,
            };
            // 'close' waits for the pipes, which a killed grandchild has just released.
            const closed = setTimeout(() => {
                child.stdout?.destroy();
                child.stderr?.destroy();
                resolve(result);
            }, CLOSE_WAIT_MS);
            child.on("close", () => {
                clearTimeout(closed);
                resolve(result);
            });
        });
    });
    return { child, ended };
}
function lineSplitter(onLine) {
    let pending = "";
    return {
        push(chunk) {
            if (!onLine)
                return;
            pending += chunk;
            const lines = pending.split(/\r?\n/);
            pending = lines.pop() ?? "";
            for (const line of lines)
                onLine(line);
        },
        flush() {
            if (onLine && pending)
                onLine(pending);
            pending = "";
        },
    };
}
async function exec(command, args, options) {
    const { child, ended } = startChild(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] }, options);
    let stdout = "";
    let stderr = "";
    const out = lineSplitter(options.onStdoutLine);
    const err = lineSplitter(options.onStderrLine);
    child.stdout?.setEncoding("utf8").on("data", (chunk) => {
        stdout += chunk;
        out.push(chunk);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk) => {
        stderr += chunk;
        err.push(chunk);
    });
    child.stdin?.on("error", () => {
        // The program may exit without reading its input; its exit code tells the story.
    });
    child.stdin?.end(options.stdin ?? "");
    try {
        const result = await ended;
        out.flush();
        err.flush();
        return { ...result, stdout, stderr };
    }
    catch (error) {
        if (error.code === "ENOENT") {
            throw new errors/* ActionError */.l(`'${command}' was not found on PATH`, {
                title: `${command} missing`,
                cause: error,
            });
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./actions/shared/kube/exec-credential.ts
/**
 * Credentials from a kubeconfig's `exec` plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`,
 * `kubelogin`): the plugin runs without a shell, bounded in time, told it is not interactive
 * (KUBERNETES_EXEC_INFO), and its token is kept only until the `expirationTimestamp` it
 * states (EKS tokens live 15 minutes), or until the server rejects it.
 */



const PLUGIN_TIMEOUT_MS = 60_000;
/** Why the plugin gave no credential, in words that quote nothing from the kubeconfig. */
class ExecCredentialError extends errors/* ActionError */.l {
    reason;
    name = "ExecCredentialError";
    constructor(reason, detail) {
        super(`The kubeconfig's credential plugin failed: ${reason}${detail ? `: ${detail}` : ""}`, {
            title: "Kubernetes credentials",
        });
        this.reason = reason;
    }
}
const strings = (value) => Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
/** `env: [{name, value}]` of the kubeconfig, over the environment the caller allows. */
function pluginEnv(config, base) {
    const env = { ...base };
    for (const entry of Array.isArray(config.env) ? config.env : []) {
        const { name, value } = (entry ?? {});
        if (typeof name === "string" && typeof value === "string")
            env[name] = value;
    }
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
        apiVersion: config.apiVersion,
        kind: "ExecCredential",
        spec: { interactive: false },
    });
    return env;
}
class ExecCredentials {
    config;
    baseEnv;
    cached;
    constructor(config, 
    /** The plugin's environment before the kubeconfig's own `env` entries. */
    baseEnv) {
        this.config = config;
        this.baseEnv = baseEnv;
    }
    /** A token that was valid when last asked for; runs the plugin when there is none. */
    async token() {
        const cached = this.cached ? await this.cached.catch(() => undefined) : undefined;
        if (cached && Date.now() < cached.refreshAt)
            return cached.token;
        this.cached = this.run();
        return (await this.cached).token;
    }
    /** The server rejected the token (401): the next call asks the plugin again. */
    invalidate() {
        this.cached = undefined;
    }
    async run() {
        const { command } = this.config;
        const args = this.config.args === undefined ? [] : strings(this.config.args);
        if (typeof command !== "string" || !command || !args)
            throw new ExecCredentialError("the exec section needs a command and a list of args");
        let result;
        try {
            result = await exec(command, args, {
                env: pluginEnv(this.config, this.baseEnv),
                timeoutMs: PLUGIN_TIMEOUT_MS,
            });
        }
        catch (error) {
            const code = error.code;
            throw new ExecCredentialError(error.message.includes("was not found on PATH")
                ? "its command is not installed"
                : `it could not be started (${code ?? "unknown error"})`);
        }
        if (result.exitCode !== 0) {
            const line = result.stderr.trim().split("\n")[0]?.slice(0, 200);
            // Stopped at its limit or by a cancel, or killed by a signal: said as such.
            const ended = describeStop("it", result, PLUGIN_TIMEOUT_MS) ??
                (result.signal
                    ? `it was ${describeExit(result)}`
                    : `it exited with code ${result.exitCode}`);
            throw new ExecCredentialError(ended, line);
        }
        let status;
        try {
            status = JSON.parse(result.stdout).status;
        }
        catch {
            throw new ExecCredentialError("it printed no ExecCredential JSON");
        }
        const token = status?.token;
        if (typeof token !== "string" || !token.trim())
            throw new ExecCredentialError("its ExecCredential holds no status.token");
        (0,runner/* addMask */.eu)(token);
        return { token, refreshAt: refreshAt(status?.expirationTimestamp) };
    }
}
/**
 * A quarter of the remaining lifetime early, at most a minute: a 15-minute EKS token is
 * renewed a minute before it expires, a 4-second one a second before. No expiry: kept.
 */
function refreshAt(expirationTimestamp) {
    if (typeof expirationTimestamp !== "string")
        return Infinity;
    const expires = Date.parse(expirationTimestamp);
    if (Number.isNaN(expires))
        throw new ExecCredentialError("its status.expirationTimestamp is not a time");
    const now = Date.now();
    return expires - Math.min(60_000, Math.max(0, (expires - now) / 4));
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ../../main/node_modules/@kubernetes/client-node/dist/config_types.js
var config_types = __webpack_require__(5735);
// EXTERNAL MODULE: ../../main/node_modules/yaml/dist/index.js
var dist = __webpack_require__(3645);
;// CONCATENATED MODULE: ./actions/shared/kube/secrets.ts
/**
 * The values of a kubeconfig that must never reach a log: credentials (tokens, passwords,
 * keys, exec-plugin environment values, auth-provider settings) and where the cluster is.
 * Found at any depth, so a kubeconfig kubectl would accept cannot hide one from the mask.
 */
/** Keys whose string values open the cluster or locate it; `name`s and `kind`s are left alone. */
const SECRET_KEYS = new Set([
    "server",
    "certificate-authority-data",
    "token",
    "password",
    "username",
    "client-key-data",
    "client-certificate-data",
    "id-token",
    "refresh-token",
    "access-token",
    "client-secret",
    // An exec plugin's `env: [{name, value}]`.
    "value",
]);
/** `everyLeaf`: below an auth-provider's `config`, whose every setting is a credential. */
function collect(node, found, everyLeaf, parent = "") {
    if (node === null || typeof node !== "object")
        return;
    for (const [key, value] of Object.entries(node)) {
        if (typeof value === "string") {
            if ((everyLeaf || SECRET_KEYS.has(key)) && value.trim())
                found.add(value);
        }
        else {
            collect(value, found, everyLeaf || (parent === "auth-provider" && key === "config"), key);
        }
    }
}
/** Each secret of a parsed kubeconfig once, to mask before anything can print it. */
function kubeconfigSecrets(config) {
    const found = new Set();
    collect(config, found, false);
    return [...found];
}

;// CONCATENATED MODULE: ./actions/shared/kube/kubeconfig.ts
/**
 * Loads a kubeconfig (given content, else the files in KUBECONFIG, else ~/.kube/config)
 * and resolves one context to a server, TLS material and credentials.
 *
 * The kubeconfig model is @kubernetes/client-node's own (`newClusters`, `newUsers`,
 * `newContexts`): its validation and field mapping, without the rest of the package,
 * which bundles to 18 MB (the generated API classes and models) against a 1 MB budget.
 * Every credential is masked before anything else happens; errors never quote the file,
 * since any line of it may be a secret: they name fields, contexts and clusters only.
 */








/** The kubeconfig given as content, as opposed to a file of KUBECONFIG. */
const GIVEN = "given";
class KubeconfigError extends errors/* ActionError */.l {
    problem;
    origin;
    detail;
    name = "KubeconfigError";
    constructor(problem, 
    /** GIVEN, the path of the file at fault, or KUBECONFIG when no file was found. */
    origin, 
    /** Why, naming fields, contexts and clusters at most: never a value of the file. */
    detail, message = `The ${origin === GIVEN ? "given kubeconfig" : `kubeconfig ${origin}`} is not usable: ${detail}`) {
        super(message, { title: problem === "not-found" ? "No kubeconfig" : "Invalid kubeconfig" });
        this.problem = problem;
        this.origin = origin;
        this.detail = detail;
    }
}
function sources(content) {
    if (content !== undefined)
        return [{ text: content, baseDir: process.cwd(), origin: GIVEN }];
    const paths = (process.env.KUBECONFIG ?? "").split(external_node_path_.delimiter).filter(Boolean);
    const candidates = paths.length > 0 ? paths : [(0,external_node_path_.join)((0,external_node_os_.homedir)(), ".kube", "config")];
    const found = candidates.filter((path) => (0,external_node_fs_.existsSync)(path));
    if (found.length === 0) {
        const detail = "none was given, and neither KUBECONFIG nor ~/.kube/config names a file";
        throw new KubeconfigError("not-found", "KUBECONFIG", detail, `No kubeconfig: ${detail}; set KUBECONFIG (e.g. with a cloud login action) before this step`);
    }
    return found.map((path) => ({
        text: (0,external_node_fs_.readFileSync)(path, "utf8"),
        baseDir: (0,external_node_path_.dirname)((0,external_node_path_.resolve)(path)),
        origin: path,
    }));
}
function parseSource(source) {
    let raw;
    try {
        raw = (0,dist/* parse */.qg)(source.text);
    }
    catch (error) {
        // The parser's message quotes the offending line, which may hold a token.
        const line = error.linePos?.[0]?.line;
        throw new KubeconfigError("not-yaml", source.origin, `YAML does not parse${line ? ` at line ${line}` : ""}`);
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new KubeconfigError("not-mapping", source.origin, "expected a YAML mapping with clusters, users and contexts");
    }
    return raw;
}
/** client-node names the field (`users[0].name is missing`); a token-file error names a path. */
function invalidDetail(error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^\w+\[\d+\]\.[\w.]+ is missing$/.test(message))
        return message;
    const code = error.code;
    return `a token-file cannot be read${code ? ` (${code})` : ""}`;
}
/** Registers each secret once; a value may repeat (a token in two files). */
function maskAll(values) {
    for (const value of new Set(values))
        if (value?.trim())
            (0,runner/* addMask */.eu)(value);
}
/** First definition of a name wins, as kubectl merges the files of KUBECONFIG. */
function firstByName(items) {
    const seen = new Set();
    return items.filter((item) => !seen.has(item.name) && seen.add(item.name));
}
/**
 * `content`: the kubeconfig itself (YAML or JSON), else KUBECONFIG's files are merged.
 * `contextName`: the context to use, else the first current-context.
 */
function loadKubeconfig(content, contextName) {
    const loaded = sources(content).map((source) => ({ source, raw: parseSource(source) }));
    const secrets = new Set(loaded.flatMap(({ raw }) => kubeconfigSecrets(raw)));
    maskAll(secrets);
    const clusters = [];
    const users = [];
    const contexts = [];
    for (const { source, raw } of loaded) {
        try {
            clusters.push(...(0,config_types/* newClusters */.MA)(raw.clusters).map((c) => ({ ...c, baseDir: source.baseDir })));
            users.push(...(0,config_types/* newUsers */.bw)(raw.users));
            contexts.push(...(0,config_types/* newContexts */.FE)(raw.contexts));
        }
        catch (error) {
            throw new KubeconfigError("invalid", source.origin, invalidDetail(error));
        }
    }
    // A token read from a token-file is a secret too.
    maskAll(users.map((user) => user.token).filter((token) => token && !secrets.has(token)));
    const origin = loaded[0]?.source.origin ?? GIVEN;
    if (clusters.length === 0)
        throw new KubeconfigError("no-cluster", origin, "it defines no cluster");
    const names = firstByName(contexts).map((c) => c.name);
    const wanted = contextName ?? loaded.map(({ raw }) => raw["current-context"]).find(Boolean);
    if (!wanted) {
        const detail = `no current-context; choose one of its contexts: ${names.join(", ") || "(none)"}`;
        throw new KubeconfigError("no-context", origin, detail);
    }
    const context = firstByName(contexts).find((c) => c.name === wanted);
    if (!context) {
        const detail = `names no context of the kubeconfig, got '${wanted}'; it has: ${names.join(", ") || "(none)"}`;
        const subject = contextName === undefined ? "current-context" : "The context asked for";
        throw new KubeconfigError("unknown-context", origin, detail, `${subject} ${detail}`);
    }
    const cluster = firstByName(clusters).find((c) => c.name === context.cluster);
    if (!cluster) {
        const detail = `context '${context.name}' names cluster '${context.cluster}', which the kubeconfig does not define`;
        throw new KubeconfigError("unknown-cluster", origin, detail);
    }
    const user = firstByName(users).find((u) => u.name === context.user);
    return {
        contextName: context.name,
        cluster,
        // A context without a user is legal (anonymous access).
        user: user ?? { name: context.user ?? "" },
        baseDir: cluster.baseDir,
    };
}
/** Reads a file named in the kubeconfig, relative to the kubeconfig's directory. */
function readConfigFile(path, baseDir) {
    return (0,external_node_fs_.readFileSync)((0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.join)(baseDir, path));
}

;// CONCATENATED MODULE: ./actions/shared/kube/client.ts
/**
 * A small Kubernetes REST client over node:http(s): the kubeconfig's TLS and credentials,
 * JSON in and out, and retries of what is transient (429, 5xx, dropped connections).
 *
 * Not client-node's generated API classes: those load the whole model serializer and
 * undici, 4 MB bundled for CoreV1Api alone, against a 1 MB budget for an action. Nor its
 * ExecAuth: that one runs plugins unbounded in time with the whole environment; see
 * exec-credential.ts.
 */








/** The first try and three retries. */
const TRIES = 4;
const TRANSIENT_CODES = new Set([
    "ECONNRESET",
    "ECONNREFUSED",
    "EPIPE",
    "ETIMEDOUT",
    "EAI_AGAIN",
    "ENOTFOUND",
]);
const CERTIFICATE_CODE = /CERT|SIGNATURE|SELF_SIGNED/;
/**
 * Any failure of the client. `reason` says why in words that hold nothing from the
 * kubeconfig (no server, token or certificate), for callers that must not even show the
 * server; the message may name the server, which the kubeconfig loader masked.
 */
class KubeRequestError extends errors/* ActionError */.l {
    reason;
    name = "KubeRequestError";
    constructor(reason, message, options) {
        super(message, options);
        this.reason = reason;
    }
}
const errorCode = (error) => error.code ?? "";
function unreachableReason(code, timeoutMs) {
    if (CERTIFICATE_CODE.test(code))
        return `the server's certificate does not verify against the kubeconfig's certificate authority (${code})`;
    if (code === "ETIMEDOUT")
        return `no answer within ${timeoutMs / 1000}s`;
    if (code === "ECONNREFUSED")
        return "connection refused (ECONNREFUSED)";
    if (code === "ABORT_ERR")
        return "the step was cancelled";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN")
        return `the server's host name does not resolve (${code})`;
    return `request failed (${code || "unknown error"})`;
}
/**
 * The proxy as kubectl (client-go) picks it: the cluster's `proxy-url` for every request
 * when the kubeconfig sets one, else HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts the
 * server. Node's agents tunnel through it (CONNECT for https). A password in `proxy-url` is
 * masked; a scheme other than http(s) (socks5) is refused, as Node cannot speak it.
 */
function kubeProxyEnv(cluster) {
    if (!cluster.proxyUrl)
        return process.env;
    const url = URL.parse(cluster.proxyUrl);
    if (url?.password) {
        (0,runner/* addMask */.eu)(url.password);
        (0,runner/* addMask */.eu)(decodeURIComponent(url.password));
    }
    if (url?.protocol !== "http:" && url?.protocol !== "https:") {
        throw new KubeRequestError("the kubeconfig's proxy-url is not an http(s) URL", `Cluster '${cluster.name}' has a proxy-url that is not an http(s) URL (socks5 is not supported)`, { title: "Invalid kubeconfig" });
    }
    return { HTTPS_PROXY: url.href, HTTP_PROXY: url.href };
}
/** " (through the proxy host:port ...)" when one may be on the way; the host only, no credentials. */
function proxyNote(cluster, secure) {
    if (cluster.proxyUrl)
        return ` (through the kubeconfig's proxy-url ${URL.parse(cluster.proxyUrl)?.host})`;
    const name = secure ? "HTTPS_PROXY" : "HTTP_PROXY";
    const value = process.env[name] || process.env[name.toLowerCase()];
    const host = value ? URL.parse(value)?.host : undefined;
    return host ? ` (through ${name} ${host}, unless NO_PROXY exempts the server)` : "";
}
class KubeClient {
    target;
    agent;
    send;
    timeoutMs;
    onRetry;
    staticHeaders;
    exec;
    /** Which proxy a failure went through, for its message. */
    proxyNote;
    constructor(target, options = {}) {
        this.target = target;
        const { cluster, user, baseDir } = target;
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.onRetry = options.onRetry ?? (() => { });
        const protocol = URL.parse(cluster.server)?.protocol;
        if (protocol !== "https:" && protocol !== "http:") {
            throw new KubeRequestError("the kubeconfig's server is not an http(s) URL", `Cluster '${cluster.name}' has a server that is not an http(s) URL`, { title: "Invalid kubeconfig" });
        }
        const secure = protocol === "https:";
        if (!secure && !cluster.skipTLSVerify && !options.allowPlainHttp) {
            throw new KubeRequestError("the server uses http without insecure-skip-tls-verify: credentials are not sent in clear", `Cluster '${cluster.name}' uses http without insecure-skip-tls-verify: refusing to send credentials in clear`, { title: "Invalid kubeconfig" });
        }
        const file = (path, data) => {
            if (data)
                return Buffer.from(data, "base64");
            if (!path)
                return undefined;
            try {
                return readConfigFile(path, baseDir);
            }
            catch (error) {
                // The path comes from the kubeconfig: the reason gives the code only.
                const reason = `a file the kubeconfig names cannot be read (${errorCode(error) || "unknown error"})`;
                throw new KubeRequestError(reason, `Cluster '${cluster.name}': ${reason}`, {
                    title: "Invalid kubeconfig",
                    cause: error,
                });
            }
        };
        const tls = {
            ca: file(cluster.caFile, cluster.caData),
            cert: file(user.certFile, user.certData),
            key: file(user.keyFile, user.keyData),
            rejectUnauthorized: !cluster.skipTLSVerify,
            ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
        };
        const proxyEnv = kubeProxyEnv(cluster);
        this.proxyNote = proxyNote(cluster, secure);
        this.agent = secure
            ? new external_node_https_.Agent({ keepAlive: true, proxyEnv, ...tls })
            : new external_node_http_.Agent({ keepAlive: true, proxyEnv });
        this.send = secure ? external_node_https_.request : external_node_http_.request;
        this.staticHeaders = staticHeaders(target);
        this.exec = user.exec
            ? new ExecCredentials(user.exec, options.execEnv ?? process.env)
            : undefined;
    }
    get server() {
        return this.target.cluster.server;
    }
    close() {
        this.agent.destroy();
    }
    /** `path` from the API root, e.g. `/version`; a server with a path (a proxy) keeps it. */
    async request(method, path, body) {
        const response = await this.retried(method, path, body);
        // A plugin's token can be revoked or expire early: one new one, one more try.
        if (response.status !== 401 || !this.exec)
            return response;
        this.exec.invalidate();
        this.onRetry(`${method} ${path}: HTTP 401, asking the credential plugin for a new token`);
        return this.retried(method, path, body);
    }
    async retried(method, path, body) {
        try {
            return await retry(async () => this.once(method, path, await this.headers(), body), {
                tries: TRIES,
                waitMs: (failures) => 250 * 2 ** (failures - 1),
                retryResult: (response) => isTransientStatus(response.status),
                retryError: (error) => !(error instanceof ExecCredentialError) && TRANSIENT_CODES.has(errorCode(error)),
                onRetry: (reason) => this.onRetry(`${method} ${path}: ${"result" in reason ? `HTTP ${reason.result.status}` : errorCode(reason.error)}, retrying`),
            });
        }
        catch (error) {
            if (error instanceof ExecCredentialError) {
                const reason = `the kubeconfig's credential plugin failed: ${error.reason}`;
                throw new KubeRequestError(reason, error.message, { title: error.title, cause: error });
            }
            const code = errorCode(error);
            const reason = unreachableReason(code, this.timeoutMs) + this.proxyNote;
            throw new KubeRequestError(reason, 
            // The server's address is masked with the kubeconfig's secrets (secrets.ts): named by
            // its cluster instead, which a reader can find in the kubeconfig.
            `Cannot reach the Kubernetes API of cluster '${this.target.cluster.name}' (context '${this.target.contextName}'): ${reason}`, { title: "Kubernetes API unreachable", cause: error });
        }
    }
    once(method, path, headers, body) {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = this.send(new URL(`${this.server}${path}`), {
                method,
                agent: this.agent,
                // Idle time on the socket: a server that never answers fails the try.
                timeout: this.timeoutMs,
                signal: cancel/* cancelSignal */.Bj,
                headers: payload === undefined
                    ? headers
                    : {
                        ...headers,
                        "Content-Type": "application/json",
                        "Content-Length": String(Buffer.byteLength(payload)),
                    },
            }, (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk) => (text += chunk));
                res.on("end", () => {
                    let parsed = text;
                    try {
                        parsed = text ? JSON.parse(text) : undefined;
                    }
                    catch {
                        // Proxies and load balancers answer in HTML; keep the text for the error.
                    }
                    resolve({ status: res.statusCode ?? 0, body: parsed });
                });
                res.on("error", reject);
            });
            req.on("timeout", () => req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" })));
            req.on("error", reject);
            req.end(payload);
        });
    }
    async headers() {
        const headers = { ...this.staticHeaders, Accept: "application/json" };
        if (this.exec)
            headers.Authorization = `Bearer ${await this.exec.token()}`;
        return headers;
    }
}
/** Impersonation, a bearer token or basic auth: what does not change while the client lives. */
function staticHeaders(target) {
    const { user } = target;
    const headers = {};
    if (user.impersonateUser)
        headers["Impersonate-User"] = user.impersonateUser;
    if (user.authProvider) {
        throw new KubeRequestError("the kubeconfig's user uses an auth-provider, which this client does not support", `The kubeconfig user '${user.name}' uses an auth-provider (removed from kubectl in 1.26); use an exec credential plugin or a token`, { title: "Unsupported kubeconfig" });
    }
    if (user.exec)
        return headers;
    if (user.token) {
        headers.Authorization = `Bearer ${user.token.trim()}`;
    }
    else if (user.username && user.password) {
        const basic = Buffer.from(`${user.username}:${user.password}`).toString("base64");
        (0,runner/* addMask */.eu)(basic);
        headers.Authorization = `Basic ${basic}`;
    }
    return headers;
}

;// CONCATENATED MODULE: ./actions/shared/outputs.ts

/**
 * Writes step outputs; objects as JSON, undefined skipped. Redacted unless `revealed`
 * (values handed on on purpose, and masked: see setOutput).
 */
function setOutputs(outputs, options = {}) {
    for (const [name, value] of Object.entries(outputs)) {
        if (value === undefined)
            continue;
        (0,runner/* setOutput */.uH)(name, typeof value === "object" ? JSON.stringify(value) : String(value), options);
    }
}

// EXTERNAL MODULE: ./actions/cleanup-namespace/guards.ts
var guards = __webpack_require__(6328);
;// CONCATENATED MODULE: ./actions/shared/pool.ts
/**
 * Runs `work` on every item with at most `limit` running at once, so many reads go in
 * parallel without flooding an API. Results keep the items' order; the first failure wins.
 */
async function mapLimited(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./actions/cleanup-namespace/leftovers.ts
/**
 * What is still inside a namespace that will not go away: found through discovery, then
 * one list per namespaced resource type. When the namespace controller has already
 * named the remaining resource types (NamespaceContentRemaining), only those are listed.
 */

const MAX_ITEMS = 100;
const CONCURRENCY = 4;
/** `pods.`, `widgets.example.com` from the controller's "Some resources are remaining" message. */
function remainingGroupResources(namespace) {
    const condition = namespace.status?.conditions?.find((c) => c.type === "NamespaceContentRemaining");
    if (condition?.status !== "True" || !condition.message)
        return undefined;
    const found = [...condition.message.matchAll(/([a-z0-9.-]+) has \d+ resource instances/g)].map((m) => m[1]);
    return found.length > 0 ? new Set(found) : undefined;
}
async function resourceTypes(client, onlyGroups, unreadable) {
    const groupVersions = [];
    if (!onlyGroups || onlyGroups.has(""))
        groupVersions.push("v1");
    const groups = await client.request("GET", "/apis");
    if (groups.status === 200) {
        for (const group of groups.body.groups ?? []) {
            if (onlyGroups && !onlyGroups.has(group.name))
                continue;
            if (group.preferredVersion)
                groupVersions.push(group.preferredVersion.groupVersion);
        }
    }
    else {
        unreadable.push(`/apis (HTTP ${groups.status})`);
    }
    const lists = await mapLimited(groupVersions, CONCURRENCY, async (gv) => {
        const response = await client.request("GET", gv === "v1" ? "/api/v1" : `/apis/${gv}`);
        if (response.status !== 200) {
            unreadable.push(`${gv} (HTTP ${response.status})`);
            return [];
        }
        const group = gv.includes("/") ? gv.slice(0, gv.indexOf("/")) : "";
        return (response.body.resources ?? [])
            .filter((r) => r.namespaced && !r.name.includes("/") && (r.verbs ?? []).includes("list"))
            .map((r) => ({ groupVersion: gv, group, kind: r.kind, plural: r.name }));
    });
    return lists.flat();
}
async function findLeftovers(client, namespace) {
    const named = remainingGroupResources(namespace);
    const onlyGroups = named && new Set([...named].map((gr) => gr.slice(gr.indexOf(".") + 1)));
    const unreadable = [];
    const types = (await resourceTypes(client, onlyGroups, unreadable)).filter((t) => !named || named.has(`${t.plural}.${t.group}`));
    const name = encodeURIComponent(namespace.metadata.name);
    const lists = await mapLimited(types, CONCURRENCY, async (type) => {
        const prefix = type.group ? `/apis/${type.groupVersion}` : "/api/v1";
        const response = await client.request("GET", `${prefix}/namespaces/${name}/${type.plural}`);
        if (response.status !== 200) {
            unreadable.push(`${type.plural}${type.group ? `.${type.group}` : ""} (HTTP ${response.status})`);
            return [];
        }
        return (response.body.items ?? []).map((item) => ({
            apiVersion: type.groupVersion,
            kind: type.kind,
            name: item.metadata.name,
            ...(item.metadata.finalizers?.length ? { finalizers: item.metadata.finalizers } : {}),
        }));
    });
    const all = lists.flat();
    return {
        items: all.slice(0, MAX_ITEMS),
        unreadable: unreadable.sort(),
        omitted: Math.max(0, all.length - MAX_ITEMS),
    };
}

;// CONCATENATED MODULE: ./actions/cleanup-namespace/permissions.ts
/**
 * Asks the API server, before anything is deleted, whether the kubeconfig's user may do
 * what the cleanup will need (SelfSubjectAccessReview, which every authenticated user may
 * create): a token that could delete but not finalize would otherwise leave the namespace
 * half-done, Terminating and stuck.
 */


const shown = (p) => (p.subresource ? `${p.resource}/${p.subresource}` : p.resource);
/** The RBAC rule that grants `permission`, for the one-line message. */
function rbacRule(permission) {
    return `verbs ["${permission.verb}"] on resources ["${shown(permission)}"] in apiGroups [""] (cluster scope, e.g. a ClusterRole)`;
}
/**
 * Throws, naming the first permission the user lacks and the rule that grants it. An API
 * server that cannot answer the review (an old or locked-down one) is not a refusal: the
 * calls themselves then say what is missing.
 */
async function requirePermissions(client, namespace, permissions) {
    for (const permission of permissions) {
        const response = await client.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
            kind: "SelfSubjectAccessReview",
            apiVersion: "authorization.k8s.io/v1",
            spec: {
                resourceAttributes: {
                    verb: permission.verb,
                    group: "",
                    resource: permission.resource,
                    ...(permission.subresource ? { subresource: permission.subresource } : {}),
                    name: namespace,
                },
            },
        });
        if (response.status !== 201 && response.status !== 200) {
            (0,runner/* info */.pq)(`Could not check permissions in advance (HTTP ${response.status}); going on`);
            return;
        }
        if (response.body.status?.allowed !== true) {
            throw new errors/* ActionError */.l(`Forbidden to ${permission.task} namespace '${namespace}': the kubeconfig's user needs the RBAC permission ${rbacRule(permission)}. Nothing was deleted.`, { title: "Kubernetes RBAC" });
        }
    }
}

;// CONCATENATED MODULE: ./actions/cleanup-namespace/namespace-api.ts
/**
 * The namespace operations the cleanup needs, with the API's answers turned into
 * outcomes (absent, already terminating) or into one ActionError that says what to do.
 */



const path = (name) => `/api/v1/namespaces/${encodeURIComponent(name)}`;
function statusMessage(response) {
    const body = response.body;
    if (typeof body === "object" && body?.message)
        return body.message;
    if (typeof body === "string" && body.trim())
        return body.trim().split("\n")[0].slice(0, 200);
    return `HTTP ${response.status}`;
}
/** 401/403 and anything unexpected, as an error that names the fix. */
function apiError(response, what, permission) {
    if (response.status === 403) {
        // The API's own words name the user; the annotation stays the one line with the fix.
        (0,runner/* info */.pq)(`Kubernetes API: ${statusMessage(response)}`);
        return new errors/* ActionError */.l(`Forbidden to ${what}: the kubeconfig's user needs the RBAC permission ${rbacRule(permission)}`, { title: "Kubernetes RBAC" });
    }
    if (response.status === 401) {
        return new errors/* ActionError */.l(`The Kubernetes API rejected the kubeconfig's credentials (401 Unauthorized) when trying to ${what}: the token is invalid or expired`, {
            title: "Kubernetes credentials",
        });
    }
    return new errors/* ActionError */.l(`Failed to ${what}: ${statusMessage(response)}`, {
        title: "Kubernetes API error",
    });
}
async function getNamespace(client, name) {
    const response = await client.request("GET", path(name));
    if (response.status === 404)
        return undefined;
    if (response.status !== 200)
        throw apiError(response, `read namespace '${name}'`, {
            verb: "get",
            resource: "namespaces",
            task: "read",
        });
    return response.body;
}
/** Absent, or replaced by a namespace of the same name (a new uid): either way, ours is gone. */
const isGone = (namespace, checked) => namespace === undefined || namespace.metadata.uid !== checked.uid;
/** A namespace that appeared under the checked name is never touched. */
function replaced(checked) {
    return new errors/* ActionError */.l(`Namespace '${checked.name}' was replaced by a new one (its uid changed) after it was checked: the new namespace is left alone`, { title: "Namespace replaced" });
}
/**
 * `deleted`: deletion started now; `terminating`: it already was; `absent`: nothing to
 * delete. The uid precondition makes the API server refuse (409) to delete a namespace
 * recreated since the check, and a 409 is believed only with a deletionTimestamp: an
 * Active namespace answering 409 (a webhook, a proxy) is reported, never forced.
 */
async function deleteNamespace(client, checked) {
    const { name } = checked;
    const response = await client.request("DELETE", path(name), {
        kind: "DeleteOptions",
        apiVersion: "v1",
        propagationPolicy: "Background",
        preconditions: { uid: checked.uid },
    });
    if (response.status === 200 || response.status === 202)
        return "deleted";
    if (response.status === 404)
        return "absent";
    if (response.status === 409) {
        const current = await getNamespace(client, name);
        if (current === undefined)
            return "absent";
        if (current.metadata.uid !== checked.uid)
            throw replaced(checked);
        if (current.metadata.deletionTimestamp)
            return "terminating";
        throw new errors/* ActionError */.l(`Deleting namespace '${name}' answered 409 Conflict (${statusMessage(response)}) but the namespace is not being deleted (no deletionTimestamp): nothing was forced`, { title: "Namespace not deleted" });
    }
    throw apiError(response, `delete namespace '${name}'`, {
        verb: "delete",
        resource: "namespaces",
        task: "delete",
    });
}
/**
 * Clears `spec.finalizers` through the `finalize` subresource, based on the latest read
 * so a concurrent status update (409 Conflict) is retried rather than overwritten. Only
 * the checked namespace, and only once it is being deleted. Returns false when it was
 * already gone.
 */
async function finalizeNamespace(client, checked) {
    const { name } = checked;
    for (let attempt = 0; attempt < 5; attempt++) {
        const current = await getNamespace(client, name);
        if (current === undefined)
            return false;
        if (current.metadata.uid !== checked.uid)
            throw replaced(checked);
        if (!current.metadata.deletionTimestamp) {
            throw new errors/* ActionError */.l(`Namespace '${name}' is not being deleted (no deletionTimestamp): its finalizers are left alone`, { title: "Namespace not deleted" });
        }
        const response = await client.request("PUT", `${path(name)}/finalize`, {
            kind: "Namespace",
            apiVersion: "v1",
            // The uid too: the API server refuses an update whose uid is not the stored one.
            metadata: { name, uid: checked.uid, resourceVersion: current.metadata.resourceVersion },
            spec: { finalizers: [] },
        });
        if (response.status === 200 || response.status === 201)
            return true;
        if (response.status === 404)
            return false;
        if (response.status === 409)
            continue;
        throw apiError(response, `clear the finalizers of namespace '${name}'`, {
            verb: "update",
            resource: "namespaces",
            subresource: "finalize",
            task: "clear the finalizers of",
        });
    }
    throw new errors/* ActionError */.l(`Could not clear the finalizers of namespace '${name}': it kept changing (409 Conflict five times)`, { title: "Kubernetes API error" });
}

;// CONCATENATED MODULE: ./actions/shared/markdown.ts
/** Markdown for job summaries and comments; every user-supplied string goes through `text()`. */
const HTML_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
};
/** Escapes HTML and neutralises `@mentions` so user text can neither ping nor inject markup. */
function markdown_text(value) {
    return value
        .replace(/[&<>"]/g, (c) => HTML_ESCAPES[c])
        .replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}
/**
 * `text()` for markdown that text() already escaped (pulumi-deploy's plan, given to
 * preview-comment): the four references text() writes are kept, so `<a&b>` still reads
 * `<a&b>` once rendered, not `&lt;a&amp;b&gt;`. Every other `&` is escaped: a numeric
 * reference could spell `@` (a ping) or a bidi override.
 */
function textOnce(value) {
    return value
        .replace(/&(?!(?:amp|lt|gt|quot);)|[<>"]/g, (c) => HTML_ESCAPES[c])
        .replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}
/** A table cell: `text()` plus pipes and newlines, which would end the cell or row. */
function cell(value) {
    return markdown_text(value).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function table(headers, rows) {
    const line = (cells) => `| ${cells.join(" | ")} |`;
    return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}
/** A link target that cannot end the markdown link early: `()|<>` and blanks are encoded. */
function linkTarget(url) {
    return new URL(url).href.replace(/[()|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/** Inline code that survives backticks inside the value: its fence is longer than any run. */
function code(value) {
    const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((run) => run[0].length));
    if (longest === 0)
        return `\`${value}\``;
    const fence = "`".repeat(longest + 1);
    return `${fence} ${value} ${fence}`;
}
function details(summary, body) {
    return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>\n`;
}

;// CONCATENATED MODULE: ./actions/cleanup-namespace/summary.ts
/** The job summary: namespace, result, duration, and what was left when forcing. */

const DESCRIPTION = {
    deleted: "deleted",
    "already-absent": "already absent",
    forced: "forced (finalizers cleared)",
    "dry-run": "dry run: nothing deleted",
    "still-terminating": "still Terminating (force is off)",
};
function renderSummary(report) {
    const items = report.leftovers?.items ?? [];
    const parts = [
        `### Namespace cleanup\n\n`,
        table(["Namespace", "Result", "Duration", "Leftovers"], [
            [
                code(report.namespace),
                cell(DESCRIPTION[report.result]),
                `${report.durationSeconds} s`,
                String(items.length + (report.leftovers?.omitted ?? 0)),
            ],
        ]),
    ];
    if (report.conditions?.length) {
        parts.push("\n", ...report.conditions.map((c) => `- **${markdown_text(c.type)}**: ${markdown_text(c.message ?? c.reason ?? "")}\n`));
    }
    if (items.length > 0) {
        const rows = items.map((i) => [
            cell(i.kind),
            code(i.name),
            cell(i.apiVersion),
            cell((i.finalizers ?? []).join(", ")),
        ]);
        const more = report.leftovers?.omitted ? `\n…and ${report.leftovers.omitted} more.\n` : "";
        parts.push("\n", details(`Left in the namespace when forcing (${items.length})`, table(["Kind", "Name", "API version", "Finalizers"], rows) + more));
    }
    if (report.leftovers?.unreadable.length) {
        parts.push(`\nCould not list: ${report.leftovers.unreadable.map(markdown_text).join(", ")}\n`);
    }
    return parts.join("");
}

;// CONCATENATED MODULE: ./actions/cleanup-namespace/wait.ts
/** Polling with an interval scaled to the timeout: quick in tests, gentle on a cluster. */

/** A twentieth of the timeout, between 100 ms and 2 s. */
function pollInterval(timeoutMs) {
    return Math.min(2000, Math.max(100, Math.round(timeoutMs / 20)));
}
/** Calls `check` until it returns true or the deadline passes; true when it succeeded. */
async function waitUntil(check, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    const interval = pollInterval(timeoutMs);
    for (;;) {
        if (await check())
            return true;
        if (Date.now() + interval > deadline)
            return false;
        await (0,promises_.setTimeout)(interval);
    }
}

;// CONCATENATED MODULE: ./actions/cleanup-namespace/cleanup.ts
/**
 * The cleanup itself, loaded only once the inputs and the name guard passed: read the
 * namespace, check its label and the user's permissions, delete exactly that namespace
 * (its uid), wait; if it stays Terminating and `force` is on, report what holds it, warn
 * of what forcing orphans, clear its finalizers and confirm it is gone.
 */











const elapsed = (startedAt) => Math.round((Date.now() - startedAt) / 100) / 10;
/** The API server removes a finalized namespace at once; allow a little, within reason. */
const confirmTimeoutMs = (timeoutMs) => Math.min(30_000, Math.max(2_000, timeoutMs));
/** The kubeconfig's target; what the inputs got wrong is reported as an input error. */
function loadTarget(options) {
    try {
        return loadKubeconfig(options.kubeconfig, options.context);
    }
    catch (error) {
        if (!(error instanceof KubeconfigError))
            throw error;
        if (error.problem === "unknown-context" && options.context !== undefined)
            throw new errors/* InputError */.d([`Input 'context' ${error.detail}`]);
        if (error.problem === "no-context")
            throw new errors/* InputError */.d([`Input 'context' is required when the kubeconfig has ${error.detail}`]);
        if (error.origin === GIVEN && error.problem !== "unknown-context")
            throw new errors/* InputError */.d([`Input 'kubeconfig' must be a kubeconfig (${error.detail})`]);
        throw error;
    }
}
function trueConditions(namespace) {
    return (namespace.status?.conditions ?? []).filter((c) => c.status === "True");
}
function logLeftovers(report) {
    (0,runner/* startGroup */.Oh)(`Left in the namespace (${report.items.length + report.omitted})`);
    for (const item of report.items) {
        const finalizers = item.finalizers ? ` (finalizers: ${item.finalizers.join(", ")})` : "";
        (0,runner/* info */.pq)(`${item.kind} ${item.name} [${item.apiVersion}]${finalizers}`);
    }
    if (report.omitted > 0)
        (0,runner/* info */.pq)(`...and ${report.omitted} more`);
    for (const what of report.unreadable)
        (0,runner/* info */.pq)(`could not list ${what}`);
    (0,runner/* endGroup */.N4)();
}
/** At most this many orphans are named in the warning line; the summary lists up to 100. */
const NAMED_ORPHANS = 20;
/**
 * Finalizing leaves every object still in the namespace behind in storage, where no
 * controller finishes its deletion: a PVC's volume, a LoadBalancer Service's cloud load
 * balancer, a custom resource's external resource leak. Named in a warning, held ones
 * first, with the types that could not be listed (their objects are orphaned too).
 */
function warnOrphans(name, report) {
    const total = report.items.length + report.omitted;
    if (total === 0 && report.unreadable.length === 0)
        return;
    const ordered = [
        ...report.items.filter((i) => i.finalizers),
        ...report.items.filter((i) => !i.finalizers),
    ];
    const named = ordered
        .slice(0, NAMED_ORPHANS)
        .map((i) => `${i.kind} ${i.name}${i.finalizers ? ` (${i.finalizers.join(", ")})` : ""}`);
    const more = total - named.length;
    const listed = total === 0
        ? `Forcing namespace '${name}' may orphan objects`
        : `Forcing namespace '${name}' orphans ${total} object(s) no controller will finish deleting: ${named.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
    const unlisted = report.unreadable.length
        ? `; what could not be listed is orphaned too: ${report.unreadable.join(", ")}`
        : "";
    (0,runner/* annotate */.fz)("warning", `${listed}${unlisted}. Volumes, load balancers or other resources they hold may be left behind: check them.`, { title: "Objects orphaned by force" });
}
async function waitGone(client, checked, timeoutMs) {
    return waitUntil(async () => isGone(await getNamespace(client, checked.name), checked), timeoutMs);
}
const DELETE = { verb: "delete", resource: "namespaces", task: "delete" };
const FINALIZE = {
    verb: "update",
    resource: "namespaces",
    subresource: "finalize",
    task: "clear the finalizers of",
};
/** Deletes, waits, forces when allowed; returns the parts of the report it learned. */
async function deleteAndWait(client, options, checked, startedAt) {
    const { name } = checked;
    await requirePermissions(client, name, options.force ? [DELETE, FINALIZE] : [DELETE]);
    const started = await deleteNamespace(client, checked);
    if (started === "absent")
        return { result: "already-absent" };
    (0,runner/* info */.pq)(started === "deleted"
        ? `Deleting namespace ${name}`
        : `Namespace ${name} was already Terminating`);
    const timeoutMs = options.timeoutSeconds * 1000;
    if (await waitGone(client, checked, timeoutMs))
        return { result: "deleted" };
    const stuck = await getNamespace(client, name);
    if (!stuck || isGone(stuck, checked))
        return { result: "deleted" };
    const conditions = trueConditions(stuck);
    (0,runner/* startGroup */.Oh)(`Namespace ${name} is still ${stuck.status?.phase ?? "present"} after ${options.timeoutSeconds} s`);
    for (const condition of conditions)
        (0,runner/* info */.pq)(`${condition.type}: ${condition.message ?? condition.reason ?? ""}`);
    (0,runner/* endGroup */.N4)();
    const leftovers = await findLeftovers(client, stuck);
    logLeftovers(leftovers);
    if (!options.force) {
        (0,runner/* appendSummary */.fe)(renderSummary({
            namespace: name,
            result: "still-terminating",
            durationSeconds: elapsed(startedAt),
            leftovers,
            conditions,
        }));
        const why = conditions.map((c) => `${c.type}: ${c.message ?? c.reason ?? ""}`).join("; ");
        throw new errors/* ActionError */.l(`Namespace '${name}' is still Terminating after ${options.timeoutSeconds} s and force is off${why ? `: ${why}` : ""}`, { title: "Namespace not deleted" });
    }
    warnOrphans(name, leftovers);
    (0,runner/* info */.pq)(`Clearing the finalizers of namespace ${name} (finalize subresource)`);
    if (!(await finalizeNamespace(client, checked)))
        return { result: "deleted", leftovers, conditions };
    if (!(await waitGone(client, checked, confirmTimeoutMs(timeoutMs)))) {
        const still = await getNamespace(client, name);
        const held = still?.metadata.finalizers?.length
            ? `; metadata.finalizers still hold it: ${still.metadata.finalizers.join(", ")}`
            : "";
        throw new errors/* ActionError */.l(`Namespace '${name}' still exists after its finalizers were cleared${held}`, { title: "Namespace not deleted" });
    }
    return { result: "forced", leftovers, conditions };
}
async function cleanupNamespace(options, startedAt) {
    const name = options.namespace;
    const target = loadTarget(options);
    const client = new KubeClient(target, { onRetry: (message) => (0,runner/* info */.pq)(message) });
    // The context's name only: the server address is part of the kubeconfig, kept out of logs.
    (0,runner/* info */.pq)(`Kubernetes context ${target.contextName}`);
    try {
        const namespace = await getNamespace(client, name);
        let outcome;
        if (!namespace) {
            (0,runner/* info */.pq)(`Namespace ${name} does not exist: nothing to delete`);
            outcome = { result: "already-absent" };
        }
        else {
            (0,guards/* checkLabel */.v)(name, namespace.metadata.labels, options.requiredLabel);
            if (options.dryRun) {
                (0,runner/* info */.pq)(`Dry run: would delete namespace ${name} (${namespace.status?.phase ?? "unknown phase"})`);
                outcome = { result: "dry-run" };
            }
            else if (!namespace.metadata.uid) {
                throw new errors/* ActionError */.l(`Namespace '${name}' was read without a metadata.uid`, {
                    title: "Kubernetes API error",
                });
            }
            else {
                outcome = await deleteAndWait(client, options, { name, uid: namespace.metadata.uid }, startedAt);
            }
        }
        const report = {
            namespace: name,
            durationSeconds: elapsed(startedAt),
            ...outcome,
        };
        (0,runner/* info */.pq)(`Result: ${report.result} in ${report.durationSeconds} s`);
        setOutputs({
            result: report.result,
            leftovers: report.leftovers?.items ?? [],
            "duration-seconds": report.durationSeconds,
        });
        (0,runner/* appendSummary */.fe)(renderSummary(report));
    }
    finally {
        client.close();
    }
}


/***/ })

};
