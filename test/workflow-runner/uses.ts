/**
 * What a `uses:` names, resolved the way this runner promises: this package's reusable
 * workflows (`OWNER/REPO/...@ref`, `$/...`, or a nested `./.github/workflows/...` in one of
 * the package's files, which a release pins to the released commit) and actions
 * (`OWNER/REPO/actions/...@ref`, `$/...` from a package file, or `./<dir>/actions/<name>` where
 * the job checked the package out) come from this checkout, whatever the ref; the consumer's
 * own `./...` from its repository or workspace; a third-party action from the stand-ins.
 */
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";

/** Whose file a `uses:` appears in: the consumer's workflow, or one of this package's. */
export type Origin = "consumer" | "package";

export interface Resolver {
  /** This checkout. */
  packageRoot: string;
  /** The consumer repository's files (the workflow's own repository). */
  consumerRoot: string;
  /** `owner/repo` names meaning this package, e.g. `OWNER/REPO` of the examples. */
  packageRepositories: readonly string[];
}

export interface ResolvedWorkflow {
  path: string;
  origin: Origin;
  /** How it was resolved, for the log. */
  note: string;
}

export type ResolvedAction =
  | { kind: "package"; dir: string; name: string; note: string }
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

export function resolveWorkflow(ref: string, from: Origin, resolver: Resolver): ResolvedWorkflow {
  const own = packagePath(ref, resolver);
  if (own) {
    return {
      path: join(resolver.packageRoot, own.path),
      origin: "package",
      note: `${ref}: this package at ${own.version}, from this checkout`,
    };
  }
  if (ref.startsWith("$/")) {
    const root = from === "package" ? resolver.packageRoot : resolver.consumerRoot;
    return {
      path: join(root, ref.slice(2)),
      origin: from,
      note: `${ref}: the calling file's own repository`,
    };
  }
  if (ref.startsWith("./")) {
    const inConsumer = join(resolver.consumerRoot, ref.slice(2));
    if (from === "consumer" || existsSync(inConsumer))
      return { path: inConsumer, origin: "consumer", note: `${ref}: the caller's repository` };
    // GitHub would look in the caller's repository and fail; a release tag has these
    // references pinned to the package (scripts/pin-release.mjs), which this resolution mirrors.
    return {
      path: join(resolver.packageRoot, ref.slice(2)),
      origin: "package",
      note: `${ref}: not in the caller's repository; resolved to this checkout as a release pins it`,
    };
  }
  throw new Error(`uses: ${ref} is neither this package's workflow nor the consumer's own`);
}

export function resolveAction(
  ref: string,
  from: Origin,
  workspace: string,
  resolver: Resolver,
): ResolvedAction {
  const own = packagePath(ref, resolver);
  const packageAction = (path: string, note: string): ResolvedAction => {
    const name = path.replace(/^actions\//, "").replace(/\/$/, "");
    return { kind: "package", dir: join(resolver.packageRoot, "actions", name), name, note };
  };
  if (own)
    return packageAction(own.path, `${ref}: this package at ${own.version}, from this checkout`);
  if (ref.startsWith("$/")) {
    if (from === "package")
      return packageAction(ref.slice(2), `${ref}: this package, from this checkout`);
    return { kind: "local", dir: join(workspace, ref.slice(2)), note: `${ref}: the workspace` };
  }
  if (ref.startsWith("./")) {
    // GitHub looks in the workspace only, also for a package file's `./`: a bare
    // ./actions/<name> there fails unless the job checked the package out at that path.
    const inWorkspace = join(workspace, ref.slice(2));
    const name = /^\.\/(?:.*\/)?actions\/([^/]+)\/?$/.exec(ref)?.[1];
    if (
      name &&
      existsSync(join(inWorkspace, "action.yml")) &&
      realpathSync(inWorkspace).startsWith(realpathSync(resolver.packageRoot))
    )
      return packageAction(`actions/${name}`, `${ref}: this package, checked out in the workspace`);
    return { kind: "local", dir: inWorkspace, note: `${ref}: the workspace` };
  }
  const at = ref.lastIndexOf("@");
  if (at < 0) throw new Error(`uses: ${ref} has no @ref`);
  return { kind: "third-party", name: ref.slice(0, at), ref: ref.slice(at + 1) };
}
