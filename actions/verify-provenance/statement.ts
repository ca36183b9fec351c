/**
 * The in-toto statement an attestation signs, and what the Sigstore verifiers leave to the
 * caller: they check the signature over the DSSE envelope, not what it says. Here: it is an
 * in-toto v1 statement of SLSA provenance v1 whose subjects include this repository at this
 * digest.
 */
import * as z from "zod/mini";

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const IN_TOTO_STATEMENT_V1 = "https://in-toto.io/Statement/v1";
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";

const statementSchema = z.object({
  _type: z.string(),
  predicateType: z.string(),
  subject: z.array(
    z.object({
      name: z.optional(z.string()),
      digest: z.record(z.string(), z.string()),
    }),
  ),
});

/** Why the statement does not attest `repository@digest` (sha256:<hex>), or undefined. */
export function statementProblem(
  payloadType: string,
  payload: Buffer,
  repository: string,
  digest: string,
): string | undefined {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return `its payload is ${payloadType}, not an in-toto statement`;
  let parsed: z.infer<typeof statementSchema>;
  try {
    parsed = statementSchema.parse(JSON.parse(payload.toString("utf8")));
  } catch {
    return "its payload is not an in-toto statement";
  }
  if (parsed._type !== IN_TOTO_STATEMENT_V1)
    return `its statement is ${parsed._type}, not ${IN_TOTO_STATEMENT_V1}`;
  if (parsed.predicateType !== SLSA_PROVENANCE_V1)
    return `it attests ${parsed.predicateType}, not build provenance (${SLSA_PROVENANCE_V1})`;
  const hex = digest.slice("sha256:".length);
  const subject = parsed.subject.find((s) => s.digest.sha256 === hex);
  if (!subject) return "its signed subjects do not include this digest";
  if (subject.name !== repository)
    return `its signed subject is ${subject.name ?? "unnamed"}, not ${repository}`;
  return undefined;
}
