/**
 * A throwaway self-signed certificate for 127.0.0.1, made with the `openssl` CLI (Node
 * cannot issue certificates itself). Real kubeconfigs point at https with a
 * `certificate-authority-data`; serving TLS keeps the client on that same path.
 * Without openssl the emulator falls back to plain http + `insecure-skip-tls-verify`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ServerCertificate {
  key: string;
  cert: string;
}

let cached: ServerCertificate | null | undefined;

/** One certificate per test process; null when openssl is unavailable. */
export function serverCertificate(): ServerCertificate | null {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), "kube-emulator-tls-"));
  try {
    const result = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-nodes",
        "-days",
        "2",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-subj",
        "/CN=kubernetes-emulator",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    cached =
      result.status === 0
        ? {
            key: readFileSync(join(dir, "key.pem"), "utf8"),
            cert: readFileSync(join(dir, "cert.pem"), "utf8"),
          }
        : null;
  } catch {
    cached = null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cached;
}
