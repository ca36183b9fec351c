import { describe, expect, it } from "vitest";
import { isTransientStatus, retry } from "../../../actions/shared/retry.js";

/** An operation that answers with `answers` in turn: a value is returned, an Error thrown. */
function scripted<T>(answers: (T | Error)[]) {
  let calls = 0;
  const attempt = () => {
    const answer = answers[Math.min(calls++, answers.length - 1)] as T | Error;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { attempt, calls: () => calls };
}

describe("retry", () => {
  it("tries again after a retryable error or result, with the waits asked for", async () => {
    const op = scripted<number>([new Error("reset"), 503, 200]);
    const waits: number[] = [];
    const result = await retry(op.attempt, {
      tries: 5,
      waitMs: (failures) => failures,
      retryError: () => true,
      retryResult: isTransientStatus,
      onRetry: (_, failures, waitMs) => waits.push(failures * 100 + waitMs),
    });
    expect(result).toBe(200);
    expect(op.calls()).toBe(3);
    expect(waits).toEqual([101, 202]);
  });

  it("returns the last result and throws the last error once the tries are used", async () => {
    const busy = scripted<number>([503]);
    expect(
      await retry(busy.attempt, { tries: 3, waitMs: () => 0, retryResult: isTransientStatus }),
    ).toBe(503);
    expect(busy.calls()).toBe(3);
    const down = scripted<number>([new Error("down")]);
    await expect(
      retry(down.attempt, { tries: 2, waitMs: () => 0, retryError: () => true }),
    ).rejects.toThrow("down");
    expect(down.calls()).toBe(2);
  });

  it("never retries what the policy does not name", async () => {
    const op = scripted<number>([new Error("bad request")]);
    await expect(retry(op.attempt, { tries: 5, waitMs: () => 0 })).rejects.toThrow("bad request");
    expect(op.calls()).toBe(1);
  });

  it("counts 429 and 5xx as transient, nothing else", () => {
    expect([429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 422].some(isTransientStatus)).toBe(false);
  });
});
