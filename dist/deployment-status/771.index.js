export const id = 771;
export const ids = [771];
export const modules = {

/***/ 771:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  performStep: () => (/* binding */ performStep)
});

// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(336);
// EXTERNAL MODULE: ../../main/node_modules/@octokit/core/dist-src/index.js + 13 modules
var dist_src = __webpack_require__(988);
// EXTERNAL MODULE: ../../main/node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var dist_bundle = __webpack_require__(413);
// EXTERNAL MODULE: ./actions/shared/context.ts
var context = __webpack_require__(928);
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

// EXTERNAL MODULE: ./actions/shared/schemas.ts + 1 modules
var schemas = __webpack_require__(957);
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

// EXTERNAL MODULE: ./actions/deployment-status/payload.ts
var deployment_status_payload = __webpack_require__(188);
;// CONCATENATED MODULE: ./actions/deployment-status/deployments.ts




/** GitHub allows 140 characters; longer descriptions are refused with a 422. */
function shortDescription(text) {
    return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
/** Every deployment of an environment (optionally of one ref), newest first, all pages. */
async function listDeployments(client, repo, environment, ref) {
    try {
        return await client.paginate("GET /repos/{owner}/{repo}/deployments", {
            ...repo,
            environment,
            ...(ref ? { ref } : {}),
            per_page: 100,
        });
    }
    catch (error) {
        throw gitHubError(`list the deployments of environment '${environment}'`, error);
    }
}
const STATES_QUERY = `query($owner: String!, $repo: String!, $environment: String!, $after: String) {
  repository(owner: $owner, name: $repo) {
    deployments(environments: [$environment], first: 100, after: $after) {
      nodes { databaseId latestStatus { state } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
/**
 * Every deployment of an environment with its newest state, 100 a GraphQL query: REST
 * needs one more request per deployment for its status.
 */
async function deploymentStates(client, repo, environment) {
    const states = [];
    let after = null;
    try {
        do {
            const page = await client.graphql(STATES_QUERY, {
                ...repo,
                environment,
                after,
            });
            const connection = page.repository?.deployments;
            if (!connection)
                throw new errors/* ActionError */.l(`Repository ${repo.owner}/${repo.repo} was not found`, {
                    title: "Repository not found",
                });
            for (const node of connection.nodes) {
                if (node?.databaseId == null)
                    continue;
                states.push({ id: node.databaseId, active: node.latestStatus?.state !== "INACTIVE" });
            }
            after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
        } while (after);
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.l)
            throw error;
        throw gitHubError(`read the deployments of environment '${environment}'`, error);
    }
    return states;
}
/** The newest deployment of this environment and ref that the run `runId` created. */
async function findRunDeployment(client, repo, environment, ref, runId) {
    try {
        for await (const page of client.paginate.iterator("GET /repos/{owner}/{repo}/deployments", {
            ...repo,
            environment,
            ref,
            per_page: 100,
        })) {
            const found = page.data.find((deployment) => {
                const payload = deployment.payload;
                const stamp = typeof payload === "object"
                    ? payload[deployment_status_payload/* RUN_KEY */.S]
                    : undefined;
                return String(stamp?.run_id) === runId;
            });
            if (found)
                return found;
        }
        return undefined;
    }
    catch (error) {
        throw gitHubError(`look for the deployment this run created in '${environment}'`, error);
    }
}
async function getDeployment(client, repo, id) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}", {
            ...repo,
            deployment_id: Number(id),
        });
        return data;
    }
    catch (error) {
        if (httpStatus(error) === 404) {
            throw new errors/* ActionError */.l(`Deployment ${id} was not found in ${repo.owner}/${repo.repo}: pass the deployment-id output of this environment's start step`, {
                title: "Deployment not found",
            });
        }
        throw gitHubError(`read deployment ${id}`, error);
    }
}
/**
 * Creates the deployment once. The client never repeats a POST: a 5xx can come after
 * GitHub created it, so before trying again we look for it by this run's stamp.
 */
async function createDeployment(client, repo, wanted, findExisting, attempts = 4) {
    let tried = false;
    const createOnce = async () => {
        if (tried) {
            const existing = await findExisting();
            if (existing)
                return existing;
        }
        tried = true;
        const response = await client.request("POST /repos/{owner}/{repo}/deployments", {
            ...repo,
            ref: wanted.ref,
            task: "deploy",
            environment: wanted.environment,
            description: shortDescription(wanted.description),
            payload: wanted.payload,
            // Merging the default branch into the ref, or waiting for its checks, is the
            // workflow's business; this action records what the workflow deploys.
            auto_merge: false,
            required_contexts: [],
            transient_environment: wanted.transient,
            production_environment: wanted.production,
        });
        if (!("id" in response.data)) {
            throw new errors/* ActionError */.l(`GitHub did not create the deployment: ${response.data.message ?? `HTTP ${response.status}`}`, { title: "Deployment not created" });
        }
        return response.data;
    };
    try {
        return await retry(createOnce, {
            tries: attempts,
            waitMs: (failures) => failures * failures * 500,
            retryError: unanswered,
        });
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.l)
            throw error;
        throw gitHubError(`create a deployment of ${wanted.ref} in '${wanted.environment}'`, error);
    }
}
/** A 5xx, or no status at all: the request never got an answer, so it may have been done or not. */
function unanswered(error) {
    const status = httpStatus(error);
    return !(error instanceof errors/* ActionError */.l) && (status === undefined || status >= 500);
}
/**
 * Whether GitHub counts the environment as production: its newest deployment was created
 * with `production_environment` (GitHub's default for an environment named `production`).
 */
async function markedProduction(client, repo, environment) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", {
            ...repo,
            environment,
            per_page: 1,
        });
        return data[0]?.production_environment === true;
    }
    catch (error) {
        throw gitHubError(`read the newest deployment of environment '${environment}'`, error);
    }
}
/** The deployment's newest status, if it has any. */
async function latestStatus(client, repo, id) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
            ...repo,
            deployment_id: Number(id),
            per_page: 1,
        });
        return data[0];
    }
    catch (error) {
        throw gitHubError(`read the statuses of deployment ${id}`, error);
    }
}
/**
 * Adds a status, tried again on a 5xx or a connection that got no answer. Unlike a
 * deployment, a status needs no look before the retry: GitHub may have recorded the first
 * one, and a second identical status is harmless (the newest status is the deployment's
 * state; GitHub counts nothing per status), while giving up would leave the environment
 * "in progress" or active.
 */
async function createStatus(client, repo, id, status, attempts = 4) {
    const createOnce = async () => {
        const { data } = await client.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
            ...repo,
            deployment_id: Number(id),
            state: status.state,
            description: shortDescription(status.description),
            ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
            ...(status.logUrl ? { log_url: status.logUrl } : {}),
        });
        return data;
    };
    try {
        return await retry(createOnce, {
            tries: attempts,
            waitMs: (failures) => failures * failures * 500,
            retryError: unanswered,
        });
    }
    catch (error) {
        throw gitHubError(`set deployment ${id} to ${status.state}`, error);
    }
}
/** Deletes an environment; a token without admin rights is an answer, not a failure. */
async function deleteEnvironment(client, repo, environment) {
    try {
        await client.request("DELETE /repos/{owner}/{repo}/environments/{environment_name}", {
            ...repo,
            environment_name: environment,
        });
        return "deleted";
    }
    catch (error) {
        const status = httpStatus(error);
        if (status === 404)
            return "absent";
        if (status === 403)
            return "forbidden";
        throw gitHubError(`delete environment '${environment}'`, error);
    }
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

;// CONCATENATED MODULE: ./actions/deployment-status/summary.ts
/** The job summary of each step: what a reader of the run wants to see at a glance. */

const summary_link = (url) => (url ? `[${cell(url)}](${linkTarget(url)})` : "—");
function deploymentSummary(report) {
    const rows = [
        ["Environment", code(report.environment)],
        [
            "Deployment",
            `${report.deploymentId}${report.reused ? " (reused: created earlier by this run)" : ""}`,
        ],
        ["State", `**${cell(report.state)}**`],
        ["Ref", code(report.ref)],
        ["URL", summary_link(report.environmentUrl)],
        ["Log", summary_link(report.logUrl)],
    ];
    return `### Deployment to ${code(report.environment)}: ${cell(report.state)}\n\n${table(["", ""], rows)}`;
}
const OUTCOME = {
    kept: "kept (delete-environment is false)",
    deleted: "deleted",
    absent: "already gone",
    forbidden: "kept: the token has no admin rights to delete it",
};
function deactivationSummary(report) {
    const rows = [
        ["Environment", code(report.environment)],
        ["Deployments", String(report.total)],
        ["Marked inactive now", String(report.deactivated)],
        ["Already inactive", String(report.total - report.deactivated)],
        ["Environment deletion", OUTCOME[report.environmentOutcome]],
    ];
    return `### Environment ${code(report.environment)} deactivated\n\n${table(["", ""], rows)}`;
}

;// CONCATENATED MODULE: ./actions/deployment-status/steps.ts
/** The three steps: start a deployment, finish it, deactivate an environment. */







const shortRef = (ref) => (schemas/* fullSha */.g8.test(ref) ? ref.slice(0, 7) : ref);
async function start(client, repo, settings) {
    const { environment, ref, runId } = settings;
    const findExisting = () => runId ? findRunDeployment(client, repo, environment, ref, runId) : Promise.resolve(undefined);
    // A rerun of the job (or of the whole run) reuses the deployment this run created rather
    // than adding a second one for the same commit.
    let deployment = await findExisting();
    const reused = deployment !== undefined;
    deployment ??= await createDeployment(client, repo, {
        ref,
        environment,
        description: `Deploy ${shortRef(ref)}${runId ? ` from run ${runId}` : ""}`,
        payload: settings.payload,
        transient: settings.transient,
        production: settings.production,
    }, findExisting);
    (0,runner/* info */.pq)(`${reused ? "Reusing" : "Created"} deployment ${deployment.id} of ${shortRef(ref)} in '${environment}'`);
    const latest = reused ? await latestStatus(client, repo, deployment.id) : undefined;
    const environmentUrl = settings.environmentUrl ?? (latest?.environment_url || undefined);
    const status = latest?.state === "in_progress" && (latest.environment_url || undefined) === environmentUrl
        ? latest
        : await createStatus(client, repo, deployment.id, {
            state: "in_progress",
            description: `Deploying ${shortRef(ref)}`,
            environmentUrl,
            logUrl: settings.logUrl,
        });
    report(settings, deployment, status.id, "in_progress", environmentUrl, reused);
}
/** The deployment to finish: the one named, or the newest one this run started. */
async function deploymentToFinish(client, repo, settings) {
    const { environment, ref, runId, deploymentId } = settings;
    if (deploymentId !== undefined) {
        const deployment = await getDeployment(client, repo, deploymentId);
        if (deployment.environment !== environment) {
            throw new errors/* ActionError */.l(`Deployment ${deploymentId} belongs to environment '${deployment.environment}', not '${environment}'`, { title: "Wrong deployment" });
        }
        return deployment;
    }
    const found = runId ? await findRunDeployment(client, repo, environment, ref, runId) : undefined;
    if (!found) {
        throw new errors/* ActionError */.l(`No deployment of ${shortRef(ref)} in '${environment}' was started by this run${runId ? ` (${runId})` : ""}: run step start first, or pass deployment-id`, { title: "No deployment to finish" });
    }
    return found;
}
const FINISHED = {
    success: "Deployed",
    failure: "Deployment failed:",
    error: "Deployment errored:",
    inactive: "Deployment stopped:",
};
async function finish(client, repo, settings) {
    const state = settings.finalState ?? "success";
    const deployment = await deploymentToFinish(client, repo, settings);
    const latest = await latestStatus(client, repo, deployment.id);
    // Every status carries the URL: GitHub shows the "View deployment" button of the newest one.
    const environmentUrl = settings.environmentUrl ?? (latest?.environment_url || undefined);
    const status = latest?.state === state && (latest.environment_url || undefined) === environmentUrl
        ? latest
        : await createStatus(client, repo, deployment.id, {
            state,
            description: `${FINISHED[state]} ${shortRef(deployment.ref)}`,
            environmentUrl,
            logUrl: settings.logUrl,
        });
    if (state === "success")
        await retireEarlier(client, repo, settings, deployment);
    report(settings, deployment, status.id, state, environmentUrl, false);
}
/**
 * GitHub's auto_inactive skips transient deployments, so a preview redeployed on every push
 * would list each one as active. The successes this one replaces are marked inactive,
 * newest first, until one already is (the previous finish handled the older ones).
 */
async function retireEarlier(client, repo, settings, current) {
    if (!current.transient_environment)
        return;
    let retired = 0;
    for (const earlier of await listDeployments(client, repo, settings.environment)) {
        if (earlier.id >= current.id)
            continue;
        const latest = await latestStatus(client, repo, earlier.id);
        if (latest?.state === "inactive")
            break;
        if (latest?.state !== "success")
            continue;
        await createStatus(client, repo, earlier.id, {
            state: "inactive",
            description: `Replaced by deployment ${current.id}`,
            logUrl: settings.logUrl,
        });
        retired++;
    }
    if (retired > 0)
        (0,runner/* info */.pq)(`Marked ${retired} earlier deployment(s) of '${settings.environment}' inactive`);
}
function report(settings, deployment, statusId, state, environmentUrl, reused) {
    setOutputs({ "deployment-id": String(deployment.id), "status-id": String(statusId) });
    (0,runner/* info */.pq)(`Deployment ${deployment.id} in '${settings.environment}' is ${state}${environmentUrl ? ` at ${environmentUrl}` : ""}`);
    (0,runner/* appendSummary */.fe)(deploymentSummary({
        environment: settings.environment,
        deploymentId: deployment.id,
        state,
        ref: deployment.ref,
        environmentUrl,
        logUrl: settings.logUrl,
        reused,
    }));
}
async function deactivate(client, repo, settings) {
    const { environment } = settings;
    // The name is checked before any call (settings.ts); GitHub's own flag needs one.
    if (!settings.allowProduction && (await markedProduction(client, repo, environment))) {
        throw new errors/* ActionError */.l(`Environment '${environment}' is a production environment on GitHub (its newest deployment has production_environment): step deactivate refuses it unless allow-production is true`, { title: "Production environment" });
    }
    // GitHub's auto_inactive never touches transient deployments, so previews pile up as
    // active ones. Their states are read in bulk; only the active ones get a new status,
    // one at a time (the client paces writes a second apart, as GitHub asks of integrations).
    const deployments = await deploymentStates(client, repo, environment);
    let deactivated = 0;
    for (const deployment of deployments.filter((d) => d.active)) {
        await createStatus(client, repo, deployment.id, {
            state: "inactive",
            description: `Environment ${environment} deactivated`,
            logUrl: settings.logUrl,
        });
        deactivated++;
    }
    (0,runner/* info */.pq)(`Marked ${deactivated} of ${deployments.length} deployment(s) of '${environment}' inactive`);
    let outcome = "kept";
    if (settings.deleteEnvironment) {
        outcome = await deleteEnvironment(client, repo, environment);
        if (outcome === "forbidden") {
            (0,runner/* annotate */.fz)("warning", `Environment '${environment}' was kept: deleting it needs a token with repository administration rights (the workflow token has none); its deployments are inactive`, { title: "Environment not deleted" });
        }
        else {
            (0,runner/* info */.pq)(outcome === "deleted"
                ? `Deleted environment '${environment}'`
                : `Environment '${environment}' was already gone`);
        }
    }
    setOutputs({ deactivated });
    (0,runner/* appendSummary */.fe)(deactivationSummary({
        environment,
        total: deployments.length,
        deactivated,
        environmentOutcome: outcome,
    }));
}
async function performStep(settings) {
    const client = createGitHubClient(settings.token);
    const repo = { owner: settings.owner, repo: settings.repo };
    if (settings.step === "start")
        await start(client, repo, settings);
    else if (settings.step === "finish")
        await finish(client, repo, settings);
    else
        await deactivate(client, repo, settings);
}


/***/ })

};
