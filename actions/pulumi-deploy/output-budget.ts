/**
 * What fits in GitHub's limit on outputs: "Outputs can be a maximum of 1 MB per job ... Size
 * is approximated based on UTF-16 encoding" (docs.github.com, Passing information between
 * jobs). A stack output larger than that cannot be carried, and a second copy of one (its
 * own step output besides its place in `outputs`) must not push the step over it: every
 * value this step writes is counted against one budget, and what does not fit is left out
 * with the reason, never written in part.
 */

/** 1 MB, decimal: the smaller reading of GitHub's "1 MB", so the limit is never exceeded. */
export const OUTPUT_LIMIT_BYTES = 1_000_000;

/** GitHub's approximation: two bytes per UTF-16 code unit, name and value. */
export function outputBytes(name: string, value: string): number {
  return 2 * (name.length + value.length);
}

export interface Budgeted {
  /** The outputs to write, each once. */
  outputs: Record<string, string>;
  /** One line per output left out or shortened, for a warning. */
  omitted: string[];
}

const omittedMarker = (bytes: number) =>
  `[omitted: ${bytes} bytes, over GitHub's 1 MB output limit]`;

/**
 * `declared` (small: counts, paths, flags) always; then `outputs` (the stack's outputs,
 * secrets hidden: what other jobs read), its largest top-level values replaced by a marker
 * until it fits; then each stack output's own step output while the budget lasts.
 */
export function budgetOutputs(
  declared: Record<string, string>,
  visible: Record<string, unknown> | undefined,
  perOutput: Record<string, string>,
  limit = OUTPUT_LIMIT_BYTES,
): Budgeted {
  const outputs: Record<string, string> = {};
  const omitted: string[] = [];
  let left = limit;
  for (const [name, value] of Object.entries(declared)) {
    outputs[name] = value;
    left -= outputBytes(name, value);
  }
  if (visible) {
    const shown: Record<string, unknown> = { ...visible };
    let json = JSON.stringify(shown);
    const bySize = Object.keys(shown)
      .map((key) => [key, JSON.stringify(shown[key] ?? null).length] as const)
      .sort((a, b) => b[1] - a[1]);
    for (const [key, chars] of bySize) {
      if (outputBytes("outputs", json) <= left) break;
      shown[key] = omittedMarker(2 * chars);
      omitted.push(
        `stack output '${key}' (${2 * chars} bytes) is left out of 'outputs': GitHub allows 1 MB of outputs per job`,
      );
      json = JSON.stringify(shown);
    }
    if (outputBytes("outputs", json) <= left) {
      outputs.outputs = json;
      left -= outputBytes("outputs", json);
    }
  }
  for (const [name, value] of Object.entries(perOutput)) {
    const bytes = outputBytes(name, value);
    if (bytes > left) {
      omitted.push(
        `stack output '${name}' (${bytes} bytes) is not a step output of its own: it would take this step's outputs past GitHub's 1 MB per job`,
      );
      continue;
    }
    outputs[name] = value;
    left -= bytes;
  }
  return { outputs, omitted };
}
