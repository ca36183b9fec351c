export const id = 670;
export const ids = [670];
export const modules = {

/***/ 5670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkAttestation: () => (/* binding */ checkAttestation)
});

// EXTERNAL MODULE: ../../main/node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(618);
// EXTERNAL MODULE: ../../main/node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(1441);
// EXTERNAL MODULE: ../../main/node_modules/@sigstore/core/dist/index.js
var core_dist = __webpack_require__(7963);
;// CONCATENATED MODULE: ./actions/verify-provenance/identity.ts
/**
 * What a Fulcio certificate says about the GitHub Actions job that got it: the extensions
 * Fulcio writes from the job's OIDC token (Fulcio's OID registry, docs/oid-info.md in
 * sigstore/fulcio, "1.3.6.1.4.1.57264.1.8" onwards; each value a DER UTF8String). The
 * certificate itself is verified by @sigstore/verify before any of this is read.
 */

/** The issuer of GitHub Actions' OIDC tokens on github.com. */
const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
const OIDS = {
    issuer: "1.3.6.1.4.1.57264.1.8",
    /** `https://github.com/OWNER/REPO/PATH@REF` of the workflow whose job signed (job_workflow_ref). */
    buildSignerUri: "1.3.6.1.4.1.57264.1.9",
    /** `https://github.com/OWNER/REPO` the run belongs to (repository). */
    sourceRepositoryUri: "1.3.6.1.4.1.57264.1.12",
    /** The commit the run was for (sha): for a pull_request run, GitHub's test merge. */
    sourceRepositoryDigest: "1.3.6.1.4.1.57264.1.13",
    /** The ref the run was for (ref), e.g. `refs/pull/7/merge` or `refs/heads/feature`. */
    sourceRepositoryRef: "1.3.6.1.4.1.57264.1.14",
    /** The repository's immutable id (repository_id). */
    sourceRepositoryIdentifier: "1.3.6.1.4.1.57264.1.15",
    /** The event that started the run (event_name). */
    buildTrigger: "1.3.6.1.4.1.57264.1.20",
};
function utf8String(der) {
    try {
        const value = core_dist.ASN1Obj.parseBuffer(der);
        return value.tag.number === 12 ? value.value.toString("utf8") : undefined;
    }
    catch {
        return undefined;
    }
}
/** The GitHub extensions of a verified signer's certificate. */
function gitHubIdentity(signer) {
    const identity = {
        subjectAlternativeName: signer.identity?.subjectAlternativeName,
    };
    for (const pair of signer.identity?.oids ?? []) {
        const oid = pair.oid?.id.join(".");
        const key = Object.keys(OIDS).find((k) => OIDS[k] === oid);
        if (key)
            identity[key] = utf8String(pair.value);
    }
    return identity;
}

;// CONCATENATED MODULE: ./actions/verify-provenance/signer.ts
/** Whether the job that signed was a job of the kit's build workflow (any ref of the kit). */

function signerProblem(identity, expected) {
    if (identity.issuer !== GITHUB_ACTIONS_ISSUER)
        return `it was signed with a token of ${identity.issuer ?? "no issuer"}, not GitHub Actions`;
    const uri = identity.buildSignerUri ?? "";
    const prefix = `${expected.serverUrl}/${expected.repository}/${expected.workflow}@`;
    // Owner and repository names are case-insensitive on GitHub; the path is not.
    const repositoryPart = `${expected.serverUrl}/${expected.repository}/`;
    const matches = uri.length > prefix.length &&
        uri.slice(0, repositoryPart.length).toLowerCase() === repositoryPart.toLowerCase() &&
        uri.slice(repositoryPart.length, prefix.length) === `${expected.workflow}@`;
    if (!matches || identity.subjectAlternativeName !== uri)
        return `it was signed by ${uri || "an unknown workflow"}, not the kit's ${expected.repository}/${expected.workflow}`;
    return undefined;
}

;// CONCATENATED MODULE: ./actions/verify-provenance/source.ts
const sameName = (a, b) => a?.toLowerCase() === b.toLowerCase();
/** Why the certificate's source is not the reviewed code, or undefined. */
async function sourceProblem(identity, expected, commits) {
    const repositoryUri = `${expected.serverUrl}/${expected.repository}`;
    if (!sameName(identity.sourceRepositoryUri, repositoryUri))
        return `it was built for ${identity.sourceRepositoryUri ?? "no repository"}, not ${repositoryUri}`;
    if (expected.repositoryId !== undefined &&
        identity.sourceRepositoryIdentifier !== expected.repositoryId)
        return `it was built for repository id ${identity.sourceRepositoryIdentifier ?? "none"}, not ${expected.repositoryId} (a repository of the same name made again)`;
    const built = identity.sourceRepositoryDigest ?? "no commit";
    const trigger = identity.buildTrigger ?? "unknown";
    const head = expected.headSha;
    switch (trigger) {
        case "push":
        case "workflow_dispatch":
            return built === head
                ? undefined
                : `it was built from ${built}, not the merged head ${head} of pull request #${expected.pullRequest}`;
        case "pull_request": {
            const mergeRef = `refs/pull/${expected.pullRequest}/merge`;
            if (identity.sourceRepositoryRef !== mergeRef)
                return `it was built for ${identity.sourceRepositoryRef ?? "no ref"}, not pull request #${expected.pullRequest} (${mergeRef})`;
            const parents = await commits.parents(built);
            if (!parents?.includes(head))
                return `it was built from ${built}, a test merge of another head than the merged head ${head} of pull request #${expected.pullRequest}`;
            for (const base of parents.filter((p) => p !== head)) {
                if (!(await commits.contains(expected.mergedCommit, base)))
                    return `it was built from ${built}, whose base ${base} is not in ${expected.mergedCommit}: the pull request was built against another base`;
            }
            return undefined;
        }
        case "merge_group":
            return "it was built for a merge queue (merge_group), which production does not promote yet";
        default:
            return `it was built by a ${trigger} run, which production does not promote (only pull_request, push or workflow_dispatch builds of the head)`;
    }
}

// EXTERNAL MODULE: ../../main/node_modules/zod/v4/mini/schemas.js + 8 modules
var schemas = __webpack_require__(4857);
;// CONCATENATED MODULE: ./actions/verify-provenance/statement.ts
/**
 * The in-toto statement an attestation signs, and what the Sigstore verifiers leave to the
 * caller: they check the signature over the DSSE envelope, not what it says. Here: it is an
 * in-toto v1 statement of SLSA provenance v1 whose subjects include this repository at this
 * digest.
 */

const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
const IN_TOTO_STATEMENT_V1 = "https://in-toto.io/Statement/v1";
const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
const statementSchema = schemas/* object */.Ikc({
    _type: schemas/* string */.YjP(),
    predicateType: schemas/* string */.YjP(),
    subject: schemas/* array */.YOg(schemas/* object */.Ikc({
        name: schemas/* optional */.lqM(schemas/* string */.YjP()),
        digest: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()),
    })),
});
/** Why the statement does not attest `repository@digest` (sha256:<hex>), or undefined. */
function statementProblem(payloadType, payload, repository, digest) {
    if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
        return `its payload is ${payloadType}, not an in-toto statement`;
    let parsed;
    try {
        parsed = statementSchema.parse(JSON.parse(payload.toString("utf8")));
    }
    catch {
        return "its payload is not an in-toto statement";
    }
    if (parsed._type !== IN_TOTO_STATEMENT_V1)
        return `its statement is ${parsed._type}, not ${IN_TOTO_STATEMENT_V1}`;
    if (parsed.predicateType !== SLSA_PROVENANCE_V1)
        return `it attests ${parsed.predicateType}, not build provenance (${SLSA_PROVENANCE_V1})`;
    const hex = digest.slice("sha256:".length);
    const subject = parsed.subject.find((s) => s.digest.sha256 === hex);
    if (!subject)
        return "its signed subjects do not include this digest";
    if (subject.name !== repository)
        return `its signed subject is ${subject.name ?? "unnamed"}, not ${repository}`;
    return undefined;
}

;// CONCATENATED MODULE: ./actions/verify-provenance/verify.ts
/**
 * One attestation checked against one candidate image: Sigstore's own verifier
 * (@sigstore/verify: certificate chain to the trusted root, signature over the DSSE
 * envelope, transparency log and timestamps), then what it leaves to its caller: the signed
 * statement (statement.ts), the signing workflow (signer.ts) and the source it built
 * (source.ts).
 */






/**
 * Thresholds as the trusted root allows them: a root with transparency logs (Sigstore's
 * public-good instance) requires an entry in each; GitHub's own instance (private
 * repositories) has none and relies on its timestamp authority. Every bundle needs a
 * trusted time to check the short-lived certificate against.
 */
function verifierFor(root) {
    return new verify_dist/* Verifier */.BL((0,verify_dist/* toTrustMaterial */.jO)(root), {
        tlogThreshold: root.tlogs.length > 0 ? 1 : 0,
        ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0,
        timestampThreshold: 1,
    });
}
function verifiedSigner(bundle, roots) {
    const entity = (0,verify_dist/* toSignedEntity */.DC)(bundle);
    let problem = "no trusted root was given";
    for (const root of roots) {
        try {
            return verifierFor(root).verify(entity);
        }
        catch (error) {
            problem = error instanceof Error ? error.message : String(error);
        }
    }
    return problem;
}
async function checkAttestation(json, candidate, expected, roots, commits) {
    let bundle;
    try {
        bundle = (0,dist/* bundleFromJSON */.vw)(json);
    }
    catch (error) {
        return { stage: 0, reason: `its bundle is malformed (${error.message})` };
    }
    if (bundle.content.$case !== "dsseEnvelope")
        return { stage: 0, reason: "its bundle signs no DSSE envelope" };
    const signer = verifiedSigner(bundle, roots);
    if (typeof signer === "string")
        return { stage: 1, reason: `its signature does not verify (${signer})` };
    const envelope = bundle.content.dsseEnvelope;
    const statement = statementProblem(envelope.payloadType, envelope.payload, candidate.repository, candidate.digest);
    if (statement)
        return { stage: 2, reason: statement };
    const identity = gitHubIdentity(signer);
    const signed = signerProblem(identity, expected.signer);
    if (signed)
        return { stage: 3, reason: signed };
    const source = await sourceProblem(identity, expected.source, commits);
    if (source)
        return { stage: 4, reason: source };
    return undefined;
}


/***/ })

};
