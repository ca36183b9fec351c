import { field, input, problem, splitLines } from "../shared/inputs.js";

/** GitHub's own job limit (6 h): a health check never needs longer. */
const MAX_SECONDS = 21_600;

/**
 * The URLs, one a line. A URL with a space inside is refused, not edited: removing the
 * space would check another URL than the one written. Never quoted: a URL may hold
 * credentials.
 */
const urls = field((text) => {
  const lines = splitLines(text ?? "");
  if (lines.length === 0) return problem("is required", { quote: false });
  const refused = (index: number, why: string) =>
    problem(`line ${index + 1} ${why}`, { quote: false });
  const parsed: URL[] = [];
  for (const [index, line] of lines.entries()) {
    if (/\s/.test(line))
      return refused(index, "has a space inside the URL: write it percent-encoded (%20)");
    const url = URL.parse(line);
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
      return refused(index, "must be an http:// or https:// URL");
    parsed.push(url);
  }
  return parsed;
});

export const inputs = {
  urls,
  timeoutSeconds: input.integer({ min: 1, max: MAX_SECONDS, fallback: 300 }),
  initialDelaySeconds: input.integer({ min: 1, max: 3_600, fallback: 2 }),
  maxDelaySeconds: input.integer({ min: 1, max: 3_600, fallback: 30 }),
};
