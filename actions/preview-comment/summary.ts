/** The job summary: the result, and the comment's full text (details never cut here). */
import { code } from "../shared/markdown.js";
import type { Result } from "./plan.js";

export interface SummaryFacts {
  key: string;
  prNumber: number;
  result: Result;
  commentUrl?: string;
  /** The full body (marker included; it is an HTML comment and stays hidden). */
  body?: string;
  note?: string;
}

export function summaryMarkdown(facts: SummaryFacts): string {
  const link = facts.commentUrl ? ` ([comment](${facts.commentUrl}))` : "";
  return [
    `## Preview comment ${code(facts.key)} on #${facts.prNumber}: ${facts.result}${link}`,
    "",
    ...(facts.note ? [`> [!WARNING]\n> ${facts.note}`, ""] : []),
    ...(facts.body ? [facts.body] : []),
    "",
  ].join("\n");
}
