export const id = 910;
export const ids = [910];
export const modules = {

/***/ 1910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./actions/shared/cancel.ts
var cancel = __webpack_require__(613);
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

// EXTERNAL MODULE: ./actions/shared/pulumi/backend.ts + 1 modules
var pulumi_backend = __webpack_require__(8755);
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

// EXTERNAL MODULE: ./actions/shared/redact.ts
var redact = __webpack_require__(2754);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
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

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
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
class PulumiError extends errors/* ActionError */.l {
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
        throw new PulumiError(commandName(args), result);
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
function cli_parseJsonOutput(args, stdout, empty) {
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
    const parsed = cli_parseJsonOutput(args, stdout, {});
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

// EXTERNAL MODULE: ./actions/shared/retry.ts + 1 modules
var retry = __webpack_require__(7100);
;// CONCATENATED MODULE: ./actions/shared/pulumi/retry.ts
/**
 * Retries a Pulumi command while it fails for a reason that passes (a held lock, a 409
 * from a concurrent update, the network), waiting longer each time; anything else fails at once.
 */


function withRetries(attempt, options = {}) {
    const base = (0,retry/* retryBaseMs */.wR)(options.baseMs ?? 5_000);
    return (0,retry/* retry */.L5)(attempt, {
        tries: options.attempts ?? 5,
        waitMs: (failures) => base * 2 ** (failures - 1),
        retryError: (error) => error instanceof PulumiError && error.retryable,
        // Only a thrown PulumiError is ever retried here, so that is what the reason holds.
        onRetry: (reason, failures, waitMs) => options.onRetry?.(reason.error, failures, waitMs),
    });
}

;// CONCATENATED MODULE: ./actions/shared/pulumi/stacks.ts
/** Selecting stacks, creating one only when the CLI says it does not exist, listing them. */


async function selectStack(stack, options = {}) {
    // `--`: what follows is the name, never a flag (runPulumi keeps its flags before it).
    await cli_pulumi(["stack", "select", "--", stack], options);
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
        await cli_pulumi(["stack", "init", ...provider, "--", stack], options);
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
    const { stdout } = await pulumi(args, options);
    const parsed = parseJsonOutput(args, stdout, []);
    return Array.isArray(parsed) ? parsed.filter(isStackSummary) : [];
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/cli.ts
/**
 * The shared Pulumi driver (actions/shared/pulumi) bound to this step: its project folder,
 * backend and retry budget, with the CLI's progress echoed to the log. Failures stay the
 * driver's PulumiError; `describeFailure` turns anything thrown into the one annotation.
 */







/** A failed run's stdout, kept so a failed preview still shows its plan. */
class FailedRun extends PulumiError {
    result;
    stdout;
    constructor(command, result, stdout) {
        super(command, result);
        this.result = result;
        this.stdout = stdout;
    }
}
function createCli(options) {
    const base = { cwd: options.cwd, backendUrl: options.backendUrl };
    const retrying = (attempt) => withRetries(attempt, {
        attempts: options.retries + 1,
        onRetry: (error, n, waitMs) => (0,runner/* info */.pq)(`${error.message}; retrying in ${Math.round(waitMs / 100) / 10}s (try ${n + 1} of ${options.retries + 1})`),
    });
    return {
        /**
         * Runs `pulumi ARGS`, retrying what may pass; `echo` streams its output into the log,
         * `timeoutMs` bounds each try (the driver's default for quick commands otherwise).
         */
        run(args, run = {}) {
            return retrying(async () => {
                const result = await runPulumi(args, {
                    ...base,
                    stdin: run.stdin,
                    eventLog: run.eventLog,
                    timeoutMs: run.timeoutMs,
                    echo: run.echo ? runner/* info */.pq : undefined,
                });
                if (result.exitCode !== 0)
                    throw new FailedRun(commandName(args), result, result.stdout);
                return result;
            });
        },
        /** "selected", "created", or "missing" (only when it does not exist and `create` is false). */
        async select(stack, select) {
            try {
                if (select.create) {
                    const created = await retrying(() => upsertStack(stack, { ...base, secretsProvider: select.secretsProvider }));
                    return created ? "created" : "selected";
                }
                await retrying(() => selectStack(stack, base));
                return "selected";
            }
            catch (error) {
                if (error instanceof PulumiError && error.kind === "stack-missing")
                    return "missing";
                throw error;
            }
        },
        /**
         * The URNs of the creates an interrupted update left pending (`stack export`): the
         * engine started them and never learnt whether they finished, so the resources may
         * exist in the cloud without being in the state.
         */
        async pendingCreates(stack) {
            const { stdout } = await this.run(["stack", "export", "--stack", stack]);
            const deployment = JSON.parse(stdout).deployment;
            return (deployment?.pending_operations ?? []).flatMap((op) => op.type === "creating" && op.resource?.urn ? [op.resource.urn] : []);
        },
        /**
         * `pulumi cancel`: ends the stack's update in progress and deletes its locks. Runs
         * although the step was cancelled; tried once, as there is little time then.
         */
        cancel(stack, timeoutMs) {
            return runPulumi(["cancel", "--yes", "--stack", stack], {
                ...base,
                timeoutMs,
                afterCancel: true,
                echo: runner/* info */.pq,
            });
        },
        /** Both reads of the outputs; the driver masks every secret before returning. */
        outputs(stack) {
            return retrying(async () => {
                const outputs = await readStackOutputs(stack, base);
                return { shown: outputs.shown, revealed: await revealStackOutputs(stack, outputs, base) };
            });
        },
    };
}
function failureStdout(error) {
    return error instanceof FailedRun ? error.stdout : undefined;
}
/** The CLI run that failed, when the failure is one. */
function failedRun(error) {
    return error instanceof FailedRun ? error.result : undefined;
}
const HINTS = {
    locked: "Another run holds the stack's lock.",
    conflict: "Another update of this stack is in progress.",
    unavailable: "The Pulumi Cloud API answered 5xx or 429 (rate limit).",
    network: "The backend could not be reached.",
    decryption: "The stack's secrets could not be decrypted (passphrase or secrets provider).",
    auth: "Check PULUMI_ACCESS_TOKEN (or the backend's credentials) in this job.",
    "expected-no-changes": "expect-no-changes is true and the command found changes (drift).",
};
/** A refused token says more than "check the credentials": the secret is wrong, not absent. */
function hintFor(error) {
    if (error.kind === "auth" && /No credentials provided or are invalid/.test(error.message))
        return "Pulumi Cloud refused PULUMI_ACCESS_TOKEN: it is invalid, expired or revoked, or made for another Pulumi Cloud than cloud-url. Check the secret this job passes as PULUMI_ACCESS_TOKEN.";
    if (error.kind === "decryption") {
        // Without a passphrase nothing was decrypted: the CLI refused to open the secrets at all.
        if (/passphrase must be set/.test(error.message))
            return "This stack's secrets are under a passphrase and none was given: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) in this job.";
        const atSelect = /`pulumi stack select`/.test(error.message);
        return `${HINTS.decryption}${atSelect ? " No stack was created in its place." : ""}`;
    }
    return HINTS[error.kind];
}
/**
 * The one annotation for whatever was thrown: the stack, the CLI's error line, what to do,
 * and (for what is retried) how many tries were made; known secrets redacted.
 */
function describeFailure(error, context) {
    const { stack, tries, redact } = context;
    if (error instanceof PulumiError) {
        const parts = [`Stack ${stack}: ${error.message.replace(/\.$/, "")}.`];
        const hint = hintFor(error);
        if (hint)
            parts.push(hint);
        if (error.retryable)
            parts.push(`Gave up after ${tries} tries.`);
        return new errors/* ActionError */.l(redact(parts.join(" ")), {
            title: error.title,
            details: error.details.map(redact),
            cause: error,
        });
    }
    if (error instanceof errors/* ActionError */.l)
        return error;
    const message = error instanceof Error ? error.message : String(error);
    return new errors/* ActionError */.l(redact(`Stack ${stack}: unexpected failure: ${message}`), {
        title: "Pulumi deploy failed",
        cause: error,
    });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./actions/shared/http-transport.ts
var http_transport = __webpack_require__(767);
;// CONCATENATED MODULE: ./actions/pulumi-deploy/install.ts
/**
 * `pulumi-version`: use the CLI on PATH when it is that version; otherwise download the
 * release, verify its SHA-256 against the release's checksums file, and put it first on
 * PATH for this step and the job's later steps.
 *
 * The runner's tool cache is used with @actions/tool-cache's layout
 * (`$RUNNER_TOOL_CACHE/pulumi/<version>/<arch>` plus a `.complete` marker), but not the
 * package itself: it bundles an HTTP client (undici) of 1.2 MB, beyond the whole action's
 * 1 MB budget, where Node's own http(s) does the same job: through the proxy that
 * HTTPS_PROXY / HTTP_PROXY name unless NO_PROXY exempts the host (as tool-cache does), and
 * streamed to disk rather than held in memory (the archive is about 100 MB).
 */













const RELEASES = "https://github.com/pulumi/pulumi/releases/download";
/** The version `pulumi version` prints (`v3.140.0`), without the `v`; undefined when missing. */
async function installedVersion(env = process.env) {
    try {
        const { exitCode, stdout } = await exec("pulumi", ["version"], {
            env,
            timeoutMs: 60_000,
        });
        const match = /v?(\d+\.\d+\.\d+\S*)/.exec(stdout.trim());
        return exitCode === 0 && match ? match[1] : undefined;
    }
    catch {
        return undefined;
    }
}
function normaliseVersion(version) {
    return version.replace(/^v/, "");
}
/** The release archive for this machine and the checksums file that lists it. */
function releaseAssets(version, platform = process.platform, arch = process.arch) {
    const os = { linux: "linux", darwin: "darwin", win32: "windows" }[platform];
    const cpu = { x64: "x64", arm64: "arm64" }[arch];
    if (!os || !cpu)
        throw new errors/* ActionError */.l(`No Pulumi CLI release for ${platform}/${arch}`, {
            title: "Pulumi install failed",
        });
    const archive = `pulumi-v${version}-${os}-${cpu}.${os === "windows" ? "zip" : "tar.gz"}`;
    return {
        archive,
        archiveUrl: `${RELEASES}/v${version}/${archive}`,
        checksumsUrl: `${RELEASES}/v${version}/pulumi-${version}-checksums.txt`,
    };
}
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    for await (const chunk of (0,external_node_fs_.createReadStream)(path))
        hash.update(chunk);
    return hash.digest("hex");
}
/** Throws unless `checksums` (`<sha256>  <file>` lines) lists `name` with the file's hash. */
async function verifyChecksum(path, name, checksums) {
    const line = checksums
        .split(/\r?\n/)
        .map((l) => l.trim().split(/\s+\*?/))
        .find(([, file]) => file === name);
    if (!line?.[0]) {
        throw new errors/* ActionError */.l(`The release checksums do not list ${name}`, {
            title: "Pulumi install failed",
        });
    }
    const actual = await sha256File(path);
    if (actual !== line[0].toLowerCase()) {
        throw new errors/* ActionError */.l(`Checksum mismatch for ${name}: expected ${line[0]}, got ${actual}`, {
            title: "Pulumi install failed",
        });
    }
}
function prependPath(dir) {
    process.env.PATH = `${dir}${external_node_path_.delimiter}${process.env.PATH ?? ""}`;
    if (process.env.GITHUB_PATH)
        (0,external_node_fs_.appendFileSync)(process.env.GITHUB_PATH, `${dir}\n`, "utf8");
}
/** Where the tool cache keeps a version: the same folders @actions/tool-cache uses. */
function cachedToolDir(version, arch = process.arch) {
    const root = process.env.RUNNER_TOOL_CACHE || (0,external_node_path_.join)((0,external_node_os_.tmpdir)(), "tool-cache");
    return (0,external_node_path_.join)(root, "pulumi", normaliseVersion(version), arch);
}
/** Whether a version is in the tool cache whole (tool-cache writes the marker last). */
function isCached(version, arch = process.arch) {
    return (0,external_node_fs_.existsSync)(`${cachedToolDir(version, arch)}.complete`);
}
/** Copies the CLI's binaries into the tool cache, marker last, as tool-cache's cacheDir does. */
function storeInCache(binaries, version, arch = process.arch) {
    const target = cachedToolDir(version, arch);
    (0,external_node_fs_.rmSync)(`${target}.complete`, { force: true });
    (0,external_node_fs_.rmSync)(target, { recursive: true, force: true });
    (0,external_node_fs_.cpSync)(binaries, target, { recursive: true });
    (0,external_node_fs_.writeFileSync)(`${target}.complete`, "");
    return target;
}
class DownloadFailed extends Error {
    status;
    constructor(status, url) {
        super(`HTTP ${status} for ${url}`);
        this.status = status;
    }
}
/** GitHub's release downloads redirect to their storage host, once or twice. */
const MAX_REDIRECTS = 5;
/** A connection that sends nothing for this long is given up on (and tried again). */
const IDLE_TIMEOUT_MS = 60_000;
/** The answer to one GET, through the environment's proxy when it names one for the host. */
function get(url) {
    const client = url.protocol === "https:" ? external_node_https_ : external_node_http_;
    const agent = (0,http_transport/* proxyAwareAgent */.QH)(url, false);
    return new Promise((resolve, reject) => {
        const request = client.get(url, { agent, timeout: IDLE_TIMEOUT_MS }, resolve);
        request.on("timeout", () => request.destroy(new Error(`no data from ${url.host} for ${IDLE_TIMEOUT_MS / 1000}s`)));
        request.on("error", reject);
    });
}
/** Streams `url` to `path`, following redirects. */
async function downloadOnce(url, path) {
    let target = new URL(url);
    for (let hop = 0;; hop++) {
        const response = await get(target);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
            response.resume();
            target = new URL(location, target);
            continue;
        }
        if (status !== 200) {
            response.resume();
            throw new DownloadFailed(status, url);
        }
        await (0,promises_.pipeline)(response, (0,external_node_fs_.createWriteStream)(path));
        return;
    }
}
/** Downloads to `path`; a dropped connection or a 5xx is tried again, a 404 is not. */
async function download(url, path) {
    await (0,retry/* retry */.L5)(() => downloadOnce(url, path), {
        tries: 3,
        waitMs: (failures) => 2_000 * failures,
        retryError: (error) => !(error instanceof DownloadFailed) || (0,retry/* isTransientStatus */.Dm)(error.status),
    });
}
async function installRelease(version) {
    const assets = releaseAssets(version);
    const work = stepTempDir("pulumi-install");
    const archive = (0,external_node_path_.join)(work, assets.archive);
    const checksums = (0,external_node_path_.join)(work, "checksums.txt");
    await download(assets.archiveUrl, archive);
    await download(assets.checksumsUrl, checksums);
    await verifyChecksum(archive, assets.archive, (0,external_node_fs_.readFileSync)(checksums, "utf8"));
    // bsdtar (Windows, macOS) reads zip and tar.gz alike; GNU tar detects the compression.
    const extracted = (0,external_node_path_.join)(work, "extracted");
    (0,external_node_fs_.mkdirSync)(extracted);
    const { exitCode, stderr } = await exec("tar", ["-xf", archive, "-C", extracted], {
        timeoutMs: 5 * 60_000,
    });
    if (exitCode !== 0)
        throw new Error(`tar could not extract ${assets.archive}: ${stderr.trim()}`);
    // The archives hold a `pulumi/` folder: binaries at its top (tar) or in `bin/` (zip).
    storeInCache((0,external_node_path_.join)(extracted, "pulumi", assets.archive.endsWith(".zip") ? "bin" : ""), version);
    (0,external_node_fs_.rmSync)(work, { recursive: true, force: true });
}
/** Makes `pulumi` on PATH the wanted version; a no-op when it already is. */
async function ensurePulumi(wantedVersion) {
    const wanted = normaliseVersion(wantedVersion);
    const installed = await installedVersion();
    if (installed === wanted) {
        (0,runner/* info */.pq)(`Pulumi CLI ${wanted} is already on PATH`);
        return;
    }
    const dir = cachedToolDir(wanted);
    if (isCached(wanted)) {
        (0,runner/* info */.pq)(`Pulumi CLI ${wanted} found in the tool cache (PATH has ${installed ?? "none"})`);
    }
    else {
        (0,runner/* info */.pq)(`Pulumi CLI ${installed ? `on PATH is ${installed}` : "is not on PATH"}; installing ${wanted}`);
        try {
            await installRelease(wanted);
        }
        catch (error) {
            if (error instanceof errors/* ActionError */.l)
                throw error;
            const reason = error instanceof Error ? error.message : String(error);
            throw new errors/* ActionError */.l(`Could not install Pulumi CLI ${wanted}: ${reason}`, {
                title: "Pulumi install failed",
                cause: error,
            });
        }
    }
    prependPath(dir);
}

// EXTERNAL MODULE: ./actions/pulumi-deploy/version-range.ts + 1 modules
var version_range = __webpack_require__(7142);
;// CONCATENATED MODULE: ./actions/pulumi-deploy/missing-stack.ts
/**
 * What to say when the stack does not exist and this run may not create it: which backend
 * was asked, and whether that backend still holds the stack's history. A DIY backend keeps
 * `.pulumi/history/<project>/<stack>/` and `.pulumi/backups/<project>/<stack>/` next to the
 * state file `.pulumi/stacks/<project>/<stack>.json`; history without a state file means the
 * state was lost, and creating the stack again would create every resource again.
 */




/** The project's name from Pulumi.yaml, as the CLI names its folders. */
function projectName(workDir) {
    for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
        const path = (0,external_node_path_.join)(workDir, file);
        if (!(0,external_node_fs_.existsSync)(path))
            continue;
        const match = /^name:\s*["']?([^"'\s#]+)/m.exec((0,external_node_fs_.readFileSync)(path, "utf8"));
        return match?.[1];
    }
    return undefined;
}
function filesIn(dir) {
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
        return 0;
    return (0,external_node_fs_.readdirSync)(dir).filter((name) => name.endsWith(".json")).length;
}
/** The stack's history and backups left in a file:// backend; undefined elsewhere. */
function stackTraces(backend, workDir, stack) {
    const dir = (0,pulumi_backend/* stateDir */.Pn)(backend);
    if (!dir)
        return undefined;
    const name = stack.split("/").pop();
    const project = projectName(workDir);
    const traces = { history: 0, backups: 0, where: [] };
    for (const kind of ["history", "backups"]) {
        // Project-scoped layout first, then the legacy one without the project folder.
        for (const parts of project ? [[project, name], [name]] : [[name]]) {
            const relative = (0,external_node_path_.join)(".pulumi", kind, ...parts);
            const count = filesIn((0,external_node_path_.join)(dir, relative));
            if (count === 0)
                continue;
            traces[kind] += count;
            traces.where.push(relative);
            break;
        }
    }
    return traces;
}
/** The backend in words, without credentials a URL may carry. */
function backendName(backend) {
    if (backend === undefined)
        return "Pulumi Cloud (https://api.pulumi.com)";
    if ((0,redact/* urlCredentials */.O4)(backend) !== undefined)
        return "the backend given (its URL holds credentials)";
    return `the backend ${backend}`;
}
/** The sentence that follows "Stack 'S' does not exist in <backend>". */
function tracesSentence(traces) {
    if (!traces)
        return "";
    if (traces.history === 0 && traces.backups === 0)
        return " No history or backup of it is there either: check the backend path and the stack name, or create the stack once (upsert: true, or `pulumi stack init`).";
    return ` Yet the backend holds its history (${traces.history} update record(s), ${traces.backups} backup(s) in ${traces.where.join(", ")}): its state file is gone. Restore the latest backup with \`pulumi stack import\`; creating the stack again would create every resource again.`;
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/output-budget.ts
/**
 * What fits in GitHub's limit on outputs: "Outputs can be a maximum of 1 MB per job ... Size
 * is approximated based on UTF-16 encoding" (docs.github.com, Passing information between
 * jobs). A stack output larger than that cannot be carried, and a second copy of one (its
 * own step output besides its place in `outputs`) must not push the step over it: every
 * value this step writes is counted against one budget, and what does not fit is left out
 * with the reason, never written in part.
 */
/** 1 MB, decimal: the smaller reading of GitHub's "1 MB", so the limit is never exceeded. */
const OUTPUT_LIMIT_BYTES = 1_000_000;
/** GitHub's approximation: two bytes per UTF-16 code unit, name and value. */
function outputBytes(name, value) {
    return 2 * (name.length + value.length);
}
const omittedMarker = (bytes) => `[omitted: ${bytes} bytes, over GitHub's 1 MB output limit]`;
/**
 * `declared` (small: counts, paths, flags) always; then `outputs` (the stack's outputs,
 * secrets hidden: what other jobs read), its largest top-level values replaced by a marker
 * until it fits; then each stack output's own step output while the budget lasts.
 */
function budgetOutputs(declared, visible, perOutput, limit = OUTPUT_LIMIT_BYTES) {
    const outputs = {};
    const omitted = [];
    let left = limit;
    for (const [name, value] of Object.entries(declared)) {
        outputs[name] = value;
        left -= outputBytes(name, value);
    }
    if (visible) {
        const shown = { ...visible };
        let json = JSON.stringify(shown);
        const bySize = Object.keys(shown)
            .map((key) => [key, JSON.stringify(shown[key] ?? null).length])
            .sort((a, b) => b[1] - a[1]);
        for (const [key, chars] of bySize) {
            if (outputBytes("outputs", json) <= left)
                break;
            shown[key] = omittedMarker(2 * chars);
            omitted.push(`stack output '${key}' (${2 * chars} bytes) is left out of 'outputs': GitHub allows 1 MB of outputs per job`);
            json = JSON.stringify(shown);
        }
        if (outputBytes("outputs", json) <= left) {
            outputs.outputs = json;
            left -= outputBytes("outputs", json);
        }
    }
    for (const [name, value] of Object.entries(perOutput)) {
        const bytes = outputBytes(name, value);
        if (bytes > left) {
            omitted.push(`stack output '${name}' (${bytes} bytes) is not a step output of its own: it would take this step's outputs past GitHub's 1 MB per job`);
            continue;
        }
        outputs[name] = value;
        left -= bytes;
    }
    return { outputs, omitted };
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/raw-output.ts
/**
 * The `output` output: what the command printed, as pulumi/actions v7 exposes it (the
 * Automation API result's stdout). It is written last, in what GitHub's 1 MB per job leaves
 * after every other output (output-budget.ts): when it does not fit, its beginning is
 * dropped, as the end holds the summary and the stack's outputs, and a first line says how
 * much was dropped. The caller redacts it before.
 */

const NAME = "output";
/** `text`, or its tail under a line saying what was left out, within `bytesLeft`. */
function fitRawOutput(text, bytesLeft) {
    if (outputBytes(NAME, text) <= bytesLeft)
        return text;
    const marker = (chars) => `[the first ${chars} characters are left out: GitHub allows 1 MB of outputs per job]\n`;
    // The marker's own length, with room for the count's digits.
    const room = Math.floor(bytesLeft / 2) - NAME.length - marker(text.length).length;
    if (room <= 0)
        return undefined;
    let tail = text.slice(text.length - room);
    // Whole lines only, where there is a line break to start at.
    const lineStart = tail.indexOf("\n");
    if (lineStart >= 0 && lineStart < tail.length - 1)
        tail = tail.slice(lineStart + 1);
    return marker(text.length - tail.length) + tail;
}
/** What is left of GitHub's limit after the outputs already written. */
function bytesLeft(written, limit = OUTPUT_LIMIT_BYTES) {
    return Object.entries(written).reduce((left, [n, v]) => left - outputBytes(n, v), limit);
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/lock.ts
/**
 * The stack lock a stopped `up`, `destroy` or `refresh` left behind. The real CLI (3.274.1,
 * pkg/backend/cancellation_scope.go) cancels on the first SIGINT/SIGTERM and terminates on
 * the second; either way it unlocks before it exits (seen on the real engine:
 * test/real-pulumi/pulumi-deploy-parity.test.ts). Only a CLI killed (SIGKILL) leaves the
 * lock: a DIY backend keeps the lock file `.pulumi/locks/<org>/<project>/<stack>/<id>.json`
 * holding the CLI's pid and host, Pulumi Cloud an update in progress. Either way the next
 * run fails "locked" until `pulumi cancel` clears it, which is done here, and only when the
 * evidence says the lock is this run's: `pulumi cancel` would as readily end another run's
 * update.
 */





/** Enough for the CLI to start and make one backend call. */
const CANCEL_TIMEOUT_MS = 60_000;
/** Kept free before the cancelled step's deadline, to report and exit. */
const DEADLINE_MARGIN_MS = 500;
function lockFiles(dir) {
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
        return [];
    return (0,external_node_fs_.readdirSync)(dir, { recursive: true, encoding: "utf8" })
        .filter((name) => name.endsWith(".json"))
        .map((name) => (0,external_node_path_.join)(dir, name));
}
/** A lock file in the backend written by this process id on this host. */
function holdsFileLock(backendDir, pid) {
    return lockFiles((0,external_node_path_.join)(backendDir, ".pulumi", "locks")).some((file) => {
        try {
            const lock = JSON.parse((0,external_node_fs_.readFileSync)(file, "utf8"));
            return lock.pid === pid && lock.hostname === (0,external_node_os_.hostname)();
        }
        catch {
            return false;
        }
    });
}
/** The engine had started, so the update (and its lock) was this run's. */
function updateStarted(eventLog) {
    return eventLog !== undefined && (0,external_node_fs_.existsSync)(eventLog) && (0,external_node_fs_.statSync)(eventLog).size > 0;
}
/** Whether the stopped run left the stack locked, by the evidence its backend keeps. */
function leftLock({ result, backendUrl, eventLog }) {
    if (!result.stoppedBy || result.pid === undefined)
        return false;
    const dir = (0,pulumi_backend/* stateDir */.Pn)(backendUrl);
    if (dir !== undefined)
        return holdsFileLock(dir, result.pid);
    // Elsewhere the lock cannot be read: a CLI that exited on its own after a signal released
    // it; one killed after the engine started held it.
    return result.signal === "SIGKILL" && updateStarted(eventLog);
}
/** How long `pulumi cancel` may take: within what is left of a cancelled step. */
function cancelTimeoutMs() {
    return Math.max(0, Math.min(CANCEL_TIMEOUT_MS, (0,cancel/* timeLeftMs */.bB)() - DEADLINE_MARGIN_MS));
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/plan.ts
const COUNTED = ["create", "update", "delete", "replace", "same"];
/** Pulumi marks a secret in serialised state with this signature key. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const HIDDEN_KEYS = new Set(["__defaults", "__provider", "__meta", "__inputs"]);
const VALUE_CHARS = 160;
function emptyCounts() {
    return { create: 0, update: 0, delete: 0, replace: 0, same: 0 };
}
function hasChanges(counts) {
    return counts.create + counts.update + counts.delete + counts.replace > 0;
}
function countsFrom(summary) {
    const counts = emptyCounts();
    for (const key of COUNTED) {
        const n = summary?.[key];
        if (typeof n === "number")
            counts[key] = n;
    }
    return counts;
}
/** `urn:pulumi:STACK::PROJECT::PARENT$TYPE::NAME` -> its type and name. */
function typeAndName(urn, type) {
    const parts = urn.split("::");
    const name = parts.length >= 4 ? parts.slice(3).join("::") : urn;
    const qualified = type ?? parts[2] ?? "";
    return { type: qualified.split("$").pop() ?? qualified, name };
}
function shown(value, redact) {
    if (value !== null && typeof value === "object" && SECRET_SIG in value)
        return "[secret]";
    const json = redact(JSON.stringify(value) ?? "undefined");
    return json.length > VALUE_CHARS ? `${json.slice(0, VALUE_CHARS - 1)}…` : json;
}
function propertyDiff(step, redact) {
    const before = (step.old ?? step.oldState)?.inputs ?? {};
    const after = (step.new ?? step.newState)?.inputs ?? {};
    const keys = step.detailedDiff
        ? Object.keys(step.detailedDiff).map((path) => path.split(/[.[]/)[0] ?? path)
        : (step.diffs ?? [...new Set([...Object.keys(before), ...Object.keys(after)])]);
    const lines = [];
    for (const key of [...new Set(keys)].sort()) {
        if (HIDDEN_KEYS.has(key))
            continue;
        const had = Object.hasOwn(before, key);
        const has = Object.hasOwn(after, key);
        if (step.op === "delete" || !has) {
            if (had && step.op !== "delete")
                lines.push(`    - ${key}: ${shown(before[key], redact)}`);
        }
        else if (!had || step.op === "create") {
            lines.push(`    + ${key}: ${shown(after[key], redact)}`);
        }
        else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
            lines.push(`    ~ ${key}: ${shown(before[key], redact)} => ${shown(after[key], redact)}`);
        }
    }
    return lines;
}
function toChange(step, redact) {
    const op = step.op ?? "same";
    // Replacement sub-steps belong to their `replace` step; `same` and reads change nothing.
    if (["same", "read", "create-replacement", "delete-replaced", "refresh"].includes(op))
        return undefined;
    const urn = step.urn ?? "";
    const { type, name } = typeAndName(urn, step.type ?? (step.new ?? step.newState ?? step.old ?? step.oldState)?.type);
    return { op, urn, type, name, diff: propertyDiff(step, redact) };
}
const identity = (text) => text;
/** `pulumi preview --json`: `{steps, changeSummary, duration}` (duration in nanoseconds). */
function planFromPreview(document, redact = identity) {
    const doc = (document ?? {});
    const changes = (doc.steps ?? [])
        .map((s) => toChange(s, redact))
        .filter((c) => c !== undefined);
    const counts = doc.changeSummary ? countsFrom(doc.changeSummary) : countOps(doc.steps ?? []);
    const errors = (doc.diagnostics ?? [])
        .filter((d) => d.severity === "error" && d.message)
        .map((d) => redact((d.message ?? "").trim()));
    return {
        counts,
        changes,
        durationSeconds: typeof doc.duration === "number" ? Math.round(doc.duration / 1e9) : undefined,
        failed: [],
        errors,
    };
}
function countOps(steps) {
    const counts = emptyCounts();
    for (const step of steps) {
        const op = step.op ?? "same";
        if (COUNTED.includes(op))
            counts[op] += 1;
    }
    return counts;
}
/** Engine events, one JSON object a line; lines that are not JSON objects are skipped. */
function planFromEvents(ndjson, redact = identity) {
    const steps = [];
    const failed = [];
    const errors = [];
    let summary;
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
        if (event.resourcePreEvent?.metadata)
            steps.push(event.resourcePreEvent.metadata);
        if (event.resOpFailedEvent?.metadata?.urn)
            failed.push(event.resOpFailedEvent.metadata.urn);
        if (event.diagnosticEvent?.severity === "error" && event.diagnosticEvent.message) {
            // Diagnostics carry terminal colour codes like `<{%reset%}>`.
            errors.push(redact(event.diagnosticEvent.message.replace(/<\{%[a-z]+%\}>/g, "").trim()));
        }
        if (event.summaryEvent)
            summary = event.summaryEvent;
    }
    return {
        counts: summary?.resourceChanges ? countsFrom(summary.resourceChanges) : countOps(steps),
        changes: steps.map((s) => toChange(s, redact)).filter((c) => c !== undefined),
        durationSeconds: summary?.durationSeconds,
        failed,
        errors,
    };
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

;// CONCATENATED MODULE: ./actions/pulumi-deploy/plan-markdown.ts
/**
 * The plan or result as markdown for preview-comment: a table of resource changes and a
 * diff, both bounded so a huge stack cannot break a PR comment (GitHub caps them at 65,536
 * characters); whatever is cut is counted. Callers pass a Plan whose values are redacted.
 */

const LIMITS = { rows: 100, diffLines: 200, diffChars: 20_000 };
const SYMBOL = { create: "+", delete: "-", update: "~", replace: "+-" };
const VERB = {
    create: "to create",
    update: "to update",
    delete: "to delete",
    replace: "to replace",
    same: "unchanged",
};
const DONE = {
    create: "created",
    update: "updated",
    delete: "deleted",
    replace: "replaced",
    same: "unchanged",
};
function countsLine(counts, planned) {
    const words = planned ? VERB : DONE;
    return Object.keys(words)
        .map((op) => counts[op] > 0 && op !== "same"
        ? `**${counts[op]}** ${words[op]}`
        : `${counts[op]} ${words[op]}`)
        .join(" · ");
}
function changeTable(changes) {
    const shownRows = changes.slice(0, LIMITS.rows);
    const rows = shownRows.map((c) => [
        `${SYMBOL[c.op] ?? ""} ${cell(c.op)}`.trim(),
        code(c.type),
        cell(c.name),
    ]);
    const rest = changes.length - shownRows.length;
    return (table(["op", "type", "name"], rows) +
        (rest > 0 ? `\n_…and ${rest} more resources, not listed._\n` : ""));
}
/** The diff lines, cut at whichever of the line and character caps comes first. */
function boundedDiff(changes) {
    const lines = changes.flatMap((c) => [
        `${SYMBOL[c.op] ?? "~"} ${c.type} ${c.name} (${c.op})`,
        ...c.diff,
    ]);
    const kept = [];
    let chars = 0;
    for (const line of lines) {
        if (kept.length >= LIMITS.diffLines || chars + line.length + 1 > LIMITS.diffChars)
            break;
        kept.push(line);
        chars += line.length + 1;
    }
    return { body: kept.join("\n"), cut: lines.length - kept.length, total: lines.length };
}
function renderPlan(options) {
    const { command, stack, plan } = options;
    const planned = command === "preview";
    const parts = [
        `### Pulumi ${markdown_text(command)} of ${code(stack)}${options.failed ? " failed" : ""}\n`,
    ];
    if (options.failed)
        parts.push(`> ${markdown_text(options.failed)}\n`);
    parts.push(`${countsLine(plan.counts, planned)}\n`);
    if (plan.changes.length === 0) {
        parts.push(planned ? "No changes.\n" : "No resources changed.\n");
        return parts.join("\n");
    }
    parts.push(changeTable(plan.changes));
    const diff = boundedDiff(plan.changes);
    // A fence longer than any backtick run inside keeps the diff from closing it early.
    const fence = "`".repeat(Math.max(3, ...[...diff.body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    const cut = diff.cut > 0 ? `\n_Diff cut: ${diff.cut} of ${diff.total} lines not shown._\n` : "";
    // Plain markdown, no <details>: preview-comment collapses the whole plan itself and
    // escapes HTML in what it is given.
    parts.push(`#### Diff (${diff.total} lines)\n\n${fence}diff\n${diff.body}\n${fence}\n${cut}`);
    return parts.join("\n");
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/stack-outputs.ts
/**
 * Stack outputs, read twice: with `--show-secrets` (plaintext) and without (each secret,
 * at any depth, printed as "[secret]"). Comparing the two finds every secret, so it can be
 * masked before anything is written, and gives a public copy that is safe to print.
 */

const isObject = (v) => v !== null && typeof v === "object";
function split(plain, redacted, secrets) {
    if (redacted === SECRET_PLACEHOLDER && plain !== SECRET_PLACEHOLDER) {
        secrets.push(plain);
        return SECRET_PLACEHOLDER;
    }
    if (isObject(plain) && isObject(redacted) && Array.isArray(plain) === Array.isArray(redacted)) {
        if (Array.isArray(plain))
            return plain.map((item, i) => split(item, redacted[i], secrets));
        return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, split(v, redacted[k], secrets)]));
    }
    if (JSON.stringify(plain) === JSON.stringify(redacted))
        return plain;
    // The two reads disagree where neither says "[secret]" (e.g. the stack changed between
    // them): treat the value as secret rather than guess.
    secrets.push(plain);
    return SECRET_PLACEHOLDER;
}
function splitOutputs(plain, redacted) {
    const secrets = [];
    const visible = split(plain, redacted, secrets);
    return { visible, secrets };
}
/** A step output name the runner accepts and an expression can address. */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/**
 * One step output per top-level stack output, named as the stack names it when it can
 * be, otherwise with `_` for each character an output name cannot hold. Names taken by the
 * action's declared outputs, or by another key, are skipped with the reason.
 */
function perOutputNames(keys, reserved) {
    const names = new Map();
    const skipped = [];
    // The runner's contexts are case-insensitive: `Web` and `web` would be one output.
    const taken = new Set(reserved.map((name) => name.toLowerCase()));
    for (const key of keys) {
        let name = key.replace(/[^A-Za-z0-9_-]/g, "_");
        if (!OUTPUT_NAME.test(name))
            name = `_${name}`;
        if (taken.has(name.toLowerCase())) {
            skipped.push(`stack output '${key}' is not a step output of its own: the name '${name}' is taken; read it from 'outputs'`);
            continue;
        }
        taken.add(name.toLowerCase());
        names.set(key, name);
    }
    return { names, skipped };
}

// EXTERNAL MODULE: ../../main/node_modules/zod/v4/classic/schemas.js + 6 modules
var schemas = __webpack_require__(3758);
;// CONCATENATED MODULE: ./actions/pulumi-deploy/state-diff.ts
/**
 * What a failed update added to a stack, from the stack's state before and after it: the one
 * rule destroy-on-failure obeys. A resource the stack held before the update is never
 * destroyed, whatever the update did to it: a replacement keeps its URN (and `destroy
 * --target <urn>` would hit the old instance too), an update of a stateful resource keeps
 * its data only while the resource lives, and an alias or an import gives an existing object
 * a new URN. Neither is anything they depend on: destroying a dependency would take the
 * dependent with it.
 */

// References are read leniently (an empty one names nothing): a state this cannot read stops
// the cleanup, which is safe but leaves the failed update's resources.
const reference = schemas/* string */.YjP();
/** The fields of a resource in `pulumi stack export` that say what it is and what it needs. */
const StateResource = schemas/* object */.Ikc({
    urn: schemas/* string */.YjP().min(1),
    type: schemas/* string */.YjP().optional(),
    id: schemas/* string */.YjP().optional(),
    parent: reference.optional(),
    dependencies: schemas/* array */.YOg(reference).nullish(),
    propertyDependencies: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* array */.YOg(reference).nullish()).nullish(),
    deletedWith: reference.optional(),
    /** A provider reference, `<provider urn>::<provider id>`. */
    provider: reference.optional(),
    aliases: schemas/* array */.YOg(reference).nullish(),
});
const Export = schemas/* object */.Ikc({
    deployment: schemas/* object */.Ikc({ resources: schemas/* array */.YOg(StateResource).nullish() }),
});
/** The resources of `pulumi stack export`'s document; throws when it is not one. */
function stateResources(exported) {
    const document = Export.parse(JSON.parse(exported));
    return document.deployment.resources ?? [];
}
const isStack = (u) => u.includes("::pulumi:pulumi:Stack::");
const isProvider = (u) => /::pulumi:providers:[^:]+::/.test(u);
/** The URN of a provider reference `urn::id` (a URN itself contains `::`). */
function providerUrn(reference) {
    const cut = reference.lastIndexOf("::");
    return cut > 0 ? reference.slice(0, cut) : reference;
}
function needs(resource) {
    return [
        ...(resource.parent ? [resource.parent] : []),
        ...(resource.dependencies ?? []),
        ...Object.values(resource.propertyDependencies ?? {}).flatMap((urns) => urns ?? []),
        ...(resource.deletedWith ? [resource.deletedWith] : []),
        ...(resource.provider ? [providerUrn(resource.provider)] : []),
    ].filter((u) => u !== "");
}
/**
 * The URNs destroy-on-failure may target: resources in `after` that did not exist in
 * `before` (by URN, by alias, or by type and physical ID) and that nothing kept depends on.
 * The stack and providers are left (they are shared, and a provider removes nothing).
 * Every dependent of a returned URN is returned too, so `destroy --target` needs no
 * `--target-dependents`, which could reach beyond this set.
 */
function addedByUpdate(before, after) {
    const urns = new Set(before.map((r) => r.urn));
    const objects = new Set(before.filter((r) => r.id).map((r) => `${r.type}\u0000${r.id}`));
    const existed = (r) => urns.has(r.urn) ||
        (r.aliases ?? []).some((alias) => urns.has(alias)) ||
        (r.id !== undefined && r.id !== "" && objects.has(`${r.type}\u0000${r.id}`));
    // Kept: what existed, and everything something kept needs, to a fixed point. A URN may
    // appear twice (an instance pending deletion): one kept instance keeps the URN.
    const kept = new Set(after.filter(existed).map((r) => r.urn));
    const pending = [...kept];
    const byUrn = new Map();
    for (const r of after)
        byUrn.set(r.urn, [...(byUrn.get(r.urn) ?? []), r]);
    while (pending.length > 0) {
        for (const r of byUrn.get(pending.pop()) ?? []) {
            for (const needed of needs(r)) {
                if (!kept.has(needed)) {
                    kept.add(needed);
                    pending.push(needed);
                }
            }
        }
    }
    return [...new Set(after.map((r) => r.urn))].filter((u) => !kept.has(u) && !isStack(u) && !isProvider(u));
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/summary.ts
/** The job summary: command, stack, change counts, duration, outputs with secrets hidden. */


const summary_VALUE_CHARS = 120;
function shownValue(value) {
    const json = typeof value === "string" ? value : JSON.stringify(value);
    return json.length > summary_VALUE_CHARS ? `${json.slice(0, summary_VALUE_CHARS - 1)}…` : json;
}
function renderSummary(facts) {
    const status = facts.failure ? "failed" : "succeeded";
    const parts = [
        `## Pulumi ${markdown_text(facts.command)} of ${code(facts.stack)} ${status} in ${facts.durationSeconds}s\n`,
    ];
    if (facts.failure)
        parts.push(`> ${markdown_text(facts.failure)}\n`);
    if (facts.note)
        parts.push(`${markdown_text(facts.note)}\n`);
    if (facts.counts)
        parts.push(`${countsLine(facts.counts, facts.command === "preview")}\n`);
    const entries = Object.entries(facts.outputs ?? {});
    if (entries.length > 0) {
        parts.push(table(["output", "value"], entries.map(([k, v]) => [code(k), cell(shownValue(v))])));
    }
    return parts.join("\n");
}

;// CONCATENATED MODULE: ./actions/pulumi-deploy/deploy.ts
/**
 * The work of pulumi-deploy once inputs are valid: select (or create) the stack, set its
 * config and images, run the command, read the outputs, and publish what is known, also
 * when the command failed.
 */























const DECLARED_OUTPUTS = [
    "outputs",
    "summary",
    "has-changes",
    "markdown-file",
    "duration-seconds",
    "output",
];
/** `backend`: the resolved backend URL (shared/pulumi/backend.ts), undefined for Pulumi Cloud. */
async function deploy(i, config, backend) {
    const started = Date.now();
    if (i.pulumiVersion)
        await ensurePulumi(await (0,version_range/* resolvePulumiVersion */.p5)(i.pulumiVersion, installedVersion));
    // A plugin folder of this step's own: on a reused runner, ~/.pulumi/plugins holds
    // providers that any earlier job (a pull request's program among them) could replace.
    if (i.isolatePlugins)
        process.env.PULUMI_HOME = stepTempDir("pulumi-plugins");
    const cli = createCli({ cwd: (0,external_node_path_.resolve)(i.workDir), backendUrl: backend, retries: i.retries });
    const known = {
        selected: false,
        created: false,
    };
    let failure;
    try {
        await runCommand(i, config, cli, known, backend);
    }
    catch (error) {
        if (i.command === "preview")
            known.previewDocument ??= failureStdout(error);
        failure = describeFailure(error, failureContext(i));
        const stopped = failedRun(error);
        if (stopped && i.command !== "preview" && i.command !== "output") {
            const lock = { result: stopped, backendUrl: backend, eventLog: known.eventLog };
            if (leftLock(lock))
                failure = await clearLeftLock(i, cli, failure);
        }
        // A cancelled step starts nothing more: the runner kills what is left within seconds.
        if (!(0,cancel/* cancelledBy */.tK)()) {
            if (i.destroyOnFailure && i.command === "up" && deploy_updateStarted(known)) {
                failure = await destroyAfterFailure(i, cli, failure, known);
            }
            if (stopped && known.selected && ["up", "refresh", "destroy"].includes(i.command)) {
                failure = await reportPendingCreates(i, cli, failure);
            }
            // Outputs carry what is known: a stack keeps its outputs through a failed update, and
            // through destroy-on-failure of what that update created (a stack destroyed whole has
            // none: known.plain is set then).
            if (!known.plain && known.selected && i.command !== "destroy") {
                await readOutputs(i, cli, known).catch(() => undefined);
            }
        }
    }
    publish(i, known, Math.round((Date.now() - started) / 1000), failure);
    if (failure)
        throw failure;
}
/**
 * `pulumi cancel` for the lock the stopped command left (lock.ts says when), so that the
 * next run is not blocked; the outcome is added to the failure.
 */
async function clearLeftLock(i, cli, failure) {
    let cleared = false;
    try {
        cleared = (await cli.cancel(i.stackName, cancelTimeoutMs())).exitCode === 0;
    }
    catch {
        // The CLI could not start: said below like any other failure to clear the lock.
    }
    const outcome = cleared
        ? `The stopped command left stack ${i.stackName} locked: \`pulumi cancel\` cleared the lock.`
        : `The stopped command left stack ${i.stackName} locked and \`pulumi cancel\` failed: run \`pulumi cancel --stack ${i.stackName}\` before the next update.`;
    (0,runner/* info */.pq)(outcome);
    return new errors/* ActionError */.l(failure.message, {
        title: failure.title,
        details: [...failure.details, outcome],
        cause: failure,
    });
}
/**
 * Creates the stopped command left pending: every later `up` warns about them and no run
 * clears them, while the resources may exist in the cloud untracked. Said in the failure,
 * with what to do; a failure to read the state adds nothing.
 */
async function reportPendingCreates(i, cli, failure) {
    const urns = await cli.pendingCreates(i.stackName).catch(() => []);
    if (urns.length === 0)
        return failure;
    const outcome = `${urns.length} pending CREATE operation(s) left in stack ${i.stackName}: ${urns.join(", ")}. Each resource may exist in the cloud without being in the state: import it (pulumi import), or once none exists run refresh with clear-pending-creates: true.`;
    (0,runner/* info */.pq)(outcome);
    return new errors/* ActionError */.l(failure.message, {
        title: failure.title,
        details: [...failure.details, outcome],
        cause: failure,
    });
}
/**
 * Whether the failed update got as far as changing resources. A lock, a 409, a bad
 * passphrase or a failed preview phase (its steps are only `planning`) stops it before that,
 * and destroying then would tear down an environment that another run may be updating.
 */
function deploy_updateStarted(known) {
    return deploy_engineFacts(known)?.updateStarted ?? false;
}
function deploy_engineFacts(known) {
    if (!known.eventLog || !(0,external_node_fs_.existsSync)(known.eventLog))
        return undefined;
    return factsFromEvents((0,external_node_fs_.readFileSync)(known.eventLog, "utf8"));
}
function failureContext(i) {
    return { stack: i.stackName, tries: i.retries + 1, redact: redact/* redact */.E$ };
}
/** Selects the stack; creates it only when the CLI said it does not exist and upsert allows. */
async function deploy_selectStack(i, cli, known, backend) {
    // Creating a stack only to destroy it is never wanted, whatever upsert says.
    const upsert = willUpsert(i);
    const result = await cli.select(i.stackName, {
        create: upsert,
        secretsProvider: i.secretsProvider,
    });
    if (result === "created") {
        (0,runner/* info */.pq)(`Created stack ${i.stackName}`);
        known.created = true;
    }
    if (result !== "missing")
        return true;
    if (i.command === "destroy")
        return false;
    throw missingStack(i, backend, upsert ? "" : " and upsert is false");
}
/** The stack is not there: say where it was looked for and what the backend still holds. */
function missingStack(i, backend, why) {
    const traces = stackTraces(backend, (0,external_node_path_.resolve)(i.workDir), i.stackName);
    return new errors/* ActionError */.l(`Stack '${i.stackName}' does not exist in ${backendName(backend)}${why}: pulumi ${i.command} needs an existing stack.${tracesSentence(traces)}`, { title: "Pulumi stack missing" });
}
async function setConfig(i, config, cli) {
    const stack = ["--stack", i.stackName];
    const plain = config.filter((c) => !c.secret).map((c) => `--plaintext=${c.key}=${c.value}`);
    if (plain.length > 0)
        await cli.run(["config", "set-all", ...stack, ...plain]);
    // Secrets go through stdin, never the command line that other processes can read.
    for (const entry of config.filter((c) => c.secret)) {
        // `--` before the key: `pulumi config set --help --secret` exits 0 and sets nothing.
        await cli.run(["config", "set", "--secret", ...stack, "--", entry.key], {
            stdin: entry.value,
        });
    }
    const images = Object.entries(i.images).map(([name, ref]) => `--plaintext=images.${name}=${ref}`);
    if (images.length > 0)
        await cli.run(["config", "set-all", "--path", ...stack, ...images]);
}
/** The flags of the inputs, for the command the CLI runs (checks.ts refused what none takes). */
function commandFlags(i, run) {
    const flags = ["--stack", i.stackName];
    if (i.refresh && run !== "refresh")
        flags.push("--refresh");
    if (i.expectNoChanges && run !== "destroy")
        flags.push("--expect-no-changes");
    for (const urn of i.target)
        flags.push("--target", urn);
    if (i.targetDependents)
        flags.push("--target-dependents");
    for (const urn of i.exclude)
        flags.push("--exclude", urn);
    if (i.excludeDependents)
        flags.push("--exclude-dependents");
    if (run === "preview" || run === "up") {
        for (const urn of i.replace)
            flags.push("--replace", urn);
        for (const pack of i.policyPacks)
            flags.push("--policy-pack", pack);
        for (const config of i.policyPackConfigs)
            flags.push("--policy-pack-config", config);
    }
    if (i.diff)
        flags.push("--diff");
    if (i.parallel > 0)
        flags.push("--parallel", String(i.parallel));
    if (i.suppressOutputs)
        flags.push("--suppress-outputs");
    if (i.suppressProgress)
        flags.push("--suppress-progress");
    if (i.debug)
        flags.push("--debug");
    if (i.continueOnError && (run === "up" || run === "destroy"))
        flags.push("--continue-on-error");
    if (i.message)
        flags.push("--message", i.message);
    // Update plans (pkg/cmd/pulumi/operations: preview --save-plan, up --plan).
    if (i.plan !== undefined && i.command === run) {
        const path = (0,external_node_path_.resolve)(i.workDir, i.plan);
        if (run === "preview")
            flags.push("--save-plan", path);
        if (run === "up")
            flags.push("--plan", path);
    }
    if (run === "refresh" && i.clearPendingCreates)
        flags.push("--clear-pending-creates");
    if (run === "destroy" && i.excludeProtected)
        flags.push("--exclude-protected");
    if (run === "destroy" && i.removeStack)
        flags.push("--remove");
    return flags;
}
async function runCommand(i, config, cli, known, backend) {
    const state = (0,pulumi_backend/* stateDir */.Pn)(backend);
    if (!stateReady(i, state) || !(await deploy_selectStack(i, cli, known, backend))) {
        known.note = `Stack ${i.stackName} does not exist: nothing to destroy.`;
        known.plan = { counts: emptyCounts(), changes: [], failed: [], errors: [] };
        known.plain = known.visible = {};
        (0,runner/* info */.pq)(known.note);
        return;
    }
    known.selected = true;
    await setConfig(i, config, cli);
    known.eventLog = (0,external_node_path_.join)(stepTempDir("pulumi-deploy"), "events.ndjson");
    const eventLog = known.eventLog;
    const timeoutMs = i.timeoutMinutes * 60_000;
    if (i.command === "preview" || (i.command === "up" && i.expectNoChanges)) {
        // A drift check of `up` is a preview: `up --expect-no-changes` checks only after applying.
        const { stdout } = await cli.run(["preview", "--json", ...commandFlags(i, "preview")], {
            echo: false,
            eventLog,
            timeoutMs,
        });
        known.previewDocument = known.output = stdout;
        // Without a plan, has-changes would be missing and a gate on it would read "no changes".
        if (!isJson(stdout)) {
            throw new errors/* ActionError */.l(`Stack ${i.stackName}: \`pulumi preview --json\` exited 0 but printed no JSON plan, so whether it has changes is unknown`, { title: "Pulumi output unreadable" });
        }
    }
    else if (i.command === "refresh" && i.expectNoChanges) {
        // Likewise `refresh --expect-no-changes` writes the refreshed state before it fails.
        // (The CLI refuses --yes with --preview-only.)
        const { stdout } = await cli.run(["refresh", "--preview-only", ...commandFlags(i, "refresh")], {
            echo: true,
            eventLog,
            timeoutMs,
        });
        known.output = stdout;
    }
    else if (i.command === "up") {
        if (i.destroyOnFailure && !known.created)
            await recordBefore(i, cli, known);
        // The preview is skipped: it would plan the same update a second time.
        const { stdout } = await cli.run(["up", "--yes", "--skip-preview", ...commandFlags(i, "up")], {
            echo: true,
            eventLog,
            timeoutMs,
        });
        known.output = stdout;
    }
    else if (i.command === "refresh" || i.command === "destroy") {
        const { stdout } = await cli.run([i.command, "--yes", ...commandFlags(i, i.command)], {
            echo: true,
            eventLog,
            timeoutMs,
        });
        known.output = stdout;
    }
    else {
        known.eventLog = undefined;
    }
    if (i.command === "destroy")
        known.plain = known.visible = {};
    else
        await readOutputs(i, cli, known);
}
/**
 * A file:// backend's folder: the CLI fails when it is missing ("unable to open state
 * directory"). Created when this run may create the stack; for destroy it means there is no
 * stack to destroy (false); otherwise the stack cannot exist.
 */
function stateReady(i, state) {
    if (!state || (0,external_node_fs_.existsSync)(state))
        return true;
    if (willUpsert(i)) {
        (0,external_node_fs_.mkdirSync)(state, { recursive: true });
        return true;
    }
    if (i.command === "destroy")
        return false;
    throw new errors/* ActionError */.l(`Stack '${i.stackName}' does not exist: the state folder ${state} of the file:// backend is missing, and pulumi ${i.command} needs an existing stack. Check the backend path (cloud-url, PULUMI_BACKEND_URL or backend.url in Pulumi.yaml).`, { title: "Pulumi stack missing" });
}
/** Whether the run may create the stack: never for destroy, by default for preview and up. */
function willUpsert(i) {
    return i.command !== "destroy" && (i.upsert ?? (i.command === "preview" || i.command === "up"));
}
/** Reads the outputs with and without secrets; every secret is masked before anything else. */
async function readOutputs(i, cli, known) {
    const { shown, revealed } = await cli.outputs(i.stackName);
    const split = splitOutputs(revealed, shown);
    // The driver masked what printed as "[secret]"; this also covers values the two reads
    // disagree on (the stack changed in between).
    for (const secret of split.secrets)
        maskDeep(secret);
    known.plain = revealed;
    known.visible = split.visible;
}
/**
 * destroy-on-failure after a failed `up`: a stack this run created goes whole; in an existing
 * one, only what the update added (state-diff.ts), never what the stack held before. Every
 * step may fail (reading the state, the destroy): the update's failure stays the reported
 * one and the outcome of the cleanup is added to it.
 */
async function destroyAfterFailure(i, cli, failure, known) {
    // destroyAdded says what each of its steps did; anything else thrown stops it before the
    // destroy, which is the one step that removes anything.
    const outcome = await destroyAdded(i, cli, known).catch((error) => `stopped (${describeFailure(error, failureContext(i)).message}); nothing was destroyed.`);
    return new errors/* ActionError */.l(failure.message, {
        title: failure.title,
        details: [...failure.details, `destroy-on-failure: ${outcome}`],
        cause: failure,
    });
}
async function destroyAdded(i, cli, known) {
    const kept = `nothing was destroyed: what the failed update created is still in stack ${i.stackName}`;
    let targets = [];
    if (!known.created) {
        if (!known.before) {
            return `the stack's state before the update could not be read (${known.beforeUnread ?? "not read"}), so ${kept}.`;
        }
        let after;
        try {
            after = await readState(i, cli);
        }
        catch (error) {
            return `the stack's state after the failed update could not be read (${describeFailure(error, failureContext(i)).message}), so ${kept}.`;
        }
        targets = addedByUpdate(known.before, after);
        if (targets.length === 0)
            return "the failed update created nothing to destroy.";
    }
    (0,runner/* info */.pq)(`destroy-on-failure: destroying what the failed update of ${i.stackName} created${known.created ? " (the whole new stack)" : `: ${targets.length} resource(s)`}`);
    try {
        // No --target-dependents: every dependent of a target is a target (state-diff.ts), and
        // the flag would reach whatever depends on them.
        const flags = targets.flatMap((urn) => ["--target", urn]);
        await cli.run(["destroy", "--yes", "--stack", i.stackName, ...flags], {
            echo: true,
            timeoutMs: i.timeoutMinutes * 60_000,
        });
    }
    catch (error) {
        return `the destroy failed too: ${describeFailure(error, failureContext(i)).message}`;
    }
    if (known.created)
        known.plain = known.visible = {};
    return "the resources of the failed update were destroyed.";
}
/** The stack's resources (`stack export`: secrets stay encrypted). */
async function readState(i, cli) {
    const { stdout } = await cli.run(["stack", "export", "--stack", i.stackName]);
    try {
        return stateResources(stdout);
    }
    catch {
        throw new errors/* ActionError */.l("`pulumi stack export` printed no readable state", {
            title: "Pulumi output unreadable",
        });
    }
}
/** Records what the stack holds before `up` changes it; a failure only disables the cleanup. */
async function recordBefore(i, cli, known) {
    try {
        known.before = await readState(i, cli);
    }
    catch (error) {
        known.beforeUnread = describeFailure(error, failureContext(i)).message;
    }
}
function isJson(text) {
    try {
        JSON.parse(text);
        return true;
    }
    catch {
        return false;
    }
}
function planOf(known) {
    if (known.plan)
        return known.plan;
    if (known.previewDocument) {
        try {
            return planFromPreview(JSON.parse(known.previewDocument), redact/* redact */.E$);
        }
        catch {
            return undefined;
        }
    }
    if (known.eventLog && (0,external_node_fs_.existsSync)(known.eventLog))
        return planFromEvents((0,external_node_fs_.readFileSync)(known.eventLog, "utf8"), redact/* redact */.E$);
    return undefined;
}
/** Step outputs, the markdown file and the job summary: whatever is known, secrets hidden. */
function publish(i, known, seconds, failure) {
    const plan = planOf(known);
    let markdownFile;
    if (plan) {
        markdownFile = (0,external_node_path_.join)(stepTempDir("pulumi-deploy"), `${i.command}.md`);
        // Redacted whole as well: a non-secret output may still embed a secret config value.
        const markdown = (0,redact/* redact */.E$)(renderPlan({ command: i.command, stack: i.stackName, plan, failed: failure?.message }));
        (0,external_node_fs_.writeFileSync)(markdownFile, markdown);
        // The preview's JSON is not echoed while it runs, so its plan goes to the log here.
        if (i.command === "preview") {
            (0,runner/* startGroup */.Oh)(`Plan: ${countsLine(plan.counts, true).replace(/\*\*/g, "")}`);
            (0,runner/* info */.pq)(markdown);
            (0,runner/* endGroup */.N4)();
        }
    }
    const perOutput = {};
    if (known.plain) {
        const { names, skipped } = perOutputNames(Object.keys(known.plain), DECLARED_OUTPUTS);
        for (const reason of skipped)
            (0,runner/* annotate */.fz)("warning", reason, { title: "Stack output not exposed" });
        for (const [key, name] of names) {
            const value = known.plain[key];
            perOutput[name] = typeof value === "string" ? value : JSON.stringify(value ?? null);
        }
    }
    const declared = { "duration-seconds": String(seconds) };
    if (plan) {
        declared.summary = JSON.stringify(plan.counts);
        declared["has-changes"] = String(hasChanges(plan.counts));
    }
    if (markdownFile)
        declared["markdown-file"] = markdownFile;
    const { outputs, omitted } = budgetOutputs(declared, known.visible ?? {}, perOutput);
    for (const reason of omitted)
        (0,runner/* annotate */.fz)("warning", reason, { title: "Stack output not exposed" });
    const revealed = Object.fromEntries(Object.entries(outputs).filter(([name]) => name in perOutput));
    // A stack's outputs, secret ones too, are what a later step asked for (and are masked).
    setOutputs(revealed, { revealed: true });
    setOutputs(Object.fromEntries(Object.entries(outputs).filter(([name]) => !(name in perOutput))));
    // Last, in what the others left: a secret in it (a program's log line) is redacted first.
    if (known.output !== undefined) {
        const output = fitRawOutput((0,redact/* redact */.E$)(known.output), bytesLeft(outputs));
        if (output !== undefined)
            setOutputs({ output });
    }
    (0,runner/* appendSummary */.fe)(renderSummary({
        command: i.command,
        stack: i.stackName,
        counts: plan?.counts,
        durationSeconds: seconds,
        outputs: known.visible,
        failure: failure?.message,
        note: known.note,
    }));
}


/***/ })

};
