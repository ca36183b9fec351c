/**
 * Signs a build provenance attestation for each pushed image (its repository as the
 * subject name, its digest as the subject digest) with this job's OIDC identity, through
 * @actions/attest (Sigstore: GitHub's instance for a private repository, the public-good
 * one for a public repository), and stores it with the repository through the kit's
 * GitHub client. Production's verify-provenance checks exactly these: the signer is the
 * workflow whose job runs this (build-images.yml), the source the run's repository and
 * commit. The job that runs it must run no code of the pull request: whoever runs code in
 * it can sign anything as the kit's build.
 */
import { PATH_COMPONENT_PATTERN, imageRefProblem } from "../../components/image-reference.js";
import { repository } from "../shared/context.js";
import { ActionError, InputError } from "../shared/errors.js";
import { parseInputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { info } from "../shared/runner.js";
import { inputs } from "./inputs.js";

export async function run(): Promise<void> {
  const given = parseInputs(inputs, { secrets: ["githubToken"] });
  const problems: string[] = [];
  const images: { name: string; repository: string; hex: string }[] = [];
  for (const [name, ref] of given.imageRefs) {
    const problem = typeof ref === "string" ? imageRefProblem(ref) : "not a string";
    if (!PATH_COMPONENT_PATTERN.test(name) || problem || typeof ref !== "string") {
      problems.push(
        `Input 'image-refs' has image '${name.slice(0, 80)}': ${problem ?? "not an image name"}`,
      );
      continue;
    }
    const at = ref.lastIndexOf("@");
    images.push({ name, repository: ref.slice(0, at), hex: ref.slice(at + "@sha256:".length) });
  }
  if (images.length === 0 && problems.length === 0)
    problems.push("Input 'image-refs' holds no image: nothing to attest");
  if (problems.length > 0) throw new InputError(problems);

  const [{ attestProvenance }, { createGitHubClient, gitHubError }] = await Promise.all([
    import("@actions/attest"),
    import("../shared/github.js"),
  ]);
  const client = createGitHubClient(given.githubToken);
  const repo = repository();
  const ids: Record<string, number> = {};
  for (const image of images) {
    let bundle: unknown;
    try {
      ({ bundle } = await attestProvenance({
        subjects: [{ name: image.repository, digest: { sha256: image.hex } }],
        token: given.githubToken,
        skipWrite: true,
      }));
    } catch (error) {
      throw new ActionError(
        `Could not sign the provenance of image '${image.name}' (${image.repository}@sha256:${image.hex}): ${(error as Error).message} (the job needs id-token: write)`,
        { title: "Attestation failed", cause: error },
      );
    }
    try {
      const { data } = await client.request("POST /repos/{owner}/{repo}/attestations", {
        ...repo,
        bundle: bundle as never,
      });
      ids[image.name] = (data as { id: number }).id;
    } catch (error) {
      throw gitHubError(
        `store the attestation of image '${image.name}' (the job needs attestations: write; GitHub stores attestations for public repositories and on GitHub Enterprise Cloud only)`,
        error,
      );
    }
    info(`${image.name}: ${image.repository}@sha256:${image.hex} attested (${ids[image.name]})`);
  }
  setOutputs({ "attestation-ids": ids });
}
