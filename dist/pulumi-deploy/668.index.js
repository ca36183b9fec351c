export const id = 668;
export const ids = [668];
export const modules = {

/***/ 4668:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseConfig: () => (/* binding */ parseConfig)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3645);
/**
 * The `config` input: a YAML map of key to value, or to `{value, secret}`. Parsed into
 * plain entries before anything runs, so a malformed map fails like any other bad input.
 */

/** `name` or `namespace:name`, the forms `pulumi config set` takes without --path. */
const CONFIG_KEY = /^(?:[A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$/;
const isScalar = (value) => typeof value === "string" || typeof value === "number" || typeof value === "boolean";
/** Returns the entries, or the problems (each completing "Input 'config' ..."). */
function parseConfig(text) {
    if (text === undefined)
        return { entries: [], problems: [] };
    let document;
    try {
        document = (0,yaml__WEBPACK_IMPORTED_MODULE_0__.parse)(text);
    }
    catch (error) {
        const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
        return { entries: [], problems: [`must be a YAML map of key to value: ${reason}`] };
    }
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
        return { entries: [], problems: ["must be a YAML map of key to value, or to {value, secret}"] };
    }
    const entries = [];
    const problems = [];
    for (const [key, raw] of Object.entries(document)) {
        if (!CONFIG_KEY.test(key)) {
            problems.push(`key '${key}' must be NAME or NAMESPACE:NAME`);
        }
        else if (isScalar(raw)) {
            entries.push({ key, value: String(raw), secret: false });
        }
        else if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && isSpec(raw)) {
            entries.push({ key, value: String(raw.value), secret: raw.secret === true });
        }
        else {
            problems.push(`key '${key}' must map to a value or to {value, secret}`);
        }
    }
    return { entries, problems };
}
function isSpec(raw) {
    const spec = raw;
    const known = Object.keys(spec).every((k) => k === "value" || k === "secret");
    return (known && isScalar(spec.value) && (spec.secret === undefined || typeof spec.secret === "boolean"));
}


/***/ })

};
