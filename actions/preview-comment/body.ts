/**
 * The comment's markdown, built by priority: status, URLs, digests, timings, details.
 * When the whole would pass GitHub's 65,536-character limit the details are cut first
 * (with a note and a link to the run), then whole tables; the job summary gets it all.
 */
import { cell, code, details as collapsed, linkTarget, table, text } from "../shared/markdown.js";
import { safeMarkdown } from "./details.js";
import type { Status } from "./inputs.js";
import { formatMarker, type Marker } from "./marker.js";

export const MAX_BODY = 65_536;

export interface BodyParts {
  marker: Marker;
  status: Status;
  urls: Record<string, string>;
  digests: Record<string, string>;
  timings: Record<string, string>;
  details?: string;
  /** Web URL of the commit, when the repository is known. */
  commitUrl?: string;
  runUrl?: string;
}

const STATUS_LINE: Record<Status, string> = {
  deploying: "⏳ Deploying",
  ready: "✅ Ready",
  failed: "❌ Failed",
  destroyed: "🗑️ Destroyed",
};

function header(parts: BodyParts): string {
  const { marker } = parts;
  const commit = marker.sha
    ? parts.commitUrl
      ? `[${code(marker.sha.slice(0, 7))}](${parts.commitUrl})`
      : code(marker.sha.slice(0, 7))
    : undefined;
  const run = parts.runUrl ? `[run ${marker.runId}](${parts.runUrl})` : undefined;
  const facts = [commit && `commit ${commit}`, run].filter(Boolean).join(" · ");
  return `${formatMarker(marker)}\n### Preview ${code(marker.key)}: ${STATUS_LINE[parts.status]}\n\n${facts ? `${facts}\n` : ""}`;
}

function tables(parts: BodyParts): { title: string; markdown: string }[] {
  const rows = (record: Record<string, string>, value: (v: string) => string) =>
    Object.entries(record).map(([name, v]) => [cell(name), value(v)]);
  const sections = [
    {
      title: "URLs",
      headers: ["name", "URL"],
      rows: rows(parts.urls, (u) => `[${cell(linkTarget(u))}](${linkTarget(u)})`),
    },
    {
      title: "Image digests",
      headers: ["image", "digest"],
      rows: rows(parts.digests, (d) => code(d)),
    },
    { title: "Timings", headers: ["step", "seconds"], rows: rows(parts.timings, (s) => cell(s)) },
  ];
  return sections
    .filter((s) => s.rows.length > 0)
    .map((s) => ({ title: s.title, markdown: `\n#### ${s.title}\n\n${table(s.headers, s.rows)}` }));
}

function cutNote(what: string, parts: BodyParts): string {
  const where = parts.runUrl ? `the [job summary](${parts.runUrl})` : "this run's job summary";
  return `\n> [!NOTE]\n> ${what} cut to fit GitHub's ${MAX_BODY.toLocaleString("en")}-character limit; the full text is in ${where}.\n`;
}

const detailsBlock = (markdown: string) => `\n${collapsed("Details", markdown)}`;

export interface Body {
  /** What the comment says, within GitHub's limit. */
  comment: string;
  /** Everything, for the job summary. */
  full: string;
  truncated: boolean;
}

export function buildBody(parts: BodyParts, limit = MAX_BODY): Body {
  const fullDetails =
    parts.details === undefined ? "" : detailsBlock(safeMarkdown(parts.details).markdown);
  let comment = header(parts);
  const full =
    comment +
    tables(parts)
      .map((t) => t.markdown)
      .join("") +
    fullDetails;
  if (full.length <= limit) return { comment: full, full, truncated: false };

  // The longest note, reserved up front so that whatever is cut can say so.
  const reserve = cutNote("Image digests and details", parts).length;
  for (const section of tables(parts)) {
    comment +=
      comment.length + section.markdown.length + reserve <= limit
        ? section.markdown
        : cutNote(text(section.title), parts);
  }
  if (parts.details !== undefined) {
    // 64: the "… N more lines" line after the cut.
    const room = limit - comment.length - reserve - detailsBlock("").length - 64;
    const cut = safeMarkdown(parts.details, Math.max(room, 0));
    if (cut.kept > 0)
      comment += detailsBlock(`${cut.markdown}\n\n_… ${cut.total - cut.kept} more lines_`);
    comment += cutNote("Details", parts);
  }
  return { comment, full, truncated: true };
}
