/**
 * At most `limit` holders at once; the others wait, first come first served.
 *
 * The multiplexed strategy uses it for its detail reads: when thousands of runs fail
 * together, thousands of GetActionDetails at once only queue inside the connection (past
 * the server's stream limit) and inside both processes, where they cost memory and
 * collection time; a bounded number in flight finishes the same reads sooner.
 */
export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Waits for a slot; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.active++;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(grant);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      this.waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Gives a slot back, to the longest waiter if there is one. */
  release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
