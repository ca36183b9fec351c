// The release's decisions, in one place and with node's own modules only: the jobs of
// .github/workflows/release.yml that hold the release token or the npm OIDC token run this
// file of the tagged commit, never a dependency's code (test/repo/release.test.ts).
//
//   node scripts/release.mjs check-changelog vX.Y.Z      CHANGELOG.md has what this release says
//   node scripts/release.mjs prepare vX.Y.Z NOTES        the release commit's files, and its notes
//   node scripts/release.mjs notes vX.Y.Z NOTES          a released version's changelog entry
//   node scripts/release.mjs check-tag vX.Y.Z            the checkout is that release's commit
//   node scripts/release.mjs check-npm                   the npm CLI can publish by OIDC
//
// prepare sets package.json's (and package-lock.json's) version from the tag, its repository
// to $GITHUB_REPOSITORY (npm checks it against the provenance), and the
// changelog entry: the `## [Unreleased]` section becomes `## [X.Y.Z] - DATE` under a new,
// empty `## [Unreleased]`, and that section is the GitHub release's notes.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const TAG = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const UNRELEASED = "## [Unreleased]";
/** npm's trusted publishing (the OIDC exchange) needs this npm CLI or newer. */
export const NPM_OIDC_MIN = [11, 5, 1];

export class ReleaseError extends Error {}

/** `vX.Y.Z` -> its version. */
export function parseTag(tag) {
  const match = TAG.exec(String(tag));
  if (!match) throw new ReleaseError(`version must be vX.Y.Z, got '${tag}'`);
  return { tag, version: match.slice(1).join(".") };
}

/** Where each `## ` section of a changelog starts and ends, by heading. */
function sections(text) {
  const lines = text.split("\n");
  const found = [];
  lines.forEach((line, index) => {
    if (line.startsWith("## ")) found.push({ heading: line, start: index });
  });
  return found.map((section, i) => ({
    ...section,
    end: i + 1 < found.length ? found[i + 1].start : lines.length,
    body: lines
      .slice(section.start + 1, i + 1 < found.length ? found[i + 1].start : lines.length)
      .join("\n")
      .trim(),
  }));
}

const versionHeading = (version) => `## [${version}]`;

/** The changelog as it must be before a release of `version`: what is unreleased, and no such release yet. */
export function checkChangelog(text, version) {
  const all = sections(text);
  if (all.some((s) => s.heading.startsWith(versionHeading(version))))
    throw new ReleaseError(`CHANGELOG.md already has a section for ${version}`);
  const unreleased = all.find((s) => s.heading.trim() === UNRELEASED);
  if (!unreleased) throw new ReleaseError(`CHANGELOG.md has no '${UNRELEASED}' section`);
  if (!unreleased.body)
    throw new ReleaseError(`CHANGELOG.md's '${UNRELEASED}' section is empty: nothing to release`);
  return unreleased;
}

/** The changelog entry of `version`: the unreleased section, headed by the version and date. */
export function releaseChangelog(text, version, date) {
  if (!DATE.test(date)) throw new ReleaseError(`date must be YYYY-MM-DD, got '${date}'`);
  const unreleased = checkChangelog(text, version);
  const lines = text.split("\n");
  lines.splice(unreleased.start, 1, UNRELEASED, "", `${versionHeading(version)} - ${date}`);
  return { text: lines.join("\n"), notes: `${unreleased.body}\n` };
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * package.json (and package-lock.json's root entries) at `version`; with `repository`
 * (OWNER/REPO, the repository releasing), package.json names it: npm refuses a provenance
 * statement whose repository differs from package.json's `repository.url`.
 */
export function setVersion(text, version, repository) {
  const json = JSON.parse(text);
  json.version = version;
  if (repository !== undefined) {
    if (!REPOSITORY.test(repository))
      throw new ReleaseError(`repository must be OWNER/REPO, got '${repository}'`);
    json.repository = { type: "git", url: `git+https://github.com/${repository}.git` };
  }
  if (json.packages?.[""]) json.packages[""].version = version;
  const indent = /^\{\n( +)/.exec(text)?.[1] ?? "  ";
  return `${JSON.stringify(json, null, indent)}\n`;
}

/** Writes the release commit's files in `root` and the notes to `notesPath`. */
export function prepare(root, tag, notesPath, date, repository) {
  const { version } = parseTag(tag);
  const changelogPath = join(root, "CHANGELOG.md");
  const changelog = releaseChangelog(readFileSync(changelogPath, "utf8"), version, date);
  const files = { "CHANGELOG.md": changelog.text };
  files["package.json"] = setVersion(
    readFileSync(join(root, "package.json"), "utf8"),
    version,
    repository,
  );
  files["package-lock.json"] = setVersion(
    readFileSync(join(root, "package-lock.json"), "utf8"),
    version,
  );
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);
  writeFileSync(notesPath, changelog.notes);
  return version;
}

/** The changelog entry of a released version (a re-run's notes). */
export function releasedNotes(text, version) {
  const section = sections(text).find((s) => s.heading.startsWith(`${versionHeading(version)} - `));
  if (!section?.body) throw new ReleaseError(`CHANGELOG.md has no entry for ${version}`);
  return `${section.body}\n`;
}

/** The checkout is release `tag`'s commit: package.json and the lockfile say its version. */
export function checkTag(root, tag) {
  const { version } = parseTag(tag);
  for (const file of ["package.json", "package-lock.json"]) {
    const json = JSON.parse(readFileSync(join(root, file), "utf8"));
    const found = file === "package.json" ? json.version : json.packages?.[""]?.version;
    if (json.version !== version || found !== version)
      throw new ReleaseError(`${file} says version ${json.version}, the tag ${tag}`);
  }
  releasedNotes(readFileSync(join(root, "CHANGELOG.md"), "utf8"), version);
  return version;
}

/** The npm CLI's version can publish through npm's trusted publishing. */
export function checkNpm(npmVersion) {
  const parts = String(npmVersion).trim().split(".").map(Number);
  const newer = NPM_OIDC_MIN.findIndex((min, i) => parts[i] !== min);
  if (
    parts.length < 3 ||
    parts.some(Number.isNaN) ||
    (newer >= 0 && parts[newer] < NPM_OIDC_MIN[newer])
  )
    throw new ReleaseError(
      `npm ${String(npmVersion).trim()} cannot publish by OIDC (trusted publishing needs npm ${NPM_OIDC_MIN.join(".")} or newer)`,
    );
}

function main([command, ...args]) {
  const root = process.cwd();
  switch (command) {
    case "check-changelog":
      checkChangelog(readFileSync(join(root, "CHANGELOG.md"), "utf8"), parseTag(args[0]).version);
      return;
    case "prepare":
      if (!args[1]) throw new ReleaseError("prepare needs the notes file");
      prepare(
        root,
        args[0],
        args[1],
        new Date().toISOString().slice(0, 10),
        process.env.GITHUB_REPOSITORY,
      );
      return;
    case "notes":
      if (!args[1]) throw new ReleaseError("notes needs the notes file");
      writeFileSync(
        args[1],
        releasedNotes(readFileSync(join(root, "CHANGELOG.md"), "utf8"), parseTag(args[0]).version),
      );
      return;
    case "check-tag":
      checkTag(root, args[0]);
      return;
    case "check-npm":
      checkNpm(execFileSync("npm", ["--version"], { encoding: "utf8", timeout: 60_000 }));
      return;
    default:
      throw new ReleaseError(`unknown command '${command ?? ""}'`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    process.stdout.write(`::error title=Release refused::${error.message}\n`);
    process.exit(1);
  }
}
