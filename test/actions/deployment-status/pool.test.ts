import { describe, expect, it } from "vitest";
import { forEachLimited } from "../../../actions/deployment-status/pool.js";

describe("forEachLimited", () => {
  it("visits every item with at most `limit` at once", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([...Array(25).keys()], 4, async (item) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      seen.push(item);
      running--;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
  });

  it("fails with the first failure and does nothing for no items", async () => {
    await expect(
      forEachLimited([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error("two");
      }),
    ).rejects.toThrow("two");
    await forEachLimited([], 4, () => Promise.reject(new Error("never")));
  });
});
