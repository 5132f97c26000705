/**
 * Turns a follow loop that pushes each value through a callback into an async generator,
 * for `watch()`. The loop's next value waits until the consumer asks for it, so a slow
 * consumer slows the loop instead of queueing values.
 *
 * Stopping early (a `break` out of `for await`) releases the value the loop is waiting on,
 * and any later value it offers is refused, so the loop ends and its cleanup runs even
 * before the caller aborts its signal.
 */
export async function* pull<T>(
  follow: (deliver: (value: T) => Promise<void>) => Promise<void>,
): AsyncGenerator<T, void, undefined> {
  let offered: { readonly value: T; readonly taken: () => void } | undefined;
  let ended: { readonly error?: unknown | undefined; readonly failed: boolean } | undefined;
  let wake: (() => void) | undefined;
  const wakeConsumer = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let closed = false;
  follow((value) => {
    // The consumer is gone: end the loop here rather than hold it forever.
    if (closed) return Promise.reject(new Error("the watch was closed"));
    return new Promise<void>((taken) => {
      offered = { value, taken };
      wakeConsumer();
    });
  }).then(
    () => {
      ended = { failed: false };
      wakeConsumer();
    },
    (error: unknown) => {
      ended = { error, failed: true };
      wakeConsumer();
    },
  );
  // The `taken` of the value out with the consumer, released even if it never comes back.
  let out: (() => void) | undefined;
  try {
    for (;;) {
      if (offered !== undefined) {
        const { value, taken } = offered;
        offered = undefined;
        out = taken;
        yield value;
        out = undefined;
        taken();
        continue;
      }
      if (ended !== undefined) {
        if (ended.failed) throw ended.error;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    closed = true;
    out?.();
    offered?.taken();
  }
}
