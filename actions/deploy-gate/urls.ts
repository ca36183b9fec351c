/**
 * The URLs to health-check, from the stack outputs the workflow names (`url-outputs`); an
 * output may hold one URL or a list of them. A deploy with none to check is not "healthy":
 * the step refuses it unless the workflow opted out with `health-check: false`.
 */

export interface NamedUrl {
  /** The output's name, `NAME-1`, `NAME-2`... for the items of a list. */
  name: string;
  url: string;
}

/** http(s) and nothing that could break a `NAME=URL` line: no whitespace. */
const HTTP_URL = /^https?:\/\/\S+$/;

export function urlsToCheck(outputs: Record<string, unknown>, names: string[]): NamedUrl[] {
  const found: NamedUrl[] = [];
  for (const name of names) {
    if (!Object.hasOwn(outputs, name)) continue;
    const value = outputs[name];
    const items = Array.isArray(value)
      ? value.map((url, index) => ({ name: `${name}-${index + 1}`, url: url as unknown }))
      : [{ name, url: value }];
    for (const item of items)
      if (typeof item.url === "string" && HTTP_URL.test(item.url))
        found.push({ name: item.name, url: item.url });
  }
  return found;
}

export function noUrlProblem(names: string[]): string {
  const named = names.length > 0 ? names.join(", ") : "(none named)";
  return `No stack output among url-outputs (${named}) holds an http(s) URL, so the deploy cannot be health-checked: name the outputs that hold its URLs in url-outputs, or set health-check: false to deploy without a check`;
}
