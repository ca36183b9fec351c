/** Value rules shared across actions; digests are whole at every boundary. */
import { rule } from "./inputs.js";

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** `sha256:` and 64 lowercase hex: never a 12-character short form. */
export const digest = rule(DIGEST_PATTERN, "sha256: followed by 64 lowercase hex characters");

/** Docker's reference grammar: a registry host (with port), then lowercase path components. */
const HOST = "[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/** A registry host as Docker names it, e.g. `ghcr.io` or `127.0.0.1:5000`. */
export const registryHost = rule(
  new RegExp(`^${HOST}$`),
  "a registry host such as ghcr.io or 127.0.0.1:5000",
);

/** Docker refuses longer names (registry included) with "repository name must not be more than 255 characters". */
const NAME_MAX = 255;
const isRepository = (value: string) => value.length <= NAME_MAX && REPOSITORY.test(value);

/** An image repository without tag or digest, e.g. `ghcr.io/org/web`. */
export const repository = rule(
  isRepository,
  `an image repository without tag or digest (at most ${NAME_MAX} characters), e.g. ghcr.io/org/web`,
);

/** `registry/repository@sha256:<64 hex>`: an image pinned by digest, never by tag. */
export const imageRef = rule((value) => {
  const at = value.lastIndexOf("@");
  return at > 0 && isRepository(value.slice(0, at)) && DIGEST_PATTERN.test(value.slice(at + 1));
}, "REGISTRY/REPOSITORY@sha256:<64 lowercase hex>");

/** One part of a stack name: an org, a project or a stack. */
const STACK_PART = "[A-Za-z0-9_.-]+";

/** `org/project/stack`: the only form that cannot silently resolve in the wrong org. */
export const qualifiedStack = rule(
  new RegExp(`^${STACK_PART}/${STACK_PART}/${STACK_PART}$`),
  "ORG/PROJECT/STACK",
);

/** `stack` alone: unambiguous only on a file:// or object-store backend. */
export const bareStack = rule(new RegExp(`^${STACK_PART}$`), "a bare STACK name");

/** Where Pulumi keeps state: Pulumi Cloud (http[s]) or a self-managed backend. */
export const backendUrl = rule(
  /^(?:https?:\/\/[^\s/]+\S*|file:\/\/\S*|(?:s3|gs|azblob):\/\/\S+)$/,
  "a Pulumi backend URL: https://..., file://..., s3://..., gs://... or azblob://...",
);

/** A whole commit SHA: never the 7-character short form. */
export const fullSha = rule(/^[0-9a-f]{40}$/, "a full commit SHA (40 lowercase hex)");

export const httpUrl = rule((value) => {
  try {
    const url = new URL(value);
    // Credentials in a URL would be shown in comments, deployments and summaries.
    const credentials = url.username !== "" || url.password !== "";
    return (url.protocol === "https:" || url.protocol === "http:") && !credentials;
  } catch {
    return false;
  }
}, "an http(s) URL without credentials");
