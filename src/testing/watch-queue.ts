/**
 * A single-consumer queue that turns store callbacks into awaited values,
 * with an abort signal and an idle timeout, for the watch handlers.
 *
 * @module
 */

/** The result of {@link WatchQueue.next}. */
export type QueueResult<T> =
  | { readonly kind: "value"; readonly value: T }
  | { readonly kind: "aborted" }
  | { readonly kind: "idle" };

/** Values pushed by a producer, taken one at a time by one consumer. */
export class WatchQueue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;

  /** Adds a value; wakes the consumer. */
  push(value: T): void {
    this.items.push(value);
    this.wake?.();
  }

  /**
   * Takes up to `max` values that are already queued, without waiting; for handlers that
   * send a burst of changes as one message.
   */
  takeQueued(max: number): T[] {
    return this.items.splice(0, max);
  }

  /**
   * Takes the next value, waiting for one. Resolves `aborted` when `signal`
   * aborts first, and `idle` when `idleMs` passes first (if given).
   */
  async next(signal: AbortSignal, idleMs?: number): Promise<QueueResult<T>> {
    for (;;) {
      if (signal.aborted) return { kind: "aborted" };
      if (this.items.length > 0) return { kind: "value", value: this.items.shift() as T };
      const outcome = await new Promise<"wake" | "aborted" | "idle">((resolve) => {
        const onAbort = () => done("aborted");
        const timer = idleMs === undefined ? undefined : setTimeout(() => done("idle"), idleMs);
        const done = (why: "wake" | "aborted" | "idle") => {
          this.wake = undefined;
          signal.removeEventListener("abort", onAbort);
          if (timer !== undefined) clearTimeout(timer);
          resolve(why);
        };
        this.wake = () => done("wake");
        signal.addEventListener("abort", onAbort);
      });
      if (outcome === "aborted") return { kind: "aborted" };
      if (outcome === "idle") return { kind: "idle" };
    }
  }
}

/** Resolves when `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}
