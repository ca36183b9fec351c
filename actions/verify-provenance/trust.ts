/**
 * The trusted roots attestations are verified against. A file (the `trusted-root` input)
 * holds one TrustedRoot JSON document or several, one a line, as
 * `gh attestation trusted-root` prints them (Sigstore's public-good instance and GitHub's
 * own, each fetched and checked through TUF against the roots the gh CLI embeds). Without
 * a file, Sigstore's public-good root comes from its TUF repository through @sigstore/tuf,
 * whose initial root ships inside that package; that root cannot verify GitHub's own
 * instance (private repositories).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import { ActionError } from "../shared/errors.js";

export function parseTrustedRoots(text: string): TrustedRoot[] {
  const documents = (() => {
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      return text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as unknown);
    }
  })();
  return documents.map((document) => TrustedRoot.fromJSON(document));
}

export async function loadTrustedRoots(path: string | undefined): Promise<TrustedRoot[]> {
  if (path !== undefined) {
    let roots: TrustedRoot[];
    try {
      roots = parseTrustedRoots(readFileSync(path, "utf8"));
    } catch (error) {
      throw new ActionError(
        `Could not read the trusted root ${path}: ${(error as Error).message}`,
        { title: "No trusted root", cause: error },
      );
    }
    if (roots.length === 0 || roots.some((root) => root.certificateAuthorities.length === 0))
      throw new ActionError(`The trusted root ${path} names no certificate authority`, {
        title: "No trusted root",
      });
    return roots;
  }
  const { getTrustedRoot } = await import("@sigstore/tuf");
  try {
    const cachePath = join(process.env.RUNNER_TEMP ?? ".", "preview-kit-sigstore-tuf");
    return [await getTrustedRoot({ cachePath })];
  } catch (error) {
    throw new ActionError(
      `Could not fetch Sigstore's trusted root through TUF: ${(error as Error).message}`,
      { title: "No trusted root", cause: error },
    );
  }
}
