/** GitHub's branch filter patterns (`*`, `**`, `?`), enough for `branches:` of the examples. */
export function minimatch(branch: string, pattern: string): boolean {
  const segment = (part: string) =>
    part
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, ".");
  return new RegExp(`^${pattern.split("**").map(segment).join(".*")}$`).test(branch);
}
