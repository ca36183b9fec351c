/**
 * Which real parts this machine has: a Docker engine with the registry on 127.0.0.1:5000,
 * and a Pulumi CLI (not the test double) with a kube context.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { parse } from "yaml";
import { PULUMI_DOUBLE_BIN } from "../../test/emulators/pulumi/double.js";

export const REGISTRY = "127.0.0.1:5000";

export interface Availability {
  ok: boolean;
  /** Why not, in a few words; or what was found. */
  reason: string;
}

export async function dockerAvailability(): Promise<Availability> {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (info.status !== 0) return { ok: false, reason: "Docker engine not running" };
  try {
    const response = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok)
      return { ok: false, reason: `registry ${REGISTRY} answers ${response.status}` };
  } catch {
    return { ok: false, reason: `no registry on ${REGISTRY}` };
  }
  return { ok: true, reason: `Docker ${info.stdout.trim()} and registry ${REGISTRY}` };
}

/** The first `pulumi` on PATH that is not the double, if any. */
function realPulumi(): string | undefined {
  const double = realpathSync(join(PULUMI_DOUBLE_BIN, "pulumi"));
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "pulumi");
    if (existsSync(candidate) && realpathSync(candidate) !== double) return candidate;
  }
  return undefined;
}

function currentKubeContext(): string | undefined {
  const file = process.env.KUBECONFIG?.split(delimiter)[0] || join(homedir(), ".kube", "config");
  if (!existsSync(file)) return undefined;
  const config = parse(readFileSync(file, "utf8")) as { "current-context"?: string } | null;
  return config?.["current-context"] || undefined;
}

export function pulumiAvailability(): Availability {
  const cli = realPulumi();
  const context = currentKubeContext();
  if (!cli) return { ok: false, reason: "no real pulumi CLI on PATH" };
  if (!context) return { ok: false, reason: `pulumi at ${cli} but no kube context` };
  return { ok: true, reason: `pulumi at ${cli} and kube context ${context}` };
}
