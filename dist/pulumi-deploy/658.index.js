export const id = 658;
export const ids = [658];
export const modules = {

/***/ 767:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fn: () => (/* binding */ Answer),
/* harmony export */   QH: () => (/* binding */ proxyAwareAgent),
/* harmony export */   j_: () => (/* binding */ AnswerHeaders),
/* harmony export */   tN: () => (/* binding */ send)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
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
    const client = url.protocol === "https:" ? node_https__WEBPACK_IMPORTED_MODULE_1__ : node_http__WEBPACK_IMPORTED_MODULE_0__;
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
        const client = url.protocol === "https:" ? node_https__WEBPACK_IMPORTED_MODULE_1__ : node_http__WEBPACK_IMPORTED_MODULE_0__;
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


/***/ }),

/***/ 1658:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pulumiTokenByOidc: () => (/* binding */ pulumiTokenByOidc)
});

// EXTERNAL MODULE: ../../main/node_modules/zod/v4/mini/schemas.js
var schemas = __webpack_require__(9205);
// EXTERNAL MODULE: ../../main/node_modules/zod/v4/core/api.js
var api = __webpack_require__(5985);
// EXTERNAL MODULE: ./actions/shared/errors.ts
var errors = __webpack_require__(9336);
// EXTERNAL MODULE: ./actions/shared/cancel.ts
var cancel = __webpack_require__(613);
// EXTERNAL MODULE: ./actions/shared/http-transport.ts
var http_transport = __webpack_require__(767);
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
    return new http_transport/* Answer */.Fn(response.status, response.statusText, response.url, new http_transport/* AnswerHeaders */.j_(response.headers), bytes);
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
            return await (0,http_transport/* send */.tN)(url, { ...rest, signal });
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

// EXTERNAL MODULE: ./actions/shared/redact.ts
var redact = __webpack_require__(2754);
// EXTERNAL MODULE: ./actions/shared/retry.ts
var retry = __webpack_require__(9877);
// EXTERNAL MODULE: ./actions/shared/runner.ts
var runner = __webpack_require__(2393);
// EXTERNAL MODULE: ./actions/shared/pulumi/oidc-inputs.ts
var oidc_inputs = __webpack_require__(5783);
;// CONCATENATED MODULE: ./actions/shared/pulumi/oidc.ts
/**
 * A short-lived Pulumi Cloud token for this step, exchanged for the job's GitHub OIDC token,
 * so no long-lived PULUMI_ACCESS_TOKEN has to be stored. The exchange is the one Pulumi Cloud
 * documents ("OAuth Token Exchange", POST /api/oauth/token, RFC 8693;
 * https://www.pulumi.com/docs/reference/cloud-rest-api/oauth-token-exchange/) and
 * pulumi/auth-actions performs: audience `urn:pulumi:org:<org>` both in GitHub's token and in
 * the request, grant and subject token types fixed, the token type asked for derived from the
 * scope (oidc-inputs.ts). Which subjects get which token is the organization's authorization
 * policy (action-docs/workflows.md, "Pulumi Cloud by OIDC").
 *
 * The token is masked the moment it is read and handed to the CLI through this step's
 * environment only: it is never exported to later steps, written to a file or logged.
 */







const GITHUB_ID_TOKEN = schemas/* object */.Ikc({ value: schemas/* string */.YjP().check(api/* _minLength */.m9(1)) });
const EXCHANGED = schemas/* object */.Ikc({
    access_token: schemas/* string */.YjP().check(api/* _minLength */.m9(1)),
    issued_token_type: schemas/* optional */.lqM(schemas/* string */.YjP()),
    expires_in: schemas/* optional */.lqM(schemas/* number */.aig()),
});
const OAUTH_ERROR = schemas/* object */.Ikc({
    error: schemas/* optional */.lqM(schemas/* string */.YjP()),
    error_description: schemas/* optional */.lqM(schemas/* string */.YjP()),
});
/** A 429 or 5xx answer: Pulumi Cloud or GitHub may answer the next try. */
class Transient extends errors/* ActionError */.l {
    constructor(message) {
        super(message, { title: "Pulumi OIDC login failed" });
    }
}
function failure(message) {
    return new errors/* ActionError */.l((0,redact/* redact */.E$)(message), { title: "Pulumi OIDC login failed" });
}
/**
 * One request, tried up to three times while it fails in a way that may pass (a dropped
 * connection, no answer in time, a 429 or 5xx); a refusal (4xx) would say the same again.
 */
async function request(what, attempt) {
    try {
        return await (0,retry/* retry */.L5)(attempt, {
            tries: 3,
            waitMs: (failures) => (0,retry/* retryBaseMs */.wR)(2_000) * failures,
            retryError: (error) => !(error instanceof errors/* ActionError */.l) ||
                error instanceof Transient ||
                error instanceof RequestTimeoutError,
        });
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.l || error.name === "AbortError")
            throw error;
        throw failure(`${what} failed: ${error.message}`);
    }
}
/** GitHub's OIDC token for the job, with `audience` (as @actions/core's getIDToken asks). */
async function githubIdToken(audience) {
    const requestUrl = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!requestUrl || !requestToken)
        throw failure("The job has no OIDC token to exchange: it needs `permissions: id-token: write` (the kit's workflows grant it only where a Pulumi OIDC organization or a cloud role is named)");
    const url = new URL(requestUrl);
    url.searchParams.set("audience", audience);
    const where = `GitHub's OIDC token request (${shownUrl(url)})`;
    const token = await request(where, async () => {
        const answer = await boundedFetch(url, {
            headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" },
        });
        if ((0,retry/* isTransientStatus */.Dm)(answer.status))
            throw new Transient(`${where} answered ${answer.status}`);
        if (!answer.ok)
            throw failure(`${where} answered HTTP ${answer.status}`);
        const parsed = GITHUB_ID_TOKEN.safeParse(await answer.json().catch(() => undefined));
        if (!parsed.success)
            throw failure(`${where} answered without a token`);
        return parsed.data.value;
    });
    (0,runner/* addMask */.eu)(token);
    return token;
}
/**
 * Exchanges the job's GitHub OIDC token for a Pulumi Cloud access token of `login`'s
 * organization and scope; the token returned is already masked.
 */
async function pulumiTokenByOidc(login, backend) {
    const audience = `urn:pulumi:org:${login.oidcOrganization}`;
    const subjectToken = await githubIdToken(audience);
    const endpoint = `${(0,oidc_inputs/* apiUrl */.y0)(backend)}/api/oauth/token`;
    const kind = (0,oidc_inputs/* requestedTokenType */.Oq)(login.oidcScope)?.split(":").pop() ?? "";
    const aToken = `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} token`;
    const body = {
        audience,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: (0,oidc_inputs/* requestedTokenType */.Oq)(login.oidcScope),
        subject_token: subjectToken,
        ...(login.oidcScope ? { scope: login.oidcScope } : {}),
        ...(login.oidcTokenExpiration ? { expiration: login.oidcTokenExpiration } : {}),
    };
    const where = `Pulumi Cloud (${shownUrl(endpoint)})`;
    const exchanged = await request(where, async () => {
        const answer = await boundedFetch(endpoint, {
            method: "POST",
            headers: { accept: "application/vnd.pulumi+8", "content-type": "application/json" },
            body: JSON.stringify(body),
        });
        const json = await answer.json().catch(() => undefined);
        const parsed = EXCHANGED.safeParse(json);
        // Masked before any other use, a failure's message included.
        if (parsed.success)
            (0,runner/* addMask */.eu)(parsed.data.access_token);
        if ((0,retry/* isTransientStatus */.Dm)(answer.status))
            throw new Transient(`${where} answered ${answer.status}`);
        if (!answer.ok) {
            const reason = OAUTH_ERROR.safeParse(json);
            const said = reason.success
                ? [reason.data.error, reason.data.error_description].filter(Boolean).join(": ")
                : "";
            throw failure(`${where} refused to exchange the job's OIDC token for ${aToken} of organization ${login.oidcOrganization} (HTTP ${answer.status}${said ? `: ${said.slice(0, 300)}` : ""}); check the organization's OIDC issuer and authorization policy for this job's subject`);
        }
        if (!parsed.success)
            throw failure(`${where} answered the token exchange without a token`);
        return parsed.data;
    });
    const lifetime = exchanged.expires_in ? `, valid ${exchanged.expires_in} s` : "";
    (0,runner/* info */.pq)(`Logged in to Pulumi Cloud by OIDC: ${aToken} of ${login.oidcOrganization}${lifetime}`);
    return exchanged.access_token;
}


/***/ }),

/***/ 9877:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dm: () => (/* binding */ isTransientStatus),
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   wR: () => (/* binding */ retryBaseMs)
/* harmony export */ });
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(613);
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
        if (!_cancel_js__WEBPACK_IMPORTED_MODULE_1__/* .cancelSignal */ .Bj.aborted) {
            policy.onRetry?.(reason, failures, waitMs);
            await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(waitMs, undefined, { signal: _cancel_js__WEBPACK_IMPORTED_MODULE_1__/* .cancelSignal */ .Bj }).catch(() => undefined);
        }
        if (_cancel_js__WEBPACK_IMPORTED_MODULE_1__/* .cancelSignal */ .Bj.aborted) {
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


/***/ })

};
