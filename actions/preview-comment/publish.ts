/** Writes, updates or deletes this key's comment, then reports outputs and the job summary. */
import { readFileSync } from "node:fs";
import { commitSha, repository, runAttempt, runId, runUrl, serverUrl } from "../shared/context.js";
import { createGitHubClient, type GitHubClient } from "../shared/github.js";
import type { Inputs } from "../shared/inputs.js";
import { setOutputs } from "../shared/outputs.js";
import { redact } from "../shared/redact.js";
import { annotate, appendSummary, info } from "../shared/runner.js";
import { buildBody } from "./body.js";
import {
  ReadOnlyToken,
  createComment,
  deleteComment,
  listComments,
  ownLogin,
  updateComment,
} from "./comments.js";
import type { Target } from "./comments.js";
import type { inputs } from "./inputs.js";
import type { Marker } from "./marker.js";
import { ownComments, planComment, type ExistingComment, type Plan, type Result } from "./plan.js";
import { summaryMarkdown } from "./summary.js";

type PublishInputs = Inputs<typeof inputs>;

async function apply(client: GitHubClient, target: Target, plan: Plan, body: string | undefined) {
  let written: ExistingComment | undefined = plan.kept;
  let result: Result = plan.result;
  for (const step of plan.steps) {
    if (step.kind === "create") written = await createComment(client, target, body as string);
    else if (step.kind === "update") {
      written = await updateComment(client, target, step.id, body as string);
      if (!written) {
        written = await createComment(client, target, body as string);
        result = "created";
      }
    } else await deleteComment(client, target, step.id);
  }
  return { result, comment: result === "deleted" ? undefined : written };
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
  // A comment is never masked: whatever the action knows to be secret is redacted from it.
  const built =
    inputs.status === undefined
      ? undefined
      : buildBody({
          marker,
          status: inputs.status,
          urls: inputs.urls,
          digests: inputs.digests,
          timings: inputs.timings,
          details:
            inputs.detailsFile === undefined
              ? undefined
              : redact(readFileSync(inputs.detailsFile, "utf8")),
          commitUrl: marker.sha
            ? `${serverUrl()}/${owner}/${repo}/commit/${marker.sha}`
            : undefined,
          runUrl: runUrl(),
        });
  const body = built && { ...built, comment: redact(built.comment), full: redact(built.full) };
  if (body?.truncated)
    info("The comment is too long for GitHub: details cut; the job summary has them whole.");

  const client = createGitHubClient(inputs.githubToken);
  const comments = await listComments(client, target);
  // Only comments carrying this key's marker need an owner check; most runs skip the lookup.
  const candidates = comments.filter((c) => c.body?.includes(`key="${inputs.key}"`));
  const login = candidates.length > 0 ? await ownLogin(client, inputs.githubToken) : "";
  const plan = planComment(
    inputs.mode,
    ownComments(candidates, inputs.key, login),
    body?.comment,
    marker,
  );
  if (plan.reason) info(`Leaving the comment as it is: ${plan.reason}.`);

  let outcome: { result: Result; comment?: ExistingComment };
  let note: string | undefined;
  try {
    outcome = await apply(client, target, plan, body?.comment);
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
      body: body?.full,
      note,
    }),
  );
}
