export const id = 317;
export const ids = [317];
export const modules = {

/***/ 317:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verify: () => (/* binding */ verify)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(9336);
// EXTERNAL MODULE: ./actions/shared/runner.ts
var runner = __webpack_require__(2393);
;// CONCATENATED MODULE: ./actions/shared/mask.ts

/**
 * Registers every leaf of a secret value, at any depth, with the runner, plus the JSON
 * of each object or array so a serialised dump is hidden too. Booleans are not masked:
 * hiding every `true` in a log protects nothing.
 */
function maskDeep(value) {
    if (typeof value === "string" || typeof value === "number") {
        (0,runner/* addMask */.eu)(String(value));
    }
    else if (value !== null && typeof value === "object") {
        for (const item of Object.values(value))
            maskDeep(item);
        (0,runner/* addMask */.eu)(JSON.stringify(value));
    }
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

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./actions/shared/pulumi/backend.ts
/**
 * Which backend the CLI will use, and in which words, from the action's point of view:
 * `cloud-url`, else the job's PULUMI_BACKEND_URL (which the real CLI puts above the project's
 * setting), else `backend.url` in the project's Pulumi.yaml, else Pulumi Cloud.
 *
 * The CLI resolves a relative `file://` path against its own working directory (and fails when
 * the folder is missing: "unable to open state directory"); the actions resolve it against
 * the work-dir instead, so the answer does not depend on where the CLI happens to run.
 */




/** `file://./state` or `file://state` -> `file:///abs/work-dir/state`; other URLs unchanged. */
function resolveBackendUrl(url, baseDir) {
    const match = /^file:\/\/([^?]*)(\?.*)?$/.exec(url);
    if (!match)
        return url;
    const path = match[1] ?? "";
    // `~` is the CLI's to expand; an absolute path is already unambiguous.
    if (path === "" || path.startsWith("~") || (0,external_node_path_.isAbsolute)(path))
        return url;
    return `${(0,external_node_url_.pathToFileURL)((0,external_node_path_.resolve)(baseDir, path)).href}${match[2] ?? ""}`;
}
/**
 * The folder of a `file://` backend, resolved (resolveBackendUrl) or under `~` as the CLI
 * expands it; undefined for any other backend.
 */
function stateDir(url) {
    if (!url?.startsWith("file://"))
        return undefined;
    const path = url.replace(/\?.*$/, "");
    const home = /^file:\/\/~(\/.*)?$/.exec(path);
    if (home)
        return (0,external_node_path_.join)((0,external_node_os_.homedir)(), decodeURIComponent(home[1] ?? ""));
    if (!path.startsWith("file:///"))
        return undefined;
    return (0,external_node_url_.fileURLToPath)(path);
}
/** `backend.url` of the Pulumi.yaml (or .yml) in dir; YAML is parsed only when the key is there. */
async function projectBackendUrl(dir) {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((name) => join(dir, name)).find(existsSync);
    if (!file)
        return undefined;
    const text = readFileSync(file, "utf8");
    if (!/^backend\s*:/m.test(text))
        return undefined;
    const { parse } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 3645, 19));
    try {
        const url = parse(text)?.backend?.url;
        return typeof url === "string" && url !== "" ? url : undefined;
    }
    catch {
        // The CLI reports a broken Pulumi.yaml itself, in its own words.
        return undefined;
    }
}
/** The backend the CLI will use for a project in dir, relative `file://` resolved against dir. */
async function backendFor(cloudUrl, dir) {
    const url = cloudUrl ?? (process.env.PULUMI_BACKEND_URL || (await projectBackendUrl(dir)));
    return url === undefined ? undefined : resolveBackendUrl(url, dir);
}
/** Pulumi Cloud: the default, or an http(s) URL (self-hosted Pulumi Cloud). */
function isPulumiCloud(backend) {
    return backend === undefined || /^https?:\/\//.test(backend);
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
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

;// CONCATENATED MODULE: ./actions/shared/pulumi/engine-facts.ts
/**
 * What the engine itself reported, read from its structured output: the events of
 * `--event-log` (one JSON object a line) or the document of `preview --json`. The real CLI
 * prints engine failures as diagnostics there (and on stdout), not on stderr, and exits 1.
 *
 * The event log holds one display session: `up` without --skip-preview rewrites it when the
 * update starts, so a log whose steps are all `planning` (a failed preview phase) says the
 * update never began.
 */
/** Steps that change nothing: a `same` or a read does not count as the update starting. */
const NO_CHANGE_OPS = new Set(["same", "read", "refresh"]);
// eslint-disable-next-line no-control-regex
const COLOUR = /\u001b\[[0-9;]*m|<\{%[a-z]+%\}>/g;
function emptyFacts() {
    return {
        diagnostics: [],
        mandatoryPolicyViolations: [],
        failedUrns: [],
        updateStarted: false,
    };
}
function clean(message) {
    return message.replace(COLOUR, "").trim();
}
/** Facts from engine events, one JSON object a line; lines that are not JSON objects are skipped. */
function factsFromEvents(ndjson) {
    const facts = emptyFacts();
    for (const line of ndjson.split(/\r?\n/)) {
        if (!line.startsWith("{"))
            continue;
        let event;
        try {
            event = JSON.parse(line);
        }
        catch {
            continue;
        }
        const pre = event.resourcePreEvent;
        if (pre && !pre.planning && !NO_CHANGE_OPS.has(pre.metadata?.op ?? "same")) {
            facts.updateStarted = true;
        }
        const failed = event.resOpFailedEvent?.metadata?.urn;
        if (failed) {
            facts.failedUrns.push(failed);
            facts.updateStarted = true;
        }
        const diagnostic = event.diagnosticEvent;
        if (diagnostic?.severity && diagnostic.severity !== "debug" && diagnostic.message) {
            facts.diagnostics.push({
                severity: diagnostic.severity,
                message: clean(diagnostic.message),
                ...(diagnostic.urn ? { urn: diagnostic.urn } : {}),
            });
        }
        const policy = event.policyEvent;
        if (policy?.enforcementLevel === "mandatory" || policy?.enforcementLevel === "remediate") {
            facts.mandatoryPolicyViolations.push(`${policy.policyPackName ?? "policy pack"}: ${policy.policyName ?? "policy"}`);
        }
    }
    return facts;
}
/** Facts from the one document `preview --json` prints, also when the preview failed. */
function factsFromPreview(document) {
    const facts = emptyFacts();
    const diagnostics = document?.diagnostics;
    if (!Array.isArray(diagnostics))
        return facts;
    for (const raw of diagnostics) {
        if (!raw.severity || !raw.message || raw.severity === "debug")
            continue;
        // The JSON display prefixes the message with its severity ("error: ...").
        const message = clean(raw.message).replace(/^(?:error|warning|info): /, "");
        facts.diagnostics.push({
            severity: raw.severity,
            message,
            ...(raw.urn ? { urn: raw.urn } : {}),
        });
    }
    return facts;
}
/** Whether a diagnostic is about a resource rather than the program (the stack resource). */
function isResourceDiagnostic(diagnostic) {
    return diagnostic.urn !== undefined && !diagnostic.urn.includes("::pulumi:pulumi:Stack::");
}

;// CONCATENATED MODULE: ./actions/shared/pulumi/classify.ts
/**
 * What went wrong in a Pulumi CLI run. Two sources, never stdout's free text:
 *
 * - the CLI's own error, on stderr (`error: ...`): lock, 409, authentication, the state
 *   backend, decryption, flags. Its exit code (pkg/cmd/pulumi/cmd/exit_codes.go, 3.226+)
 *   says config 2, auth 3, stack missing 6, no-changes-expected 7, cancelled 8; everything
 *   else, engine failures included, exits 1 (older CLIs: 255).
 * - the engine's structured report (EngineFacts from --event-log or `preview --json`): a
 *   resource's error, the program's exception, a mandatory policy violation. A provider's
 *   `dial tcp ... i/o timeout` or an `"errorCode": 401` in a resource input stays a
 *   resource failure: it is neither the backend's network nor our credentials.
 */

/**
 * Known to pass by waiting: a DIY lock, Pulumi Cloud's 409 for a concurrent update, and the
 * Cloud API answering 5xx or 429. Nothing else is retried (a network error may be a wrong URL).
 */
const RETRYABLE = new Set(["locked", "conflict", "unavailable"]);
/** Checked in order against the CLI's stderr: the first pattern that matches names the failure. */
const CLI_ERRORS = [
    ["stack-missing", /no stack named '[^']*' found/],
    ["locked", /the stack is currently locked by \d+ lock/],
    ["conflict", /\[409\] Conflict|Another update is currently in progress/],
    // 3.274.1 turns a 429 into "pulumi service: request rate-limit exceeded"
    // (pkg/backend/httpstate/client/api.go); 5xx keep apitype.ErrorResponse's "[code] message".
    ["unavailable", /\[(?:5\d\d|429)\]|\b429 Too Many Requests\b|request rate-limit exceeded/],
    [
        "decryption",
        /failed to decrypt|incorrect passphrase|passphrase must be set|Message authentication failed|decrypting secret/i,
    ],
    [
        "auth",
        // Pulumi Cloud's token, and a DIY backend's blob store refusing us (gocloud.dev blob errors:
        // `(code=PermissionDenied)`, S3 `AccessDenied`, GCS/Azure 403).
        // A refused token: `Unauthorized: No credentials provided or are invalid.` (3.274.1's
        // ErrUnauthorized, pkg/backend/httpstate/backend.go).
        /PULUMI_ACCESS_TOKEN must be set|No credentials provided or are invalid|problem logging in|\[401\]|\b401\b.*Unauthorized|invalid access token|code=PermissionDenied|\bAccessDenied\b|\bAuthorizationFailure\b|status code: 403|\b403 Forbidden\b/i,
    ],
    ["expected-no-changes", /no changes were expected\b/],
    [
        "config",
        /Missing required configuration variable|configuration key '[^']*' not found|unknown flag|unknown shorthand flag|flag needs an argument|invalid stack name|organization name must be|doesn't match Pulumi\.yaml|no Pulumi\.yaml project file found|no stack selected|must be passed in to proceed|unable to open state directory|cannot be used together/,
    ],
    [
        "network",
        /dial tcp|connection reset by peer|connection refused|i\/o timeout|no such host|TLS handshake timeout|network is unreachable/i,
    ],
    ["cancelled", /\b(?:update|preview|refresh|destroy) cancel+ed|context canceled/],
];
/** The exit codes the CLI really emits (ExitCodeFor); 1 and 255 say nothing specific. */
const EXIT_CODES = {
    2: "config",
    3: "auth",
    6: "stack-missing",
    7: "expected-no-changes",
    8: "cancelled",
};
/** The engine's own verdict: policy, then a resource's failure, then the program's. */
function engineKind(facts) {
    if (!facts)
        return undefined;
    if (facts.mandatoryPolicyViolations.length > 0)
        return "policy";
    const errors = facts.diagnostics.filter((d) => d.severity === "error");
    if (facts.failedUrns.length > 0 || errors.some(isResourceDiagnostic))
        return "resource";
    // The stack's own closing line ("update failed") is not the program failing.
    if (errors.some((d) => !/^(?:update|preview|refresh|destroy) failed$/.test(d.message)))
        return "program";
    return undefined;
}
function classifyFailure(failure) {
    if (failure.timedOut || failure.stoppedBy === "timeout")
        return "timeout";
    if (failure.stoppedBy === "cancel")
        return "cancelled";
    for (const [kind, pattern] of CLI_ERRORS)
        if (pattern.test(failure.stderr))
            return kind;
    return ((failure.exitCode === null ? undefined : EXIT_CODES[failure.exitCode]) ??
        engineKind(failure.facts) ??
        "unknown");
}
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const MAX_DETAIL_LINES = 12;
function nonEmptyLines(text) {
    return text
        .replace(ANSI, "")
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter((line) => line.trim().length > 0);
}
/** Lines of a diagnostic joined into its headline, at most: enough for a cause, not a trace. */
const MAX_HEADLINE_LINES = 4;
/**
 * A diagnostic's first sentence on one line: the engine wraps long messages, and a program's
 * exception follows a line ending in ":" ("... failed with an unhandled exception:"), as
 * does its cause: `TSError: ⨯ Unable to compile TypeScript:` is followed by the
 * `index.ts(3,7): error TS2322: ...` line that says what is wrong.
 */
function headlineOf(message) {
    const lines = message
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
    let headline = lines[0] ?? "";
    for (const [index, line] of lines.slice(1, MAX_HEADLINE_LINES).entries()) {
        const continues = index === 0 ? !/[.!]$/.test(headline) : headline.endsWith(":");
        if (!continues)
            break;
        headline = `${headline} ${line}`;
    }
    return headline;
}
/**
 * The few lines a reader needs: the CLI's stderr (its `error:` lines), else the engine's
 * error diagnostics (first line of each, `error: ` in front), else stdout's error lines.
 */
function relevantLines(failure) {
    const stderr = nonEmptyLines(failure.stderr);
    if (stderr.some((line) => line.startsWith("error: ")))
        return stderr.slice(-MAX_DETAIL_LINES);
    const diagnostics = (failure.facts?.diagnostics ?? [])
        .filter((d) => d.severity === "error")
        .map((d) => `error: ${headlineOf(d.message)}`);
    if (diagnostics.length > 0) {
        // The resource's own error first: the stack's "update failed" says less.
        const ordered = [
            ...diagnostics.filter((line) => !/^error: (?:update|preview|refresh|destroy) failed$/.test(line)),
            ...diagnostics.filter((line) => /^error: (?:update|preview|refresh|destroy) failed$/.test(line)),
        ];
        return [...stderr, ...ordered].slice(0, MAX_DETAIL_LINES);
    }
    if (stderr.length > 0)
        return stderr.slice(-MAX_DETAIL_LINES);
    const stdout = nonEmptyLines(failure.stdout ?? "");
    const errors = stdout.filter((line) => /error/i.test(line));
    return (errors.length > 0 ? errors : stdout).slice(-MAX_DETAIL_LINES);
}

;// CONCATENATED MODULE: ./actions/shared/pulumi/failure.ts
/** A failed Pulumi CLI run as the ActionError a user reads: kind in the title, last lines below. */



const TITLES = {
    "stack-missing": "stack not found",
    locked: "stack locked",
    conflict: "update conflict (409)",
    unavailable: "backend unavailable",
    auth: "authentication failed",
    config: "configuration error",
    decryption: "secrets decryption failed",
    policy: "policy violation",
    program: "program error",
    resource: "resource operation failed",
    "expected-no-changes": "unexpected changes",
    cancelled: "cancelled",
    timeout: "timed out",
    network: "network error",
    unknown: "failed",
};
class failure_PulumiError extends errors/* ActionError */.l {
    name = "PulumiError";
    kind;
    /** null when a signal ended the CLI: see `signal`. */
    exitCode;
    signal;
    constructor(command, failure, kind = classifyFailure(failure)) {
        const lines = relevantLines(failure);
        const headline = lines.findIndex((line) => line.startsWith("error: "));
        const summary = headline >= 0 ? `: ${lines[headline].slice("error: ".length)}` : "";
        const what = `\`pulumi ${command}\``;
        const stopped = describeStop(what, failure, failure.timeoutMs ?? 0);
        super(`${stopped ?? `${what} failed (${describeExit(failure)})`}${summary}`, {
            title: `Pulumi ${TITLES[kind]}`,
            details: lines.filter((_, index) => index !== headline),
        });
        this.kind = kind;
        this.exitCode = failure.exitCode;
        this.signal = failure.signal ?? null;
    }
    get retryable() {
        return RETRYABLE.has(this.kind);
    }
}

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

;// CONCATENATED MODULE: ./actions/shared/pulumi/home.ts
/**
 * A PULUMI_HOME of this step's own for Pulumi Cloud: with PULUMI_ACCESS_TOKEN set, the CLI
 * logs in on its first command and writes the token to $PULUMI_HOME/credentials.json
 * (default ~/.pulumi), where it would stay on a self-hosted runner for the next job to use.
 * The plugin cache is linked in, so plugins are not downloaded again; the folder, token
 * included, is deleted when the step's process exits.
 */




let home;
function isolatedPulumiHome() {
    if (home)
        return home;
    const created = stepTempDir("pulumi-home");
    const plugins = (0,external_node_path_.join)(process.env.PULUMI_HOME || (0,external_node_path_.join)((0,external_node_os_.homedir)(), ".pulumi"), "plugins");
    (0,external_node_fs_.mkdirSync)(plugins, { recursive: true });
    if ((0,external_node_fs_.existsSync)(plugins))
        (0,external_node_fs_.symlinkSync)(plugins, (0,external_node_path_.join)(created, "plugins"), "dir");
    process.once("exit", () => (0,external_node_fs_.rmSync)(created, { recursive: true, force: true }));
    return (home = created);
}
/** Pulumi Cloud (the default or an http(s) URL) with a token in the environment. */
function needsIsolatedHome(backendUrl) {
    return (!!process.env.PULUMI_ACCESS_TOKEN &&
        (backendUrl === undefined || /^https?:\/\//.test(backendUrl)));
}

;// CONCATENATED MODULE: ./actions/shared/pulumi/cli.ts
/**
 * Runs the Pulumi CLI as a process: always non-interactive and without colour, in the
 * project's folder, with the backend given to it through PULUMI_BACKEND_URL.
 */






/** For the quick commands (select, config, outputs): minutes would already mean a hang. */
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const FIXED_ARGS = ["--non-interactive", "--color", "never"];
function pulumiEnv(options) {
    return {
        ...process.env,
        // A CI run has no use for the update check, and it costs a network call per command.
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...(options.backendUrl ? { PULUMI_BACKEND_URL: options.backendUrl } : {}),
        ...(options.eventLog ? { PULUMI_DEBUG_COMMANDS: "true" } : {}),
        ...(needsIsolatedHome(options.backendUrl) ? { PULUMI_HOME: isolatedPulumiHome() } : {}),
        ...options.env,
    };
}
/** Runs `pulumi ARGS`; a non-zero exit is returned, not thrown. */
async function runPulumi(args, options = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Flags go before a `--`, which ends flag parsing (e.g. `config set -- KEY -VALUE`).
    const end = args.indexOf("--");
    const fixed = options.eventLog ? [...FIXED_ARGS, "--event-log", options.eventLog] : FIXED_ARGS;
    const argv = end < 0 ? [...args, ...fixed] : [...args.slice(0, end), ...fixed, ...args.slice(end)];
    // The log of an earlier try must not speak for this one.
    if (options.eventLog)
        (0,external_node_fs_.rmSync)(options.eventLog, { force: true });
    const result = await exec("pulumi", argv, {
        cwd: options.cwd,
        env: pulumiEnv(options),
        stdin: options.stdin,
        timeoutMs,
        afterCancel: options.afterCancel,
        onStdoutLine: options.echo,
        onStderrLine: options.echo,
    });
    return {
        ...result,
        timedOut: result.stoppedBy === "timeout",
        timeoutMs,
        facts: engineFacts(args, result.stdout, options.eventLog),
    };
}
function engineFacts(args, stdout, eventLog) {
    if (eventLog) {
        try {
            return factsFromEvents((0,external_node_fs_.readFileSync)(eventLog, "utf8"));
        }
        catch {
            // No log: the CLI stopped before the engine ran (flags, login, lock).
            return undefined;
        }
    }
    if (args[0] === "preview" && args.includes("--json")) {
        try {
            return factsFromPreview(JSON.parse(stdout));
        }
        catch {
            return undefined;
        }
    }
    return undefined;
}
/** Runs `pulumi ARGS` and throws a PulumiError (kind, last CLI lines) when it fails. */
async function cli_pulumi(args, options = {}) {
    const result = await runPulumi(args, options);
    if (result.exitCode !== 0)
        throw new failure_PulumiError(commandName(args), result);
    return result;
}
/** `stack select`, `up`, ...: the command words, without flags or values. */
function commandName(args) {
    const words = [];
    for (const arg of args) {
        if (arg.startsWith("-"))
            break;
        words.push(arg);
        if (words.length === 2 || !["stack", "config"].includes(words[0]))
            break;
    }
    return words.join(" ");
}
/**
 * What a `--json` command printed, parsed; `empty` when it printed nothing. Anything else
 * fails in one line that never quotes the output, which may hold revealed secrets.
 */
function parseJsonOutput(args, stdout, empty) {
    if (stdout.trim() === "")
        return empty;
    try {
        return JSON.parse(stdout);
    }
    catch {
        throw new errors/* ActionError */.l(`\`pulumi ${commandName(args)} --json\` printed something that is not JSON`, {
            title: "Pulumi output unreadable",
        });
    }
}

;// CONCATENATED MODULE: ./actions/shared/pulumi/outputs.ts
/**
 * A stack's outputs as `pulumi stack output --json` prints them, and which of them are
 * secret: read without `--show-secrets` (secrets print as "[secret]") and, only when the
 * values are needed, again with it, masking every secret value before returning.
 */


const SECRET_PLACEHOLDER = "[secret]";
function containsSecret(value) {
    if (value === SECRET_PLACEHOLDER)
        return true;
    return value !== null && typeof value === "object" && Object.values(value).some(containsSecret);
}
/** Masks, at any depth, each revealed value that the concealed read printed as "[secret]". */
function maskSecrets(shown, revealed) {
    if (shown === SECRET_PLACEHOLDER) {
        if (revealed !== SECRET_PLACEHOLDER)
            maskDeep(revealed);
        return;
    }
    if (shown !== null &&
        typeof shown === "object" &&
        revealed !== null &&
        typeof revealed === "object") {
        for (const [key, value] of Object.entries(shown))
            maskSecrets(value, revealed[key]);
    }
}
async function readJson(stack, showSecrets, options) {
    const args = [
        "stack",
        "output",
        "--json",
        "--stack",
        stack,
        ...(showSecrets ? ["--show-secrets"] : []),
    ];
    // Never echoed: with --show-secrets the output holds the secrets in clear.
    const { stdout } = await cli_pulumi(args, { ...options, echo: undefined });
    const parsed = parseJsonOutput(args, stdout, {});
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
        ? parsed
        : {};
}
/** The outputs with secrets as "[secret]" (one CLI call; nothing secret is read). */
async function readStackOutputs(stack, options = {}) {
    const shown = await readJson(stack, false, options);
    const secretNames = Object.keys(shown).filter((name) => containsSecret(shown[name]));
    return { shown, secretNames };
}
/**
 * The same outputs with secrets revealed (`--show-secrets`), every secret value masked
 * with the runner before this returns.
 */
async function revealStackOutputs(stack, outputs, options = {}) {
    const revealed = await readJson(stack, true, options);
    maskSecrets(outputs.shown, revealed);
    return revealed;
}

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

;// CONCATENATED MODULE: ./actions/shared/pulumi/retry.ts
/**
 * Retries a Pulumi command while it fails for a reason that passes (a held lock, a 409
 * from a concurrent update, the network), waiting longer each time; anything else fails at once.
 */


function withRetries(attempt, options = {}) {
    const base = retryBaseMs(options.baseMs ?? 5_000);
    return retry(attempt, {
        tries: options.attempts ?? 5,
        waitMs: (failures) => base * 2 ** (failures - 1),
        retryError: (error) => error instanceof failure_PulumiError && error.retryable,
        // Only a thrown PulumiError is ever retried here, so that is what the reason holds.
        onRetry: (reason, failures, waitMs) => options.onRetry?.(reason.error, failures, waitMs),
    });
}

;// CONCATENATED MODULE: ./actions/shared/pulumi/stacks.ts
/** Selecting stacks, creating one only when the CLI says it does not exist, listing them. */


async function selectStack(stack, options = {}) {
    // `--`: what follows is the name, never a flag (runPulumi keeps its flags before it).
    await pulumi(["stack", "select", "--", stack], options);
}
/**
 * Selects the stack, or creates it when, and only when, the CLI answered that it does not
 * exist. A lock, an auth problem or a network error fails here instead: creating a stack
 * on a guess would hide the real problem (or fork state).
 * Returns whether the stack was created.
 */
async function upsertStack(stack, options = {}) {
    try {
        await selectStack(stack, options);
        return false;
    }
    catch (error) {
        if (!(error instanceof PulumiError) || error.kind !== "stack-missing")
            throw error;
    }
    const provider = options.secretsProvider ? ["--secrets-provider", options.secretsProvider] : [];
    try {
        await pulumi(["stack", "init", ...provider, "--", stack], options);
        return true;
    }
    catch (error) {
        // Another run created it in between: select what is there now.
        if (error instanceof PulumiError && /already exists/.test(error.message)) {
            await selectStack(stack, options);
            return false;
        }
        throw error;
    }
}
function isStackSummary(value) {
    return (typeof value === "object" && value !== null && typeof value.name === "string");
}
/** `pulumi stack ls --json`, optionally for one organization and project. */
async function listStacks(filter, options = {}) {
    const args = ["stack", "ls", "--json"];
    if (filter.organization)
        args.push("--organization", filter.organization);
    if (filter.project)
        args.push("--project", filter.project);
    const { stdout } = await cli_pulumi(args, options);
    const parsed = parseJsonOutput(args, stdout, []);
    return Array.isArray(parsed) ? parsed.filter(isStackSummary) : [];
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
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
        raw = (0,dist.parse)(source.text);
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

;// CONCATENATED MODULE: ./actions/verify-stack-ref/probe.ts
/**
 * Reaches the cluster a kubeconfig output points at: GET /version through the shared
 * Kubernetes client, with the kubeconfig's CA and credentials (exec plugins included).
 * Nothing from the kubeconfig (server, token, certificates) ever goes into a reason: they
 * are fixed words, error codes and HTTP statuses only.
 *
 * The kubeconfig comes from another stack: whoever can write that stack chooses its `exec`
 * plugin. So the plugin runs only when allowed, and then with PATH, HOME and the variables
 * named for it, never with the job's environment (PULUMI_ACCESS_TOKEN, cloud credentials).
 */



/** In this action's words: the kubeconfig is a stack output, not an input or a file. */
const UNUSABLE = {
    "not-found": () => "the output holds no kubeconfig",
    "not-yaml": () => "the output is not valid kubeconfig YAML",
    "not-mapping": () => "the output is not a kubeconfig object",
    // client-node's field names (`clusters[0].cluster.server is missing`), never a value.
    invalid: (error) => `the kubeconfig is malformed: ${error.detail}`,
    "no-cluster": () => "the kubeconfig names no cluster server",
    "no-context": () => "the kubeconfig has no current-context",
    "unknown-context": () => "the kubeconfig's current-context names no context of it",
    "unknown-cluster": () => "the kubeconfig's current context names a cluster it does not define",
};
function versionOf(body) {
    const gitVersion = body?.gitVersion;
    return typeof gitVersion === "string" && /^v?[\w.+-]{1,64}$/.test(gitVersion)
        ? gitVersion
        : undefined;
}
const NOT_RUN = "its exec credential plugin was not run (allow-exec-plugin is off), so /version was asked without credentials";
function probe_pluginEnv(policy) {
    const names = ["PATH", "HOME", ...policy.passEnv];
    return Object.fromEntries(names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
}
/** `value`: the output as read, kubeconfig text or the object a stack exported. */
async function probeCluster(value, options = {}) {
    const { exec = { allowed: false, passEnv: [] }, timeoutMs = 10_000 } = options;
    let client;
    try {
        // JSON is YAML: an exported object goes through the same loader, masked the same way.
        const content = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
        const loaded = loadKubeconfig(content, undefined);
        const skipped = loaded.user.exec !== undefined && loaded.user.exec !== null && !exec.allowed;
        const target = skipped ? { ...loaded, user: { name: loaded.user.name } } : loaded;
        // Plain http as the kubeconfig's consumers (kubectl, the Pulumi provider) would use it.
        client = new KubeClient(target, {
            timeoutMs,
            allowPlainHttp: true,
            onRetry: runner/* info */.pq,
            execEnv: probe_pluginEnv(exec),
        });
        const response = await client.request("GET", "/version");
        const note = skipped ? { note: NOT_RUN } : {};
        if (response.status === 200)
            return { reachable: true, version: versionOf(response.body), ...note };
        if (response.status === 401 && !skipped) {
            return {
                reachable: false,
                reason: "the cluster rejected the kubeconfig's credentials (HTTP 401)",
            };
        }
        if (response.status === 401 || response.status === 403) {
            return {
                reachable: true,
                note: skipped
                    ? `${NOT_RUN}, and answered HTTP ${response.status}`
                    : `/version answered HTTP ${response.status} (credentials not accepted for it)`,
            };
        }
        return { reachable: false, reason: `/version answered HTTP ${response.status}` };
    }
    catch (error) {
        if (error instanceof KubeconfigError)
            return { reachable: false, reason: UNUSABLE[error.problem](error) };
        if (error instanceof KubeRequestError)
            return { reachable: false, reason: error.reason };
        throw error;
    }
    finally {
        client?.close();
    }
}

// EXTERNAL MODULE: ./actions/shared/paths.ts
var paths = __webpack_require__(3051);
// EXTERNAL MODULE: ./actions/shared/schemas.ts + 1 modules
var schemas = __webpack_require__(9957);
;// CONCATENATED MODULE: ./actions/verify-stack-ref/lint.ts
/**
 * Lints the Pulumi YAML files of a project folder for the two mistakes that pass `preview`
 * silently: `fn::` keys in config (Pulumi does not evaluate them: the value is plain data)
 * and stack references without an org (they resolve in whichever org the login defaults to).
 */





const PULUMI_FILE = /^Pulumi(?:\.[^.]+)?\.ya?ml$/;
/** Config keys that hold a stack name: infraStack, infra_stack_name, stackRef, stack-reference... */
const STACK_KEY = /(?:stack[-_]?(?:ref|reference|name)|[a-z0-9]Stack|[-_]stack)$/i;
function scalarText(node) {
    return (0,dist/* isScalar */.jn)(node) && typeof node.value === "string" ? node.value : undefined;
}
function orgLess(ref, where) {
    return `Stack reference '${ref}' ${where} is not org-qualified: write ORG/PROJECT/STACK, or it resolves in whichever org the credentials default to.`;
}
/** The stack named by `fn::stackReference: [name, output]` or `{name: ...}`. */
function stackReferenceArgument(node) {
    if ((0,dist/* isSeq */.oP)(node))
        return node.items[0];
    if ((0,dist/* isMap */.jh)(node))
        return node.get("name", true);
    return (0,dist/* isScalar */.jn)(node) ? node : undefined;
}
/** Everything under a config section: every `fn::` key, and org-less stack names. */
function lintConfig(node, lineOf, findings) {
    if ((0,dist/* isSeq */.oP)(node)) {
        for (const item of node.items)
            lintConfig(item, lineOf, findings);
        return;
    }
    if (!(0,dist/* isMap */.jh)(node))
        return;
    for (const pair of node.items) {
        const key = scalarText(pair.key) ?? "";
        if (/^fn::/i.test(key)) {
            findings.push({
                line: lineOf(pair.key),
                message: `'${key}' in stack config is silently ignored: Pulumi does not evaluate fn:: functions in config, so the value is plain data (and a typo still passes preview). Read the stack in the program with pulumi.StackReference("ORG/PROJECT/STACK") instead.`,
            });
            const argument = /^fn::stackReference$/i.test(key)
                ? stackReferenceArgument(pair.value)
                : undefined;
            const ref = scalarText(argument);
            if (ref !== undefined && !schemas/* qualifiedStack */.Rn.test(ref)) {
                findings.push({ line: lineOf(argument), message: orgLess(ref, `in '${key}'`) });
            }
        }
        const name = key.slice(key.lastIndexOf(":") + 1);
        const value = scalarText(pair.value);
        if (STACK_KEY.test(name) && value !== undefined && !schemas/* qualifiedStack */.Rn.test(value)) {
            findings.push({
                line: lineOf(pair.value),
                message: orgLess(value, `in config '${key}'`),
            });
        }
        lintConfig(pair.value, lineOf, findings);
    }
}
/** A YAML program's own stack references (valid there, but they must name the org). */
function lintProgramReferences(node, lineOf, findings) {
    if ((0,dist/* isSeq */.oP)(node)) {
        for (const item of node.items)
            lintProgramReferences(item, lineOf, findings);
        return;
    }
    if (!(0,dist/* isMap */.jh)(node))
        return;
    if (scalarText(node.get("type", true)) === "pulumi:pulumi:StackReference") {
        const properties = node.get("properties", true);
        const nameNode = (0,dist/* isMap */.jh)(properties)
            ? properties.get("name", true)
            : undefined;
        const ref = scalarText(nameNode);
        if (ref !== undefined && !schemas/* qualifiedStack */.Rn.test(ref)) {
            findings.push({
                line: lineOf(nameNode),
                message: orgLess(ref, "in a pulumi:pulumi:StackReference resource"),
            });
        }
    }
    for (const pair of node.items) {
        if (!(0,dist/* isPair */.tO)(pair))
            continue;
        const key = scalarText(pair.key) ?? "";
        if (/^fn::stackReference$/i.test(key)) {
            const argument = stackReferenceArgument(pair.value);
            const ref = scalarText(argument);
            if (ref !== undefined && !schemas/* qualifiedStack */.Rn.test(ref))
                findings.push({ line: lineOf(argument), message: orgLess(ref, `in '${key}'`) });
        }
        lintProgramReferences(pair.value, lineOf, findings);
    }
}
function lintFile(name, text) {
    const lineCounter = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(text, { lineCounter });
    const lineOf = (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
    const findings = [];
    if (document.errors.length > 0) {
        const error = document.errors[0];
        return [
            {
                line: error?.linePos?.[0].line ?? 1,
                message: `Not valid YAML: ${error?.message.split("\n")[0] ?? ""}`,
            },
        ];
    }
    lintConfig(document.get("config", true), lineOf, findings);
    if (/^Pulumi\.ya?ml$/.test(name)) {
        for (const section of ["resources", "variables", "outputs"]) {
            lintProgramReferences(document.get(section, true), lineOf, findings);
        }
    }
    return findings.sort((a, b) => a.line - b.line);
}
/** Lints every Pulumi*.yaml in `dir`; `display` turns a path into what annotations show. */
function lintWorkDir(dir, display) {
    return (0,external_node_fs_.readdirSync)(dir)
        .filter((name) => PULUMI_FILE.test(name))
        .sort()
        .flatMap((name) => {
        const path = (0,external_node_path_.join)(dir, name);
        // A file of the checkout may be a symbolic link to the job's secrets: never read it.
        const read = (0,paths/* readConfinedFile */.p)(path);
        if ("problem" in read) {
            return [{ file: display(path), line: 1, message: `${name} ${read.problem}: not read` }];
        }
        return lintFile(name, read.text).map((finding) => ({
            file: display(path),
            ...finding,
        }));
    });
}

// EXTERNAL MODULE: ./actions/verify-stack-ref/required.ts
var verify_stack_ref_required = __webpack_require__(5601);
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

;// CONCATENATED MODULE: ./actions/verify-stack-ref/summary.ts
/** The job summary: one table per concern, names and types only (never output values). */

function summary_status(check) {
    if (check.status === "present")
        return "✅ present";
    if (check.status === "missing")
        return "❌ missing";
    return `❌ wrong type: ${check.actual}`;
}
function renderSummary(report) {
    const parts = [`### Stack reference ${code(report.stackRef)}\n`];
    if (!report.exists) {
        parts.push(`❌ The stack does not exist.`);
        if (report.existingStacks) {
            const list = report.existingStacks.map((name) => code(name)).join(", ");
            parts.push(` Stacks in this project: ${list || "none"}.`);
        }
        parts.push("\n");
    }
    else {
        parts.push("✅ The stack exists.\n");
    }
    if (report.checks.length > 0) {
        parts.push("\n" +
            table(["output", "type", "status"], report.checks.map((check) => [code(check.name), check.type ?? "any", summary_status(check)])));
    }
    if (report.kubeconfig) {
        const { output, probe } = report.kubeconfig;
        const result = probe.reachable
            ? `✅ reachable${probe.version ? ` (Kubernetes ${markdown_text(probe.version)})` : ""}${probe.note ? `: ${markdown_text(probe.note)}` : ""}`
            : `❌ unreachable: ${markdown_text(probe.reason)}`;
        parts.push(`\nCluster from output ${code(output)}: ${result}\n`);
    }
    if (report.findings.length > 0) {
        parts.push("\n" +
            table(["file", "line", "problem"], report.findings.map((f) => [cell(f.file), String(f.line), cell(f.message)])));
    }
    return parts.join("");
}

;// CONCATENATED MODULE: ./actions/verify-stack-ref/verify.ts
/** The action's work, once the inputs are valid: lint, read the stack, check, report. */
















/** `dir`: the work-dir input, already checked to be a folder inside the workspace. */
function lint(dir) {
    const root = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const findings = lintWorkDir(dir, (path) => (0,external_node_path_.relative)(root, path) || path);
    for (const finding of findings) {
        (0,runner/* annotate */.fz)("error", finding.message, {
            title: "Pulumi stack YAML",
            file: finding.file,
            line: finding.line,
        });
    }
    return findings;
}
/** The stacks of the referenced project, fully named; undefined when the backend will not list them. */
async function projectStacks(org, project, options) {
    try {
        const stacks = await listStacks({ organization: org, project }, options);
        return stacks
            .map((s) => (s.name.includes("/") ? s.name : `${org}/${project}/${s.name}`))
            .sort();
    }
    catch {
        return undefined;
    }
}
function withHint(error, cloudUrl) {
    if (!(error instanceof failure_PulumiError) || error.kind !== "auth")
        return error;
    const hint = cloudUrl?.match(/^(?:file|s3|gs|azblob):/)
        ? "Check the credentials of the state backend."
        : "Pulumi Cloud needs PULUMI_ACCESS_TOKEN in the step's environment (or set cloud-url to a self-managed backend).";
    return new errors/* ActionError */.l(error.message, {
        title: error.title,
        details: [...error.details, hint],
        cause: error,
    });
}
async function probe(name, value, exec) {
    if (value === undefined)
        return { reachable: false, reason: `the stack has no output '${name}'` };
    // The whole text, line by line, in case the output was not marked secret.
    if (typeof value === "string")
        maskDeep(value);
    return probeCluster(value, { exec });
}
async function verify(inputs) {
    const { stackRef, kubeconfigOutput } = inputs;
    // The CLI runs in a folder of its own (below), so a relative file:// path is resolved here:
    // against work-dir when given, else the workspace.
    const base = (0,external_node_path_.resolve)(inputs.workDir || process.env.GITHUB_WORKSPACE || process.cwd());
    const cloudUrl = inputs.cloudUrl && resolveBackendUrl(inputs.cloudUrl, base);
    const [org = "", project = ""] = stackRef.split("/");
    const findings = inputs.workDir ? lint(inputs.workDir) : [];
    const required = (0,verify_stack_ref_required/* parseRequired */.XT)(inputs.requiredOutputs);
    if (kubeconfigOutput && !required.some((r) => r.name === kubeconfigOutput))
        required.push({ name: kubeconfigOutput });
    // A folder of its own: a Pulumi.yaml in the workspace must not change what the CLI resolves.
    const options = { cwd: stepTempDir("verify-stack-ref"), backendUrl: cloudUrl };
    const retry = {
        onRetry: (e, n, ms) => (0,runner/* info */.pq)(`${e.title}; retry ${n} in ${ms} ms`),
    };
    const state = stateDir(cloudUrl);
    const stateMissing = state !== undefined && !(0,external_node_fs_.existsSync)(state);
    let outputs;
    try {
        // The CLI would fail with "unable to open state directory": no folder, no stack.
        if (stateMissing)
            throw new failure_PulumiError("stack output", { exitCode: 6, stderr: "" });
        outputs = await withRetries(() => readStackOutputs(stackRef, options), retry);
    }
    catch (error) {
        if (!(error instanceof failure_PulumiError) || error.kind !== "stack-missing")
            throw withHint(error, cloudUrl);
        const existingStacks = stateMissing ? [] : await projectStacks(org, project, options);
        setOutputs({ "stack-exists": false, missing: required.map((r) => r.name) });
        (0,runner/* appendSummary */.fe)(renderSummary({ stackRef, exists: false, existingStacks, checks: [], findings }));
        const listing = stateMissing
            ? `The state folder ${state} of the file:// backend does not exist.`
            : existingStacks === undefined
                ? "The backend did not list the project's stacks."
                : existingStacks.length === 0
                    ? `Project ${org}/${project} has no stacks.`
                    : `Stacks in ${org}/${project}: ${existingStacks.join(", ")}.`;
        throw new errors/* ActionError */.l(`Stack '${stackRef}' does not exist. ${listing}`, {
            title: "Stack reference not found",
            details: error.details,
        });
    }
    const needsValues = kubeconfigOutput !== undefined ||
        required.some((r) => r.type && outputs.shown[r.name] === SECRET_PLACEHOLDER);
    const values = needsValues
        ? await withRetries(() => revealStackOutputs(stackRef, outputs, options), retry)
        : outputs.shown;
    const checks = (0,verify_stack_ref_required/* checkOutputs */.n2)(required, values);
    const kubeconfig = kubeconfigOutput
        ? {
            output: kubeconfigOutput,
            probe: await probe(kubeconfigOutput, values[kubeconfigOutput], {
                allowed: inputs.allowExecPlugin,
                passEnv: inputs.execPluginEnv,
            }),
        }
        : undefined;
    const shown = { ...outputs.shown };
    if (kubeconfigOutput && kubeconfigOutput in shown)
        shown[kubeconfigOutput] = SECRET_PLACEHOLDER;
    const missing = checks.filter((c) => c.status === "missing").map((c) => c.name);
    setOutputs({ outputs: shown, missing, "stack-exists": true });
    (0,runner/* appendSummary */.fe)(renderSummary({ stackRef, exists: true, checks, kubeconfig, findings }));
    (0,runner/* info */.pq)(`Stack ${stackRef} exists with outputs: ${Object.keys(shown).join(", ") || "none"}`);
    const problems = [
        ...missing.map((name) => `output '${name}' is missing`),
        ...checks.flatMap((c) => c.status === "wrong-type" ? [`output '${c.name}' is ${c.actual}, expected ${c.type}`] : []),
        ...(kubeconfig && !kubeconfig.probe.reachable
            ? [`the cluster of output '${kubeconfig.output}' is unreachable: ${kubeconfig.probe.reason}`]
            : []),
        ...(findings.length > 0
            ? [`${findings.length} problem(s) in Pulumi YAML under ${inputs.workDir} (annotated)`]
            : []),
    ];
    if (kubeconfig?.probe.reachable) {
        (0,runner/* info */.pq)(`Cluster of output '${kubeconfig.output}' is reachable${kubeconfig.probe.version ? `: Kubernetes ${kubeconfig.probe.version}` : ""}`);
    }
    if (problems.length > 0) {
        throw new errors/* ActionError */.l(`Stack reference '${stackRef}' failed verification: ${problems.length} problem(s)`, {
            title: "Stack reference verification failed",
            details: problems,
        });
    }
}


/***/ })

};
