/**
 * User and system scopes: who is to blame for an exception that is not already typed.
 *
 * A `TypeError` says nothing about whether the user's callback or flyte-remote broke. The
 * scopes say it by where the throw happened, as flytekit's `user_entry_point` and
 * `system_entry_point` do: the client runs every user-supplied function (phase callbacks,
 * the polling-error hook, token providers) inside {@link userEntryPoint}, and its own entry
 * points inside {@link systemEntryPoint}. A Flyte error already says whose fault it is, so
 * it passes through both unchanged; that is also how a user error crosses the system scope
 * that encloses it.
 */

import { type AnyFlyteError, CustomError, isFlyteError } from "./any-flyte-error.js";
import { RuntimeSystemError } from "./runtime-error.js";
import { adoptFrames } from "./stack.js";
import { summarizeThrown } from "./thrown.js";

/** Any function; the scopes return one of the same type. */
// biome-ignore lint/suspicious/noExplicitAny: `any` parameters are what let every function signature fit.
type AnyFunction = (...args: any[]) => unknown;

/**
 * Classifies a throw from user-supplied code: a Flyte error passes through; anything else
 * becomes a CustomError of kind `"user"` with code `USER:<Name>` (the Error's class name, or
 * `NonErrorThrown`), the original as `cause`, and the original's frames as its stack.
 */
export function toUserError(thrown: unknown): AnyFlyteError {
  if (isFlyteError(thrown)) return thrown;
  const summary = summarizeThrown(thrown);
  const error = new CustomError({
    code: `USER:${summary.code}`,
    kind: "user",
    message: summary.message,
    cause: thrown,
    ...(summary.errors === undefined ? {} : { errors: summary.errors }),
  });
  adoptFrames(error, summary.frames);
  return error;
}

/**
 * Classifies an unexpected throw from flyte-remote's own code: a Flyte error passes through;
 * anything else becomes a RuntimeSystemError with code `SYSTEM:<Name>`, the original as
 * `cause`, not retryable (a bug does not go away by retrying).
 */
export function toSystemError(thrown: unknown): AnyFlyteError {
  if (isFlyteError(thrown)) return thrown;
  const summary = summarizeThrown(thrown);
  const error = new RuntimeSystemError({
    code: `SYSTEM:${summary.code}`,
    kind: "system",
    retryable: false,
    message: summary.message,
    cause: thrown,
    hint: "This looks like a bug in flyte-remote; report it with err.verboseMessage.",
  });
  adoptFrames(error, summary.frames);
  return error;
}

/**
 * Wraps a user-supplied function so that whatever it throws, or its promise rejects with,
 * is classified by {@link toUserError}. Sync functions stay sync; a returned thenable is
 * adopted into a Promise. `this` and the arguments are passed through.
 *
 * ```ts
 * const onPhase = userEntryPoint(options.onPhase);
 * onPhase(phase); // a TypeError inside becomes CustomError [USER:TypeError] (user)
 * ```
 */
export function userEntryPoint<F extends AnyFunction>(fn: F): F {
  return scoped(fn, toUserError);
}

/**
 * Wraps one of flyte-remote's own entry points so that an unexpected throw is classified by
 * {@link toSystemError}, while Flyte errors (including user errors from an inner
 * {@link userEntryPoint}) pass through.
 */
export function systemEntryPoint<F extends AnyFunction>(fn: F): F {
  return scoped(fn, toSystemError);
}

/** Calls `fn(...args)` at once inside a user scope; see {@link userEntryPoint}. */
export function runInUserScope<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
  return userEntryPoint(fn)(...args);
}

/** Calls `fn(...args)` at once inside a system scope; see {@link systemEntryPoint}. */
export function runInSystemScope<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
  return systemEntryPoint(fn)(...args);
}

function scoped<F extends AnyFunction>(fn: F, classify: (thrown: unknown) => AnyFlyteError): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = fn.apply(this, args);
      if (!isThenable(result)) return result;
    } catch (thrown) {
      throw classify(thrown);
    }
    return Promise.resolve(result).then(undefined, (thrown: unknown) => {
      throw classify(thrown);
    });
  };
  try {
    // Keep the name so stack traces and debuggers still show the user's function.
    Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
  } catch {
    // A function whose name cannot be read keeps the wrapper's.
  }
  return wrapped as F;
}

/** Reading `then` can itself throw (a hostile proxy); the caller's try classifies that. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown | undefined }).then === "function"
  );
}
