/**
 * When an error gets its stack, and which one.
 *
 * An error built by user code captures the frames of the place that built it, as any
 * `Error` does. An error that describes a failure elsewhere (a task on the cluster, the
 * document a task wrote) gets none from its decoder, whose frames say nothing about that
 * failure; it gets the frames of the place that first throws it to user code instead.
 */

/** Greater than 0 while {@link describingRemoteFailure} runs. */
let remoteDepth = 0;
/** Errors built by {@link describingRemoteFailure} that have no stack yet. */
const awaitingStack = new WeakSet<Error>();

/**
 * Runs `build`, whose errors describe a failure that happened elsewhere. They get no
 * JavaScript stack of their own, because capturing them is the largest single cost of
 * decoding a payload. Their `stack` is the message until {@link captureStackAtThrow} gives
 * them the frames of the place that throws them.
 *
 * @internal For the decoders.
 */
export function describingRemoteFailure<T>(build: () => T): T {
  remoteDepth++;
  try {
    return build();
  } finally {
    remoteDepth--;
  }
}

/**
 * Gives an error from {@link describingRemoteFailure} the stack of the caller, the first
 * time it is thrown to user code, so `await run.wait()` rejects with the frames of `wait`
 * and of the caller's own async functions. Any other value is returned untouched.
 *
 * @internal For `wait()`, the one client method that throws a decoded failure.
 */
export function captureStackAtThrow<T>(error: T): T {
  const candidate = error as unknown as Error;
  if (typeof error === "object" && error !== null && awaitingStack.delete(candidate)) {
    defineStack(candidate, captureStackAtThrow);
  }
  return error;
}

/**
 * The stack of a newly built error: its message alone while a remote failure is being
 * described, else the frames above `cls`, formatted on first read.
 */
export function initialStack(error: Error, cls: unknown): void {
  if (remoteDepth > 0) {
    error.stack = error.message;
    awaitingStack.add(error);
  } else {
    defineStack(error, cls);
  }
}

/** Where a captured stack waits, unformatted, for its first read. */
const CAPTURED: unique symbol = Symbol("flyte-remote.captured-stack");

type Stacked = Error & { [CAPTURED]?: { stack?: unknown } | undefined };

/** Replaces the shared accessor with the text itself, once known. */
function settleStack(error: Stacked, value: unknown): void {
  Object.defineProperty(error, "stack", {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  error[CAPTURED] = undefined;
}

/**
 * The `stack` accessor of every error, shared. A fresh accessor per error would close over
 * the captured frames, and V8 keeps accessor pairs in its old generation: every error, and
 * all its closures reached, would then survive the next minor collection. Measured in a
 * decode loop, that made garbage collection three quarters of the cost.
 */
const STACK: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: Stacked): string {
    const captured = this[CAPTURED]?.stack;
    const text = typeof captured === "string" ? captured : "";
    const newline = text.indexOf("\n");
    const stack = newline === -1 ? this.message : this.message + text.slice(newline);
    settleStack(this, stack);
    return stack;
  },
  set(this: Stacked, value: unknown) {
    settleStack(this, value);
  },
};

/**
 * Captures the stack now and formats it on first read, headed by the message alone. V8
 * would head it with `${name}: ${message}`, repeating the name the message starts with;
 * rewriting that eagerly would format every stack, read or not, which costs more than
 * decoding the payload did.
 */
function defineStack(error: Stacked, cls: unknown): void {
  const frames: { stack?: unknown } = {};
  Error.captureStackTrace?.(frames, cls as (...args: unknown[]) => unknown);
  Object.defineProperty(error, CAPTURED, {
    value: frames,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(error, "stack", STACK);
}
