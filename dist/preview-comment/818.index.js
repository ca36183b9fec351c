export const id = 818;
export const ids = [818];
export const modules = {

/***/ 818:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  publish: () => (/* binding */ publish)
});

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(500);
// EXTERNAL MODULE: ./actions/shared/context.ts
var context = __webpack_require__(928);
// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(336);
// EXTERNAL MODULE: ../../main/node_modules/@octokit/core/dist-src/index.js + 13 modules
var dist_src = __webpack_require__(988);
// EXTERNAL MODULE: ../../main/node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var dist_bundle = __webpack_require__(413);
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
        baseUrl: (0,context/* apiUrl */.y0)(),
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

// EXTERNAL MODULE: ./actions/shared/paths.ts + 1 modules
var paths = __webpack_require__(17);
// EXTERNAL MODULE: ./actions/shared/redact.ts
var redact = __webpack_require__(754);
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

// EXTERNAL MODULE: ../../main/node_modules/micromark/lib/postprocess.js
var postprocess = __webpack_require__(794);
// EXTERNAL MODULE: ../../main/node_modules/micromark/lib/parse.js + 43 modules
var parse = __webpack_require__(470);
// EXTERNAL MODULE: ../../main/node_modules/micromark/lib/preprocess.js
var preprocess = __webpack_require__(210);
;// CONCATENATED MODULE: ./actions/preview-comment/details.ts
/**
 * Makes a user's markdown (e.g. a Pulumi plan) safe to embed in the comment and cuts it to
 * a length. Which lines are code is decided by a CommonMark parser (micromark), as GitHub's
 * renderer decides it, never by our own scan: a fence whose info string holds a backtick,
 * for one, is no fence. Each code block is written out again inside a fence of our own,
 * longer than any backtick run in it, so its text stays verbatim (GitHub shows code as
 * text: no HTML, no pings). Every other line has HTML escaped (once), @mentions neutralised, and
 * fence runs and image links escaped, so that nothing outside our fences can open one,
 * close one or load anything. A fence cut by the limit is closed.
 */


/** The source's code blocks (fenced and indented) as CommonMark parses them. */
function codeBlocks(source) {
    const events = (0,postprocess/* postprocess */._)((0,parse/* parse */.q)()
        .document()
        .write((0,preprocess/* preprocess */.v)()(source, undefined, true)));
    const blocks = new Map();
    let block;
    let fences = 0;
    // Blank lines inside a block have no value: filled in up to the next line that has one.
    const fillTo = (code, index) => {
        for (let i = (code.lines.at(-1)?.index ?? code.first) + 1; i < index; i++) {
            code.lines.push({ index: i, text: "" });
        }
    };
    for (const [kind, token, context] of events) {
        const index = token.start.line - 1;
        if (token.type === "codeFenced" || token.type === "codeIndented") {
            if (kind === "enter") {
                block = { first: index, last: index, lines: [] };
                fences = 0;
            }
            else if (block) {
                blocks.set(block.first, block);
                block = undefined;
            }
        }
        else if (block && kind === "enter") {
            if (token.type === "codeFencedFence") {
                fences += 1;
                if (fences === 2) {
                    fillTo(block, index);
                    block.last = index;
                }
            }
            else if (token.type === "codeFencedFenceInfo" && fences === 1) {
                const info = context.sliceSerialize(token);
                if (/^[A-Za-z0-9_+-]+$/.test(info))
                    block.language = info;
            }
            else if (token.type === "codeFlowValue") {
                fillTo(block, index);
                block.lines.push({ index, text: context.sliceSerialize(token) });
                block.last = Math.max(block.last, index);
            }
        }
    }
    return blocks;
}
/**
 * A line outside code, made inert: no HTML, no pings, no fence, no image. What pulumi-deploy
 * escaped already is not escaped twice (textOnce).
 */
function inert(line) {
    return textOnce(line)
        .replace(/`{3,}|~{3,}/g, (run) => run.replace(/./g, "\\$&"))
        .replace(/!\[/g, "!\\[");
}
function fenceFor(lines) {
    const longest = Math.max(0, ...lines.flatMap((l) => [...l.text.matchAll(/`+/g)].map((r) => r[0].length)));
    return "`".repeat(Math.max(3, longest + 1));
}
/** The longest safe prefix of `source` (whole lines) that fits in `limit` characters. */
function safeMarkdown(source, limit = Number.POSITIVE_INFINITY) {
    const normalised = source.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    const lines = normalised.split("\n");
    const blocks = codeBlocks(normalised);
    const out = [];
    let length = 0;
    let kept = 0;
    const fits = (line, reserve = 0) => length + line.length + 1 + reserve <= limit;
    const push = (line) => {
        out.push(line);
        length += line.length + 1;
    };
    let index = 0;
    while (index < lines.length) {
        const block = blocks.get(index);
        if (!block) {
            const line = inert(lines[index]);
            if (!fits(line))
                break;
            push(line);
            kept = ++index;
            continue;
        }
        const fence = fenceFor(block.lines);
        // A blank line first: our fence must not continue a paragraph or a table above it.
        const opener = `\n${fence}${block.language ?? ""}`;
        if (!fits(opener, fence.length + 1))
            break;
        push(opener);
        kept = block.first + 1;
        let whole = true;
        for (const line of block.lines) {
            if (!fits(line.text, fence.length + 1)) {
                whole = false;
                break;
            }
            push(line.text);
            kept = line.index + 1;
        }
        push(fence);
        if (!whole)
            break;
        kept = index = block.last + 1;
    }
    return { markdown: out.join("\n"), kept, total: lines.length };
}

;// CONCATENATED MODULE: ./actions/preview-comment/marker.ts
/**
 * The hidden first line that names a comment's key and the run that wrote it. Which run
 * is newer is decided by run id, then run attempt: GitHub gives every new run a higher
 * id, and a re-run keeps its id with a higher attempt. So a late run for an older commit
 * (lower id), or an older attempt, never overwrites what a newer one wrote.
 */
const PREFIX = "<!-- pulumi-preview-kit:preview-comment";
const PATTERN = /^<!-- pulumi-preview-kit:preview-comment key="([A-Za-z0-9_.-]+)" sha="([0-9a-f]*)" run="(\d+)" attempt="(\d+)" -->/;
function formatMarker(marker) {
    return `${PREFIX} key="${marker.key}" sha="${marker.sha}" run="${marker.runId}" attempt="${marker.runAttempt}" -->`;
}
/** The marker a body starts with, if any. */
function parseMarker(body) {
    const found = PATTERN.exec(body ?? "");
    if (!found)
        return undefined;
    const [, key = "", sha = "", runId = "0", runAttempt = "0"] = found;
    return { key, sha, runId: Number(runId), runAttempt: Number(runAttempt) };
}
/** True when `recorded` was written by a later run (or a later attempt of the same run). */
function isNewer(recorded, ours) {
    return recorded.runId !== ours.runId
        ? recorded.runId > ours.runId
        : recorded.runAttempt > ours.runAttempt;
}

;// CONCATENATED MODULE: ./actions/preview-comment/body.ts
/**
 * The comment's markdown, built by priority: status, URLs, digests, timings, details.
 * When the whole would pass GitHub's 65,536-character limit the details are cut first
 * (with a note and a link to the run), then whole tables; the job summary gets it all.
 */



const MAX_BODY = 65_536;
/**
 * The runner drops a step's job summary over 1 MiB whole (AttachmentSizeLimit); the room left
 * for the full body after the summary's own heading and note.
 */
const MAX_SUMMARY_BODY = 1024 * 1024 - 4096;
/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): they make a line read in
 * another order than it runs (the "Trojan Source" trick), and a plan needs none.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const STATUS_LINE = {
    deploying: "⏳ Deploying",
    ready: "✅ Ready",
    failed: "❌ Failed",
    destroyed: "🗑️ Destroyed",
};
function header(parts) {
    const { marker } = parts;
    const commit = marker.sha
        ? parts.commitUrl
            ? `[${code(marker.sha.slice(0, 7))}](${parts.commitUrl})`
            : code(marker.sha.slice(0, 7))
        : undefined;
    const run = parts.runUrl ? `[run ${marker.runId}](${parts.runUrl})` : undefined;
    const facts = [commit && `commit ${commit}`, run].filter(Boolean).join(" · ");
    return `${formatMarker(marker)}\n### Preview ${code(marker.key)}: ${STATUS_LINE[parts.status]}\n\n${facts ? `${facts}\n` : ""}`;
}
function tables(parts) {
    const rows = (record, value) => Object.entries(record).map(([name, v]) => [cell(name), value(v)]);
    const sections = [
        {
            title: "URLs",
            headers: ["name", "URL"],
            rows: rows(parts.urls, (u) => `[${cell(linkTarget(u))}](${linkTarget(u)})`),
        },
        {
            title: "Image digests",
            headers: ["image", "digest"],
            rows: rows(parts.digests, (d) => code(d)),
        },
        { title: "Timings", headers: ["step", "seconds"], rows: rows(parts.timings, (s) => cell(s)) },
    ];
    return sections
        .filter((s) => s.rows.length > 0)
        .map((s) => ({ title: s.title, markdown: `\n#### ${s.title}\n\n${table(s.headers, s.rows)}` }));
}
function cutNote(what, parts, inSummary) {
    const summary = parts.runUrl ? `the [job summary](${parts.runUrl})` : "this run's job summary";
    const log = parts.runUrl ? `the [step's log](${parts.runUrl})` : "this step's log";
    const where = inSummary
        ? `is in ${summary}`
        : `is over the job summary's 1 MiB limit, so it is in ${log}`;
    return `\n> [!NOTE]\n> ${what} cut to fit GitHub's ${MAX_BODY.toLocaleString("en")}-character limit; the full text ${where}.\n`;
}
const detailsBlock = (markdown) => `\n${details("Details", markdown)}`;
function buildBody(given, limit = MAX_BODY) {
    const parts = given.details === undefined ? given : { ...given, details: given.details.replace(BIDI, "") };
    const fullDetails = parts.details === undefined ? "" : detailsBlock(safeMarkdown(parts.details).markdown);
    let comment = header(parts);
    const full = (comment +
        tables(parts)
            .map((t) => t.markdown)
            .join("") +
        fullDetails).replace(BIDI, "");
    const fits = Buffer.byteLength(full, "utf8") <= MAX_SUMMARY_BODY;
    if (full.length <= limit)
        return { comment: full, full, truncated: false, fullFitsSummary: fits };
    // The longest note, reserved up front so that whatever is cut can say so.
    const reserve = cutNote("Image digests and details", parts, fits).length;
    for (const section of tables(parts)) {
        comment +=
            comment.length + section.markdown.length + reserve <= limit
                ? section.markdown
                : cutNote(markdown_text(section.title), parts, fits);
    }
    if (parts.details !== undefined) {
        // 64: the "… N more lines" line after the cut.
        const room = limit - comment.length - reserve - detailsBlock("").length - 64;
        const cut = safeMarkdown(parts.details, Math.max(room, 0));
        if (cut.kept > 0)
            comment += detailsBlock(`${cut.markdown}\n\n_… ${cut.total - cut.kept} more lines_`);
        comment += cutNote("Details", parts, fits);
    }
    return { comment: comment.replace(BIDI, ""), full, truncated: true, fullFitsSummary: fits };
}

;// CONCATENATED MODULE: ./actions/preview-comment/comments.ts
/** The issue-comment API calls: listing through GraphQL, writes through REST. */


/** Thrown when the token may read but not write: the caller falls back to the job summary. */
class ReadOnlyToken extends errors/* ActionError */.l {
}
const LIST_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $after: String) {
  viewer { login databaseId }
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) {
        nodes { databaseId body url author { login ... on Bot { databaseId } ... on User { databaseId } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;
const identity = (login, id) => id == null ? { login } : { login, id };
/**
 * The comments and whose token this is, in one GraphQL query a page (100 comments): a PR
 * with 250 comments costs 3 requests, and no token needs a separate identity lookup.
 */
async function listComments(client, target) {
    const comments = [];
    let viewer;
    let after = null;
    try {
        do {
            const page = await client.graphql(LIST_QUERY, {
                owner: target.owner,
                repo: target.repo,
                number: target.issue_number,
                after,
            });
            // A token GitHub cannot tie to an account answers `viewer: null`: without it, this
            // run's own comment cannot be told from anyone else's.
            if (!page.viewer)
                throw new errors/* ActionError */.l("GitHub's GraphQL API did not say whose token this is (viewer: null), so the step cannot tell its own comment from others': use the job's GITHUB_TOKEN or an app or user token", { title: "Token identity unknown" });
            viewer ??= identity(page.viewer.login, page.viewer.databaseId);
            const connection = page.repository?.pullRequest?.comments;
            if (!connection)
                throw new errors/* ActionError */.l(`Pull request #${target.issue_number} was not found in ${target.owner}/${target.repo}`, { title: "Pull request not found" });
            for (const node of connection.nodes) {
                if (!node)
                    continue;
                comments.push({
                    id: node.databaseId,
                    body: node.body,
                    html_url: node.url,
                    user: node.author && identity(node.author.login, node.author.databaseId),
                });
            }
            after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
        } while (after);
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.l)
            throw error;
        throw gitHubError(`list the comments of pull request #${target.issue_number}`, error);
    }
    return { viewer: viewer, comments };
}
function writeError(what, error) {
    return isReadOnlyTokenError(error)
        ? new ReadOnlyToken(`The token may not ${what}`, { cause: error })
        : gitHubError(what, error);
}
/**
 * Whether the run a marker names exists here, ran for the commit the marker records and got
 * to that attempt. No such run, or a token that may not read runs (`actions: read`), is no.
 */
async function runConfirmed(client, target, claim) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", {
            owner: target.owner,
            repo: target.repo,
            run_id: claim.runId,
        });
        return ((!claim.sha || data.head_sha === claim.sha) && (data.run_attempt ?? 1) >= claim.runAttempt);
    }
    catch (error) {
        const status = httpStatus(error);
        if (status === 403 || status === 404)
            return false;
        throw gitHubError(`confirm that run ${claim.runId} exists`, error);
    }
}
/** The POST got no answer, or a 5xx: GitHub may or may not have written the comment. */
class AnswerLost extends errors/* ActionError */.l {
}
/** One POST, never repeated here: publish.ts looks for the comment before trying again. */
async function createComment(client, target, body) {
    try {
        return (await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            ...target,
            body,
        })).data;
    }
    catch (error) {
        const what = `comment on pull request #${target.issue_number}`;
        const status = httpStatus(error);
        if (status === undefined || status >= 500)
            throw new AnswerLost(gitHubError(what, error).message, { cause: error });
        throw writeError(what, error);
    }
}
/** Undefined when the comment is gone (a racing run deleted it). */
async function updateComment(client, target, id, body) {
    try {
        const { owner, repo } = target;
        return (await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
            owner,
            repo,
            comment_id: id,
            body,
        })).data;
    }
    catch (error) {
        if (httpStatus(error) === 404)
            return undefined;
        throw writeError(`update comment ${id}`, error);
    }
}
/** Deleting what is already gone is success: reruns and racing runs are both fine. */
async function deleteComment(client, target, id) {
    try {
        const { owner, repo } = target;
        await client.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
            owner,
            repo,
            comment_id: id,
        });
    }
    catch (error) {
        if (httpStatus(error) !== 404)
            throw writeError(`delete comment ${id}`, error);
    }
}

;// CONCATENATED MODULE: ./actions/preview-comment/plan.ts

/**
 * The same account? By id when both have one; else by login, where GraphQL writes a bot's
 * login as `my-app` in a comment's `author` but `my-app[bot]` in `viewer`, and REST always
 * adds `[bot]` (a user login can hold no brackets, so the suffix names no one else).
 */
function sameIdentity(a, b) {
    if (a.id !== undefined && b.id !== undefined)
        return a.id === b.id;
    const name = (i) => i.login.toLowerCase().replace(/\[bot\]$/, "");
    return name(a) === name(b);
}
/** This key's comments written by `viewer`, oldest first (ids grow with time). */
function ownComments(comments, key, viewer) {
    return comments
        .filter((c) => parseMarker(c.body)?.key === key && c.user && sameIdentity(c.user, viewer))
        .sort((a, b) => a.id - b.id);
}
/** Markers of `mine` that claim a later run than ours: to be confirmed before they win. */
function newerClaims(mine, ours) {
    return mine
        .map((c) => parseMarker(c.body))
        .filter((m) => m !== undefined && isNewer(m, ours));
}
/**
 * `confirmed` says whether a marker claiming a later run names a run that really exists
 * (anyone writing as the same bot can put any run id in a marker): only confirmed claims
 * make this run leave the comment alone.
 */
function planComment(mode, mine, body, ours, confirmed = () => true) {
    const remove = (comments) => comments.map((c) => ({ kind: "delete", id: c.id }));
    if (mode === "delete")
        return { steps: remove(mine), result: mine.length > 0 ? "deleted" : "unchanged" };
    const [kept, ...duplicates] = mine;
    if (!kept)
        return { steps: [{ kind: "create" }], result: "created" };
    const newer = newerClaims(mine, ours).find(confirmed);
    if (newer) {
        const reason = `run ${newer.runId} (attempt ${newer.runAttempt}, commit ${newer.sha || "unknown"}) is newer than this one`;
        return { steps: remove(duplicates), result: "skipped", kept, reason };
    }
    if (mode === "recreate")
        return { steps: [{ kind: "create" }, ...remove(mine)], result: "created" };
    if (kept.body === body)
        return { steps: remove(duplicates), result: "unchanged", kept };
    return {
        steps: [{ kind: "update", id: kept.id }, ...remove(duplicates)],
        result: "updated",
        kept,
    };
}

;// CONCATENATED MODULE: ./actions/preview-comment/summary.ts
/** The job summary: the result, and the comment's full text (details never cut here). */

function summaryMarkdown(facts) {
    const link = facts.commentUrl ? ` ([comment](${facts.commentUrl}))` : "";
    return [
        `## Preview comment ${code(facts.key)} on #${facts.prNumber}: ${facts.result}${link}`,
        "",
        ...(facts.note ? [`> [!WARNING]\n> ${facts.note}`, ""] : []),
        ...(facts.body ? [facts.body] : []),
        "",
    ].join("\n");
}

;// CONCATENATED MODULE: ./actions/preview-comment/publish.ts
/** Writes, updates or deletes this key's comment, then reports outputs and the job summary. */













/** Tries of a comment POST whose answer is lost, each after looking for the comment. */
const CREATE_TRIES = 3;
class Writer {
    client;
    target;
    key;
    marker;
    body;
    constructor(client, target, key, marker, body) {
        this.client = client;
        this.target = target;
        this.key = key;
        this.marker = marker;
        this.body = body;
    }
    async mine() {
        const { viewer, comments } = await listComments(this.client, this.target);
        return ownComments(comments, this.key, viewer);
    }
    /**
     * A POST is not repeated blindly: when its answer is lost (a 502, a reset connection)
     * the comments are listed again, and only when ours is not there is it sent again.
     */
    async createOnce() {
        for (let attempt = 1;; attempt++) {
            try {
                return await createComment(this.client, this.target, this.body);
            }
            catch (error) {
                if (!(error instanceof AnswerLost) || attempt >= CREATE_TRIES)
                    throw error;
                const written = (await this.mine()).findLast((c) => c.body === this.body);
                if (written) {
                    (0,runner/* info */.pq)(`The answer to the comment's POST was lost, but GitHub wrote it (${written.id})`);
                    return written;
                }
                (0,runner/* info */.pq)(`${error.message}; it was not written: trying again`);
                await (0,promises_.setTimeout)(1000 * attempt);
            }
        }
    }
    /**
     * Creates the comment; then, since a racing run may have created one at the same time,
     * the oldest of this key's comments is the one kept (every run agrees on it): ours is
     * deleted if it is not the oldest, and the oldest gets our body unless a newer run wrote it.
     */
    async create(settle) {
        const created = await this.createOnce();
        if (!settle)
            return { result: "created", comment: created };
        const [oldest] = await this.mine();
        if (!oldest || oldest.id === created.id)
            return { result: "created", comment: created };
        (0,runner/* info */.pq)(`A racing run created comment ${oldest.id} first: keeping it, deleting ${created.id}`);
        await deleteComment(this.client, this.target, created.id);
        const recorded = parseMarker(oldest.body);
        if (recorded && isNewer(recorded, this.marker))
            return { result: "skipped", comment: oldest };
        const updated = await updateComment(this.client, this.target, oldest.id, this.body);
        return updated ? { result: "updated", comment: updated } : this.create(true);
    }
    async update(id) {
        const updated = await updateComment(this.client, this.target, id, this.body);
        // Gone: a racing run deleted it between our listing and our update.
        return updated ? { result: "updated", comment: updated } : this.create(true);
    }
}
async function apply(client, target, plan, writer, mode) {
    let outcome = { result: plan.result, comment: plan.kept };
    for (const step of plan.steps) {
        if (step.kind === "delete")
            await deleteComment(client, target, step.id);
        else if (step.kind === "create")
            outcome = await writer.create(mode === "upsert");
        else
            outcome = await writer.update(step.id);
    }
    return outcome.result === "deleted" ? { result: "deleted" } : outcome;
}
/** The claims of later runs that name a run that exists; the rest are written over. */
async function confirmedClaims(client, target, mine, ours) {
    const confirmed = new Set();
    for (const claim of newerClaims(mine, ours)) {
        const id = `${claim.runId}/${claim.runAttempt}`;
        if (confirmed.has(id))
            continue;
        if (await runConfirmed(client, target, claim))
            confirmed.add(id);
        else
            (0,runner/* info */.pq)(`The comment claims run ${claim.runId} (attempt ${claim.runAttempt}), which this repository has no record of for commit ${claim.sha || "unknown"} (or the token lacks \`actions: read\`): not trusted`);
    }
    return confirmed;
}
async function publish(inputs) {
    const { owner, repo } = (0,context/* repository */.Jk)();
    const target = { owner, repo, issue_number: inputs.prNumber };
    const marker = {
        key: inputs.key,
        sha: inputs.commitSha ?? (0,context/* commitSha */.mJ)() ?? "",
        runId: Number((0,context/* runId */.Vz)() ?? 0),
        runAttempt: Number((0,context/* runAttempt */.Tm)() ?? 1),
    };
    // The listing leaves first and the body is built while it is under way: the first
    // request pays for loading fetch's HTTP stack, which need not wait for the markdown.
    const client = createGitHubClient(inputs.githubToken);
    const listing = listComments(client, target);
    listing.catch(() => { }); // awaited below; a failure is reported there
    // A comment is never masked: whatever the action knows to be secret is redacted from it.
    const built = inputs.status === undefined
        ? undefined
        : buildBody({
            marker,
            status: inputs.status,
            urls: inputs.urls,
            digests: inputs.digests,
            timings: inputs.timings,
            details: inputs.detailsFile === undefined ? undefined : (0,redact/* redact */.E$)(publish_details(inputs.detailsFile)),
            commitUrl: marker.sha
                ? `${(0,context/* serverUrl */.Vd)()}/${owner}/${repo}/commit/${marker.sha}`
                : undefined,
            runUrl: (0,context/* runUrl */.Vp)(),
        });
    const body = built && { ...built, comment: (0,redact/* redact */.E$)(built.comment), full: (0,redact/* redact */.E$)(built.full) };
    if (body?.truncated && body.fullFitsSummary)
        (0,runner/* info */.pq)("The comment is too long for GitHub: details cut; the job summary has them whole.");
    if (body && !body.fullFitsSummary) {
        // The runner would drop the whole summary: the full text goes to the log instead.
        (0,runner/* startGroup */.Oh)("The full comment (over the job summary's 1 MiB limit)");
        (0,runner/* info */.pq)(body.full);
        (0,runner/* endGroup */.N4)();
    }
    const { viewer, comments } = await listing;
    const mine = ownComments(comments, inputs.key, viewer);
    const confirmed = await confirmedClaims(client, target, mine, marker);
    const plan = planComment(inputs.mode, mine, body?.comment, marker, (claim) => confirmed.has(`${claim.runId}/${claim.runAttempt}`));
    if (plan.reason)
        (0,runner/* info */.pq)(`Leaving the comment as it is: ${plan.reason}.`);
    const writer = body === undefined ? undefined : new Writer(client, target, inputs.key, marker, body.comment);
    let outcome;
    let note;
    try {
        outcome = await apply(client, target, plan, writer, inputs.mode);
    }
    catch (error) {
        if (!(error instanceof ReadOnlyToken))
            throw error;
        note =
            `${error.message}: the token is read-only (a fork's pull request, or the job lacks ` +
                "`pull-requests: write`). The comment is in the job summary instead.";
        (0,runner/* annotate */.fz)("warning", note, { title: "Preview comment not written" });
        outcome = { result: "skipped" };
    }
    const { result, comment } = outcome;
    (0,runner/* info */.pq)(`Preview comment '${inputs.key}' on #${inputs.prNumber}: ${result}${comment ? ` (${comment.html_url})` : ""}`);
    setOutputs({ "comment-id": comment?.id, "comment-url": comment?.html_url, result });
    (0,runner/* appendSummary */.fe)(summaryMarkdown({
        key: inputs.key,
        prNumber: inputs.prNumber,
        result,
        commentUrl: comment?.html_url,
        body: body?.fullFitsSummary ? body.full : body?.comment,
        note,
    }));
}
/** The details file, read once as it was checked (paths.ts): a swapped link is refused. */
function publish_details(path) {
    const read = (0,paths/* readConfinedFile */.p)(path);
    if ("problem" in read)
        throw new errors/* InputError */.d([`Input 'details-file' ${read.problem}, got '${path}'`]);
    return read.text;
}


/***/ })

};
