/**
 * Loads the kubeconfig (the `kubeconfig` input, else the files in KUBECONFIG, else
 * ~/.kube/config) and resolves one context to a server, TLS material and credentials.
 *
 * The kubeconfig model is @kubernetes/client-node's own (`newClusters`, `newUsers`,
 * `newContexts`): its validation and field mapping, without the rest of the package,
 * which bundles to 18 MB (the generated API classes and models) against a 1 MB budget.
 * Every credential is masked before anything else happens; parse errors never quote
 * the file, since any line of it may be a secret.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import {
  newClusters,
  newContexts,
  newUsers,
  type Cluster,
  type User,
} from "@kubernetes/client-node/dist/config_types.js";
import { parse } from "yaml";
import { ActionError, InputError } from "../shared/errors.js";
import { kubeconfigSecrets } from "../shared/kubeconfig-secrets.js";
import { addMask } from "../shared/runner.js";

export interface KubeTarget {
  contextName: string;
  cluster: Cluster;
  user: User;
  /** Directory that relative file paths in the kubeconfig are relative to. */
  baseDir: string;
}

interface RawConfig {
  clusters?: unknown[];
  users?: unknown[];
  contexts?: unknown[];
  "current-context"?: string;
}

interface Source {
  text: string;
  baseDir: string;
  origin: string;
}

function sources(content: string | undefined): Source[] {
  if (content !== undefined) return [{ text: content, baseDir: process.cwd(), origin: "input" }];
  const paths = (process.env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  const candidates = paths.length > 0 ? paths : [join(homedir(), ".kube", "config")];
  const found = candidates.filter((path) => existsSync(path));
  if (found.length === 0) {
    throw new ActionError(
      "No kubeconfig: set the kubeconfig input, or KUBECONFIG (e.g. with a cloud login action) before this step",
      { title: "No kubeconfig" },
    );
  }
  return found.map((path) => ({
    text: readFileSync(path, "utf8"),
    baseDir: dirname(resolve(path)),
    origin: path,
  }));
}

function unusable(origin: string, why: string): ActionError {
  return origin === "input"
    ? new InputError([`Input 'kubeconfig' must be a kubeconfig (${why})`])
    : new ActionError(`The kubeconfig ${origin} is not usable: ${why}`, {
        title: "Invalid kubeconfig",
      });
}

function parseSource(source: Source): RawConfig {
  let raw: unknown;
  try {
    raw = parse(source.text);
  } catch (error) {
    // The parser's message quotes the offending line, which may hold a token.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw unusable(source.origin, `YAML does not parse${line ? ` at line ${line}` : ""}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw unusable(source.origin, "expected a YAML mapping with clusters, users and contexts");
  }
  return raw as RawConfig;
}

/** Registers each secret once; a value may repeat (a token in two files). */
function maskAll(values: Iterable<string | undefined>): void {
  for (const value of new Set(values)) if (value?.trim()) addMask(value);
}

/** First definition of a name wins, as kubectl merges the files of KUBECONFIG. */
function firstByName<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.name) && seen.add(item.name));
}

export function loadKubeconfig(
  content: string | undefined,
  contextName: string | undefined,
): KubeTarget {
  const loaded = sources(content).map((source) => ({ source, raw: parseSource(source) }));
  const secrets = new Set(loaded.flatMap(({ raw }) => kubeconfigSecrets(raw)));
  maskAll(secrets);

  const clusters: (Cluster & { baseDir: string })[] = [];
  const users: User[] = [];
  const contexts: ReturnType<typeof newContexts> = [];
  for (const { source, raw } of loaded) {
    try {
      clusters.push(...newClusters(raw.clusters).map((c) => ({ ...c, baseDir: source.baseDir })));
      users.push(...newUsers(raw.users));
      contexts.push(...newContexts(raw.contexts));
    } catch (error) {
      // client-node's messages name the field (`users[0].name is missing`), never a value.
      throw unusable(source.origin, error instanceof Error ? error.message : String(error));
    }
  }
  // A token read from a token-file is a secret too.
  maskAll(users.map((user) => user.token).filter((token) => token && !secrets.has(token)));

  const wanted = contextName ?? loaded.map(({ raw }) => raw["current-context"]).find(Boolean);
  const names = firstByName(contexts).map((c) => c.name);
  if (!wanted) {
    throw unusable(
      loaded[0]?.source.origin ?? "input",
      `no current-context; set the context input to one of: ${names.join(", ") || "(none)"}`,
    );
  }
  const context = firstByName(contexts).find((c) => c.name === wanted);
  if (!context) {
    const problem = `names no context of the kubeconfig, got '${wanted}'; it has: ${names.join(", ") || "(none)"}`;
    if (contextName !== undefined) throw new InputError([`Input 'context' ${problem}`]);
    throw new ActionError(`current-context ${problem}`, { title: "Invalid kubeconfig" });
  }
  const cluster = firstByName(clusters).find((c) => c.name === context.cluster);
  const user = firstByName(users).find((u) => u.name === context.user);
  if (!cluster)
    throw new ActionError(
      `Context '${context.name}' names cluster '${context.cluster}', which the kubeconfig does not define`,
      { title: "Invalid kubeconfig" },
    );
  return {
    contextName: context.name,
    cluster,
    // A context without a user is legal (anonymous access).
    user: user ?? { name: context.user ?? "" },
    baseDir: cluster.baseDir,
  };
}

/** Reads a file named in the kubeconfig, relative to the kubeconfig's directory. */
export function readConfigFile(path: string, baseDir: string): Buffer {
  return readFileSync(isAbsolute(path) ? path : join(baseDir, path));
}
