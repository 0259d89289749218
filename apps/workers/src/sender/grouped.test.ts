import { describe, expect, it } from "vitest";
import { grouped } from "./grouped";

/** A statement stand-in that records the items of each call and answers each item doubled. */
function recordingRun() {
  const calls: number[][] = [];
  const run = async (items: number[]) => {
    calls.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return items.map((item) => item * 2);
  };
  return { calls, run };
}

describe("grouped", () => {
  it("carries the items called for in one turn in one call, and answers each caller its own", async () => {
    const { calls, run } = recordingRun();
    const double = grouped(run, 100);
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it("sends an item alone at once, and those arriving meanwhile together next, at most maxItems a call", async () => {
    const { calls, run } = recordingRun();
    const double = grouped(run, 2);
    const first = double(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map(double);
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8]);
    expect(calls).toEqual([[1], [2, 3], [4]]);
  });

  it("fails every item of a failed call with its error, and goes on with the next items", async () => {
    let failing = true;
    const run = async (items: number[]) => {
      if (failing) throw new Error("database away");
      return items;
    };
    const echo = grouped(run, 100);
    const failed = await Promise.allSettled([echo(1), echo(2)]);
    expect(failed.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect((failed[0] as PromiseRejectedResult).reason).toEqual(new Error("database away"));
    failing = false;
    expect(await echo(3)).toBe(3);
  });
});
