/** GitHub's branch filter patterns (`*`, `**`, `?`), enough for `branches:` of the examples. */
export function minimatch(branch: string, pattern: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, ".")
    .replace(/\u0000/g, ".*");
  return new RegExp(`^${source}$`).test(branch);
}
