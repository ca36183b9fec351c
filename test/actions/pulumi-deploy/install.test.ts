import { mkdtempSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { releaseAssets, verifyChecksum } from "../../../actions/pulumi-deploy/install.js";

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
