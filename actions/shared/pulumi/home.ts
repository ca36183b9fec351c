/**
 * A PULUMI_HOME of this step's own for Pulumi Cloud: with PULUMI_ACCESS_TOKEN set, the CLI
 * logs in on its first command and writes the token to $PULUMI_HOME/credentials.json
 * (default ~/.pulumi), where it would stay on a self-hosted runner for the next job to use.
 * The plugin cache is linked in, so plugins are not downloaded again; the folder, token
 * included, is deleted when the step's process exits.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { stepTempDir } from "../temp.js";

let home: string | undefined;

export function isolatedPulumiHome(): string {
  if (home) return home;
  const created = stepTempDir("pulumi-home");
  const plugins = join(process.env.PULUMI_HOME || join(homedir(), ".pulumi"), "plugins");
  mkdirSync(plugins, { recursive: true });
  if (existsSync(plugins)) symlinkSync(plugins, join(created, "plugins"), "dir");
  process.once("exit", () => rmSync(created, { recursive: true, force: true }));
  return (home = created);
}

/** Pulumi Cloud (the default or an http(s) URL) with a token in the environment. */
export function needsIsolatedHome(backendUrl: string | undefined): boolean {
  return (
    !!process.env.PULUMI_ACCESS_TOKEN &&
    (backendUrl === undefined || /^https?:\/\//.test(backendUrl))
  );
}
