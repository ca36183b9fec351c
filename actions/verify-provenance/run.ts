/**
 * Production's promotion: which digests it deploys. Candidates come from the `image-refs`
 * input or, without it, from the merge queue's Deployments of the pushed commit and the
 * preview Deployments of the merged head (hints only); a set is promoted only if it is exactly
 * the configured images and every digest carries a build provenance attestation that Sigstore
 * verifies, signed by the kit's build workflow for this repository from the merged pull
 * request's head, or from the pushed commit itself on the merge queue's branch of that pull
 * request (verify.ts, source.ts). Otherwise the step fails with
 * one line per refused image (its name, digest and why) and sets no output.
 */
import { eventPayload, repository } from "../shared/context.js";
import { ActionError, InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { info } from "../shared/runner.js";
import { candidatesOf } from "./candidates.js";
import { inputs } from "./inputs.js";
import type { Candidate, Expected, Refusal } from "./verify.js";

const env = (name: string) => process.env[name] || undefined;
const ZERO_SHA = /^0{40}$/;

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["githubToken"] });
  const repo = repository();
  if (env("GITHUB_EVENT_NAME") === "merge_group")
    throw new ActionError(
      "Production runs on the push a merge queue makes to the branch, not on merge_group: build the queue's commit on merge_group in the preview workflow (action-docs/examples/preview.yml) and call deploy-production on push",
      { title: "Merge queue" },
    );
  const names = given.images;
  let fromInput: Candidate[] | undefined;
  if (given.imageRefs) {
    const candidates = candidatesOf(given.imageRefs, names);
    if (typeof candidates[0] === "string" || candidates.length === 0)
      throw new ActionError((candidates as string[]).join("\n"), {
        title: "Not promoted",
        eachLine: true,
      });
    fromInput = candidates as Candidate[];
  }
  const commit = given.commit ?? env("GITHUB_SHA");
  if (!commit) throw new InputError(["Input 'commit' is required outside a workflow run"]);
  const eventBefore = (eventPayload() as { before?: unknown }).before;
  const before =
    given.before ??
    (typeof eventBefore === "string" &&
    /^[0-9a-f]{40}$/.test(eventBefore) &&
    !ZERO_SHA.test(eventBefore)
      ? eventBefore
      : undefined);

  const [{ createGitHubClient }, github, { checkAttestation }, { loadTrustedRoots }] =
    await Promise.all([
      import("../shared/github.js"),
      import("./github.js"),
      import("./verify.js"),
      import("./trust.js"),
    ]);
  const client = createGitHubClient(given.githubToken);
  const pull = await github.mergedPull(client, repo, commit, given.pullRequest);
  info(`Pull request #${pull.number}, merged head ${pull.headSha}`);
  const behindBy = before ? await github.headBehind(client, repo, pull, before) : 0;

  // The merge queue's build of the pushed commit first: it is exactly what the branch holds.
  // A head that was behind has nothing else to offer (its builds lack the branch's commits).
  const recorded = fromInput
    ? []
    : [
        ...(await github.queuedImages(client, repo, commit)),
        ...(behindBy > 0 ? [] : await github.previewedImages(client, repo, pull)),
      ];
  if (!fromInput && recorded.length === 0 && behindBy > 0)
    throw github.behindRefusal(pull, behindBy);
  const sets: (Candidate[] | string[])[] = fromInput
    ? [fromInput]
    : recorded.map((images) => candidatesOf(images, names));
  if (sets.length === 0)
    throw new ActionError(
      `No preview of the merged head ${pull.headSha} of pull request #${pull.number} was recorded, so nothing proves what to promote: make the preview workflow a required status check (a pull request then merges only once its head was built and attested), or run the preview by dispatch on that head before merging`,
      { title: "Not previewed" },
    );

  const roots = await loadTrustedRoots(given.trustedRoot);
  const serverUrl = env("GITHUB_SERVER_URL") ?? "https://github.com";
  const expected: Expected = {
    signer: { serverUrl, repository: given.signerRepository, workflow: given.signerWorkflow },
    source: {
      serverUrl,
      repository: `${repo.owner}/${repo.repo}`,
      repositoryId: env("GITHUB_REPOSITORY_ID"),
      pullRequest: pull.number,
      headSha: pull.headSha,
      mergedCommit: commit,
      baseBranch: env("GITHUB_REF")?.match(/^refs\/heads\/(.+)$/)?.[1],
      behindBy,
    },
  };
  const commits = github.commitsOf(client, repo);

  /** The refusal of one image, or undefined when one of its attestations proves it. */
  const refusalOf = async (candidate: Candidate): Promise<string | undefined> => {
    const bundles = await github.attestationsOf(client, repo, candidate.digest);
    const where = `Image '${candidate.name}' (${candidate.repository}@${candidate.digest})`;
    if (bundles.length === 0)
      return `${where} has no attestation in ${repo.owner}/${repo.repo}: it was not built by the kit's build workflow here (or its attest job did not run)`;
    let best: Refusal | undefined;
    for (const bundle of bundles) {
      const refusal = await checkAttestation(bundle, candidate, expected, roots, commits);
      if (!refusal) return undefined;
      if (!best || refusal.stage > best.stage) best = refusal;
    }
    return `${where} is not proven: ${best?.reason}`;
  };

  let firstRefusal: string[] | undefined;
  for (const set of sets) {
    if (typeof set[0] === "string" || set.length === 0) {
      firstRefusal ??= set as string[];
      continue;
    }
    const candidates = set as Candidate[];
    const refusals: string[] = [];
    for (const candidate of candidates) {
      const refusal = await refusalOf(candidate);
      if (refusal) refusals.push(refusal);
    }
    if (refusals.length > 0) {
      // Said for each set, so a reader sees every forged or stale Deployment passed over.
      for (const refusal of refusals) info(`Passed over: ${refusal}`);
      firstRefusal ??= refusals;
      continue;
    }
    const refs = Object.fromEntries(candidates.map((c) => [c.name, `${c.repository}@${c.digest}`]));
    for (const [name, ref] of Object.entries(refs)) info(`${name}: ${ref} (provenance verified)`);
    setOutputs({
      "image-refs": refs,
      digests: Object.fromEntries(candidates.map((c) => [c.name, c.digest])),
      images: Object.entries(refs)
        .map(([name, ref]) => `${name}=${ref}`)
        .join("\n"),
      "pull-request": pull.number,
      "head-sha": pull.headSha,
    });
    return;
  }
  throw new ActionError((firstRefusal ?? []).join("\n"), { title: "Not promoted", eachLine: true });
}
