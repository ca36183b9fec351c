/**
 * The runner's Sigstore for the attest stand-in: the job's token from the OIDC stand-in
 * (oidc.ts) is verified (signature, issuer, audience `sigstore`, times), then @actions/attest
 * signs build provenance of the subject as that job (its repository, event, ref, commit,
 * workflow and the kit workflow whose job it is) through the Sigstore project's mock Fulcio
 * and timestamp authority (test/support/sigstore.ts), whose token issuer re-issues the same
 * claims: the mock Fulcio accepts only tokens of that issuer.
 */
import { attestProvenance } from "@actions/attest";
import type { SigstoreStandIn } from "../support/sigstore.js";
import type { ProvenanceSigner } from "./attest-stand-in.js";
import type { OidcStandIn } from "./oidc.js";

export function provenanceSigner(sigstore: SigstoreStandIn, oidc: OidcStandIn): ProvenanceSigner {
  // The Sigstore stand-in signs as one job at a time (actAs): legs and runs take turns.
  let turn: Promise<unknown> = Promise.resolve();
  return (token, subject) => {
    const signed = turn.then(async () => {
      const claims = await oidc.verify(token, "sigstore");
      const claim = (name: string) => {
        const value = claims[name];
        if (typeof value !== "string") throw new Error(`the job's OIDC token has no ${name}`);
        return value;
      };
      sigstore.actAs({
        repository: claim("repository"),
        repositoryId: typeof claims.repository_id === "string" ? claims.repository_id : "",
        eventName: claim("event_name"),
        ref: claim("ref"),
        sha: claim("sha"),
        workflowRef: claim("workflow_ref"),
        jobWorkflowRef: claim("job_workflow_ref"),
        jobWorkflowSha: claim("job_workflow_sha"),
        runId: claim("run_id"),
      });
      const { bundle } = await withoutCoreCommands(() =>
        attestProvenance({
          subjects: [
            { name: subject.name, digest: { sha256: subject.digest.slice("sha256:".length) } },
          ],
          token: "unused",
          sigstore: "github",
          skipWrite: true,
        }),
      );
      return bundle;
    });
    turn = signed.catch(() => undefined);
    return signed;
  };
}

/**
 * @actions/attest asks @actions/core's getIDToken for its token here, in the runner's own
 * process, which writes `::debug::` and `::add-mask::<the token>` to this process's stdout: the
 * demo's and the tests' output, not a step's log. Those lines are dropped while it signs (the
 * runner writes no workflow command of its own); everything else passes.
 */
export async function withoutCoreCommands<T>(sign: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: never[]) {
    if (typeof chunk === "string" && /^::(?:debug|add-mask)::/.test(chunk)) return true;
    return write.call(this, chunk as string, ...rest);
  } as typeof process.stdout.write;
  try {
    return await sign();
  } finally {
    process.stdout.write = write;
  }
}
