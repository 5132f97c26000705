/**
 * When an error gets its stack, and which one.
 *
 * An error built by user code captures the frames of the place that built it, as any
 * `Error` does. An error that describes a failure elsewhere (a task on the cluster, the
 * document a task wrote) gets none from its decoder, whose frames say nothing about that
 * failure; it gets the frames of the place that first throws it to user code instead.
 */

import { BRAND } from "./brand.js";

/** Greater than 0 while {@link describingRemoteFailure} runs. */
let remoteDepth = 0;

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
  if (awaitsStack(error)) defineStack(error, captureStackAtThrow);
  return error;
}

/**
 * True for one of our errors whose `stack` is still its message alone: the mark that
 * {@link initialStack} leaves on a remote failure. The mark is the stack itself, not an
 * entry in a WeakSet: a set of every decoded error cost a tenth of a decode, most of it in
 * the garbage collector. Only branded errors are looked at, and an error whose frames wait
 * behind the shared accessor below is not read, so its stack stays unformatted. The stack
 * V8 gave the error is read through the property: Node 20 shows it as a data property,
 * Node 22 and later as an accessor of their own. (An error of ours whose stack has no
 * frames because `Error.stackTraceLimit` was 0 also matches; it gets none again.)
 */
function awaitsStack(error: unknown): error is Error {
  if (typeof error !== "object" || error === null) return false;
  try {
    if (!(BRAND in error)) return false;
    const own = Object.getOwnPropertyDescriptor(error, "stack");
    if (own === undefined || own.get === STACK.get) return false;
    const stack = "value" in own ? own.value : (error as { stack?: unknown | undefined }).stack;
    return stack === (error as { message?: unknown | undefined }).message;
  } catch {
    // A proxy whose traps throw is not one of ours.
    return false;
  }
}

/**
 * The stack of a newly built error: its message alone while a remote failure is being
 * described, else the frames above `cls`, formatted on first read.
 */
export function initialStack(error: Error, cls: unknown): void {
  if (remoteDepth > 0) {
    error.stack = error.message;
  } else {
    defineStack(error, cls);
  }
}

/** Where a captured stack waits, unformatted, for its first read. */
const CAPTURED: unique symbol = Symbol("flyte-remote.captured-stack");

type Stacked = Error & { [CAPTURED]?: { stack?: unknown | undefined } | undefined };

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
  const frames: { stack?: unknown | undefined } = {};
  Error.captureStackTrace?.(frames, cls as (...args: unknown[]) => unknown);
  Object.defineProperty(error, CAPTURED, {
    value: frames,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(error, "stack", STACK);
}
