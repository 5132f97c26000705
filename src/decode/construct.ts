/**
 * Builds an error whose message came from the server, without ever throwing.
 *
 * An error constructor scrubs its message for secrets, and the message can be megabytes of
 * whatever a task printed; should that scrubbing give up on some input (a regular
 * expression running out of stack, say), a decoder must still return an error. The retry
 * keeps the class and every other field and shortens only the message; the full text stays
 * in the payload kept in `details`.
 */

import type { AnyFlyteError, FlyteError, FlyteErrorOptions } from "../errors/failure.js";

/** How much of a message is kept when the whole of it could not be used. */
const SHORT_MESSAGE = 4096;

/** `new ctor(options)`, else the same with a shortened message, else with the class default. */
export function construct<O extends FlyteErrorOptions>(
  ctor: new (options: O) => FlyteError,
  options: O,
): AnyFlyteError {
  try {
    return new ctor(options) as AnyFlyteError;
  } catch {
    const text = options.message ?? "";
    const details = { ...options.details, messageTruncated: true };
    try {
      return new ctor({
        ...options,
        message: `${text.slice(0, SHORT_MESSAGE)}… (${text.length} characters; the full text is in details)`,
        details,
      }) as AnyFlyteError;
    } catch {
      const { message: _dropped, ...rest } = options;
      return new ctor({ ...rest, details } as unknown as O) as AnyFlyteError;
    }
  }
}
