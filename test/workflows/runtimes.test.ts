// Every third-party action the workflows pin runs on a runtime GitHub's runners still have
// (#20 item 4): Node 20 left them on 2026-09-16, so `runs.using` must be node24, composite or
// docker. Read from the action.yml recorded for that very commit (test/fixtures/actions/).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/paths.js";
import { loadWorkflows, ownAction, ownWorkflow, usesLines } from "../support/workflows.js";

const FIXTURES = join(repoRoot, "test", "fixtures", "actions");
const CURRENT = ["node24", "composite", "docker"];

/** The recorded action.yml of `owner/repo@sha` (an action in a subfolder: `owner/repo/path@sha`). */
function recorded(uses: string): { using?: string } | undefined {
  const [name, sha] = uses.split("@") as [string, string];
  const [owner, repo, ...path] = name.split("/");
  const file = join(FIXTURES, owner!, repo!, sha, ...path, "action.yml");
  if (!existsSync(file)) return undefined;
  return (parse(readFileSync(file, "utf8")) as { runs?: { using?: string } }).runs ?? {};
}

function problems(uses: string[]): string[] {
  return uses.flatMap((ref) => {
    const runs = recorded(ref);
    if (!runs) return [`${ref}: no recorded action.yml under test/fixtures/actions`];
    return CURRENT.includes(String(runs.using))
      ? []
      : [`${ref}: runs.using is ${String(runs.using)}, not one of ${CURRENT.join(", ")}`];
  });
}

const pinned = [
  ...new Set(
    loadWorkflows().flatMap((file) =>
      usesLines(file.text)
        .map((u) => u.ref)
        .filter((ref) => !ownAction(ref) && !ownWorkflow(ref) && !ref.startsWith("./")),
    ),
  ),
].sort();

describe("the pinned third-party actions", () => {
  it("are the ones recorded", () => {
    expect(pinned).toEqual([
      "actions/attest-build-provenance@a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32",
      "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae",
      "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8",
      "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
      "actions/setup-go@b7ad1dad31e06c5925ef5d2fc7ad053ef454303e",
      "actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444",
      "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
    ]);
  });

  it.each(pinned)("%s runs on node24 (or is composite or docker)", (ref) => {
    expect(problems([ref])).toEqual([]);
  });

  it("refuses the node20 versions pinned before, and an action nobody recorded", () => {
    expect(
      problems([
        "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02",
        "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093",
        "actions/cache@0000000000000000000000000000000000000000",
      ]),
    ).toEqual([
      "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02: runs.using is node20, not one of node24, composite, docker",
      "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093: runs.using is node20, not one of node24, composite, docker",
      "actions/cache@0000000000000000000000000000000000000000: no recorded action.yml under test/fixtures/actions",
    ]);
  });
});
