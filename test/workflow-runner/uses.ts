/**
 * What a `uses:` names, resolved as GitHub documents it:
 * - `$/<path>` (the self-repository syntax, GitHub changelog 2026-07-30): the repository of the
 *   file the `uses:` is in, at the commit that is running. In one of this package's files that
 *   is this package (this checkout, standing in for the package at the ref the consumer
 *   called), in the consumer's files the consumer's repository;
 * - `OWNER/REPO/<path>@ref` naming this package: this checkout, whatever the ref;
 * - `./<path>`: a workflow in the caller's repository, an action in the job's workspace (so a
 *   package file's `./actions/<name>` fails as it would on GitHub unless something put it there);
 * - any other `owner/repo@ref`: a third-party action, run by its stand-in.
 */
import { join } from "node:path";

/** Whose file a `uses:` appears in: the consumer's workflow, or one of this package's. */
export type Origin = "consumer" | "package";

/** The package checked out at one ref, as GitHub fetches it for a `uses:` at that ref. */
export interface PackageCheckout {
  root: string;
  /** The commit the ref named. */
  sha: string;
  /** The ref as GitHub writes it in job_workflow_ref: refs/tags/X, refs/heads/X or the SHA. */
  ref: string;
}

export interface Resolver {
  /** This checkout. */
  packageRoot: string;
  /**
   * The package at the ref a `OWNER/REPO/...@ref` names; without it every ref is this checkout.
   * A `$/` in a file of that checkout stays in it (the running commit).
   */
  packageAt?: (ref: string) => PackageCheckout;
  /** The consumer repository's files (the workflow's own repository). */
  consumerRoot: string;
  /** `owner/repo` names meaning this package, e.g. `OWNER/REPO` of the examples. */
  packageRepositories: readonly string[];
  /**
   * The run is in this package's own repository (its release): the consumer's files are the
   * package's, and a `$/` action in them is the package's bundle at the running commit.
   */
  consumerIsPackage?: boolean;
}

export interface ResolvedWorkflow {
  path: string;
  origin: Origin;
  /** For a package file from Resolver.packageAt: that checkout. */
  kit?: PackageCheckout;
  /** How it was resolved, for the log. */
  note: string;
}

export type ResolvedAction =
  | { kind: "package"; dir: string; name: string; note: string; root: string }
  | { kind: "local"; dir: string; note: string }
  | { kind: "third-party"; name: string; ref: string };

function packagePath(
  ref: string,
  resolver: Resolver,
): { path: string; version: string } | undefined {
  const at = ref.lastIndexOf("@");
  const [remote, version] = at < 0 ? [ref, ""] : [ref.slice(0, at), ref.slice(at + 1)];
  const parts = remote.split("/");
  const repository = parts.slice(0, 2).join("/").toLowerCase();
  if (!resolver.packageRepositories.some((name) => name.toLowerCase() === repository))
    return undefined;
  return { path: parts.slice(2).join("/"), version };
}

/** The root of the repository a `$/` in a file of this origin names. */
const selfRoot = (from: Origin, resolver: Resolver) =>
  from === "package" ? resolver.packageRoot : resolver.consumerRoot;

export function resolveWorkflow(
  ref: string,
  from: Origin,
  resolver: Resolver,
  fromKit?: PackageCheckout,
): ResolvedWorkflow {
  const own = packagePath(ref, resolver);
  if (own && resolver.packageAt) {
    const kit = resolver.packageAt(own.version);
    return {
      path: join(kit.root, own.path),
      origin: "package",
      kit,
      note: `${ref}: this package at ${kit.sha}`,
    };
  }
  if (own) {
    return {
      path: join(resolver.packageRoot, own.path),
      origin: "package",
      note: `${ref}: this package at ${own.version}, from this checkout`,
    };
  }
  if (ref.startsWith("$/")) {
    return {
      path: join(
        from === "package" && fromKit ? fromKit.root : selfRoot(from, resolver),
        ref.slice(2),
      ),
      origin: from,
      ...(from === "package" && fromKit ? { kit: fromKit } : {}),
      note: `${ref}: the calling file's own repository at the running commit`,
    };
  }
  // GitHub resolves a nested `./` in the caller's repository, also from a package file.
  if (ref.startsWith("./"))
    return {
      path: join(resolver.consumerRoot, ref.slice(2)),
      origin: "consumer",
      note: `${ref}: the caller's repository`,
    };
  throw new Error(`uses: ${ref} is neither this package's workflow nor the consumer's own`);
}

export function resolveAction(
  ref: string,
  from: Origin,
  workspace: string,
  resolver: Resolver,
  fromKit?: PackageCheckout,
): ResolvedAction {
  const own = packagePath(ref, resolver);
  const packageAction = (
    path: string,
    note: string,
    root = resolver.packageRoot,
  ): ResolvedAction => {
    const name = path.replace(/^actions\//, "").replace(/\/$/, "");
    return { kind: "package", dir: join(root, "actions", name), name, note, root };
  };
  if (own && resolver.packageAt) {
    const kit = resolver.packageAt(own.version);
    return packageAction(own.path, `${ref}: this package at ${kit.sha}`, kit.root);
  }
  if (own)
    return packageAction(own.path, `${ref}: this package at ${own.version}, from this checkout`);
  if (ref.startsWith("$/")) {
    if (from === "package")
      return packageAction(
        ref.slice(2),
        `${ref}: this package at the running commit`,
        fromKit?.root ?? resolver.packageRoot,
      );
    if (resolver.consumerIsPackage)
      return packageAction(
        ref.slice(2),
        `${ref}: this package's own repository at the running commit`,
        resolver.consumerRoot,
      );
    return {
      kind: "local",
      dir: join(resolver.consumerRoot, ref.slice(2)),
      note: `${ref}: the consumer's repository`,
    };
  }
  // GitHub looks in the workspace only, also for a package file's `./`.
  if (ref.startsWith("./"))
    return { kind: "local", dir: join(workspace, ref.slice(2)), note: `${ref}: the workspace` };
  const at = ref.lastIndexOf("@");
  if (at < 0) throw new Error(`uses: ${ref} has no @ref`);
  return { kind: "third-party", name: ref.slice(0, at), ref: ref.slice(at + 1) };
}
