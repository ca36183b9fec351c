/**
 * Reaches the cluster a kubeconfig output points at: GET /version through the shared
 * Kubernetes client, with the kubeconfig's CA and credentials (exec plugins included).
 * Nothing from the kubeconfig (server, token, certificates) ever goes into a reason: they
 * are fixed words, error codes and HTTP statuses only.
 *
 * The kubeconfig comes from another stack: whoever can write that stack chooses its `exec`
 * plugin. So the plugin runs only when allowed, and then with PATH, HOME and the variables
 * named for it, never with the job's environment (PULUMI_ACCESS_TOKEN, cloud credentials).
 */
import { KubeClient, KubeRequestError } from "../shared/kube/client.js";
import {
  KubeconfigError,
  loadKubeconfig,
  type KubeconfigProblem,
} from "../shared/kube/kubeconfig.js";
import { info } from "../shared/runner.js";

export type Probe =
  { reachable: true; version?: string; note?: string } | { reachable: false; reason: string };

/** In this action's words: the kubeconfig is a stack output, not an input or a file. */
const UNUSABLE: Record<KubeconfigProblem, (error: KubeconfigError) => string> = {
  "not-found": () => "the output holds no kubeconfig",
  "not-yaml": () => "the output is not valid kubeconfig YAML",
  "not-mapping": () => "the output is not a kubeconfig object",
  // client-node's field names (`clusters[0].cluster.server is missing`), never a value.
  invalid: (error) => `the kubeconfig is malformed: ${error.detail}`,
  "no-cluster": () => "the kubeconfig names no cluster server",
  "no-context": () => "the kubeconfig has no current-context",
  "unknown-context": () => "the kubeconfig's current-context names no context of it",
  "unknown-cluster": () => "the kubeconfig's current context names a cluster it does not define",
};

function versionOf(body: unknown): string | undefined {
  const gitVersion = (body as { gitVersion?: unknown } | undefined)?.gitVersion;
  return typeof gitVersion === "string" && /^v?[\w.+-]{1,64}$/.test(gitVersion)
    ? gitVersion
    : undefined;
}

export interface ExecPolicy {
  /** Run the kubeconfig's exec credential plugin at all. */
  allowed: boolean;
  /** Names of variables of this job passed on to the plugin, besides PATH and HOME. */
  passEnv: readonly string[];
}

const NOT_RUN =
  "its exec credential plugin was not run (allow-exec-plugin is off), so /version was asked without credentials";

function pluginEnv(policy: ExecPolicy): NodeJS.ProcessEnv {
  const names = ["PATH", "HOME", ...policy.passEnv];
  return Object.fromEntries(
    names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
  );
}

/** `value`: the output as read, kubeconfig text or the object a stack exported. */
export async function probeCluster(
  value: unknown,
  options: { exec?: ExecPolicy; timeoutMs?: number } = {},
): Promise<Probe> {
  const { exec = { allowed: false, passEnv: [] }, timeoutMs = 10_000 } = options;
  let client: KubeClient | undefined;
  try {
    // JSON is YAML: an exported object goes through the same loader, masked the same way.
    const content = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
    const loaded = loadKubeconfig(content, undefined);
    const skipped = loaded.user.exec !== undefined && loaded.user.exec !== null && !exec.allowed;
    const target = skipped ? { ...loaded, user: { name: loaded.user.name } } : loaded;
    // Plain http as the kubeconfig's consumers (kubectl, the Pulumi provider) would use it.
    client = new KubeClient(target, {
      timeoutMs,
      allowPlainHttp: true,
      onRetry: info,
      execEnv: pluginEnv(exec),
    });
    const response = await client.request("GET", "/version");
    const note = skipped ? { note: NOT_RUN } : {};
    if (response.status === 200)
      return { reachable: true, version: versionOf(response.body), ...note };
    if (response.status === 401 && !skipped) {
      return {
        reachable: false,
        reason: "the cluster rejected the kubeconfig's credentials (HTTP 401)",
      };
    }
    if (response.status === 401 || response.status === 403) {
      return {
        reachable: true,
        note: skipped
          ? `${NOT_RUN}, and answered HTTP ${response.status}`
          : `/version answered HTTP ${response.status} (credentials not accepted for it)`,
      };
    }
    return { reachable: false, reason: `/version answered HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof KubeconfigError)
      return { reachable: false, reason: UNUSABLE[error.problem](error) };
    if (error instanceof KubeRequestError) return { reachable: false, reason: error.reason };
    throw error;
  } finally {
    client?.close();
  }
}
