/** The job summary: what was built, where it went and how long it took. */
import { cell, code, table } from "../shared/markdown.js";

export interface BuildSummary {
  image: string;
  references: readonly string[];
  digest?: string;
  seconds: number;
  builder: string;
  /** Why nothing was pushed, when nothing was. */
  notPushed?: string;
}

export function summaryMarkdown(summary: BuildSummary): string {
  const rows = [
    ["Image", code(cell(summary.image))],
    ["Tags", summary.references.map((ref) => code(cell(ref))).join("<br>")],
    [
      "Digest",
      summary.digest
        ? code(summary.digest)
        : cell(`not pushed: ${summary.notPushed ?? "push is false"}`),
    ],
    ["Build time", `${summary.seconds.toFixed(1)} s (${cell(summary.builder)})`],
  ];
  return `### Image ${cell(summary.image)}\n\n${table(["", ""], rows)}`;
}
