/**
 * The comment's markdown, built by priority: status, URLs, images, timings, details.
 * When the whole would pass GitHub's 65,536-character limit the details are cut first
 * (with a note and a link to the run), then whole tables; the job summary gets it all.
 */
import { cell, code, details as collapsed, linkTarget, table, text } from "../shared/markdown.js";
import { safeMarkdown } from "./details.js";
import type { Status } from "./inputs.js";
import { formatMarker, type Marker } from "./marker.js";

export const MAX_BODY = 65_536;

/**
 * The runner drops a step's job summary over 1 MiB whole (AttachmentSizeLimit); the room left
 * for the full body after the summary's own heading and note.
 */
export const MAX_SUMMARY_BODY = 1024 * 1024 - 4096;

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): they make a line read in
 * another order than it runs (the "Trojan Source" trick), and a plan needs none.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface BodyParts {
  marker: Marker;
  status: Status;
  urls: Record<string, string>;
  /** name -> REPOSITORY@sha256:…, the references deployed. */
  images: Record<string, string>;
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
      title: "Images",
      headers: ["image", "reference"],
      rows: rows(parts.images, (d) => code(d)),
    },
    { title: "Timings", headers: ["step", "seconds"], rows: rows(parts.timings, (s) => cell(s)) },
  ];
  return sections
    .filter((s) => s.rows.length > 0)
    .map((s) => ({ title: s.title, markdown: `\n#### ${s.title}\n\n${table(s.headers, s.rows)}` }));
}

function cutNote(what: string, parts: BodyParts, inSummary: boolean): string {
  const summary = parts.runUrl ? `the [job summary](${parts.runUrl})` : "this run's job summary";
  const log = parts.runUrl ? `the [step's log](${parts.runUrl})` : "this step's log";
  const where = inSummary
    ? `is in ${summary}`
    : `is over the job summary's 1 MiB limit, so it is in ${log}`;
  return `\n> [!NOTE]\n> ${what} cut to fit GitHub's ${MAX_BODY.toLocaleString("en")}-character limit; the full text ${where}.\n`;
}

const detailsBlock = (markdown: string) => `\n${collapsed("Details", markdown)}`;

export interface Body {
  /** What the comment says, within GitHub's limit. */
  comment: string;
  /** Everything, for the job summary (or the log, when `fullFitsSummary` is false). */
  full: string;
  truncated: boolean;
  fullFitsSummary: boolean;
}

export function buildBody(given: BodyParts, limit = MAX_BODY): Body {
  const parts =
    given.details === undefined ? given : { ...given, details: given.details.replace(BIDI, "") };
  const fullDetails =
    parts.details === undefined ? "" : detailsBlock(safeMarkdown(parts.details).markdown);
  let comment = header(parts);
  const full = (
    comment +
    tables(parts)
      .map((t) => t.markdown)
      .join("") +
    fullDetails
  ).replace(BIDI, "");
  const fits = Buffer.byteLength(full, "utf8") <= MAX_SUMMARY_BODY;
  if (full.length <= limit) return { comment: full, full, truncated: false, fullFitsSummary: fits };

  // The longest note, reserved up front so that whatever is cut can say so.
  const reserve = cutNote("Images and details", parts, fits).length;
  for (const section of tables(parts)) {
    comment +=
      comment.length + section.markdown.length + reserve <= limit
        ? section.markdown
        : cutNote(text(section.title), parts, fits);
  }
  if (parts.details !== undefined) {
    // 64: the "… N more lines" line after the cut.
    const room = limit - comment.length - reserve - detailsBlock("").length - 64;
    const cut = safeMarkdown(parts.details, Math.max(room, 0));
    if (cut.kept > 0)
      comment += detailsBlock(`${cut.markdown}\n\n_… ${cut.total - cut.kept} more lines_`);
    comment += cutNote("Details", parts, fits);
  }
  return { comment: comment.replace(BIDI, ""), full, truncated: true, fullFitsSummary: fits };
}
