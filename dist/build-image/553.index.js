export const id = 553;
export const ids = [553];
export const modules = {

/***/ 553:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  build: () => (/* binding */ build)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(336);
;// CONCATENATED MODULE: ./actions/shared/context.ts
/** What the runner tells an action about the run: repository, event, commit, run URL. */


function env(name) {
    const value = process.env[name];
    return value === undefined || value === "" ? undefined : value;
}
function repository() {
    const full = env("GITHUB_REPOSITORY");
    const [owner, repo] = full?.split("/") ?? [];
    if (!owner || !repo)
        throw new errors/* ActionError */.l("GITHUB_REPOSITORY must be OWNER/REPO", { title: "Not on a runner" });
    return { owner, repo };
}
/** Read once per file: several inputs and defaults ask about the same event. */
let cached;
/** The webhook payload of the triggering event, or `{}` outside a runner. */
function eventPayload() {
    const path = env("GITHUB_EVENT_PATH");
    if (cached && cached.path === path)
        return cached.payload;
    let payload = {};
    if (path) {
        try {
            payload = JSON.parse((0,external_node_fs_.readFileSync)(path, "utf8"));
        }
        catch (error) {
            throw new errors/* ActionError */.l(`Could not read the event payload GITHUB_EVENT_PATH names (${path})`, {
                title: "Not on a runner",
                cause: error,
            });
        }
    }
    cached = { path, payload };
    return payload;
}
/** The pull request the event is about, when it is about one. */
function pullRequest() {
    const event = eventPayload();
    const pr = event.pull_request;
    if (pr?.number) {
        return {
            number: pr.number,
            headSha: pr.head?.sha,
            headRepoFullName: pr.head?.repo?.full_name,
            baseRepoFullName: pr.base?.repo?.full_name,
        };
    }
    if (event.issue?.pull_request && event.issue.number)
        return { number: event.issue.number };
    // Digits only: Number() alone would read "0x10" as 16 and "1e3" as 1000.
    const dispatched = String(event.inputs?.pr_number ?? "").trim();
    if (/^[1-9]\d*$/.test(dispatched) && Number.isSafeInteger(Number(dispatched)))
        return { number: Number(dispatched) };
    return undefined;
}
/** The commit the run is about: a PR's head, never the merge commit GitHub makes for it. */
function commitSha() {
    return pullRequest()?.headSha ?? env("GITHUB_SHA");
}
function serverUrl() {
    return env("GITHUB_SERVER_URL") ?? "https://github.com";
}
function apiUrl() {
    return env("GITHUB_API_URL") ?? "https://api.github.com";
}
function runId() {
    return env("GITHUB_RUN_ID");
}
/** Which try of the run this is: a re-run keeps the run id and counts this up from 1. */
function runAttempt() {
    return env("GITHUB_RUN_ATTEMPT");
}
/** The run's page, where its full log and job summaries live. */
function runUrl() {
    const id = runId();
    const repo = env("GITHUB_REPOSITORY");
    if (!id || !repo)
        return undefined;
    const attempt = runAttempt();
    return `${serverUrl()}/${repo}/actions/runs/${id}${attempt ? `/attempts/${attempt}` : ""}`;
}
/** True when the PR comes from a fork, whose workflow token is read-only and has no secrets. */
function isForkPullRequest() {
    const pr = pullRequest();
    return Boolean(pr?.headRepoFullName && pr.baseRepoFullName && pr.headRepoFullName !== pr.baseRepoFullName);
}

// EXTERNAL MODULE: ./actions/shared/runner.ts
var runner = __webpack_require__(393);
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

// EXTERNAL MODULE: ./actions/shared/schemas.ts + 1 modules
var schemas = __webpack_require__(957);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(161);
;// CONCATENATED MODULE: ./actions/shared/temp.ts



/**
 * A new, empty folder of this step's own under RUNNER_TEMP (which the runner empties after
 * the job), or under the system's temp folder outside a runner.
 */
function stepTempDir(prefix) {
    const root = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    (0,external_node_fs_.mkdirSync)(root, { recursive: true });
    return (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(root, `${prefix}-`));
}

// EXTERNAL MODULE: ./actions/build-image/tags.ts
var build_image_tags = __webpack_require__(565);
;// CONCATENATED MODULE: ./actions/build-image/plan.ts

/** The OCI labels every image gets; the user's labels are added and win on a clash. */
function ociLabels(context) {
    return {
        "org.opencontainers.image.source": context.sourceUrl,
        "org.opencontainers.image.revision": context.sha,
        "org.opencontainers.image.created": context.now.toISOString(),
    };
}
function planBuild(given, context) {
    const tags = given.tags.length > 0 ? (0,build_image_tags/* uniqueTags */.H6)(given.tags) : (0,build_image_tags/* defaultTags */.nK)(context);
    return {
        image: given.image,
        references: (0,build_image_tags/* fullReferences */.U_)(given.image, tags),
        context: given.context,
        file: given.file,
        buildArgs: given.buildArgs,
        labels: { ...ociLabels(context), ...given.labels },
        target: given.target,
        platforms: given.platforms,
        push: given.push && !context.fork,
        cache: given.cache,
        cacheScope: given.cacheScope ?? "",
        provenance: given.provenance,
    };
}
/** `--flag value` for each entry, in a stable order. */
function repeated(flag, values) {
    return values.flatMap((value) => [flag, value]);
}
function pairs(record) {
    return Object.entries(record).map(([key, value]) => `${key}=${value}`);
}
/** The flags `docker build` and `docker buildx build` spell alike. */
function commonBuildFlags(plan) {
    return [
        ...(plan.file ? ["--file", plan.file] : []),
        ...repeated("--tag", plan.references),
        ...repeated("--label", pairs(plan.labels)),
        ...repeated("--build-arg", pairs(plan.buildArgs)),
        ...(plan.target ? ["--target", plan.target] : []),
    ];
}

;// CONCATENATED MODULE: ./actions/build-image/buildx.ts
/** The BuildKit path (`docker buildx build`): its arguments and the digest from its metadata file. */



/**
 * A scoped build (a pull request's) reads the trusted cache and its own but writes only its
 * own: what a pull request's code puts in a cache must never reach a default-branch build.
 */
function cacheArgs(plan) {
    const scoped = plan.cacheScope !== "";
    switch (plan.cache) {
        case "gha": {
            // Scoped by image so several images built in one repository keep separate caches.
            const trusted = `type=gha,scope=${plan.image}`;
            const own = scoped ? `type=gha,scope=${plan.image}-${plan.cacheScope}` : trusted;
            return [
                ...(scoped ? ["--cache-from", trusted] : []),
                "--cache-from",
                own,
                "--cache-to",
                `${own},mode=max`,
            ];
        }
        case "registry": {
            const trusted = `type=registry,ref=${plan.image}:buildcache`;
            const own = scoped
                ? `type=registry,ref=${plan.image}:buildcache-${plan.cacheScope}`
                : trusted;
            // Without a push there is no write access to the registry to store the cache in.
            return [
                ...(scoped ? ["--cache-from", trusted] : []),
                "--cache-from",
                own,
                ...(plan.push ? ["--cache-to", `${own},mode=max`] : []),
            ];
        }
        case "none":
            return [];
    }
}
function buildxArgs(plan, metadataFile) {
    return [
        "buildx",
        "build",
        ...commonBuildFlags(plan),
        ...(plan.platforms.length > 0 ? ["--platform", plan.platforms.join(",")] : []),
        ...cacheArgs(plan),
        `--provenance=${plan.provenance}`,
        // Not pushing: keep a single-platform image in the engine; a multi-platform one
        // cannot be loaded into the classic image store, so it stays in the build cache.
        ...(plan.push ? ["--push"] : plan.platforms.length <= 1 ? ["--load"] : []),
        "--metadata-file",
        metadataFile,
        plan.context,
    ];
}
/**
 * The pushed manifest's digest from buildx's metadata file: `containerimage.digest`, which
 * is the image index's digest when attestations or several platforms make one.
 */
function digestFromMetadata(text) {
    let metadata;
    try {
        metadata = JSON.parse(text);
    }
    catch {
        throw new errors/* ActionError */.l("buildx wrote a metadata file that is not JSON", {
            title: "Missing digest",
        });
    }
    const digest = metadata["containerimage.digest"];
    if (typeof digest !== "string") {
        throw new errors/* ActionError */.l("buildx's metadata file has no containerimage.digest", {
            title: "Missing digest",
        });
    }
    if (!schemas/* DIGEST_PATTERN */.WA.test(digest)) {
        throw new errors/* ActionError */.l(`buildx reported '${digest}' as the digest, not sha256: + 64 lowercase hex`, {
            title: "Malformed digest",
        });
    }
    return digest;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(421);
// EXTERNAL MODULE: ./actions/shared/cancel.ts
var cancel = __webpack_require__(613);
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

;// CONCATENATED MODULE: ./actions/build-image/docker.ts
/** The Docker CLI as this action uses it: output echoed to the log, failures made readable. */



const TAIL_LINES = 20;
/** `docker version`, `docker buildx version`: a daemon that does not answer in this is stuck. */
const QUERY_TIMEOUT_MS = 60_000;
/** `docker login`: one round trip to the registry. */
const LOGIN_TIMEOUT_MS = 2 * 60_000;
/**
 * Runs `docker <args>` in a log group, stopped past `timeoutMs`; a non-zero exit fails the
 * step with its last lines.
 */
async function docker(what, args, options) {
    const { timeoutMs, ...rest } = options;
    (0,runner/* startGroup */.Oh)(what);
    try {
        const result = await exec("docker", args, {
            ...rest,
            timeoutMs,
            onStdoutLine: runner/* info */.pq,
            onStderrLine: runner/* info */.pq,
        });
        if (result.exitCode !== 0) {
            const lines = `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/);
            const message = describeStop(what, result, timeoutMs) ?? `${what} failed (${describeExit(result)})`;
            throw new errors/* ActionError */.l(message, {
                title: "Docker failed",
                details: lines.slice(-TAIL_LINES),
            });
        }
        return result;
    }
    finally {
        (0,runner/* endGroup */.N4)();
    }
}
/** Fails early, and says how to fix it, when no engine answers. */
async function requireEngine() {
    const result = await exec("docker", ["version", "--format", "{{.Server.Version}}"], {
        timeoutMs: QUERY_TIMEOUT_MS,
    });
    const version = result.stdout.trim();
    if (result.exitCode !== 0 || !version) {
        throw new errors/* ActionError */.l("No Docker engine answers on this runner", {
            title: "Docker unavailable",
            details: result.stderr.trim().split(/\r?\n/).slice(-5),
        });
    }
    return version;
}
async function hasBuildx() {
    const result = await exec("docker", ["buildx", "version"], { timeoutMs: QUERY_TIMEOUT_MS });
    return result.exitCode === 0;
}
/** `docker login` with the password on stdin: never in the arguments any `ps` can read. */
async function login(registry, credentials) {
    await docker(`docker login ${registry}`, ["login", registry, "--username", credentials.username, "--password-stdin"], { stdin: credentials.password, timeoutMs: LOGIN_TIMEOUT_MS });
}

;// CONCATENATED MODULE: ./actions/build-image/docker-login.ts
/**
 * `docker login` writes the registry password into the Docker config, which is
 * `~/.docker/config.json` unless DOCKER_CONFIG says otherwise, and stays there after the job
 * (on a self-hosted runner, for every later job of any repository). The step logs in to a
 * config folder of its own under RUNNER_TEMP instead, used by every docker command of the
 * step and removed when the step ends, failed or cancelled; if the process is killed first,
 * the runner empties RUNNER_TEMP after the job.
 */




/**
 * What the step's config keeps of the job's: its registry logins (a base image may need
 * them) copied, and its plugins, buildx builders and contexts linked, so that a builder
 * docker/setup-buildx-action made is still the one used.
 */
const LINKED = ["cli-plugins", "buildx", "contexts"];
async function withStepDockerConfig(work) {
    const previous = process.env.DOCKER_CONFIG;
    const jobConfig = previous || (0,external_node_path_.join)(process.env.HOME || (0,external_node_os_.homedir)(), ".docker");
    const dir = stepTempDir("build-image-docker");
    try {
        (0,external_node_fs_.chmodSync)(dir, 0o700);
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(jobConfig, "config.json"))) {
            (0,external_node_fs_.copyFileSync)((0,external_node_path_.join)(jobConfig, "config.json"), (0,external_node_path_.join)(dir, "config.json"));
            (0,external_node_fs_.chmodSync)((0,external_node_path_.join)(dir, "config.json"), 0o600);
        }
        for (const name of LINKED)
            if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(jobConfig, name)))
                (0,external_node_fs_.symlinkSync)((0,external_node_path_.join)(jobConfig, name), (0,external_node_path_.join)(dir, name));
        process.env.DOCKER_CONFIG = dir;
        return await work();
    }
    finally {
        if (previous === undefined)
            delete process.env.DOCKER_CONFIG;
        else
            process.env.DOCKER_CONFIG = previous;
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./actions/build-image/docker-config.ts
/**
 * Credentials an earlier `docker login` (or docker/login-action) left in the Docker config,
 * so the digest read-back works without repeating them as inputs. Credential helpers
 * (`credsStore`, `credHelpers`) are not consulted: then give username and password.
 */



const DOCKER_HUB_KEYS = [
    "https://index.docker.io/v1/",
    "index.docker.io",
    "docker.io",
    "registry-1.docker.io",
];
function savedCredentials(host, env = process.env) {
    const dir = env.DOCKER_CONFIG || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), ".docker");
    let config;
    try {
        config = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, "config.json"), "utf8"));
    }
    catch {
        return undefined;
    }
    const keys = host === "docker.io" ? DOCKER_HUB_KEYS : [host, `https://${host}`, `http://${host}`];
    for (const key of keys) {
        const auth = config.auths?.[key]?.auth;
        if (!auth)
            continue;
        const decoded = Buffer.from(auth, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon > 0)
            return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/build-image/legacy.ts
/** The classic builder path (`docker build` then `docker push`), for engines without buildx. */



/** What the classic builder cannot do, said before it runs; the step goes on without it. */
function legacyLimitations(plan) {
    const notes = [];
    if (plan.cache !== "none")
        notes.push(`cache '${plan.cache}' needs buildx: building without a cache`);
    if (plan.provenance)
        notes.push("provenance needs buildx: the image has no provenance attestation");
    return notes;
}
function legacyBuildArgs(plan) {
    if (plan.platforms.length > 1) {
        throw new errors/* ActionError */.l(`Building for ${plan.platforms.join(", ")} needs buildx`, {
            title: "buildx missing",
            details: ["Add docker/setup-buildx-action before this step, or build one platform."],
        });
    }
    return [
        "build",
        ...commonBuildFlags(plan),
        ...(plan.platforms.length === 1 ? ["--platform", plan.platforms[0]] : []),
        plan.context,
    ];
}
/** The digest `docker push` reports for `tag`: its `<tag>: digest: sha256:... size: N` line. */
function digestFromPushOutput(output, tag) {
    const line = output.split(/\r?\n/).find((l) => l.startsWith(`${tag}: digest: `));
    const digest = line?.split(" ")[2];
    if (!digest) {
        throw new errors/* ActionError */.l(`docker push printed no digest for tag ${tag}`, {
            title: "Missing digest",
        });
    }
    if (!schemas/* DIGEST_PATTERN */.WA.test(digest)) {
        throw new errors/* ActionError */.l(`docker push reported '${digest}' for tag ${tag}, not sha256: + 64 lowercase hex`, {
            title: "Malformed digest",
        });
    }
    return digest;
}
/**
 * The registry's answer for the first tag is the digest: `docker push`'s line must agree with
 * it, or something else wrote the tag meanwhile and the step fails. A later tag may be one
 * that other builds write too (`pr-N`, moved by every push to the pull request): when
 * `docker push` reported this build's digest for it but the registry now serves another, a
 * newer build moved it after this push. That is `moved`, not a failure: the digest output is
 * this build's, confirmed on the first tag (by default `sha-<commit>`, this commit's alone).
 */
function confirmDigest(reference, reported, served, earlier) {
    if (earlier !== undefined && reported === earlier && served !== reported)
        return "moved";
    if (reported === served && (earlier === undefined || earlier === served))
        return "confirmed";
    throw new errors/* ActionError */.l(reported !== served
        ? `The registry serves ${served} for ${reference}, but docker push reported ${reported}`
        : `The registry serves ${served} for ${reference}, but ${earlier} for the tags before it`, { title: "Digest mismatch" });
}

;// CONCATENATED MODULE: ./actions/build-image/reference.ts
/** Where an image repository lives: registry host, API base URL and path in the registry. */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;
/** Docker's rule: the first component is a host if it has a dot, a port, or is localhost. */
function locateRepository(image) {
    const slash = image.indexOf("/");
    const first = slash < 0 ? "" : image.slice(0, slash);
    if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
        // Docker talks plain HTTP to loopback registries; everything else is HTTPS.
        const scheme = LOOPBACK.test(first) ? "http" : "https";
        return { host: first, apiBase: `${scheme}://${first}`, path: image.slice(slash + 1) };
    }
    return {
        host: "docker.io",
        apiBase: "https://registry-1.docker.io",
        path: image.includes("/") ? image : `library/${image}`,
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(67);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(708);
;// CONCATENATED MODULE: ./actions/shared/http-transport.ts
/**
 * The part of fetch that API clients use (Octokit, the registry client), on Node's own
 * http/https rather than its built-in fetch: fetch's HTTP stack (undici and its WebAssembly
 * parser) takes 30–40 ms to load at the first request, which made a whole comment upsert
 * slower than its peers (`npm run bench`). Requests go through the proxy HTTPS_PROXY /
 * HTTP_PROXY name unless NO_PROXY exempts the host, as the runner's own tools do. Bodies are
 * read whole: these are API answers, not downloads.
 */


/** An agent of `url`'s protocol that honours HTTP(S)_PROXY and NO_PROXY (Node 24). */
function proxyAwareAgent(url, keepAlive) {
    const client = url.protocol === "https:" ? external_node_https_ : external_node_http_;
    return new client.Agent({ proxyEnv: process.env, keepAlive });
}
const keptAlive = new Map();
function agentFor(url) {
    let agent = keptAlive.get(url.protocol);
    if (!agent)
        keptAlive.set(url.protocol, (agent = proxyAwareAgent(url, true)));
    return agent;
}
/** Answer headers, names lowercased, read as fetch's `Headers` are read. */
class AnswerHeaders {
    values;
    constructor(entries) {
        this.values = new Map([...entries].map(([name, value]) => [name.toLowerCase(), value]));
    }
    get(name) {
        return this.values.get(name.toLowerCase()) ?? null;
    }
    has(name) {
        return this.values.has(name.toLowerCase());
    }
    [Symbol.iterator]() {
        return this.values.entries();
    }
}
/** A whole answer, read as a fetch `Response` is read. */
class Answer {
    status;
    statusText;
    url;
    headers;
    bytes;
    ok;
    /** Octokit reads `body` only when asked not to parse it; the bytes are all here. */
    body = null;
    constructor(status, statusText, url, headers, bytes) {
        this.status = status;
        this.statusText = statusText;
        this.url = url;
        this.headers = headers;
        this.bytes = bytes;
        this.ok = status >= 200 && status < 300;
    }
    text() {
        return Promise.resolve(this.bytes.toString("utf8"));
    }
    async json() {
        return JSON.parse(await this.text());
    }
    arrayBuffer() {
        const { buffer, byteOffset, byteLength } = this.bytes;
        return Promise.resolve(buffer.slice(byteOffset, byteOffset + byteLength));
    }
}
function headerEntries(headers) {
    if (!headers)
        return [];
    // Headers and arrays of pairs iterate as pairs; a plain object does not iterate.
    if (Symbol.iterator in headers)
        return [...headers];
    return Object.entries(headers).flatMap(([name, value]) => value === undefined ? [] : [[name, value]]);
}
function bodyBytes(body) {
    if (body === undefined || body === null)
        return undefined;
    if (typeof body === "string")
        return Buffer.from(body);
    if (body instanceof Uint8Array)
        return Buffer.from(body);
    throw new TypeError("only string and byte bodies are sent (API requests)");
}
/** Redirects of a read are followed, as fetch does; a write's are handed back. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
function abortError(signal) {
    return signal.reason instanceof Error
        ? signal.reason
        : new DOMException("This operation was aborted", "AbortError");
}
function exchange(url, init, body) {
    const { signal } = init;
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(abortError(signal));
        const client = url.protocol === "https:" ? external_node_https_ : external_node_http_;
        const headers = Object.fromEntries(headerEntries(init.headers));
        if (body && !Object.keys(headers).some((name) => name.toLowerCase() === "content-length"))
            headers["content-length"] = String(body.length);
        const request = client.request(url, {
            method: init.method ?? "GET",
            headers,
            agent: agentFor(url),
        });
        const onAbort = () => request.destroy(abortError(signal));
        signal?.addEventListener("abort", onAbort, { once: true });
        const settle = () => signal?.removeEventListener("abort", onAbort);
        request.on("error", (error) => {
            settle();
            reject(error);
        });
        request.on("response", (response) => {
            const chunks = [];
            response.on("data", (chunk) => chunks.push(chunk));
            response.on("error", (error) => {
                settle();
                reject(error);
            });
            response.on("end", () => {
                settle();
                const entries = Object.entries(response.headers).flatMap(([name, value]) => value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]]);
                resolve(new Answer(response.statusCode ?? 0, response.statusMessage ?? "", url.href, new AnswerHeaders(entries), Buffer.concat(chunks)));
            });
        });
        request.end(body);
    });
}
/** fetch's contract for API calls: the answer read whole, reads' redirects followed. */
async function send(url, init = {}) {
    const body = bodyBytes(init.body);
    const method = (init.method ?? "GET").toUpperCase();
    let target = new URL(url);
    let request = init;
    for (let hop = 0;; hop++) {
        const answer = await exchange(target, request, body);
        const location = answer.headers.get("location");
        const follow = (method === "GET" || method === "HEAD") && init.redirect !== "manual";
        if (!follow || !REDIRECTS.has(answer.status) || !location || hop >= MAX_REDIRECTS)
            return answer;
        const next = new URL(location, target);
        // As fetch does: credentials are not sent on to another origin.
        if (next.origin !== target.origin)
            request = {
                ...request,
                headers: headerEntries(request.headers).filter(([name]) => name.toLowerCase() !== "authorization"),
            };
        target = next;
    }
}

;// CONCATENATED MODULE: ./actions/shared/http.ts
/**
 * fetch, bounded: each request (answer and body) has a time limit and is aborted when the
 * step is cancelled. Without it a server that accepts the connection and never answers
 * holds a step for undici's 300 s a try, retries included.
 */



/** Per request, for APIs that answer in well under a second (GitHub, registries). */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * An API's per-request limit; PREVIEW_KIT_REQUEST_TIMEOUT_MS overrides it, so that a test
 * of a server that never answers takes a second, not minutes.
 */
function requestTimeoutMs(fallback = REQUEST_TIMEOUT_MS) {
    const fromEnv = Number(process.env.PREVIEW_KIT_REQUEST_TIMEOUT_MS);
    return fromEnv > 0 ? fromEnv : fallback;
}
/** A URL as it may be shown: no credentials, query or fragment (tokens travel there). */
function shownUrl(url) {
    const parsed = URL.parse(String(url));
    if (!parsed)
        return "(an invalid URL)";
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
function seconds(ms) {
    return `${Math.round(ms / 100) / 10} s`;
}
/** The request got no (whole) answer in time. Retrying may pass: the server was slow. */
class RequestTimeoutError extends errors/* ActionError */.l {
    name = "RequestTimeoutError";
    constructor(method, url, timeoutMs) {
        super(`${method} ${shownUrl(url)} got no answer within ${seconds(timeoutMs)}`, {
            title: "Request timed out",
        });
    }
}
/** A fetch Response read whole into an Answer. */
async function readWhole(response, method) {
    const noBody = [204, 205, 304].includes(response.status) || method === "HEAD";
    const bytes = noBody ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
    return new Answer(response.status, response.statusText, response.url, new AnswerHeaders(response.headers), bytes);
}
/**
 * fetch with the whole exchange bounded: the body is read within the same limit and the
 * answer handed back holds it in memory (API answers, not downloads). A cancelled step
 * makes it throw an `AbortError`, which no retry layer repeats (Octokit's included).
 */
async function boundedFetch(url, init = {}) {
    const { timeoutMs = requestTimeoutMs(), fetchFn, ...rest } = init;
    const method = (rest.method ?? "GET").toUpperCase();
    const limit = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([cancel/* cancelSignal */.Bj, limit, ...(rest.signal ? [rest.signal] : [])]);
    try {
        if (!fetchFn)
            return await send(url, { ...rest, signal });
        return await readWhole(await fetchFn(url, { ...rest, signal }), method);
    }
    catch (error) {
        if (cancel/* cancelSignal */.Bj.aborted) {
            const reason = cancel/* cancelSignal */.Bj.reason;
            throw new DOMException(`${method} ${shownUrl(url)}: ${reason.message}`, "AbortError");
        }
        if (limit.aborted)
            throw new RequestTimeoutError(method, url, timeoutMs);
        throw error;
    }
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(500);
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

;// CONCATENATED MODULE: ./actions/build-image/registry.ts
/**
 * Reads a tag's manifest digest from the registry itself (the `Docker-Content-Digest` of a
 * manifest request), answering the registry's Basic or Bearer-token challenge as Docker
 * does, so the digest an action outputs is the one a pull by digest will find.
 */





/** Without these a registry may answer with a converted schema-1 manifest and another digest. */
const MANIFEST_ACCEPT = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");
/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"`. */
function parseChallenge(header) {
    const space = header.indexOf(" ");
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const params = {};
    const rest = space < 0 ? "" : header.slice(space + 1);
    for (const match of rest.matchAll(/([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
        params[match[1].toLowerCase()] = (match[2] ?? match[3] ?? "").replace(/\\(.)/g, "$1");
    }
    return { scheme, params };
}
function basic({ username, password }) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}
async function bearerToken(challenge, location, credentials, fetchFn) {
    const realm = challenge.params.realm;
    if (!realm) {
        throw new errors/* ActionError */.l(`${location.host} asked for a bearer token without saying where to get one`, { title: "Registry authentication failed" });
    }
    const url = new URL(realm);
    if (challenge.params.service)
        url.searchParams.set("service", challenge.params.service);
    url.searchParams.set("scope", challenge.params.scope ?? `repository:${location.path}:pull`);
    const response = await registry_send(fetchFn, url, { headers: credentials ? { authorization: basic(credentials) } : {} }, location.host);
    if (!response.ok) {
        throw new errors/* ActionError */.l(`${location.host} refused a pull token for ${location.path}: HTTP ${response.status}` +
            (credentials ? " (check username and password)" : " (give username and password)"), { title: "Registry authentication failed" });
    }
    // A body that is not JSON holds no token either, and is reported as such.
    const body = (await response.json().catch(() => ({})));
    const token = body.token ?? body.access_token;
    if (!token) {
        throw new errors/* ActionError */.l(`${location.host}'s token endpoint returned no token`, {
            title: "Registry authentication failed",
        });
    }
    return `Bearer ${token}`;
}
/** One registry request, tried again on 429, 5xx and dropped connections. */
async function registry_send(fetchFn, url, init, host) {
    try {
        return await retry(() => boundedFetch(url, { ...init, fetchFn }), {
            tries: 3,
            waitMs: (failures) => 500 * 2 ** (failures - 1),
            retryResult: (response) => isTransientStatus(response.status),
            retryError: () => true,
        });
    }
    catch (error) {
        const failure = error;
        const cause = failure.cause ?? failure;
        const reason = cause?.code ?? cause?.message ?? error.message;
        throw new errors/* ActionError */.l(`Could not reach the registry ${host}: ${String(reason)}`, {
            title: "Registry unreachable",
            cause: error,
        });
    }
}
/** The digest the registry serves for `tag`; fails unless it is `sha256:` + 64 lowercase hex. */
async function manifestDigest(location, tag, options = {}) {
    const { credentials, fetchFn } = options;
    const url = `${location.apiBase}/v2/${location.path}/manifests/${encodeURIComponent(tag)}`;
    let authorization;
    const request = (method) => registry_send(fetchFn, url, { method, headers: { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) } }, location.host);
    let response = await request("HEAD");
    if (response.status === 401) {
        const challenge = parseChallenge(response.headers.get("www-authenticate") ?? "");
        if (challenge.scheme === "bearer") {
            authorization = await bearerToken(challenge, location, credentials, fetchFn);
        }
        else if (challenge.scheme === "basic" && credentials) {
            authorization = basic(credentials);
        }
        else {
            throw new errors/* ActionError */.l(`${location.host} needs credentials to read ${location.path}: give username and password`, {
                title: "Registry authentication failed",
            });
        }
        response = await request("HEAD");
    }
    if (!response.ok) {
        throw new errors/* ActionError */.l(`${location.host} answered HTTP ${response.status} for ${location.path}:${tag}`, {
            title: "Could not read the pushed digest",
        });
    }
    let digest = response.headers.get("docker-content-digest") ?? undefined;
    if (!digest) {
        // Some registries leave the header off HEAD: the digest is by definition the body's hash.
        const get = await request("GET");
        const body = Buffer.from(await get.arrayBuffer());
        digest =
            get.headers.get("docker-content-digest") ??
                `sha256:${(0,external_node_crypto_.createHash)("sha256").update(body).digest("hex")}`;
    }
    if (!schemas/* DIGEST_PATTERN */.WA.test(digest)) {
        throw new errors/* ActionError */.l(`${location.host} gave '${digest}' as the digest of ${location.path}:${tag}`, {
            title: "Malformed digest",
        });
    }
    return digest;
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

;// CONCATENATED MODULE: ./actions/build-image/summary.ts
/** The job summary: what was built, where it went and how long it took. */

function summaryMarkdown(summary) {
    const rows = [
        ["Image", code(cell(summary.image))],
        ["Tags", summary.references.map((ref) => code(cell(ref))).join("<br>")],
        [
            "Digest",
            summary.digest
                ? code(summary.digest)
                : cell(`not pushed: ${summary.notPushed ?? "push is false"}`),
        ],
        ["Build time", `${summary.seconds.toFixed(1)} s (${cell(summary.builder)})`],
    ];
    return `### Image ${cell(summary.image)}\n\n${table(["", ""], rows)}`;
}

;// CONCATENATED MODULE: ./actions/build-image/build.ts
/**
 * The work of build-image once its inputs are valid: log in, build with buildx when the
 * runner has it (the classic builder otherwise), push, and prove the digest it outputs is
 * the one the registry serves.
 */

















/** The commit and PR the image is named after; a PR's head, never the merge commit. */
function planContext(given) {
    const pr = pullRequest();
    const sha = commitSha();
    if (given.tags.length === 0 && pr && !pr.headSha) {
        throw new errors/* ActionError */.l(`The event names pull request #${pr.number} but not its head commit`, {
            title: "No commit to tag",
            details: ["Give 'tags' explicitly, or run on pull_request or push events."],
        });
    }
    if (!sha || !schemas/* fullSha */.g8.test(sha)) {
        throw new errors/* ActionError */.l(`No commit SHA to tag the image with (got '${sha ?? ""}')`, {
            title: "No commit to tag",
        });
    }
    const { owner, repo } = repository();
    return {
        sha,
        pullRequest: pr?.number,
        sourceUrl: `${serverUrl()}/${owner}/${repo}`,
        fork: isForkPullRequest(),
        now: new Date(),
    };
}
function tagOf(reference) {
    return reference.slice(reference.lastIndexOf(":") + 1);
}
async function buildWithBuildx(plan, timeoutMs) {
    const metadataFile = (0,external_node_path_.join)(stepTempDir("build-image"), "metadata.json");
    await docker("docker buildx build", buildxArgs(plan, metadataFile), { timeoutMs });
    return plan.push ? digestFromMetadata((0,external_node_fs_.readFileSync)(metadataFile, "utf8")) : undefined;
}
async function buildWithClassicBuilder(plan, credentials, timeoutMs) {
    const args = legacyBuildArgs(plan);
    for (const note of legacyLimitations(plan))
        (0,runner/* annotate */.fz)("warning", note, { title: "build-image" });
    // Explicit: an inherited DOCKER_BUILDKIT=1 would send `docker build` looking for buildx.
    await docker("docker build", args, {
        env: { ...process.env, DOCKER_BUILDKIT: "0" },
        timeoutMs,
    });
    if (!plan.push)
        return undefined;
    const location = locateRepository(plan.image);
    const readBack = credentials ?? savedCredentials(location.host);
    let digest;
    for (const reference of plan.references) {
        const tag = tagOf(reference);
        const pushed = await docker(`docker push ${reference}`, ["push", reference], { timeoutMs });
        const reported = digestFromPushOutput(pushed.stdout, tag);
        const served = await manifestDigest(location, tag, { credentials: readBack });
        if (confirmDigest(reference, reported, served, digest) === "moved") {
            (0,runner/* annotate */.fz)("warning", `${reference} already names ${served}: another build pushed that tag after this one; this build's digest is ${digest}`, { title: "Tag moved" });
            continue;
        }
        digest = served;
    }
    return digest;
}
async function build(given) {
    const plan = planBuild(given, planContext(given));
    for (const { requested, tag } of given.tags) {
        if (requested === tag)
            continue;
        (0,runner/* info */.pq)(`Tag '${requested}' does not fit Docker's tag grammar: using '${tag}'`);
    }
    const notPushed = isForkPullRequest()
        ? "a pull request from a fork cannot push"
        : plan.push
            ? undefined
            : "push is false";
    if (given.push && !plan.push) {
        const message = `Building ${plan.image} without pushing: ${notPushed}; no digest is output`;
        (0,runner/* annotate */.fz)("warning", message, { title: "Image not pushed" });
    }
    const engine = await requireEngine();
    const credentials = given.username && given.password
        ? { username: given.username, password: given.password }
        : undefined;
    const imageHost = locateRepository(plan.image).host;
    const loginHost = given.registry ?? imageHost;
    const where = { engine, imageHost, loginHost, notPushed };
    if (!credentials)
        return buildAndReport(given, plan, where);
    // The login goes to a Docker config of this step's own, removed when it ends.
    return withStepDockerConfig(async () => {
        await login(loginHost, credentials);
        await buildAndReport(given, plan, where, credentials);
    });
}
async function buildAndReport(given, plan, where, credentials) {
    const { engine, imageHost, loginHost, notPushed } = where;
    const buildx = await hasBuildx();
    const builder = buildx ? "docker buildx build" : `docker build (engine ${engine}, no buildx)`;
    (0,runner/* info */.pq)(`Building ${plan.references.join(", ")} with ${builder}`);
    const started = performance.now();
    // `timeout-minutes` bounds each build and push.
    const timeoutMs = given.timeoutMinutes * 60_000;
    const digest = buildx
        ? await buildWithBuildx(plan, timeoutMs)
        : await buildWithClassicBuilder(plan, loginHost === imageHost ? credentials : undefined, timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    setOutputs({
        digest,
        "image-ref": digest ? `${plan.image}@${digest}` : undefined,
        tags: plan.references,
        "build-seconds": seconds.toFixed(1),
    });
    (0,runner/* appendSummary */.fe)(summaryMarkdown({
        image: plan.image,
        references: plan.references,
        digest,
        seconds,
        builder,
        notPushed,
    }));
    (0,runner/* info */.pq)(digest
        ? `Pushed ${plan.image}@${digest}`
        : `Built ${plan.references.join(", ")} (not pushed: ${notPushed})`);
}


/***/ })

};
