/**
 * `pulumi-version`: the CLI of that release, verified before each use, first on PATH for this
 * step and the job's later steps. On a self-hosted runner that keeps files between jobs, the
 * tool cache and PATH hold whatever an earlier job (a pull request's program among them) left
 * there, and the next job hands its Pulumi token to it. So no CLI is ever run unverified: the
 * release's checksums file is fetched from GitHub on every use, the release archive (kept in
 * the tool cache next to the CLI it was extracted to) must match it, it is extracted into the
 * step's own folder, and the CLI is run from there. A cached CLI that differs from its
 * verified archive is refused, naming the file: the runner was tampered with.
 *
 * The runner's tool cache is used with @actions/tool-cache's layout
 * (`$RUNNER_TOOL_CACHE/pulumi/<version>/<arch>` plus a `.complete` marker), but not the
 * package itself: it bundles an HTTP client (undici) of 1.2 MB, beyond the whole action's
 * 1 MB budget, where Node's own http(s) does the same job: through the proxy that
 * HTTPS_PROXY / HTTP_PROXY name unless NO_PROXY exempts the host (as tool-cache does), and
 * streamed to disk rather than held in memory (the archive is about 100 MB).
 */
import { createHash } from "node:crypto";
import {
  type Dirent,
  appendFileSync,
  cpSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { pipeline } from "node:stream/promises";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { ActionError } from "../shared/errors.js";
import { exec } from "../shared/exec.js";
import { proxyAwareAgent } from "../shared/http-transport.js";
import { isTransientStatus, retry } from "../shared/retry.js";
import { info } from "../shared/runner.js";
import { stepTempDir } from "../shared/temp.js";

/** PREVIEW_KIT_PULUMI_RELEASES stands in for GitHub's release downloads in tests. */
const RELEASES =
  process.env.PREVIEW_KIT_PULUMI_RELEASES || "https://github.com/pulumi/pulumi/releases/download";

/** The version `pulumi version` prints (`v3.140.0`), without the `v`; undefined when missing. */
export async function installedVersion(
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  try {
    const { exitCode, stdout } = await exec("pulumi", ["version"], {
      env,
      timeoutMs: 60_000,
    });
    const match = /v?(\d+\.\d+\.\d+\S*)/.exec(stdout.trim());
    return exitCode === 0 && match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

function normaliseVersion(version: string): string {
  return version.replace(/^v/, "");
}

/** The release archive for this machine and the checksums file that lists it. */
export function releaseAssets(version: string, platform = process.platform, arch = process.arch) {
  const os = { linux: "linux", darwin: "darwin", win32: "windows" }[platform as string];
  const cpu = { x64: "x64", arm64: "arm64" }[arch as string];
  if (!os || !cpu)
    throw new ActionError(`No Pulumi CLI release for ${platform}/${arch}`, {
      title: "Pulumi install failed",
    });
  const archive = `pulumi-v${version}-${os}-${cpu}.${os === "windows" ? "zip" : "tar.gz"}`;
  return {
    archive,
    archiveUrl: `${RELEASES}/v${version}/${archive}`,
    checksumsUrl: `${RELEASES}/v${version}/pulumi-${version}-checksums.txt`,
  };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Throws unless `checksums` (`<sha256>  <file>` lines) lists `name` with the file's hash. */
export async function verifyChecksum(path: string, name: string, checksums: string): Promise<void> {
  const line = checksums
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+\*?/))
    .find(([, file]) => file === name);
  if (!line?.[0]) {
    throw new ActionError(`The release checksums do not list ${name}`, {
      title: "Pulumi install failed",
    });
  }
  const actual = await sha256File(path);
  if (actual !== line[0].toLowerCase()) {
    throw new ActionError(`Checksum mismatch for ${name}: expected ${line[0]}, got ${actual}`, {
      title: "Pulumi install failed",
    });
  }
}

function prependPath(dir: string): void {
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ""}`;
  if (process.env.GITHUB_PATH) appendFileSync(process.env.GITHUB_PATH, `${dir}\n`, "utf8");
}

/** Where the tool cache keeps a version: the same folders @actions/tool-cache uses. */
export function cachedToolDir(version: string, arch = process.arch): string {
  const root = process.env.RUNNER_TOOL_CACHE || join(tmpdir(), "tool-cache");
  return join(root, "pulumi", normaliseVersion(version), arch);
}

/** Whether a version is in the tool cache whole (tool-cache writes the marker last). */
export function isCached(version: string, arch = process.arch): boolean {
  return existsSync(`${cachedToolDir(version, arch)}.complete`);
}

/** Copies the CLI's binaries into the tool cache, marker last, as tool-cache's cacheDir does. */
export function storeInCache(binaries: string, version: string, arch = process.arch): string {
  const target = cachedToolDir(version, arch);
  rmSync(`${target}.complete`, { force: true });
  rmSync(target, { recursive: true, force: true });
  cpSync(binaries, target, { recursive: true });
  writeFileSync(`${target}.complete`, "");
  return target;
}

class DownloadFailed extends Error {
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`HTTP ${status} for ${url}`);
  }
}

/** GitHub's release downloads redirect to their storage host, once or twice. */
const MAX_REDIRECTS = 5;
/** A connection that sends nothing for this long is given up on (and tried again). */
const IDLE_TIMEOUT_MS = 60_000;

/** The answer to one GET, through the environment's proxy when it names one for the host. */
function get(url: URL): Promise<http.IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  const agent = proxyAwareAgent(url, false);
  return new Promise((resolve, reject) => {
    const request = client.get(url, { agent, timeout: IDLE_TIMEOUT_MS }, resolve);
    request.on("timeout", () =>
      request.destroy(new Error(`no data from ${url.host} for ${IDLE_TIMEOUT_MS / 1000}s`)),
    );
    request.on("error", reject);
  });
}

/** Streams `url` to `path`, following redirects. */
async function downloadOnce(url: string, path: string): Promise<void> {
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    const response = await get(target);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
      response.resume();
      target = new URL(location, target);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new DownloadFailed(status, url);
    }
    await pipeline(response, createWriteStream(path));
    return;
  }
}

/** Downloads to `path`; a dropped connection or a 5xx is tried again, a 404 is not. */
export async function download(url: string, path: string): Promise<void> {
  await retry(() => downloadOnce(url, path), {
    tries: 3,
    waitMs: (failures) => 2_000 * failures,
    retryError: (error) => !(error instanceof DownloadFailed) || isTransientStatus(error.status),
  });
}

/** Where the tool cache keeps the release archive a version's CLI was extracted from. */
export function cachedArchive(version: string, arch = process.arch): string {
  return `${cachedToolDir(version, arch)}.archive`;
}

/** Extracts a release archive; the folder of its binaries. */
async function extract(archive: string, name: string, into: string): Promise<string> {
  // bsdtar (Windows, macOS) reads zip and tar.gz alike; GNU tar detects the compression.
  mkdirSync(into, { recursive: true });
  const { exitCode, stderr } = await exec("tar", ["-xf", archive, "-C", into], {
    timeoutMs: 5 * 60_000,
  });
  if (exitCode !== 0) throw new Error(`tar could not extract ${name}: ${stderr.trim()}`);
  // The archives hold a `pulumi/` folder: binaries at its top (tar) or in `bin/` (zip).
  return join(into, "pulumi", name.endsWith(".zip") ? "bin" : "");
}

/** The files of a folder, relative, sorted; nested folders walked. */
function filesOf(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The first file in which two folders differ (one missing, or other bytes); undefined if none. */
async function firstDifference(verified: string, cached: string): Promise<string | undefined> {
  const ours = filesOf(verified);
  const theirs = filesOf(cached);
  const extra = theirs.find((file) => !ours.includes(file));
  if (extra) return extra;
  for (const file of ours) {
    if (!existsSync(join(cached, file))) return file;
    if ((await sha256File(join(verified, file))) !== (await sha256File(join(cached, file))))
      return file;
  }
  return undefined;
}

function refused(message: string): ActionError {
  return new ActionError(message, { title: "Pulumi CLI refused" });
}

/** Puts the verified CLI of `wantedVersion` first on PATH (see the top of this file). */
export async function ensurePulumi(wantedVersion: string): Promise<void> {
  const version = normaliseVersion(wantedVersion);
  const assets = releaseAssets(version);
  const work = stepTempDir("pulumi-install");
  const checksumsFile = join(work, "checksums.txt");
  const archive = cachedArchive(version);
  const cached = isCached(version) && existsSync(archive);
  try {
    await download(assets.checksumsUrl, checksumsFile);
    const checksums = readFileSync(checksumsFile, "utf8");
    if (cached) {
      await verifyChecksum(archive, assets.archive, checksums).catch((error: unknown) => {
        throw refused(
          `The tool cache's archive of Pulumi CLI ${version} (${archive}) fails the release's checksum: refused, the runner's tool cache was changed. ${(error as Error).message}`,
        );
      });
    } else {
      info(`Pulumi CLI ${version} is not in the tool cache; downloading it`);
      const fresh = join(work, assets.archive);
      await download(assets.archiveUrl, fresh);
      await verifyChecksum(fresh, assets.archive, checksums);
      const binaries = await extract(fresh, assets.archive, join(work, "cache-copy"));
      storeInCache(binaries, version);
      cpSync(fresh, archive);
    }
    const verified = await extract(archive, assets.archive, join(work, "verified"));
    if (cached) {
      const changed = await firstDifference(verified, cachedToolDir(version));
      if (changed)
        throw refused(
          `Pulumi CLI ${version} in the tool cache differs from its verified release (${changed} changed): refused, the runner's tool cache was changed; use ephemeral runners (action-docs/workflows.md, "Self-hosted runners")`,
        );
      info(`Pulumi CLI ${version} from the tool cache, verified against the release's checksums`);
    }
    prependPath(verified);
  } catch (error) {
    if (error instanceof ActionError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ActionError(`Could not install Pulumi CLI ${version}: ${reason}`, {
      title: "Pulumi install failed",
      cause: error,
    });
  }
}
