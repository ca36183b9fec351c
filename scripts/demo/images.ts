/**
 * The PR's two images: tiny `FROM scratch` build contexts per commit, built and pushed by the
 * build-image bundle on the real engine, or, without one, named stand-in digests.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REGISTRY } from "./parts.js";
import { standIn } from "./print.js";
import { runContext, type WorkflowRun } from "./pull-request.js";
import { action } from "./steps.js";
import type { World } from "./world.js";

/** Image name -> REGISTRY/REPOSITORY@sha256:<64 hex>. */
export type Images = Record<string, string>;

const REPOSITORY = `${REGISTRY}/preview-kit-demo`;

const SOURCES: Record<string, (commit: string) => Record<string, string>> = {
  web: (commit) => ({
    Dockerfile: "FROM scratch\nCOPY index.html /\n",
    "index.html": commit === "A" ? "<h1>Hello</h1>\n" : "<h1>Hello, reviewer</h1>\n",
  }),
  api: () => ({ Dockerfile: "FROM scratch\nCOPY api.txt /\n", "api.txt": "GET /health -> ok\n" }),
};

/** Writes the build contexts as they are at a commit ("A" or "B"); returns the checkout. */
export function checkout(root: string, commit: string): string {
  const dir = join(root, `checkout-${commit}`);
  for (const [name, files] of Object.entries(SOURCES)) {
    mkdirSync(join(dir, name), { recursive: true });
    for (const [file, text] of Object.entries(files(commit)))
      writeFileSync(join(dir, name, file), text);
  }
  return dir;
}

export const digestOf = (ref: string) => ref.slice(ref.indexOf("@") + 1);

export const digestsOf = (images: Images): Record<string, string> =>
  Object.fromEntries(Object.entries(images).map(([name, ref]) => [name, digestOf(ref)]));

/** A digest of the context's files, so a changed file gives another one; no image exists. */
function standInDigest(context: string): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(context).sort())
    hash.update(`${file}\0`).update(readFileSync(join(context, file)));
  return `sha256:${hash.digest("hex")}`;
}

export interface Built {
  images: Images;
  /** Seconds the engine took, summed; undefined for stand-in digests. */
  seconds?: number;
}

export async function buildImages(
  world: World,
  run: WorkflowRun,
  dir: string,
  names: string[],
): Promise<Built> {
  const images: Images = {};
  if (!world.docker.ok) {
    for (const name of names) {
      images[name] = `${REPOSITORY}/${name}@${standInDigest(join(dir, name))}`;
      standIn(
        `${world.docker.reason}: build-image skipped for ${name}, using stand-in digest ${digestOf(images[name])} (sha256 of its build context's files, no image)`,
      );
    }
    return { images };
  }
  let seconds = 0;
  for (const name of names) {
    const built = await action(
      `build-image ${name}`,
      "build-image",
      {
        ...runContext(run, world.github.url),
        inputs: { image: `${REPOSITORY}/${name}`, context: name },
        cwd: dir,
      },
      (result) => `${result.outputs.digest} tags ${result.outputs.tags}`,
    );
    images[name] = built.outputs["image-ref"] ?? "";
    seconds += Number(built.outputs["build-seconds"] ?? 0);
  }
  return { images, seconds };
}
