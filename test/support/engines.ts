// Where the suites find the real engines `npm run engines` built (scripts/engines.mjs).
// Under CI=true a missing engine fails the suite; elsewhere the suite skips with one line.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../harness/paths.js";

export type EngineName =
  | "pulumi"
  | "pulumi-language-nodejs"
  | "pulumi-resource-pulumi-nodejs"
  | "pulumi-resource-kubernetes"
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kubectl"
  | "kubelet"
  | "coredns"
  | "kube-proxy"
  | "kube-scheduler"
  | "preview-kit-pause"
  | "preview-kit-echo"
  | "preview-kit-app"
  | "actionlint";

let located: string | undefined;

/** The engines' directory: $PREVIEW_KIT_ENGINES_BIN, else the last stdout line of `engines.mjs --check`. */
export function enginesDir(): string {
  if (located !== undefined) return located;
  const fromEnv = process.env.PREVIEW_KIT_ENGINES_BIN;
  if (fromEnv) return (located = path.resolve(fromEnv));
  const check = spawnSync(
    process.execPath,
    [path.join(repoRoot, "scripts/engines.mjs"), "--check"],
    {
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  return (located = (check.stdout ?? "").trim().split("\n").pop() ?? "");
}

/** Which of `names` the engines' directory lacks (all of them when there is none). */
export function missingEngines(names: readonly EngineName[]): EngineName[] {
  const dir = enginesDir();
  return names.filter((name) => !dir || !existsSync(path.join(dir, name)));
}

/**
 * The directory holding `names`, or undefined (after one line saying why) when one is missing
 * outside CI. Under CI=true a missing engine throws, so the suite fails instead of skipping.
 */
export function engines(...names: EngineName[]): string | undefined {
  const dir = enginesDir();
  const missing = missingEngines(names);
  if (missing.length === 0) return dir;
  const reason = `real engines missing (${missing.join(", ")}): run \`npm run engines\``;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipped: ${reason}`);
  return undefined;
}
