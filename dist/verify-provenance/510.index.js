export const id = 510;
export const ids = [510,428];
export const modules = {

/***/ 6428:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createGitHubClient: () => (/* binding */ createGitHubClient),
  gitHubError: () => (/* binding */ gitHubError),
  httpStatus: () => (/* binding */ httpStatus),
  isReadOnlyTokenError: () => (/* binding */ isReadOnlyTokenError)
});

// EXTERNAL MODULE: ../../main/node_modules/@octokit/core/dist-src/index.js + 13 modules
var dist_src = __webpack_require__(988);
// EXTERNAL MODULE: ../../main/node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var dist_bundle = __webpack_require__(2413);
// EXTERNAL MODULE: ./actions/shared/context.ts
var context = __webpack_require__(928);
// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(9336);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./actions/shared/cancel.ts
var cancel = __webpack_require__(613);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
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
var runner = __webpack_require__(7983);
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


/***/ }),

/***/ 510:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  attestationsOf: () => (/* binding */ attestationsOf),
  commitsOf: () => (/* binding */ commitsOf),
  mergedPull: () => (/* binding */ mergedPull),
  previewedDigests: () => (/* binding */ previewedDigests),
  requireUpToDate: () => (/* binding */ requireUpToDate)
});

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

// EXTERNAL MODULE: ./actions/shared/github.ts + 4 modules
var github = __webpack_require__(6428);
// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(9336);
;// CONCATENATED MODULE: ./actions/verify-provenance/github.ts
/**
 * What production reads from GitHub, every call through the kit's client: the pull request
 * the pushed commit merged, its commits, the attestations of a digest, and the preview
 * Deployments of the head, which are only a hint of which digests to try (anyone with
 * `deployments: write` can write one; nothing is promoted on their word).
 */



const noPull = (commit) => new errors/* ActionError */.l(`${commit} was not merged from a pull request: production promotes only what a pull request previewed`, { title: "No pull request" });
/** The pull request whose merge made `commit` (its merge, squash or rebase commit). */
async function mergedPull(client, repo, commit, number) {
    let pull;
    try {
        if (number !== undefined) {
            const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
                ...repo,
                pull_number: number,
            });
            pull = data;
        }
        else {
            const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
                ...repo,
                commit_sha: commit,
                per_page: 100,
            });
            pull = data.find((p) => p.merged_at && p.merge_commit_sha === commit);
        }
    }
    catch (error) {
        throw (0,github.gitHubError)(`read the pull request merged as ${commit}`, error);
    }
    if (!pull?.merged_at || pull.merge_commit_sha !== commit)
        throw noPull(commit);
    return { number: pull.number, headSha: pull.head.sha };
}
async function behindBy(client, repo, base, head) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
        ...repo,
        basehead: `${base}...${head}`,
        per_page: 1,
    });
    return data.behind_by;
}
/** Refuses a head that lacked what the branch held before the merge (it would roll it back). */
async function requireUpToDate(client, repo, pull, before) {
    let behind;
    try {
        behind = await behindBy(client, repo, before, pull.headSha);
    }
    catch (error) {
        throw (0,github.gitHubError)(`compare ${before} with the head of pull request #${pull.number}`, error);
    }
    if (behind > 0)
        throw new errors/* ActionError */.l(`Pull request #${pull.number} was ${behind} commit(s) behind the branch when merged: its preview lacks them, so its images are not promoted; update the branch and preview again (or require branches to be up to date before merging)`, { title: "Branch not up to date" });
}
function commitsOf(client, repo) {
    return {
        async parents(sha) {
            try {
                const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}", {
                    ...repo,
                    ref: sha,
                });
                return data.parents.map((p) => p.sha);
            }
            catch (error) {
                if ((0,github.httpStatus)(error) === 404 || (0,github.httpStatus)(error) === 422)
                    return undefined;
                throw (0,github.gitHubError)(`read commit ${sha}`, error);
            }
        },
        async contains(sha, ancestor) {
            try {
                return (await behindBy(client, repo, ancestor, sha)) === 0;
            }
            catch (error) {
                if ((0,github.httpStatus)(error) === 404)
                    return false;
                throw (0,github.gitHubError)(`compare ${ancestor} with ${sha}`, error);
            }
        },
    };
}
/** The Sigstore bundles stored for a digest (newest first); none is an empty list. */
async function attestationsOf(client, repo, digest) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/attestations/{subject_digest}", { ...repo, subject_digest: digest, per_page: 100 });
        return (data.attestations ?? [])
            .map((a) => a.bundle)
            .filter((bundle) => bundle !== undefined && bundle !== null);
    }
    catch (error) {
        if ((0,github.httpStatus)(error) === 404)
            return [];
        throw (0,github.gitHubError)(`read the attestations of ${digest}`, error);
    }
}
/**
 * The digests each preview Deployment of the head says it ran (payload `digests`, name ->
 * digest), newest first: candidates to verify, nothing more.
 */
async function previewedDigests(client, repo, pull) {
    let deployments;
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", {
            ...repo,
            environment: previewNames(pull.number).deploymentEnvironment,
            sha: pull.headSha,
            per_page: 100,
        });
        deployments = data;
    }
    catch (error) {
        throw (0,github.gitHubError)(`read the preview deployments of pull request #${pull.number}`, error);
    }
    const sets = [];
    const seen = new Set();
    for (const deployment of deployments) {
        let payload = deployment.payload;
        if (typeof payload === "string") {
            try {
                payload = JSON.parse(payload);
            }
            catch {
                continue;
            }
        }
        const digests = payload?.digests;
        if (typeof digests !== "object" || digests === null || Array.isArray(digests))
            continue;
        const key = JSON.stringify(Object.entries(digests).sort());
        if (seen.has(key))
            continue;
        seen.add(key);
        sets.push(digests);
    }
    return sets;
}


/***/ })

};
