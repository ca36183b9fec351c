/**
 * Loads a kubeconfig (given content, else the files in KUBECONFIG, else ~/.kube/config)
 * and resolves one context to a server, TLS material and credentials.
 *
 * The kubeconfig model is @kubernetes/client-node's own (`newClusters`, `newUsers`,
 * `newContexts`): its validation and field mapping, without the rest of the package,
 * which bundles to 18 MB (the generated API classes and models) against a 1 MB budget.
 * Every credential is masked before anything else happens; errors never quote the file,
 * since any line of it may be a secret: they name fields, contexts and clusters only.
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
import { ActionError } from "../errors.js";
import { quoted } from "../inputs.js";
import { kubeconfigSecrets } from "./secrets.js";
import { addMask } from "../runner.js";

export interface KubeTarget {
  contextName: string;
  cluster: Cluster;
  user: User;
  /** Directory that relative file paths in the kubeconfig are relative to. */
  baseDir: string;
}

/** What is wrong, for callers that word it their own way (an input, a stack output). */
export type KubeconfigProblem =
  | "not-found"
  | "not-yaml"
  | "not-mapping"
  | "invalid"
  | "no-cluster"
  | "no-context"
  | "unknown-context"
  | "unknown-cluster";

/** The kubeconfig given as content, as opposed to a file of KUBECONFIG. */
export const GIVEN = "given";

export class KubeconfigError extends ActionError {
  override readonly name = "KubeconfigError";

  constructor(
    readonly problem: KubeconfigProblem,
    /** GIVEN, the path of the file at fault, or KUBECONFIG when no file was found. */
    readonly origin: string,
    /** Why, naming fields, contexts and clusters at most: never a value of the file. */
    readonly detail: string,
    message = `The ${origin === GIVEN ? "given kubeconfig" : `kubeconfig ${origin}`} is not usable: ${detail}`,
  ) {
    super(message, { title: problem === "not-found" ? "No kubeconfig" : "Invalid kubeconfig" });
  }
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
  if (content !== undefined) return [{ text: content, baseDir: process.cwd(), origin: GIVEN }];
  const paths = (process.env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  const candidates = paths.length > 0 ? paths : [join(homedir(), ".kube", "config")];
  const found = candidates.filter((path) => existsSync(path));
  if (found.length === 0) {
    const detail = "none was given, and neither KUBECONFIG nor ~/.kube/config names a file";
    throw new KubeconfigError(
      "not-found",
      "KUBECONFIG",
      detail,
      `No kubeconfig: ${detail}; set KUBECONFIG (e.g. with a cloud login action) before this step`,
    );
  }
  return found.map((path) => ({
    text: readFileSync(path, "utf8"),
    baseDir: dirname(resolve(path)),
    origin: path,
  }));
}

function parseSource(source: Source): RawConfig {
  let raw: unknown;
  try {
    raw = parse(source.text);
  } catch (error) {
    // The parser's message quotes the offending line, which may hold a token.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new KubeconfigError(
      "not-yaml",
      source.origin,
      `YAML does not parse${line ? ` at line ${line}` : ""}`,
    );
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new KubeconfigError(
      "not-mapping",
      source.origin,
      "expected a YAML mapping with clusters, users and contexts",
    );
  }
  return raw as RawConfig;
}

/** client-node names the field (`users[0].name is missing`); a token-file error names a path. */
function invalidDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/^\w+\[\d+\]\.[\w.]+ is missing$/.test(message)) return message;
  const code = (error as NodeJS.ErrnoException).code;
  return `a token-file cannot be read${code ? ` (${code})` : ""}`;
}

/** Registers each secret once; a value may repeat (a token in two files). */
function maskAll(values: Iterable<string | undefined | null>): void {
  for (const value of new Set(values)) if (value?.trim()) addMask(value);
}

/** First definition of a name wins, as kubectl merges the files of KUBECONFIG. */
function firstByName<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.name) && seen.add(item.name));
}

/**
 * `content`: the kubeconfig itself (YAML or JSON), else KUBECONFIG's files are merged.
 * `contextName`: the context to use, else the first current-context.
 */
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
      throw new KubeconfigError("invalid", source.origin, invalidDetail(error));
    }
  }
  // A token read from a token-file is a secret too.
  maskAll(users.map((user) => user.token).filter((token) => token && !secrets.has(token)));

  const origin = loaded[0]?.source.origin ?? GIVEN;
  if (clusters.length === 0)
    throw new KubeconfigError("no-cluster", origin, "it defines no cluster");
  const names = firstByName(contexts).map((c) => c.name);
  const wanted = contextName ?? loaded.map(({ raw }) => raw["current-context"]).find(Boolean);
  if (!wanted) {
    const detail = `no current-context; choose one of its contexts: ${names.join(", ") || "(none)"}`;
    throw new KubeconfigError("no-context", origin, detail);
  }
  const context = firstByName(contexts).find((c) => c.name === wanted);
  if (!context) {
    const detail = `names no context of the kubeconfig, got '${quoted(wanted)}'; it has: ${names.join(", ") || "(none)"}`;
    const subject = contextName === undefined ? "current-context" : "The context asked for";
    throw new KubeconfigError("unknown-context", origin, detail, `${subject} ${detail}`);
  }
  const cluster = firstByName(clusters).find((c) => c.name === context.cluster);
  if (!cluster) {
    const detail = `context '${context.name}' names cluster '${context.cluster}', which the kubeconfig does not define`;
    throw new KubeconfigError("unknown-cluster", origin, detail);
  }
  const user = firstByName(users).find((u) => u.name === context.user);
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
