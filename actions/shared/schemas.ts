/** Value rules shared across actions; digests are whole at every boundary. */
import {
  DIGEST_PATTERN,
  MAX_NAME_LENGTH,
  REGISTRY_HOST_PATTERN,
  isImageRef,
  isRepository,
} from "../../components/image-reference.js";
import { rule } from "./inputs.js";
import { urlCredentials } from "./redact.js";

export { DIGEST_PATTERN };

/** `sha256:` and 64 lowercase hex: never a 12-character short form. */
export const digest = rule(DIGEST_PATTERN, "sha256: followed by 64 lowercase hex characters");

/** A registry host as Docker names it, e.g. `ghcr.io` or `127.0.0.1:5000`. */
export const registryHost = rule(
  REGISTRY_HOST_PATTERN,
  "a registry host such as ghcr.io or 127.0.0.1:5000",
);

/** An image repository without tag or digest, e.g. `ghcr.io/org/web`. */
export const repository = rule(
  isRepository,
  `an image repository without tag or digest (at most ${MAX_NAME_LENGTH} characters), e.g. ghcr.io/org/web`,
);

/** `registry/repository@sha256:<64 hex>`: an image pinned by digest, never by tag. */
export const imageRef = rule(isImageRef, "REGISTRY/REPOSITORY@sha256:<64 lowercase hex>");

/**
 * One part of a stack name: an org, a project or a stack. It starts with a letter, digit or
 * `_`: a part starting with `-` reads as a flag where the CLI takes the name positionally
 * (`--help` as a stack), and `.` or `..` as a path segment (`org/../x`).
 */
const STACK_PART = "[A-Za-z0-9_][A-Za-z0-9_.-]*";

/** `org/project/stack`: the only form that cannot silently resolve in the wrong org. */
export const qualifiedStack = rule(
  new RegExp(`^${STACK_PART}/${STACK_PART}/${STACK_PART}$`),
  "ORG/PROJECT/STACK",
);

/** `stack` alone: unambiguous only on a file:// or object-store backend. */
export const bareStack = rule(new RegExp(`^${STACK_PART}$`), "a bare STACK name");

const BACKEND_URL = /^(?:https?:\/\/[^\s/]+\S*|file:\/\/\S*|(?:s3|gs|azblob):\/\/\S+)$/;

/**
 * Where Pulumi keeps state: Pulumi Cloud (http[s]) or a self-managed backend. Never with
 * credentials in it: Pulumi Cloud takes a token, and the URL is shown in logs and summaries.
 */
export const backendUrl = rule(
  (value) => BACKEND_URL.test(value) && urlCredentials(value) === undefined,
  "a Pulumi backend URL without credentials: https://..., file://..., s3://..., gs://... or azblob://...",
  { quote: false },
);

/** GitHub allows up to 255 characters; a comma or a line break breaks its environment list. */
export const environmentName = rule(
  // No control characters: an ANSI escape in a name would restyle every log line quoting it.
  /^[^\s,\p{Cc}][^,\p{Cc}]{0,254}$/u,
  "an environment name such as preview-pr-42",
);

/** A whole commit SHA: never the 7-character short form. */
export const fullSha = rule(/^[0-9a-f]{40}$/, "a full commit SHA (40 lowercase hex)");

export const httpUrl = rule(
  (value) => {
    try {
      const url = new URL(value);
      // Credentials in a URL would be shown in comments, deployments and summaries.
      const credentials = url.username !== "" || url.password !== "";
      return (url.protocol === "https:" || url.protocol === "http:") && !credentials;
    } catch {
      return false;
    }
  },
  "an http(s) URL without credentials",
  { quote: false },
);
