/**
 * Bounds for the infrastructure and regression suites: a promise that must settle within a
 * time, and a condition that must come true within one. Each fails with a message saying
 * what did not happen, instead of the test runner's anonymous timeout.
 */

import { isFlyteError, UnionRpcError } from "../../src/errors/index.js";

/** The value of `promise`, or a rejection naming `what` after `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every 20 ms until it holds, or fails naming `what` after `ms`. */
export async function until(ms: number, what: string, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How a promise settled. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What a promise settled with, without throwing. */
export async function settle<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A promise whose outcome can be read synchronously once it has settled. */
export interface Observed<T> {
  readonly outcome: Outcome<T> | undefined;
  readonly done: Promise<Outcome<T>>;
}

/** Starts observing `promise`; it never rejects unhandled. */
export function observe<T>(promise: Promise<T>): Observed<T> {
  const observed: { outcome: Outcome<T> | undefined; done: Promise<Outcome<T>> } = {
    outcome: undefined,
    done: settle(promise).then((outcome) => {
      observed.outcome = outcome;
      return outcome;
    }),
  };
  return observed;
}

/**
 * The RPC error behind a rejection: the error itself when it is a UnionRpcError, else the
 * UnionRpcError it wraps (createRun wraps its RPC errors as the Python SDK does).
 */
export function rpcErrorOf(error: unknown): UnionRpcError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined; depth++) {
    if (current instanceof UnionRpcError) return current;
    current = isFlyteError(current) || current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
