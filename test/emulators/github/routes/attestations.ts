/**
 * Artifact attestations (https://docs.github.com/rest/repos/attestations):
 * `POST /repos/{owner}/{repo}/attestations` stores a Sigstore bundle ("The authenticated user
 * must have write permission to the repository and ... the attestations:write permission is
 * required"; a job token needs `attestations: write`), indexed by the sha256 digests of the
 * subjects of its in-toto statement; a bundle whose DSSE payload is no in-toto statement is
 * 422 "Validation Failed". `GET /repos/{owner}/{repo}/attestations/{subject_digest}` lists them
 * ("must have read access to the repository ... the attestations:read permission is
 * required"), newest first, `{ attestations: [{ bundle, repository_id }] }`; 404 when none.
 * GitHub verifies nothing of the bundle on either route: it stores what it is given, as here.
 * Tests read and seed through `attestationStore(gh.state)`.
 */
import { repository } from "../objects.js";
import { created, notFound, ok, validationFailed } from "../router.js";
import type { RouteRegistry } from "../server.js";
import type { GitHubState } from "../state.js";

export interface StoredAttestation {
  id: number;
  owner: string;
  repo: string;
  /** `sha256:<hex>` of every subject of the statement. */
  subjectDigests: string[];
  bundle: unknown;
}

export class AttestationStore {
  readonly attestations: StoredAttestation[] = [];
  constructor(private readonly state: GitHubState) {}

  /** Stores a bundle as POST does; throws (422) when its payload names no subject digest. */
  add(owner: string, repo: string, bundle: unknown): StoredAttestation {
    const subjectDigests = subjectDigestsOf(bundle);
    if (subjectDigests === undefined)
      validationFailed(
        "Attestation",
        "bundle",
        "the bundle's DSSE payload is no in-toto statement",
      );
    const stored = { id: this.state.nextId(), owner, repo, subjectDigests, bundle };
    this.attestations.push(stored);
    return stored;
  }

  of(owner: string, repo: string, digest: string): StoredAttestation[] {
    const key = `${owner}/${repo}`.toLowerCase();
    return this.attestations
      .filter((a) => `${a.owner}/${a.repo}`.toLowerCase() === key)
      .filter((a) => a.subjectDigests.includes(digest))
      .reverse();
  }
}

export function attestationStore(state: GitHubState): AttestationStore {
  return state.extension("attestations", () => new AttestationStore(state));
}

function subjectDigestsOf(bundle: unknown): string[] | undefined {
  const envelope = (bundle as { dsseEnvelope?: { payload?: unknown } } | null)?.dsseEnvelope;
  if (typeof envelope?.payload !== "string") return undefined;
  try {
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")) as {
      subject?: { digest?: { sha256?: unknown } }[];
    };
    const digests = (statement.subject ?? [])
      .map((s) => s.digest?.sha256)
      .filter((d): d is string => typeof d === "string")
      .map((d) => `sha256:${d}`);
    return digests.length > 0 ? digests : undefined;
  } catch {
    return undefined;
  }
}

export function registerAttestationRoutes({ route }: RouteRegistry): void {
  route("POST /repos/{owner}/{repo}/attestations", "write", (request) => {
    const { owner = "", repo = "" } = request.params;
    const bundle = (request.body as { bundle?: unknown } | undefined)?.bundle;
    if (bundle === undefined) validationFailed("Attestation", "bundle", "bundle is required");
    return created({ id: attestationStore(request.state).add(owner, repo, bundle).id });
  });

  route("GET /repos/{owner}/{repo}/attestations/{subject_digest}", "read", (request) => {
    const { owner = "", repo = "", subject_digest = "" } = request.params;
    const perPage = Math.min(Number(request.query.get("per_page") ?? 30) || 30, 100);
    const found = attestationStore(request.state).of(owner, repo, subject_digest);
    if (found.length === 0) return notFound();
    const repositoryId = repository(request.baseUrl, request.state, `${owner}/${repo}`).id;
    return ok({
      attestations: found
        .slice(0, perPage)
        .map((a) => ({ bundle: a.bundle, repository_id: repositoryId, bundle_url: null })),
    });
  });
}
