import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  download,
  releaseAssets,
  sha256File,
  verifyChecksum,
} from "../../../actions/pulumi-deploy/install.js";

describe("releaseAssets", () => {
  it("names the archive and checksums file of a release", () => {
    expect(releaseAssets("3.140.0", "linux", "x64")).toEqual({
      archive: "pulumi-v3.140.0-linux-x64.tar.gz",
      archiveUrl:
        "https://github.com/pulumi/pulumi/releases/download/v3.140.0/pulumi-v3.140.0-linux-x64.tar.gz",
      checksumsUrl:
        "https://github.com/pulumi/pulumi/releases/download/v3.140.0/pulumi-3.140.0-checksums.txt",
    });
    expect(releaseAssets("3.140.0", "win32", "arm64").archive).toBe(
      "pulumi-v3.140.0-windows-arm64.zip",
    );
    expect(() => releaseAssets("3.140.0", "aix", "ppc64")).toThrow(/No Pulumi CLI release/);
  });
});

describe("verifyChecksum", () => {
  const dir = mkdtempSync(join(tmpdir(), "pulumi-sum-"));
  const file = join(dir, "pulumi-v3.140.0-linux-x64.tar.gz");
  writeFileSync(file, "not really a tarball");
  const sum = createHash("sha256").update("not really a tarball").digest("hex");
  const other = "0".repeat(64);

  it("accepts the file whose hash the checksums file lists", async () => {
    const checksums = `${other}  pulumi-v3.140.0-darwin-x64.tar.gz\n${sum}  pulumi-v3.140.0-linux-x64.tar.gz\n`;
    await expect(
      verifyChecksum(file, "pulumi-v3.140.0-linux-x64.tar.gz", checksums),
    ).resolves.toBeUndefined();
  });

  it("rejects a mismatch and an unlisted file", async () => {
    await expect(
      verifyChecksum(
        file,
        "pulumi-v3.140.0-linux-x64.tar.gz",
        `${other}  pulumi-v3.140.0-linux-x64.tar.gz`,
      ),
    ).rejects.toThrow(/Checksum mismatch/);
    await expect(
      verifyChecksum(file, "pulumi-v3.140.0-linux-x64.tar.gz", `${sum}  other.tar.gz`),
    ).rejects.toThrow(/do not list/);
  });
});

/**
 * The download as tool-cache does it: through the proxy HTTP(S)_PROXY names unless NO_PROXY
 * exempts the host, following the release's redirect, and streamed to disk. A loopback
 * "release host" sends half of 64 MiB, then holds the rest until the test has seen the
 * file grow on disk (a download held in memory writes nothing before the end); a loopback
 * forward proxy relays plain-HTTP requests (HTTPS goes through the same agent, as a CONNECT
 * tunnel).
 */
describe("download", () => {
  const SIZE = 64 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 7);
  const expected = (() => {
    const hash = createHash("sha256");
    for (let sent = 0; sent < SIZE; sent += chunk.length) hash.update(chunk);
    return hash.digest("hex");
  })();
  let origin: Server;
  let proxy: Server;
  let originUrl = "";
  let proxyUrl = "";
  const proxied: string[] = [];
  const saved = { ...process.env };
  let released = false;
  const holding: (() => void)[] = [];
  const release = () => {
    released = true;
    for (const resume of holding.splice(0)) resume();
  };

  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    origin = createServer((req, res) => {
      if (req.url === "/releases/pulumi.tar.gz") {
        res.writeHead(302, { location: "/storage/pulumi.tar.gz" });
        res.end();
        return;
      }
      res.writeHead(200, { "content-length": String(SIZE) });
      let sent = 0;
      const more = () => {
        while (sent < SIZE) {
          if (sent === SIZE / 2 && !released) return void holding.push(more);
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    });
    proxy = createServer((req, res) => {
      proxied.push(req.url ?? "");
      const upstream = httpRequest(
        req.url ?? "",
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    originUrl = await listen(origin);
    proxyUrl = await listen(proxy);
  });
  afterAll(async () => {
    await new Promise((resolve) => origin.close(resolve));
    await new Promise((resolve) => proxy.close(resolve));
  });
  afterEach(() => {
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "no_proxy"])
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    proxied.length = 0;
  });

  /** Downloads the release; resolves with the bytes on disk while half was still held back. */
  async function fetchRelease() {
    released = false;
    const path = join(mkdtempSync(join(tmpdir(), "pulumi-dl-")), "pulumi.tar.gz");
    const done = download(`${originUrl}/releases/pulumi.tar.gz`, path);
    let onDisk = 0;
    for (let waited = 0; waited < 10_000 && onDisk < SIZE / 2; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      onDisk = existsSync(path) ? statSync(path).size : 0;
    }
    release();
    await done;
    return { path, onDisk };
  }

  it("goes through HTTP_PROXY, follows the redirect, and streams to disk", async () => {
    process.env.HTTP_PROXY = proxyUrl;
    const { path, onDisk } = await fetchRelease();
    expect(proxied).toEqual([
      `${originUrl}/releases/pulumi.tar.gz`,
      `${originUrl}/storage/pulumi.tar.gz`,
    ]);
    expect(await sha256File(path)).toBe(expected);
    // Half the archive was on disk before the server sent the rest.
    expect(onDisk).toBe(SIZE / 2);
  });

  it("goes straight to a host NO_PROXY exempts", async () => {
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = "127.0.0.1";
    const { path } = await fetchRelease();
    expect(proxied).toEqual([]);
    expect(await sha256File(path)).toBe(expected);
  });
});
