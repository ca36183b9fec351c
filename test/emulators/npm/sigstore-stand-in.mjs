// STAND-IN for the public Sigstore instance (Fulcio, Rekor) that `npm publish --provenance`
// signs with, which cannot be reached here. Loaded with NODE_OPTIONS=--import into npm's own
// process, it answers npm's `require("sigstore")` (from libnpmpublish only) with this module,
// whose `attest` does what the real one does before the network: it asks the job's OIDC token
// service for a token with the audience "sigstore" (as sigstore-js's CI identity provider
// does), then wraps npm's real provenance statement in a DSSE envelope. The bundle's signature
// and certificate are placeholders and its transparency-log entry is index 0: nothing can
// verify it, and the registry stand-in only reads the statement. Everything else npm does is
// real.
import { registerHooks } from "node:module";

const self = import.meta.url;
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === "sigstore" && context.parentURL?.includes("/libnpmpublish/"))
      return { url: self, format: "module", shortCircuit: true };
    return next(specifier, context);
  },
});

export async function attest(payload, payloadType) {
  const url = new URL(process.env.ACTIONS_ID_TOKEN_REQUEST_URL);
  url.searchParams.set("audience", "sigstore");
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`Sigstore stand-in: no OIDC token (HTTP ${response.status})`);
  process.stderr.write(
    "[stand-in sigstore] provenance statement wrapped, not signed: no Fulcio or Rekor here\n",
  );
  return {
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: {
      certificate: { rawBytes: Buffer.from("stand-in certificate").toString("base64") },
      tlogEntries: [
        { logIndex: "0", logId: { keyId: "" }, kindVersion: { kind: "dsse", version: "0.0.1" } },
      ],
    },
    dsseEnvelope: {
      payload: Buffer.from(payload).toString("base64"),
      payloadType,
      signatures: [{ keyid: "", sig: Buffer.from("stand-in signature").toString("base64") }],
    },
  };
}
