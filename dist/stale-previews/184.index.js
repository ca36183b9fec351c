export const id = 184;
export const ids = [184];
export const modules = {

/***/ 184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  sweep: () => (/* binding */ sweep)
});

// UNUSED EXPORTS: judge

;// CONCATENATED MODULE: ./actions/deploy-gate/names.ts
/**
 * A preview's names, defined once: its stack `[ORG/PROJECT/]pr-N`, its Kubernetes namespace
 * and its GitHub Deployment environment `preview-pr-N`. The gate hands them on to the later
 * jobs, so nothing downstream derives them again.
 */
function previewNames(prNumber, stackProject) {
    const stack = `pr-${prNumber}`;
    return {
        stack: stackProject ? `${stackProject}/${stack}` : stack,
        namespace: `preview-pr-${prNumber}`,
        deploymentEnvironment: `preview-pr-${prNumber}`,
    };
}
/** The ORG/PROJECT of a preview's stack, or undefined for a bare `pr-N` (file://, s3://). */
function stackProjectOf(stack) {
    const slash = stack.lastIndexOf("/");
    return slash < 0 ? undefined : stack.slice(0, slash);
}
/** Whether `stack` is this pull request's preview stack, bare or in an ORG/PROJECT. */
function isPreviewStack(stack, prNumber) {
    return previewNames(prNumber, stackProjectOf(stack)).stack === stack;
}
/** The pull request whose preview a GitHub Deployment environment is, by previewNames' rule. */
function prNumberOfEnvironment(environment) {
    const number = Number(/^preview-pr-([1-9]\d{0,9})$/.exec(environment)?.[1]);
    return Number.isSafeInteger(number) && previewNames(number).deploymentEnvironment === environment
        ? number
        : undefined;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
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
            payload = JSON.parse(readFileSync(path, "utf8"));
        }
        catch (error) {
            throw new ActionError(`Could not read the event payload GITHUB_EVENT_PATH names (${path})`, {
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

// EXTERNAL MODULE: ../../main/node_modules/@octokit/core/dist-src/index.js + 13 modules
var dist_src = __webpack_require__(988);
// EXTERNAL MODULE: ../../main/node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var dist_bundle = __webpack_require__(413);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(500);
// EXTERNAL MODULE: ./actions/shared/cancel.ts
var cancel = __webpack_require__(613);
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

// EXTERNAL MODULE: ./actions/shared/runner.ts + 1 modules
var runner = __webpack_require__(983);
;// CONCATENATED MODULE: ./actions/shared/github-requests.ts
/**
 * How every GitHub request is sent (an Octokit `request` hook), following GitHub's
 * guidance for integrations:
 * - writes go one at a time, each at least a second after the previous one finished;
 * - a rate limit (primary or secondary, 403 or 429) waits as long as GitHub says
 *   (`retry-after`, or until `x-ratelimit-reset`) and tries again, whatever the method:
 *   GitHub refused the request without acting on it;
 * - a 5xx or a lost answer is tried again only when sending the request twice does no
 *   harm (reads, GraphQL queries, PUT, PATCH, DELETE). A POST that creates something is
 *   never repeated blindly: its caller looks for what it created first;
 * - a request that got no answer within its time limit is tried once more, not up to
 *   `tries` times: a server that hung for 20 s rarely answers the next try, and five tries
 *   would hold the step for minutes before saying what hung;
 * - every other answer (401, 404, 422, ...) cannot pass by trying again and is thrown at once.
 */





/** What an Octokit RequestError carries: the answer's headers, when there was an answer. */
function headersOf(error) {
    return (error?.response
        ?.headers ?? {});
}
/** Seconds GitHub asks us to wait before trying again, when the answer is a rate limit. */
function rateLimitWait(error, nowMs = Date.now()) {
    const status = httpStatus(error);
    if (status !== 403 && status !== 429)
        return undefined;
    const headers = headersOf(error);
    const message = error instanceof Error ? error.message : "";
    const retryAfter = Number(headers["retry-after"]);
    if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers["retry-after"] !== undefined)
        return retryAfter;
    if (headers["x-ratelimit-remaining"] === "0") {
        const reset = Number(headers["x-ratelimit-reset"]) * 1000;
        return Math.max(Math.ceil((reset - nowMs) / 1000) + 1, 1);
    }
    // GitHub's advice when a secondary limit names no time: wait at least a minute.
    if (/secondary rate limit/i.test(message) || status === 429)
        return 60;
    return undefined;
}
/** A 5xx, or no answer at all (Octokit reports a failed fetch as a 500 without a response). */
function isTransient(error) {
    const status = httpStatus(error);
    return status === undefined || status >= 500;
}
/** Octokit reports a request that got no answer in time as a 500 caused by our timeout. */
const timedOut = (error) => error?.cause instanceof RequestTimeoutError;
/** Tries of a request that keeps timing out: the first and one more. */
const TIMEOUT_TRIES = 2;
/** Reads, GraphQL queries and the idempotent methods: sending them twice does no harm. */
function isRepeatable(options) {
    const method = options.method.toUpperCase();
    if (method === "POST") {
        return (/^\/graphql\b/.test(options.url) &&
            typeof options.query === "string" &&
            !/^\s*mutation\b/.test(options.query));
    }
    return true;
}
const isWrite = (options) => !["GET", "HEAD"].includes(options.method.toUpperCase()) && !isRepeatableQuery(options);
const isRepeatableQuery = (options) => options.method.toUpperCase() === "POST" && isRepeatable(options);
/** The hook: `client.hook.wrap("request", pacedRequests(policy))`. */
function pacedRequests(policy) {
    let writes = Promise.resolve();
    let nextWriteAt = 0;
    /** Sends one write after the previous one has finished and `writeIntervalMs` has passed. */
    const serially = async (send) => {
        const previous = writes;
        let release = () => { };
        writes = new Promise((resolve) => (release = resolve));
        await previous;
        const wait = nextWriteAt - Date.now();
        if (wait > 0)
            await (0,promises_.setTimeout)(wait);
        try {
            return await send();
        }
        finally {
            nextWriteAt = Date.now() + policy.writeIntervalMs;
            release();
        }
    };
    return async (send, options) => {
        const write = isWrite(options);
        const repeatable = isRepeatable(options);
        const what = `${options.method} ${options.url}`;
        let wait = 0;
        let timeouts = 0;
        return retry(async () => (write ? serially(async () => send(options)) : send(options)), {
            tries: policy.tries,
            retryError: (error) => {
                const limited = rateLimitWait(error);
                if (limited !== undefined) {
                    if (limited > policy.maxWaitSeconds) {
                        (0,runner/* annotate */.fz)("warning", `GitHub rate limit on ${what}: GitHub asks to wait ${limited}s, more than ${policy.maxWaitSeconds}s; giving up`);
                        return false;
                    }
                    wait = limited * 1000;
                    return true;
                }
                if (timedOut(error) && ++timeouts >= TIMEOUT_TRIES)
                    return false;
                if (repeatable && isTransient(error)) {
                    // A 503 may say when to come back; otherwise back off 1 s, 2 s, 4 s, ...
                    const after = Number(headersOf(error)["retry-after"]);
                    wait = Number.isFinite(after) ? Math.min(after, policy.maxWaitSeconds) * 1000 : 0;
                    return true;
                }
                return false;
            },
            // Backoff unit 1 s (shortened in tests); a rate limit waits what GitHub asked.
            waitMs: (failures) => wait || retryBaseMs(1000) * 2 ** (failures - 1),
            onRetry: (reason, failures, waitMs) => {
                const status = "error" in reason ? httpStatus(reason.error) : undefined;
                (0,runner/* debug */.Yz)(`GitHub ${what}: ${status ? `HTTP ${status}` : "no answer"}; try ${failures + 1} in ${Math.round(waitMs / 1000)}s`);
            },
        });
    };
}

;// CONCATENATED MODULE: ./actions/shared/github.ts
/**
 * The GitHub client every action uses: REST and GraphQL through Octokit with pagination;
 * how requests are paced and retried is github-requests.ts. Import it lazily
 * (`await import(...)`) after inputs are validated, so a rejected step never pays for it.
 */






const Client = dist_src/* Octokit */.E.plugin(dist_bundle/* paginateRest */.ud);
/** Per try; GitHub answers in well under a second, a big page in a few. */
const GITHUB_TIMEOUT_MS = 20_000;
function createGitHubClient(token, options = {}) {
    const client = new Client({
        auth: token,
        baseUrl: apiUrl(),
        userAgent: "pulumi-preview-kit",
        // Each try bounded: a connection that never answers costs 20 s, not undici's 300 s.
        request: {
            fetch: (url, init) => boundedFetch(url, { ...init, timeoutMs: requestTimeoutMs(GITHUB_TIMEOUT_MS) }),
        },
    });
    client.hook.wrap("request", pacedRequests({ tries: 5, maxWaitSeconds: 120, writeIntervalMs: 1000, ...options }));
    return client;
}
/** The HTTP status of an Octokit error, if it is one. */
function httpStatus(error) {
    const status = error?.status;
    return typeof status === "number" ? status : undefined;
}
/** A read-only workflow token (fork PRs, `permissions: read`) answers writes with this 403. */
function isReadOnlyTokenError(error) {
    const message = error?.message;
    return (httpStatus(error) === 403 &&
        typeof message === "string" &&
        message.includes("Resource not accessible by integration"));
}
/** Turns an Octokit error into one line a person can act on. */
function gitHubError(action, error) {
    // Octokit reports a request that got no answer as "HTTP 500"; it had no status at all.
    const timedOut = error?.cause instanceof RequestTimeoutError;
    const status = timedOut ? undefined : httpStatus(error);
    const message = error instanceof Error ? error.message : String(error);
    const hint = status === 401
        ? " (the token is invalid or expired)"
        : isReadOnlyTokenError(error)
            ? " (the token lacks a permission: check the job's `permissions:`)"
            : status === 404
                ? " (not found, or the token cannot see it)"
                : "";
    return new errors/* ActionError */.l(`Could not ${action}: ${status ? `HTTP ${status}: ` : ""}${message}${hint}`, {
        title: "GitHub API error",
        cause: error,
    });
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

;// CONCATENATED MODULE: ./actions/stale-previews/sweep.ts
/**
 * The sweep's one decision: which previews outlived their pull request. Candidates are the
 * repository's `preview-pr-N` environments (every preview's deployment-status start makes
 * one); a candidate is stale when its pull request is closed, or open and idle too long.
 */






const DAY_MS = 86_400_000;
async function previewNumbers(client, owner, repo) {
    try {
        const environments = await client.paginate("GET /repos/{owner}/{repo}/environments", {
            owner,
            repo,
            per_page: 100,
        });
        return environments
            .map((environment) => prNumberOfEnvironment(environment.name))
            .filter((pr) => pr !== undefined)
            .sort((a, b) => a - b);
    }
    catch (error) {
        throw gitHubError(`list the environments of ${owner}/${repo}`, error);
    }
}
function judge(pr, pull, idleDays, now) {
    if (pull.state !== "open")
        return { pr, stale: true, reason: `pull request is ${pull.state}` };
    const idle = Math.floor((now - Date.parse(pull.updated_at)) / DAY_MS);
    if (idleDays > 0 && idle > idleDays)
        return { pr, stale: true, reason: `open, idle for ${idle} days (more than ${idleDays})` };
    return { pr, stale: false, reason: "open" };
}
async function sweep(given) {
    const now = Date.now();
    const { owner, repo } = repository();
    const client = createGitHubClient(given.githubToken);
    const verdicts = [];
    for (const pr of await previewNumbers(client, owner, repo)) {
        try {
            const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
                owner,
                repo,
                pull_number: pr,
            });
            verdicts.push(judge(pr, data, given.idleDays, now));
        }
        catch (error) {
            // An environment named like a preview whose pull request is not there (an issue's
            // number, say) is someone else's: leave it.
            if (httpStatus(error) !== 404)
                throw gitHubError(`read pull request #${pr}`, error);
            (0,runner/* annotate */.fz)("warning", `environment preview-pr-${pr} names no pull request: left alone`, {
                title: "Not a preview",
            });
            verdicts.push({ pr, stale: false, reason: "no such pull request" });
        }
    }
    const stale = verdicts.filter((v) => v.stale).map((v) => v.pr);
    setOutputs({ "pr-numbers": stale, count: stale.length });
    (0,runner/* info */.pq)(stale.length === 0
        ? `no stale preview among ${verdicts.length}`
        : `stale previews: ${stale.map((pr) => `#${pr}`).join(", ")}`);
    (0,runner/* appendSummary */.fe)(verdicts.length === 0
        ? "### Stale previews\n\nNo preview environments.\n"
        : `### Stale previews\n\n${table(["pull request", "verdict", "why"], verdicts.map((v) => [`#${v.pr}`, v.stale ? "swept" : "kept", v.reason]))}\n`);
}


/***/ })

};
