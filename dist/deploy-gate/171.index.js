export const id = 171;
export const ids = [171];
export const modules = {

/***/ 171:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  current: () => (/* binding */ current),
  gate: () => (/* binding */ gate)
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

// EXTERNAL MODULE: ./actions/shared/outputs.ts
var outputs = __webpack_require__(205);
// EXTERNAL MODULE: ./actions/check-images/check.ts
var check = __webpack_require__(895);
;// CONCATENATED MODULE: ./actions/deploy-gate/protection.ts
/**
 * The protection an environment must have before the deploy job runs in it:
 * - required reviewers (production, and the approval environment of an untrusted author's
 *   preview: GitHub creates a missing environment on first use without any), and "Prevent
 *   self-review" where whoever started the run must not approve it;
 * - for dev and production, deployment branches limited to the default branch: otherwise any
 *   branch's workflow reaches the environment's secrets and OIDC subject (`dev`: with no
 *   click at all).
 * GitHub: GET /repos/{owner}/{repo}/environments/{environment_name} (`protection_rules`,
 * `deployment_branch_policy`) and GET .../deployment-branch-policies.
 */

/** The environment as GitHub reports it; undefined when it does not exist (yet). */
async function readEnvironment(client, repo, name) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/environments/{environment_name}", { ...repo, environment_name: name });
        return data;
    }
    catch (error) {
        if (httpStatus(error) === 404)
            return undefined;
        throw gitHubError(`read environment '${name}'`, error);
    }
}
const SETTINGS = "Settings > Environments";
/** The refusal, or undefined when the environment has the reviewers it needs. */
function reviewersProblem(name, environment, requireOthers) {
    const rules = (environment?.protection_rules ?? []).filter((rule) => rule.type === "required_reviewers");
    // Required reviewers on a private repository's environment need GitHub Enterprise: on
    // other plans the rule is absent, and this fails rather than deploy unreviewed.
    if (rules.length === 0)
        return `Environment '${name}' has no required reviewers; add them in ${SETTINGS} > ${name} (a private repository needs GitHub Enterprise for them)`;
    if (requireOthers && !rules.some((rule) => rule.prevent_self_review === true))
        return `Environment '${name}' lets the person who started the run approve it: turn on 'Prevent self-review' in ${SETTINGS} > ${name}, or set allow-self-review`;
    return undefined;
}
async function defaultBranch(client, repo) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}", { ...repo });
        return data.default_branch;
    }
    catch (error) {
        throw gitHubError("read the repository's default branch", error);
    }
}
async function branchPolicies(client, repo, name) {
    try {
        // The plugin unwraps `{total_count, branch_policies}` pages into one list.
        return (await client.paginate("GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies", { ...repo, environment_name: name, per_page: 100 }));
    }
    catch (error) {
        throw gitHubError(`list the deployment branch policies of environment '${name}'`, error);
    }
}
/**
 * The refusal, or undefined when only the default branch may deploy to the environment:
 * "Selected branches and tags" holding exactly one branch rule, the default branch's name.
 * "Protected branches only" is refused too: any branch someone protects later would pass.
 */
async function branchPolicyProblem(client, repo, name, environment) {
    const main = await defaultBranch(client, repo);
    const fix = `in ${SETTINGS} > ${name} > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch rule '${main}'`;
    const policy = environment?.deployment_branch_policy;
    if (!policy)
        return `Environment '${name}' lets any branch deploy to it: ${fix}`;
    if (!policy.custom_branch_policies)
        return `Environment '${name}' lets every protected branch deploy to it, not only '${main}': ${fix}`;
    const rules = await branchPolicies(client, repo, name);
    const others = rules.filter((rule) => rule.name !== main || (rule.type ?? "branch") !== "branch");
    if (others.length > 0 || rules.length === 0) {
        const shown = others.map((rule) => `${rule.type ?? "branch"} '${rule.name ?? ""}'`).join(", ");
        return `Environment '${name}' lets ${shown || "no branch"} deploy to it: ${fix}`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/deploy-gate/pull.ts
/**
 * Is the pull request open, and its head the commit this run built? Is a branch's head
 * still this run's commit? Runs queue in the order they reach a concurrency group, not the
 * order of their commits: a late run must not ship older images over newer ones, nor
 * recreate the preview of a pull request closed meanwhile.
 */

async function readPull(client, repo, number) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
            ...repo,
            pull_number: number,
        });
        return { state: data.state, headSha: data.head.sha, author: data.user.login };
    }
    catch (error) {
        throw gitHubError(`read pull request #${number}`, error);
    }
}
async function branchHead(client, repo, branch) {
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}", {
            ...repo,
            ref: `heads/${branch}`,
        });
        return data.sha;
    }
    catch (error) {
        throw gitHubError(`read the head of branch ${branch}`, error);
    }
}
/** Why this run must not deploy (a notice, not a failure), or undefined when it may. */
function supersededBy(pull, prNumber, headSha) {
    if (pull.state !== "open")
        return `pull request #${prNumber} is ${pull.state}: its cleanup removes the preview`;
    if (headSha !== undefined && pull.headSha !== headSha)
        return `pull request #${prNumber} moved on to ${pull.headSha} since this run built ${headSha}: that run deploys`;
    return undefined;
}

;// CONCATENATED MODULE: ./actions/deploy-gate/trust.ts
/**
 * Who is trusted: a pull request's author with write access or more. Anyone else's preview
 * deploys only after a reviewer of the approval environment approved it.
 */


/** GitHub's `permission` (admin, write, read, none) and `role_name` (also maintain, triage). */
const TRUSTED = new Set(["admin", "maintain", "write"]);
/** A GitHub login, or an app's `name[bot]`: anything else is refused before it is used. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
async function authorTrust(client, repo, author, prNumber) {
    if (!LOGIN.test(author))
        throw new errors/* ActionError */.l(`The author of pull request #${prNumber} is not a GitHub login, so their access cannot be read: the preview is not deployed`, { title: "Unknown pull request author" });
    try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...repo, username: author });
        const access = [data.permission, data.role_name].filter(Boolean).join(" ");
        return { trusted: access.split(" ").some((level) => TRUSTED.has(level)), access };
    }
    catch (error) {
        // Not a collaborator (404), or any failure to read it: untrusted, never the other way.
        const status = httpStatus(error);
        return { trusted: false, access: `none (${status ? `HTTP ${status}` : "no answer"})` };
    }
}

;// CONCATENATED MODULE: ./actions/deploy-gate/steps.ts
/**
 * The decisions that ask GitHub: the gate (trust, open, environment protection), and at
 * deploy time whether this run is still the one to deploy. Loaded only after the inputs
 * passed, so a refused step never pays for Octokit. Outputs are written last: a refusal
 * writes none.
 */








/** Environments whose deployment branches must be the default branch alone. */
const BRANCH_BOUND_KINDS = new Set(["dev", "production"]);
async function gate(settings) {
    const client = createGitHubClient(settings.token);
    const repo = { owner: settings.owner, repo: settings.repo };
    let trusted = true;
    let environment = settings.environment;
    let open = true;
    // Only previews are gated by author; dev and production rely on their environment's rules.
    if (settings.kind === "preview" && settings.prNumber !== undefined) {
        const pull = await readPull(client, repo, settings.prNumber);
        const trust = await authorTrust(client, repo, pull.author, settings.prNumber);
        trusted = trust.trusted;
        (0,runner/* info */.pq)(`Author ${pull.author} has '${trust.access}' access: trusted=${trusted}`);
        if (!trusted) {
            environment = settings.approvalEnvironment;
            (0,runner/* annotate */.fz)("notice", `${pull.author} has no write access: the deploy waits for a reviewer of environment '${environment}'`, { title: "Approval needed" });
        }
        // A cleanup may have run while this run waited for its turn (a close during the build):
        // a plan would then create the stack the cleanup removed, and nothing would remove it.
        if (pull.state !== "open") {
            open = false;
            (0,runner/* annotate */.fz)("notice", `pull request #${settings.prNumber} is ${pull.state}: its cleanup removes the preview`, { title: "Not planned" });
        }
    }
    const needsReviewers = settings.requireReviewers || !trusted;
    const branchBound = BRANCH_BOUND_KINDS.has(settings.kind);
    if (needsReviewers || branchBound) {
        const stored = await readEnvironment(client, repo, environment);
        // Only production's reviewers must be someone other than who started the run: an
        // untrusted author is no reviewer of the approval environment anyway.
        const problem = (needsReviewers
            ? reviewersProblem(environment, stored, settings.requireOthers)
            : undefined) ??
            (branchBound ? await branchPolicyProblem(client, repo, environment, stored) : undefined);
        if (problem)
            throw new errors/* ActionError */.l(problem, { title: "Unprotected environment" });
    }
    (0,outputs/* setOutputs */.n)({
        ...(0,check/* imageOutputs */.a)(settings.images),
        environment,
        trusted,
        open,
        "deployment-environment": settings.deploymentEnvironment,
        config: settings.config,
        stack: settings.stack,
        namespace: settings.names?.namespace,
    });
    (0,runner/* info */.pq)(`${settings.kind} of ${settings.stack}: job environment '${environment}', Deployment environment '${settings.deploymentEnvironment}'`);
}
async function current(settings) {
    const client = createGitHubClient(settings.token);
    const repo = { owner: settings.owner, repo: settings.repo };
    let reason;
    let title = "Superseded";
    if (settings.kind === "preview" && settings.prNumber !== undefined) {
        const pull = await readPull(client, repo, settings.prNumber);
        reason = supersededBy(pull, settings.prNumber, settings.headSha);
        if (pull.state !== "open")
            title = "Not deployed";
    }
    else if (settings.ref?.startsWith("refs/heads/") && settings.sha) {
        const branch = settings.ref.slice("refs/heads/".length);
        const head = await branchHead(client, repo, branch);
        if (head !== settings.sha)
            reason = `${branch} moved on to ${head} since this run's ${settings.sha}: that run deploys`;
    }
    if (reason)
        (0,runner/* annotate */.fz)("notice", reason, { title });
    else
        (0,runner/* info */.pq)("This run is still the one to deploy");
    (0,outputs/* setOutputs */.n)({ deploy: reason === undefined });
}


/***/ })

};
