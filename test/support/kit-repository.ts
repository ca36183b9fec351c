/**
 * A git repository holding this checkout's files as one commit on `main` (committed or not,
 * what .gitignore leaves out left out): the kit as its own repository, for tests that run its
 * workflows in it (release) or call it at a ref (a consumer at a tag, a branch, a SHA).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "../harness/paths.js";

export type Git = (cwd: string, ...args: string[]) => string;

/** git with no user or system configuration but an identity for commits. */
export function gitIn(home: string): Git {
  return (cwd, ...args) =>
    execFileSync(
      "git",
      [
        "-c",
        "user.name=dev",
        "-c",
        "user.email=dev@example.com",
        "-c",
        "advice.detachedHead=false",
        ...args,
      ],
      {
        cwd,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_CONFIG_GLOBAL: "/dev/null",
        },
      },
    ).trim();
}

/** `dir` made a repository of this checkout's files, committed on main; its commit. */
export function kitRepository(dir: string, git: Git): string {
  git(dirname(dir), "init", "--quiet", "-b", "main", dir);
  const files = git(repoRoot, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(dir, file), { verbatimSymlinks: true });
    } catch {
      // a file deleted from this checkout but still in its index
    }
  }
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "--no-verify", "-m", "the kit");
  return git(dir, "rev-parse", "HEAD");
}
