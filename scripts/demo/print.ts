/** How the demo writes: phase headers, one line per step, indented blocks for what GitHub shows. */

const write = (text = "") => process.stdout.write(`${text}\n`);

export function heading(title: string): void {
  write();
  write(`== ${title} ${"=".repeat(Math.max(3, 86 - title.length))}`);
}

export function line(text: string): void {
  write(text);
}

/** One action step: its result mark, name, duration and what it produced. */
export function stepLine(ok: boolean, label: string, seconds: number, result: string): void {
  write(
    `  ${ok ? "ok  " : "FAIL"} ${label.padEnd(44)} ${seconds.toFixed(1).padStart(5)}s  ${result}`,
  );
}

/** Something the demo does in place of a real part, said as such. */
export function standIn(text: string): void {
  write(`  stand-in: ${text}`);
}

/** Text as GitHub stores it, fenced off by a bar so markdown and log lines do not mix. */
export function block(title: string, text: string): void {
  write(`  ${title}`);
  for (const row of text.trimEnd().split("\n")) write(`    | ${row}`);
}
