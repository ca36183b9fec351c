/**
 * Which backend the CLI will use, and in which words, from the action's point of view:
 * `cloud-url`, else the job's PULUMI_BACKEND_URL (which the real CLI puts above the project's
 * setting), else `backend.url` in the project's Pulumi.yaml, else Pulumi Cloud.
 *
 * The CLI resolves a relative `file://` path against its own working directory (and fails when
 * the folder is missing: "unable to open state directory"); the actions resolve it against
 * the work-dir instead, so the answer does not depend on where the CLI happens to run.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** `file://./state` or `file://state` -> `file:///abs/work-dir/state`; other URLs unchanged. */
export function resolveBackendUrl(url: string, baseDir: string): string {
  const match = /^file:\/\/([^?]*)(\?.*)?$/.exec(url);
  if (!match) return url;
  const path = match[1] ?? "";
  // `~` is the CLI's to expand; an absolute path is already unambiguous.
  if (path === "" || path.startsWith("~") || isAbsolute(path)) return url;
  return `${pathToFileURL(resolve(baseDir, path)).href}${match[2] ?? ""}`;
}

/**
 * The folder of a `file://` backend, resolved (resolveBackendUrl) or under `~` as the CLI
 * expands it; undefined for any other backend.
 */
export function stateDir(url: string | undefined): string | undefined {
  if (!url?.startsWith("file://")) return undefined;
  const path = url.replace(/\?.*$/, "");
  const home = /^file:\/\/~(\/.*)?$/.exec(path);
  if (home) return join(homedir(), decodeURIComponent(home[1] ?? ""));
  if (!path.startsWith("file:///")) return undefined;
  return fileURLToPath(path);
}

/** `backend.url` of the Pulumi.yaml (or .yml) in dir; YAML is parsed only when the key is there. */
export async function projectBackendUrl(dir: string): Promise<string | undefined> {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((name) => join(dir, name)).find(existsSync);
  if (!file) return undefined;
  const text = readFileSync(file, "utf8");
  if (!/^backend\s*:/m.test(text)) return undefined;
  const { parse } = await import("yaml");
  try {
    const url = (parse(text) as { backend?: { url?: unknown } } | null)?.backend?.url;
    return typeof url === "string" && url !== "" ? url : undefined;
  } catch {
    // The CLI reports a broken Pulumi.yaml itself, in its own words.
    return undefined;
  }
}

/** The backend the CLI will use for a project in dir, relative `file://` resolved against dir. */
export async function backendFor(
  cloudUrl: string | undefined,
  dir: string,
): Promise<string | undefined> {
  const url = cloudUrl ?? (process.env.PULUMI_BACKEND_URL || (await projectBackendUrl(dir)));
  return url === undefined ? undefined : resolveBackendUrl(url, dir);
}

/** Pulumi Cloud: the default, or an http(s) URL (self-hosted Pulumi Cloud). */
export function isPulumiCloud(backend: string | undefined): boolean {
  return backend === undefined || /^https?:\/\//.test(backend);
}
