/**
 * `pulumi-version` as pulumi/actions v7 takes it: an exact version, `latest`, or a range
 * (`^3.200.0`, `~3.274`, `3.x`, `>=3.250.0 <4`, `a || b`). A range the CLI on PATH already
 * satisfies needs no network; otherwise, and for `latest`, the newest stable release in
 * Pulumi's release index that satisfies it is chosen, then installed like an exact version
 * (and checked against its release's SHA-256 checksums). The index is the file pulumi/actions
 * reads (pulumi/docs `data/versions.json`: `[{version, latest?}, ...]`);
 * PREVIEW_KIT_PULUMI_RELEASE_INDEX names another (a mirror, or a test's stand-in).
 *
 * The range grammar is the npm one, less prereleases and build metadata: a run picks a
 * stable release or fails.
 */
import { z } from "zod";
import { ActionError } from "../shared/errors.js";
import { boundedFetch, shownUrl } from "../shared/http.js";
import { isTransientStatus, retry } from "../shared/retry.js";
import { info } from "../shared/runner.js";

const RELEASE_INDEX = "https://raw.githubusercontent.com/pulumi/docs/master/data/versions.json";

type Version = readonly [number, number, number];
/** A comparator set: every bound holds. `hi` excluded, `lo` included. */
interface Bounds {
  lo: Version;
  hi?: Version;
}

const EXACT = /^v?(\d+)\.(\d+)\.(\d+)$/;
const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;
const COMPARATOR = /^(\^|~|>=|<=|>|<|=)?(.+)$/;

export function isExactVersion(spec: string): boolean {
  return EXACT.test(spec);
}

function parseExact(text: string): Version | undefined {
  const m = EXACT.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The numbers a partial version gives (`3.x` → [3]); undefined when it is not one. */
function partial(text: string): number[] | undefined {
  const m = PARTIAL.exec(text);
  if (!m) return undefined;
  const parts: number[] = [];
  for (const part of m.slice(1)) {
    if (part === undefined || /^[xX*]$/.test(part)) break;
    parts.push(Number(part));
  }
  return parts;
}

const pad = (p: number[]): Version => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
/** The first version past every one the partial names (`3.2` → 3.3.0). */
function after(p: number[]): Version | undefined {
  if (p.length === 0) return undefined;
  const bumped = [...p];
  bumped[p.length - 1] = (bumped[p.length - 1] as number) + 1;
  return pad(bumped);
}

/** One comparator as bounds; undefined when it is not one. */
function comparator(text: string): Bounds | undefined {
  const [, op = "", rest = ""] = COMPARATOR.exec(text) ?? [];
  const p = partial(rest);
  if (!p) return undefined;
  const [major = 0, minor = 0] = p;
  const none: Version = [0, 0, 0];
  switch (op) {
    case "^": {
      const first = p.findIndex((n) => n !== 0);
      const keep = first < 0 || first >= p.length - 1 ? Math.max(p.length - 1, 0) : first;
      return { lo: pad(p), hi: p.length === 0 ? undefined : after(p.slice(0, keep + 1)) };
    }
    case "~":
      return {
        lo: pad(p),
        hi: p.length === 0 ? undefined : after(p.length === 1 ? [major] : [major, minor]),
      };
    case ">=":
      return { lo: pad(p) };
    case ">":
      return { lo: after(p) ?? [Infinity, 0, 0] };
    case "<":
      return { lo: none, hi: pad(p) };
    case "<=":
      return { lo: none, hi: after(p) };
    default:
      return { lo: pad(p), hi: after(p) };
  }
}

/** The tighter of two upper bounds (undefined: none). */
function lower(a: Version | undefined, b: Version | undefined): Version | undefined {
  if (!a) return b;
  if (!b) return a;
  return compare(a, b) <= 0 ? a : b;
}

/** `a b || c`: each alternative a conjunction of comparators; undefined when not a range. */
export function parseRange(spec: string): Bounds[] | undefined {
  const alternatives: Bounds[] = [];
  for (const alternative of spec.split("||")) {
    // `>= 3.0.0` (a space after the operator) is the same comparator.
    const words = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/);
    if (words.length === 1 && words[0] === "") return undefined;
    let bounds: Bounds = { lo: [0, 0, 0] };
    for (const word of words) {
      const next = comparator(word);
      if (!next) return undefined;
      bounds = {
        lo: compare(next.lo, bounds.lo) > 0 ? next.lo : bounds.lo,
        hi: lower(bounds.hi, next.hi),
      };
    }
    alternatives.push(bounds);
  }
  return alternatives;
}

/** What the input accepts: an exact version, `latest`, or a range. */
export function isVersionSpec(spec: string): boolean {
  return spec.length <= 100 && (spec === "latest" || parseRange(spec) !== undefined);
}

export function satisfies(version: string, range: Bounds[]): boolean {
  const v = parseExact(version);
  return (
    v !== undefined &&
    range.some((b) => compare(v, b.lo) >= 0 && (b.hi === undefined || compare(v, b.hi) < 0))
  );
}

const releaseIndex = z.array(z.object({ version: z.string(), latest: z.boolean().optional() }));

async function readIndex(url: string): Promise<z.infer<typeof releaseIndex>> {
  const answer = await retry(
    async () => {
      const response = await boundedFetch(url);
      if (isTransientStatus(response.status)) throw new Error(`HTTP ${response.status}`);
      return response;
    },
    { tries: 3, waitMs: (failures) => 1_000 * failures },
  ).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ActionError(
      `Could not read Pulumi's release index ${shownUrl(url)} to resolve pulumi-version: ${reason}. Give an exact version (such as 3.274.1) to install without it`,
      { title: "Pulumi install failed", cause: error },
    );
  });
  const parsed = answer.ok ? releaseIndex.safeParse(await answer.json()) : undefined;
  if (!parsed?.success)
    throw new ActionError(
      `Pulumi's release index ${shownUrl(url)} ${answer.ok ? "is not a list of {version} entries" : `answered HTTP ${answer.status}`}. Give an exact version (such as 3.274.1) to install without it`,
      { title: "Pulumi install failed" },
    );
  return parsed.data;
}

/**
 * The exact version to install for `spec`: itself when exact, the CLI on PATH when it
 * satisfies a range, else the newest stable release in the index that satisfies it.
 */
export async function resolvePulumiVersion(
  spec: string,
  installed: () => Promise<string | undefined>,
): Promise<string> {
  if (isExactVersion(spec)) return spec.replace(/^v/, "");
  const range = spec === "latest" ? undefined : parseRange(spec);
  if (range) {
    const onPath = await installed();
    if (onPath && satisfies(onPath, range)) {
      info(`pulumi-version ${spec}: the CLI on PATH (${onPath}) satisfies it`);
      return onPath;
    }
  }
  const url = process.env.PREVIEW_KIT_PULUMI_RELEASE_INDEX || RELEASE_INDEX;
  const releases = (await readIndex(url))
    .map((r) => ({ ...r, version: r.version.replace(/^v/, "") }))
    .filter((r) => parseExact(r.version));
  const candidates = range
    ? releases.filter((r) => satisfies(r.version, range))
    : releases.filter((r) => r.latest === true);
  const newest = candidates
    .map((r) => r.version)
    .sort((a, b) => compare(parseExact(b) as Version, parseExact(a) as Version))[0];
  if (!newest)
    throw new ActionError(
      spec === "latest"
        ? `Pulumi's release index ${shownUrl(url)} marks no release as latest`
        : `No Pulumi CLI release in ${shownUrl(url)} satisfies pulumi-version '${spec}'`,
      { title: "Pulumi install failed" },
    );
  info(`pulumi-version ${spec} resolved to ${newest} (release index ${shownUrl(url)})`);
  return newest;
}
