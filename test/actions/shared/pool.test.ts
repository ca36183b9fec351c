import { describe, expect, it } from "vitest";
import { mapLimited } from "../../../actions/shared/pool.js";

describe("mapLimited", () => {
  it("visits every item with at most `limit` at once, results in the items' order", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const results = await mapLimited([...Array(25).keys()], 4, async (item) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      seen.push(item);
      running--;
      return item * 2;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
    expect(results).toEqual([...Array(25).keys()].map((item) => item * 2));
  });

  it("fails with the first failure and does nothing for no items", async () => {
    await expect(
      mapLimited([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error("two");
      }),
    ).rejects.toThrow("two");
    expect(await mapLimited([], 4, () => Promise.reject(new Error("never")))).toEqual([]);
  });
});
