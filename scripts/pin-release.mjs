// Usage: node scripts/pin-release.mjs OWNER/REPO COMMIT [--root DIR]
//
// The package's jobs run its actions from their own checkout of the package, made at the
// called workflow's commit (`job.workflow_sha`) into .preview-kit/, so a call at any ref runs
// the actions of that ref and `./.preview-kit/actions/<name>` needs no pinning. What cannot
// follow the caller's ref is a nested reusable workflow: `uses:` of a job takes no expression,
// and `./.github/workflows/deploy.yml` inside deploy-preview.yml resolves in the CALLER's
// repository. The release commit, which only the tags point at, names it
// `OWNER/REPO/.github/workflows/deploy.yml@COMMIT` instead, COMMIT being the main commit
// released (whose deploy.yml is the one tested): every reference inside a release is then a
// full SHA. This script is the one place that knows that rewrite. It also refuses a bare
// `./actions/...` (it would run the caller's files) and an action without its bundle, and
// leaves the rest of each file byte for byte as it was.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

/** Where every job that runs this package's actions checks the package out. */
export const KIT_DIR = ".preview-kit";

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-f]{40}$/;
const KIT_ACTION = new RegExp(`^\\./${KIT_DIR.replace(".", "\\.")}/actions/([^@/]+)/?$`);
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

function known(kind, name, list) {
  if (!list.includes(name))
    throw new Error(`names no ${kind} of this package (known: ${list.join(", ")})`);
}

/**
 * The pinned form of one reference: a new reference for a nested workflow, the same one for
 * an action of the kit's checkout, undefined for a reference that is not the package's.
 */
function pinReference(ref, repository, commit, contents) {
  const workflow = /^\.\/\.github\/workflows\/([^@/]+)$/.exec(ref)?.[1];
  if (workflow) {
    known("workflow", workflow, contents.workflows);
    return `${repository}/.github/workflows/${workflow}@${commit}`;
  }
  const action = KIT_ACTION.exec(ref)?.[1];
  if (action) {
    known("action", action, contents.actions);
    return ref;
  }
  if (/^\.\/actions\//.test(ref))
    throw new Error(
      `resolves in the caller's checkout: check the kit out into ${KIT_DIR} and use ./${KIT_DIR}/${ref.slice(2)}`,
    );
  if (ref.startsWith("./"))
    throw new Error("is local but not one of this package's actions or workflows");
  return undefined;
}

/** Rewrites one file's text; returns the new text and the package references it holds. */
export function pinText(text, repository, commit, contents) {
  const pinned = [];
  const lines = text.split("\n").map((line, index) => {
    const match = USES.exec(line);
    if (!match) return line;
    const [whole, lead, quote, ref] = match;
    let target;
    try {
      target = pinReference(ref, repository, commit, contents);
    } catch (error) {
      throw new Error(`line ${index + 1}: '${ref}' ${error.message}`, { cause: error });
    }
    if (target === undefined) return line;
    pinned.push(target);
    return `${lead}${quote}${target}${quote}${line.slice(whole.length)}`;
  });
  return { text: lines.join("\n"), pinned };
}

/** Pins every pinnable file under root in place; returns file -> the package references. */
export function pinRelease(root, repository, commit) {
  if (!REPOSITORY.test(repository))
    throw new Error(`repository must be OWNER/REPO, got '${repository}'`);
  if (!COMMIT.test(commit))
    throw new Error(`commit must be the released commit's full SHA (40 hex), got '${commit}'`);
  const contents = packageContents(root);
  // Everything is checked before anything is written: a failed run leaves the tree as it was.
  const rewrites = pinnableFiles(root).map((file) => {
    const name = relative(root, file);
    const before = readFileSync(file, "utf8");
    try {
      return { file, name, before, ...pinText(before, repository, commit, contents) };
    } catch (error) {
      throw new Error(`${name}: ${error.message}`, { cause: error });
    }
  });
  for (const { name, pinned } of rewrites) for (const ref of pinned) assertBundled(root, name, ref);
  for (const { file, before, text } of rewrites) if (text !== before) writeFileSync(file, text);
  return Object.fromEntries(rewrites.map(({ name, pinned }) => [name, pinned]));
}

/** A release whose workflows run a JavaScript action without its bundle would fail for every user. */
function assertBundled(root, name, ref) {
  const action = /\/actions\/([^@/]+)\/?$/.exec(ref)?.[1];
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
  const [repository, commit] = args;
  try {
    const result = pinRelease(root, repository ?? "", commit ?? "");
    for (const [file, refs] of Object.entries(result)) {
      const nested = refs.filter((ref) => ref.includes("/.github/workflows/"));
      if (nested.length > 0)
        console.log(`${file}: ${nested.length} workflow(s) pinned to ${commit}`);
    }
  } catch (error) {
    console.error(`pin-release: ${error.message}`);
    process.exitCode = 1;
  }
}
