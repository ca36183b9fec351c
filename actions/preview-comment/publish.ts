/** Writes, updates or deletes this key's comment, then reports outputs and the job summary. */
import { setTimeout as sleep } from "node:timers/promises";
import { commitSha, repository, runAttempt, runId, runUrl, serverUrl } from "../shared/context.js";
import { InputError } from "../shared/errors.js";
import { createGitHubClient, type GitHubClient } from "../shared/github.js";
import type { Inputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { readConfinedFile } from "../shared/paths.js";
import { redact } from "../shared/redact.js";
import { annotate, appendSummary, endGroup, info, startGroup } from "../shared/runner.js";
import { buildBody } from "./body.js";
import {
  AnswerLost,
  ReadOnlyToken,
  createComment,
  deleteComment,
  listComments,
  runConfirmed,
  updateComment,
} from "./comments.js";
import type { Target } from "./comments.js";
import type { inputs } from "./inputs.js";
import { isNewer, parseMarker, type Marker } from "./marker.js";
import {
  newerClaims,
  ownComments,
  planComment,
  type ExistingComment,
  type Plan,
  type Result,
} from "./plan.js";
import { summaryMarkdown } from "./summary.js";

type PublishInputs = Inputs<typeof inputs>;

/** Tries of a comment POST whose answer is lost, each after looking for the comment. */
const CREATE_TRIES = 3;

interface Outcome {
  result: Result;
  comment?: ExistingComment;
}

class Writer {
  constructor(
    private readonly client: GitHubClient,
    private readonly target: Target,
    private readonly key: string,
    private readonly marker: Marker,
    private readonly body: string,
  ) {}

  private async mine(): Promise<ExistingComment[]> {
    const { viewer, comments } = await listComments(this.client, this.target);
    return ownComments(comments, this.key, viewer);
  }

  /**
   * A POST is not repeated blindly: when its answer is lost (a 502, a reset connection)
   * the comments are listed again, and only when ours is not there is it sent again.
   */
  private async createOnce(): Promise<ExistingComment> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await createComment(this.client, this.target, this.body);
      } catch (error) {
        if (!(error instanceof AnswerLost) || attempt >= CREATE_TRIES) throw error;
        const written = (await this.mine()).findLast((c) => c.body === this.body);
        if (written) {
          info(`The answer to the comment's POST was lost, but GitHub wrote it (${written.id})`);
          return written;
        }
        info(`${error.message}; it was not written: trying again`);
        await sleep(1000 * attempt);
      }
    }
  }

  /**
   * Creates the comment; then, since a racing run may have created one at the same time,
   * the oldest of this key's comments is the one kept (every run agrees on it): ours is
   * deleted if it is not the oldest, and the oldest gets our body unless a newer run wrote it.
   */
  async create(settle: boolean): Promise<Outcome> {
    const created = await this.createOnce();
    if (!settle) return { result: "created", comment: created };
    const [oldest] = await this.mine();
    if (!oldest || oldest.id === created.id) return { result: "created", comment: created };
    info(`A racing run created comment ${oldest.id} first: keeping it, deleting ${created.id}`);
    await deleteComment(this.client, this.target, created.id);
    const recorded = parseMarker(oldest.body);
    if (recorded && isNewer(recorded, this.marker)) return { result: "skipped", comment: oldest };
    const updated = await updateComment(this.client, this.target, oldest.id, this.body);
    return updated ? { result: "updated", comment: updated } : this.create(true);
  }

  async update(id: number): Promise<Outcome> {
    const updated = await updateComment(this.client, this.target, id, this.body);
    // Gone: a racing run deleted it between our listing and our update.
    return updated ? { result: "updated", comment: updated } : this.create(true);
  }
}

async function apply(
  client: GitHubClient,
  target: Target,
  plan: Plan,
  writer: Writer | undefined,
  mode: PublishInputs["mode"],
): Promise<Outcome> {
  let outcome: Outcome = { result: plan.result, comment: plan.kept };
  for (const step of plan.steps) {
    if (step.kind === "delete") await deleteComment(client, target, step.id);
    else if (step.kind === "create") outcome = await (writer as Writer).create(mode === "upsert");
    else outcome = await (writer as Writer).update(step.id);
  }
  return outcome.result === "deleted" ? { result: "deleted" } : outcome;
}

/** The claims of later runs that name a run that exists; the rest are written over. */
async function confirmedClaims(
  client: GitHubClient,
  target: Target,
  mine: ExistingComment[],
  ours: Marker,
): Promise<Set<string>> {
  const confirmed = new Set<string>();
  for (const claim of newerClaims(mine, ours)) {
    const id = `${claim.runId}/${claim.runAttempt}`;
    if (confirmed.has(id)) continue;
    if (await runConfirmed(client, target, claim)) confirmed.add(id);
    else
      info(
        `The comment claims run ${claim.runId} (attempt ${claim.runAttempt}), which this repository has no record of for commit ${claim.sha || "unknown"} (or the token lacks \`actions: read\`): not trusted`,
      );
  }
  return confirmed;
}

export async function publish(inputs: PublishInputs): Promise<void> {
  const { owner, repo } = repository();
  const target: Target = { owner, repo, issue_number: inputs.prNumber };
  const marker: Marker = {
    key: inputs.key,
    sha: inputs.commitSha ?? commitSha() ?? "",
    runId: Number(runId() ?? 0),
    runAttempt: Number(runAttempt() ?? 1),
  };
  // The listing leaves first and the body is built while it is under way: the first
  // request pays for loading fetch's HTTP stack, which need not wait for the markdown.
  const client = createGitHubClient(inputs.githubToken);
  const listing = listComments(client, target);
  listing.catch(() => {}); // awaited below; a failure is reported there
  // A comment is never masked: whatever the action knows to be secret is redacted from it.
  const built =
    inputs.status === undefined
      ? undefined
      : buildBody({
          marker,
          status: inputs.status,
          urls: inputs.urls,
          images: inputs.images,
          timings: inputs.timings,
          details:
            inputs.detailsFile === undefined ? undefined : redact(details(inputs.detailsFile)),
          commitUrl: marker.sha
            ? `${serverUrl()}/${owner}/${repo}/commit/${marker.sha}`
            : undefined,
          runUrl: runUrl(),
        });
  const body = built && { ...built, comment: redact(built.comment), full: redact(built.full) };
  if (body?.truncated && body.fullFitsSummary)
    info("The comment is too long for GitHub: details cut; the job summary has them whole.");
  if (body && !body.fullFitsSummary) {
    // The runner would drop the whole summary: the full text goes to the log instead.
    startGroup("The full comment (over the job summary's 1 MiB limit)");
    info(body.full);
    endGroup();
  }

  const { viewer, comments } = await listing;
  const mine = ownComments(comments, inputs.key, viewer);
  const confirmed = await confirmedClaims(client, target, mine, marker);
  const plan = planComment(inputs.mode, mine, body?.comment, marker, (claim) =>
    confirmed.has(`${claim.runId}/${claim.runAttempt}`),
  );
  if (plan.reason) info(`Leaving the comment as it is: ${plan.reason}.`);

  const writer =
    body === undefined ? undefined : new Writer(client, target, inputs.key, marker, body.comment);
  let outcome: Outcome;
  let note: string | undefined;
  try {
    outcome = await apply(client, target, plan, writer, inputs.mode);
  } catch (error) {
    if (!(error instanceof ReadOnlyToken)) throw error;
    note =
      `${error.message}: the token is read-only (a fork's pull request, or the job lacks ` +
      "`pull-requests: write`). The comment is in the job summary instead.";
    annotate("warning", note, { title: "Preview comment not written" });
    outcome = { result: "skipped" };
  }

  const { result, comment } = outcome;
  info(
    `Preview comment '${inputs.key}' on #${inputs.prNumber}: ${result}${comment ? ` (${comment.html_url})` : ""}`,
  );
  setOutputs({ "comment-id": comment?.id, "comment-url": comment?.html_url, result });
  appendSummary(
    summaryMarkdown({
      key: inputs.key,
      prNumber: inputs.prNumber,
      result,
      commentUrl: comment?.html_url,
      body: body?.fullFitsSummary ? body.full : body?.comment,
      note,
    }),
  );
}

/** The details file, read once as it was checked (paths.ts): a swapped link is refused. */
function details(path: string): string {
  const read = readConfinedFile(path);
  if ("problem" in read)
    throw new InputError([`Input 'details-file' ${read.problem}, got '${path}'`]);
  return read.text;
}
