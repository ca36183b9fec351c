/**
 * The sweep's one decision: which previews outlived their pull request. Candidates are the
 * repository's `preview-pr-N` environments (every preview's deployment-status start makes
 * one); a candidate is stale when its pull request is closed, or open and idle too long.
 */
import { prNumberOfEnvironment } from "../deploy-gate/names.js";
import { repository } from "../shared/context.js";
import {
  createGitHubClient,
  gitHubError,
  httpStatus,
  type GitHubClient,
} from "../shared/github.js";
import type { Inputs } from "../shared/inputs.js";
import { table } from "../shared/markdown.js";
import { setOutputs } from "../shared/outputs.js";
import { annotate, appendSummary, info } from "../shared/runner.js";
import type { inputs } from "./inputs.js";

const DAY_MS = 86_400_000;

export interface Verdict {
  pr: number;
  /** Why it is swept, or why it is kept. */
  reason: string;
  stale: boolean;
}

async function previewNumbers(
  client: GitHubClient,
  owner: string,
  repo: string,
): Promise<number[]> {
  try {
    const environments = await client.paginate("GET /repos/{owner}/{repo}/environments", {
      owner,
      repo,
      per_page: 100,
    });
    return environments
      .map((environment) => prNumberOfEnvironment(environment.name))
      .filter((pr): pr is number => pr !== undefined)
      .sort((a, b) => a - b);
  } catch (error) {
    throw gitHubError(`list the environments of ${owner}/${repo}`, error);
  }
}

export function judge(
  pr: number,
  pull: { state: string; updated_at: string },
  idleDays: number,
  now: number,
): Verdict {
  if (pull.state !== "open") return { pr, stale: true, reason: `pull request is ${pull.state}` };
  const idle = Math.floor((now - Date.parse(pull.updated_at)) / DAY_MS);
  if (idleDays > 0 && idle > idleDays)
    return { pr, stale: true, reason: `open, idle for ${idle} days (more than ${idleDays})` };
  return { pr, stale: false, reason: "open" };
}

export async function sweep(given: Inputs<typeof inputs>): Promise<void> {
  const now = Date.now();
  const { owner, repo } = repository();
  const client = createGitHubClient(given.githubToken);
  const verdicts: Verdict[] = [];
  for (const pr of await previewNumbers(client, owner, repo)) {
    try {
      const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
        owner,
        repo,
        pull_number: pr,
      });
      verdicts.push(judge(pr, data, given.idleDays, now));
    } catch (error) {
      // An environment named like a preview whose pull request is not there (an issue's
      // number, say) is someone else's: leave it.
      if (httpStatus(error) !== 404) throw gitHubError(`read pull request #${pr}`, error);
      annotate("warning", `environment preview-pr-${pr} names no pull request: left alone`, {
        title: "Not a preview",
      });
      verdicts.push({ pr, stale: false, reason: "no such pull request" });
    }
  }
  const stale = verdicts.filter((v) => v.stale).map((v) => v.pr);
  setOutputs({ "pr-numbers": stale, count: stale.length });
  info(
    stale.length === 0
      ? `no stale preview among ${verdicts.length}`
      : `stale previews: ${stale.map((pr) => `#${pr}`).join(", ")}`,
  );
  appendSummary(
    verdicts.length === 0
      ? "### Stale previews\n\nNo preview environments.\n"
      : `### Stale previews\n\n${table(
          ["pull request", "verdict", "why"],
          verdicts.map((v) => [`#${v.pr}`, v.stale ? "swept" : "kept", v.reason]),
        )}\n`,
  );
}
