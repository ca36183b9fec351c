import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ActionError } from "../../../actions/shared/errors.js";
import { commitSha, pullRequest } from "../../../actions/shared/context.js";

const HEAD = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";

/** Points GITHUB_EVENT_PATH at a new file holding `event`. */
function onEvent(event: object): void {
  const path = join(mkdtempSync(join(tmpdir(), "context-")), "event.json");
  writeFileSync(path, JSON.stringify(event));
  vi.stubEnv("GITHUB_EVENT_PATH", path);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("context", () => {
  it("names a pull request's head, never the merge commit, and reads each new event", () => {
    vi.stubEnv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    onEvent({ pull_request: { number: 7, head: { sha: HEAD } } });
    expect(pullRequest()?.number).toBe(7);
    expect(commitSha()).toBe(HEAD);
    onEvent({});
    expect(pullRequest()).toBeUndefined();
    expect(commitSha()).toBe("0123456789abcdef0123456789abcdef01234567");
  });

  it("takes a dispatched pr_number only when it is all digits", () => {
    onEvent({ inputs: { pr_number: "42" } });
    expect(pullRequest()).toEqual({ number: 42 });
    for (const pr_number of ["0x10", "1e3", "-3", "0", "7.5", ""]) {
      onEvent({ inputs: { pr_number } });
      expect(pullRequest(), pr_number).toBeUndefined();
    }
  });

  it("fails in one line when the event file is not JSON", () => {
    const path = join(mkdtempSync(join(tmpdir(), "context-")), "event.json");
    writeFileSync(path, "{");
    vi.stubEnv("GITHUB_EVENT_PATH", path);
    expect(() => pullRequest()).toThrow(ActionError);
  });
});
