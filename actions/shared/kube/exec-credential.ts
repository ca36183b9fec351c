/**
 * Credentials from a kubeconfig's `exec` plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`,
 * `kubelogin`): the plugin runs without a shell, bounded in time, told it is not interactive
 * (KUBERNETES_EXEC_INFO), and its token is kept only until the `expirationTimestamp` it
 * states (EKS tokens live 15 minutes), or until the server rejects it.
 */
import { describeExit, describeStop, exec } from "../exec.js";
import { ActionError } from "../errors.js";
import { addMask } from "../runner.js";

/** The `exec` section of a kubeconfig user, as the kubeconfig spells it. */
interface ExecConfig {
  apiVersion?: unknown;
  command?: unknown;
  args?: unknown;
  env?: unknown;
}

interface ExecCredentialStatus {
  token?: unknown;
  expirationTimestamp?: unknown;
}

const PLUGIN_TIMEOUT_MS = 60_000;

/** Why the plugin gave no credential, in words that quote nothing from the kubeconfig. */
export class ExecCredentialError extends ActionError {
  override readonly name = "ExecCredentialError";

  constructor(
    readonly reason: string,
    detail?: string,
  ) {
    super(`The kubeconfig's credential plugin failed: ${reason}${detail ? `: ${detail}` : ""}`, {
      title: "Kubernetes credentials",
    });
  }
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;

/** `env: [{name, value}]` of the kubeconfig, over the environment the caller allows. */
function pluginEnv(config: ExecConfig, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const entry of Array.isArray(config.env) ? (config.env as unknown[]) : []) {
    const { name, value } = (entry ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name === "string" && typeof value === "string") env[name] = value;
  }
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: config.apiVersion,
    kind: "ExecCredential",
    spec: { interactive: false },
  });
  return env;
}

interface Cached {
  token: string;
  /** When to ask the plugin again: a little before the stated expiry. */
  refreshAt: number;
}

export class ExecCredentials {
  private cached: Promise<Cached> | undefined;

  constructor(
    private readonly config: ExecConfig,
    /** The plugin's environment before the kubeconfig's own `env` entries. */
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {}

  /** A token that was valid when last asked for; runs the plugin when there is none. */
  async token(): Promise<string> {
    const cached = this.cached ? await this.cached.catch(() => undefined) : undefined;
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    this.cached = this.run();
    return (await this.cached).token;
  }

  /** The server rejected the token (401): the next call asks the plugin again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async run(): Promise<Cached> {
    const { command } = this.config;
    const args = this.config.args === undefined ? [] : strings(this.config.args);
    if (typeof command !== "string" || !command || !args)
      throw new ExecCredentialError("the exec section needs a command and a list of args");
    let result;
    try {
      result = await exec(command, args, {
        env: pluginEnv(this.config, this.baseEnv),
        timeoutMs: PLUGIN_TIMEOUT_MS,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ExecCredentialError(
        (error as Error).message.includes("was not found on PATH")
          ? "its command is not installed"
          : `it could not be started (${code ?? "unknown error"})`,
      );
    }
    if (result.exitCode !== 0) {
      const line = result.stderr.trim().split("\n")[0]?.slice(0, 200);
      // Stopped at its limit or by a cancel, or killed by a signal: said as such.
      const ended =
        describeStop("it", result, PLUGIN_TIMEOUT_MS) ??
        (result.signal
          ? `it was ${describeExit(result)}`
          : `it exited with code ${result.exitCode}`);
      throw new ExecCredentialError(ended, line);
    }
    let status: ExecCredentialStatus | undefined;
    try {
      status = (JSON.parse(result.stdout) as { status?: ExecCredentialStatus }).status;
    } catch {
      throw new ExecCredentialError("it printed no ExecCredential JSON");
    }
    const token = status?.token;
    if (typeof token !== "string" || !token.trim())
      throw new ExecCredentialError("its ExecCredential holds no status.token");
    addMask(token);
    return { token, refreshAt: refreshAt(status?.expirationTimestamp) };
  }
}

/**
 * A quarter of the remaining lifetime early, at most a minute: a 15-minute EKS token is
 * renewed a minute before it expires, a 4-second one a second before. No expiry: kept.
 */
function refreshAt(expirationTimestamp: unknown): number {
  if (typeof expirationTimestamp !== "string") return Infinity;
  const expires = Date.parse(expirationTimestamp);
  if (Number.isNaN(expires))
    throw new ExecCredentialError("its status.expirationTimestamp is not a time");
  const now = Date.now();
  return expires - Math.min(60_000, Math.max(0, (expires - now) / 4));
}
