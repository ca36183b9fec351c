export const id = 583;
export const ids = [583];
export const modules = {

/***/ 5583:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadTrustedRoots: () => (/* binding */ loadTrustedRoots),
/* harmony export */   parseTrustedRoots: () => (/* binding */ parseTrustedRoots)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5344);
/* harmony import */ var _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(_sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9336);
/**
 * The trusted roots attestations are verified against. A file (the `trusted-root` input)
 * holds one TrustedRoot JSON document or several, one a line, as
 * `gh attestation trusted-root` prints them (Sigstore's public-good instance and GitHub's
 * own, each fetched and checked through TUF against the roots the gh CLI embeds). Without
 * a file, Sigstore's public-good root comes from its TUF repository through @sigstore/tuf,
 * whose initial root ships inside that package; that root cannot verify GitHub's own
 * instance (private repositories).
 */




function parseTrustedRoots(text) {
    const documents = (() => {
        try {
            return [JSON.parse(text)];
        }
        catch {
            return text
                .split(/\r?\n/)
                .filter((line) => line.trim() !== "")
                .map((line) => JSON.parse(line));
        }
    })();
    return documents.map((document) => _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_2__.TrustedRoot.fromJSON(document));
}
async function loadTrustedRoots(path) {
    if (path !== undefined) {
        let roots;
        try {
            roots = parseTrustedRoots((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, "utf8"));
        }
        catch (error) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Could not read the trusted root ${path}: ${error.message}`, { title: "No trusted root", cause: error });
        }
        if (roots.length === 0 || roots.some((root) => root.certificateAuthorities.length === 0))
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`The trusted root ${path} names no certificate authority`, {
                title: "No trusted root",
            });
        return roots;
    }
    const { getTrustedRoot } = await __webpack_require__.e(/* import() */ 294).then(__webpack_require__.bind(__webpack_require__, 5913));
    try {
        const cachePath = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(process.env.RUNNER_TEMP ?? ".", "preview-kit-sigstore-tuf");
        return [await getTrustedRoot({ cachePath })];
    }
    catch (error) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Could not fetch Sigstore's trusted root through TUF: ${error.message}`, { title: "No trusted root", cause: error });
    }
}


/***/ })

};
