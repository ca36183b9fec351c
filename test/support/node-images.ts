/**
 * Images for the test node, built here (no image can be pulled): one uncompressed layer made
 * with GNU tar from local files, an OCI image config and manifest, pushed through the
 * Distribution API to a registry. `FROM scratch`, so what the layer holds is all there is.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface ImageSpec {
  /** Repository path in the registry, e.g. `preview-kit/pause`. */
  repository: string;
  /** Image path -> host file to copy there (mode 0755). */
  files: Record<string, string>;
  /** Image path -> text to write there (mode 0644), e.g. /etc/passwd. */
  texts?: Record<string, string>;
  /** Empty directories (mode 1777), e.g. /tmp. */
  directories?: string[];
  entrypoint: string[];
  env?: string[];
  /** Numeric user, so `runAsNonRoot` can check it. */
  user?: string;
  /** Port the image serves on, recorded as ExposedPorts. */
  port?: number;
}

/** The shared libraries `ldd` resolves for `elves`, with the dynamic loader. */
export function sharedLibraries(elves: string[]): string[] {
  const found = new Set<string>();
  const out = execFileSync("ldd", elves, { encoding: "utf8", timeout: 60_000 });
  for (const line of out.split("\n")) {
    const path = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1];
    if (path) found.add(path);
  }
  return [...found];
}

const sha256 = (data: Buffer | string) =>
  `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** The layer tar of the spec's contents, the same bytes for the same files (sorted, owner 0, mtime 0). */
function layer(spec: ImageSpec): Buffer {
  const root = mkdtempSync(join(tmpdir(), "node-image-"));
  try {
    for (const [inImage, host] of Object.entries(spec.files)) {
      const target = join(root, inImage);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(host, target);
      chmodSync(target, 0o755);
    }
    for (const [inImage, text] of Object.entries(spec.texts ?? {})) {
      const target = join(root, inImage);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text, { mode: 0o644 });
    }
    for (const inImage of spec.directories ?? []) {
      const target = join(root, inImage);
      mkdirSync(target, { recursive: true });
      chmodSync(target, 0o1777);
    }
    return execFileSync(
      "tar",
      [
        "--create",
        "--sort=name",
        "--mtime=@0",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--format=posix",
        "--pax-option=delete=atime,delete=ctime",
        "-C",
        root,
        ".",
      ],
      { maxBuffer: 512 * 1024 * 1024 },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function pushBlob(registry: string, repository: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const head = await fetch(`http://${registry}/v2/${repository}/blobs/${digest}`, {
    method: "HEAD",
    signal: AbortSignal.timeout(10_000),
  });
  if (head.status === 200) return digest;
  const start = await fetch(`http://${registry}/v2/${repository}/blobs/uploads/`, {
    method: "POST",
    signal: AbortSignal.timeout(10_000),
  });
  const location = start.headers.get("location");
  if (start.status !== 202 || !location)
    throw new Error(`registry refused an upload to ${repository}: HTTP ${start.status}`);
  const url = new URL(location, `http://${registry}`);
  url.searchParams.set("digest", digest);
  const put = await fetch(url, {
    method: "PUT",
    body: blob,
    headers: { "Content-Type": "application/octet-stream" },
    signal: AbortSignal.timeout(60_000),
  });
  if (put.status !== 201) throw new Error(`blob upload to ${repository}: HTTP ${put.status}`);
  return digest;
}

/** Builds and pushes the image; returns `registry/repository@sha256:<64 hex>`. */
export async function pushImage(registry: string, spec: ImageSpec): Promise<string> {
  const tar = layer(spec);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {
        Entrypoint: spec.entrypoint,
        Env: spec.env ?? [],
        User: spec.user,
        ...(spec.port ? { ExposedPorts: { [`${spec.port}/tcp`]: {} } } : {}),
      },
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    }),
  );
  const layerDigest = await pushBlob(registry, spec.repository, tar);
  const configDigest = await pushBlob(registry, spec.repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: configDigest,
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: layerDigest,
          size: tar.length,
        },
      ],
    }),
  );
  const digest = sha256(manifest);
  const put = await fetch(`http://${registry}/v2/${spec.repository}/manifests/${digest}`, {
    method: "PUT",
    body: manifest,
    headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (put.status !== 201)
    throw new Error(`manifest push to ${spec.repository}: HTTP ${put.status} ${await put.text()}`);
  return `${registry}/${spec.repository}@${digest}`;
}
