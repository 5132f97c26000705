import { describe, expect, it } from "vitest";
import { pull } from "../../src/client/pull.js";

describe("pull", () => {
  it("yields every value in order, each only when the consumer asks", async () => {
    const produced: number[] = [];
    const values = pull<number>(async (deliver) => {
      for (let i = 0; i < 5; i++) {
        produced.push(i);
        await deliver(i);
      }
    });
    const seen: number[] = [];
    for await (const v of values) {
      seen.push(v);
      // The producer is held at the value out with us: nothing runs ahead.
      await new Promise((r) => setTimeout(r, 1));
      expect(produced.length).toBe(v + 1);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("rethrows the producer's error after the values before it", async () => {
    const boom = new Error("boom");
    const seen: number[] = [];
    const run = async () => {
      for await (const v of pull<number>(async (deliver) => {
        await deliver(1);
        throw boom;
      })) {
        seen.push(v);
      }
    };
    await expect(run()).rejects.toBe(boom);
    expect(seen).toEqual([1]);
  });

  it("releases the producer when the consumer stops early, so its cleanup runs", async () => {
    let cleaned = false;
    let resumed = false;
    for await (const v of pull<number>(async (deliver) => {
      try {
        await deliver(1);
        resumed = true;
        await deliver(2);
      } finally {
        cleaned = true;
      }
    })) {
      expect(v).toBe(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 1));
    expect(resumed).toBe(true);
    expect(cleaned).toBe(true);
  });
});
