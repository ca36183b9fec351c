// Usage: node scripts/pin-release.mjs OWNER/REPO vX.Y.Z [--root DIR]
//
// Inside a reusable workflow, `uses: ./actions/x` resolves in the CALLER's checkout, not in
// this package. On main the workflows say `./actions/<name>` (so that they are checked
// against the local action.yml files); the release commit, which only the tags point at,
// says `OWNER/REPO/actions/<name>@vX.Y.Z` instead. This script is the one place that knows
// that rewrite: it pins every local action and workflow reference in .github/workflows/ and
// in composite actions, fails on a reference it cannot resolve, and leaves the rest of each
// file byte for byte as it was.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const VERSION = /^v\d+\.\d+\.\d+$/;
const USES = /^(\s*(?:-\s+)?uses:\s*)(["']?)([^\s"'#]+)\2/;

/** The files whose `uses:` the runner resolves: workflows, and composite actions' steps. */
export function pinnableFiles(root) {
  const workflows = join(root, ".github", "workflows");
  const files = readdirSync(workflows)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(workflows, file));
  for (const name of readdirSync(join(root, "actions"))) {
    const file = join(root, "actions", name, "action.yml");
    if (existsSync(file) && parse(readFileSync(file, "utf8"))?.runs?.using === "composite")
      files.push(file);
  }
  return files.sort();
}

/** What a release may reference: the package's action folders and reusable workflow files. */
function packageContents(root) {
  const actions = readdirSync(join(root, "actions")).filter((name) =>
    existsSync(join(root, "actions", name, "action.yml")),
  );
  const workflows = readdirSync(join(root, ".github", "workflows")).filter((file) =>
    /\.ya?ml$/.test(file),
  );
  return { actions, workflows };
}

/** The pinned form of one reference, or undefined when it is not the package's own. */
function pinReference(ref, repository, version, contents) {
  const escaped = repository.replace(/[.]/g, "\\.");
  const own = new RegExp(
    `^(?:\\./|${escaped}/)(actions/[^@/]+|\\.github/workflows/[^@/]+)/?(?:@.*)?$`,
  ).exec(ref);
  if (!own) {
    if (ref.startsWith("./"))
      throw new Error(`'${ref}' is local but not one of this package's actions or workflows`);
    return undefined;
  }
  const path = own[1];
  const [kind, name] = path.startsWith("actions/")
    ? ["action", path.slice(8)]
    : ["workflow", path.slice(18)];
  const known = kind === "action" ? contents.actions : contents.workflows;
  if (!known.includes(name))
    throw new Error(`'${ref}' names no ${kind} of this package (known: ${known.join(", ")})`);
  return `${repository}/${path}@${version}`;
}

/** Rewrites one file's text; returns the new text and the references it pinned. */
export function pinText(text, repository, version, contents) {
  const pinned = [];
  const lines = text.split("\n").map((line, index) => {
    const match = USES.exec(line);
    if (!match) return line;
    const [whole, lead, quote, ref] = match;
    let target;
    try {
      target = pinReference(ref, repository, version, contents);
    } catch (error) {
      throw new Error(`line ${index + 1}: ${error.message}`, { cause: error });
    }
    if (target === undefined) return line;
    pinned.push(target);
    return `${lead}${quote}${target}${quote}${line.slice(whole.length)}`;
  });
  return { text: lines.join("\n"), pinned };
}

/** Pins every pinnable file under root in place; returns file -> pinned references. */
export function pinRelease(root, repository, version) {
  if (!REPOSITORY.test(repository))
    throw new Error(`repository must be OWNER/REPO, got '${repository}'`);
  if (!VERSION.test(version)) throw new Error(`version must be vX.Y.Z, got '${version}'`);
  const contents = packageContents(root);
  // Everything is checked before anything is written: a failed run leaves the tree as it was.
  const rewrites = pinnableFiles(root).map((file) => {
    const name = relative(root, file);
    const before = readFileSync(file, "utf8");
    try {
      return { file, name, before, ...pinText(before, repository, version, contents) };
    } catch (error) {
      throw new Error(`${name}: ${error.message}`, { cause: error });
    }
  });
  for (const { name, pinned } of rewrites) for (const ref of pinned) assertBundled(root, name, ref);
  for (const { file, before, text } of rewrites) if (text !== before) writeFileSync(file, text);
  return Object.fromEntries(rewrites.map(({ name, pinned }) => [name, pinned]));
}

/** A tag whose workflows run a JavaScript action without its bundle would fail for every user. */
function assertBundled(root, name, ref) {
  const action = /\/actions\/([^@]+)@/.exec(ref)?.[1];
  if (!action) return;
  const spec = parse(readFileSync(join(root, "actions", action, "action.yml"), "utf8"));
  const main = String(spec?.runs?.using).startsWith("node")
    ? join("actions", action, spec.runs.main)
    : undefined;
  if (main && !existsSync(join(root, main))) {
    throw new Error(`${name}: ${ref} runs ${main}, which does not exist (run npm run bundle)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf("--root");
  const root = rootAt >= 0 ? args.splice(rootAt, 2)[1] : join(import.meta.dirname, "..");
  const [repository, version] = args;
  try {
    const result = pinRelease(root, repository ?? "", version ?? "");
    for (const [file, refs] of Object.entries(result)) {
      if (refs.length > 0) console.log(`${file}: ${refs.length} reference(s) pinned to ${version}`);
    }
  } catch (error) {
    console.error(`pin-release: ${error.message}`);
    process.exitCode = 1;
  }
}
