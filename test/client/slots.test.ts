import { describe, expect, it } from "vitest";
import { Slots } from "../../src/client/slots.js";

describe("Slots", () => {
  it("lets `limit` holders in at once and the rest in arrival order", async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    const holders = [0, 1, 2, 3].map((i) => slots.acquire().then(() => order.push(i)));
    await new Promise((r) => setTimeout(r, 1));
    expect(order).toEqual([0, 1]);
    slots.release();
    await new Promise((r) => setTimeout(r, 1));
    expect(order).toEqual([0, 1, 2]);
    slots.release();
    await Promise.all(holders);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("an abort while waiting rejects with the reason and gives up the place in line", async () => {
    const slots = new Slots(1);
    await slots.acquire();
    const controller = new AbortController();
    const reason = new Error("stop");
    const aborted = slots.acquire(controller.signal);
    const next = slots.acquire();
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    slots.release();
    await expect(next).resolves.toBeUndefined();
    await expect(slots.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
