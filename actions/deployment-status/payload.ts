/**
 * The `payload` input: JSON the deployment carries (digests, URLs, PR number). Digests in it
 * are checked whole wherever they appear, so a 12-character short digest never reaches
 * GitHub, where a later job would read it back as if it were an image reference.
 */
import { DIGEST_PATTERN } from "../shared/schemas.js";

export type Payload = Record<string, unknown>;

/** The key under which the action records which run created a deployment. */
export const RUN_KEY = "preview_kit";

const DIGEST_LIKE = /sha256:/i;
const WHOLE = /^(?:\S+@)?sha256:[0-9a-f]{64}$/;

function isObject(value: unknown): value is Payload {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first value that holds a digest that is not whole, with where it is. */
function badDigest(value: unknown, path: string, underDigestKey: boolean): string | undefined {
  if (typeof value === "string") {
    const wanted = underDigestKey || DIGEST_LIKE.test(value);
    return wanted && !(WHOLE.test(value) || (underDigestKey && DIGEST_PATTERN.test(value)))
      ? `got '${value.slice(0, 80)}' at ${path}`
      : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = badDigest(item, `${path}[${index}]`, underDigestKey);
      if (found) return found;
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = badDigest(
        item,
        path ? `${path}.${key}` : key,
        underDigestKey || /digest/i.test(key),
      );
      if (found) return found;
    }
  }
  return undefined;
}

/** The parsed payload, or what is wrong with it (completing "Input 'payload' ..."). */
export function checkPayload(text: string): Payload | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'must be a JSON object, e.g. {"digests":{"web":"sha256:…"},"pr":42}';
  }
  if (!isObject(value)) return 'must be a JSON object, e.g. {"digests":{"web":"sha256:…"},"pr":42}';
  if (RUN_KEY in value) return `must not set '${RUN_KEY}': the action records the run there`;
  const bad = badDigest(value, "", false);
  if (bad)
    return `must hold whole digests (sha256: followed by 64 lowercase hex characters), ${bad}`;
  return value;
}
