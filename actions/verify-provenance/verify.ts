/**
 * One attestation checked against one candidate image: Sigstore's own verifier
 * (@sigstore/verify: certificate chain to the trusted root, signature over the DSSE
 * envelope, transparency log and timestamps), then what it leaves to its caller: the signed
 * statement (statement.ts), the signing workflow (signer.ts) and the source it built
 * (source.ts).
 */
import { bundleFromJSON } from "@sigstore/bundle";
import type { TrustedRoot } from "@sigstore/protobuf-specs";
import { Verifier, toSignedEntity, toTrustMaterial, type Signer } from "@sigstore/verify";
import { gitHubIdentity } from "./identity.js";
import { type ExpectedSigner, signerProblem } from "./signer.js";
import { type Commits, type ExpectedSource, sourceProblem } from "./source.js";
import { statementProblem } from "./statement.js";

export interface Candidate {
  /** The image name, e.g. `web`. */
  name: string;
  /** Where the kit's build pushed it: the expected subject name. */
  repository: string;
  /** `sha256:<64 hex>`. */
  digest: string;
}

export interface Expected {
  signer: ExpectedSigner;
  source: ExpectedSource;
}

/** Why one attestation does not prove a candidate; `stage` is how far it got (higher: closer). */
export interface Refusal {
  stage: number;
  reason: string;
}

/**
 * Thresholds as the trusted root allows them: a root with transparency logs (Sigstore's
 * public-good instance) requires an entry in each; GitHub's own instance (private
 * repositories) has none and relies on its timestamp authority. Every bundle needs a
 * trusted time to check the short-lived certificate against.
 */
function verifierFor(root: TrustedRoot): Verifier {
  return new Verifier(toTrustMaterial(root), {
    tlogThreshold: root.tlogs.length > 0 ? 1 : 0,
    ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0,
    timestampThreshold: 1,
  });
}

function verifiedSigner(
  bundle: ReturnType<typeof bundleFromJSON>,
  roots: readonly TrustedRoot[],
): Signer | string {
  const entity = toSignedEntity(bundle);
  let problem = "no trusted root was given";
  for (const root of roots) {
    try {
      return verifierFor(root).verify(entity);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
  }
  return problem;
}

export async function checkAttestation(
  json: unknown,
  candidate: Candidate,
  expected: Expected,
  roots: readonly TrustedRoot[],
  commits: Commits,
): Promise<Refusal | undefined> {
  let bundle: ReturnType<typeof bundleFromJSON>;
  try {
    bundle = bundleFromJSON(json);
  } catch (error) {
    return { stage: 0, reason: `its bundle is malformed (${(error as Error).message})` };
  }
  if (bundle.content.$case !== "dsseEnvelope")
    return { stage: 0, reason: "its bundle signs no DSSE envelope" };
  const signer = verifiedSigner(bundle, roots);
  if (typeof signer === "string")
    return { stage: 1, reason: `its signature does not verify (${signer})` };
  const envelope = bundle.content.dsseEnvelope;
  const statement = statementProblem(
    envelope.payloadType,
    envelope.payload,
    candidate.repository,
    candidate.digest,
  );
  if (statement) return { stage: 2, reason: statement };
  const identity = gitHubIdentity(signer);
  const signed = signerProblem(identity, expected.signer);
  if (signed) return { stage: 3, reason: signed };
  const source = await sourceProblem(identity, expected.source, commits);
  if (source) return { stage: 4, reason: source };
  return undefined;
}
