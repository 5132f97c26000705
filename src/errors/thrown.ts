/**
 * Reading arbitrary thrown values without being hurt by them.
 *
 * JavaScript can throw anything: strings, `undefined`, symbols, objects whose `toString`
 * throws, proxies that throw from every trap, errors from another realm. Everything that
 * turns a thrown value into a typed error goes through here, and nothing here throws.
 */

import { boundedMessage } from "./message-length.js";
import { framesOf } from "./stack.js";

/** The code of a {@link CustomError} built from something that is not an `Error`. */
export const NON_ERROR_THROWN = "NonErrorThrown";

const MAX_PREVIEW = 200;

/** What `CustomError.fromException` and the scopes need to know about a thrown value. */
export interface ThrownSummary {
  /** The class name of an Error, or `NonErrorThrown`. */
  readonly code: string;
  /**
   * An Error's own message, empty when it had none; for anything else, a readable sentence
   * about the value.
   */
  readonly message: string;
  /** The Error's stack frames, header removed; empty for non-Errors. */
  readonly frames: readonly string[];
  /** An AggregateError's errors. */
  readonly errors?: readonly unknown[] | undefined;
}

/** Summarises any thrown value; see `CustomError.fromException` for the rules. Never throws. */
export function summarizeThrown(thrown: unknown): ThrownSummary {
  if (!isErrorLike(thrown)) {
    // The error's constructor bounds the message, so the text goes in whole.
    return { code: NON_ERROR_THROWN, message: describeThrown(thrown, false), frames: [] };
  }
  const code = errorClassName(thrown);
  const message = safeString(() => thrown.message);
  const errors = safeRead(() => (thrown as { errors?: unknown | undefined }).errors);
  return {
    code,
    message,
    frames: framesOf(safeRead(() => thrown.stack)),
    ...(Array.isArray(errors) ? { errors: [...errors] } : {}),
  };
}

/**
 * The class name of an Error: `constructor.name`, else `name`. A plain `Error` whose `name`
 * was set (a revived `ValueError`, an `AbortError`) reports that name, which says more.
 */
export function errorClassName(error: Error): string {
  const ctor = safeRead(() => (error as { constructor?: unknown | undefined }).constructor);
  const ctorName = typeof ctor === "function" ? safeRead(() => ctor.name) : undefined;
  const name = safeRead(() => error.name);
  if (typeof ctorName === "string" && ctorName !== "" && ctorName !== "Error") return ctorName;
  if (typeof name === "string" && name !== "") return name;
  return typeof ctorName === "string" && ctorName !== "" ? ctorName : "Error";
}

/**
 * A readable, non-empty sentence about a thrown value that is not an Error. Its text is cut
 * at MAX_MESSAGE_LENGTH unless `bound` is false.
 */
export function describeThrown(value: unknown, bound = true): string {
  const text = (s: string): string => (bound ? bounded(s) : s);
  switch (typeof value) {
    case "string":
      return value === "" ? "An empty string was thrown." : text(value);
    case "number":
    case "boolean":
      return `The ${typeof value} ${String(value)} was thrown.`;
    case "bigint":
      return `The bigint ${value.toString()}n was thrown.`;
    case "symbol":
      return `The symbol ${value.toString()} was thrown.`;
    case "undefined":
      return "undefined was thrown.";
    case "function": {
      const name = safeRead(() => value.name);
      return typeof name === "string" && name !== ""
        ? `The function ${name} was thrown.`
        : "An anonymous function was thrown.";
    }
  }
  if (value === null) return "null was thrown.";
  const label = safeRead(() => Array.isArray(value)) === true ? "array" : "object";
  const message = safeRead(() => (value as { message?: unknown | undefined }).message);
  if (typeof message === "string" && message !== "") {
    return `A non-Error ${label} was thrown: ${text(message)}`;
  }
  return `A non-Error ${label} was thrown: ${preview(value as object)}`;
}

/** A short JSON-ish preview of an object that never calls its own methods. */
function preview(value: object): string {
  try {
    const keys = Object.keys(value);
    const parts: string[] = [];
    for (const key of keys.slice(0, 8)) {
      const item = safeRead(() => (value as Record<string, unknown>)[key]);
      parts.push(`${key}: ${shortValue(item)}`);
    }
    if (keys.length > 8) parts.push("…");
    return truncate(
      Array.isArray(value) ? `[${parts.length} items]` : `{ ${parts.join(", ")} }`,
      MAX_PREVIEW,
    );
  } catch {
    return "[unreadable object]";
  }
}

function shortValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(truncate(value, 40));
    case "bigint":
      return `${value.toString()}n`;
    case "symbol":
      return value.toString();
    case "function":
      return "[Function]";
    case "object":
      return value === null ? "null" : Array.isArray(value) ? "[Array]" : "[Object]";
    default:
      return String(value);
  }
}

/** The one message limit; errors scrub their messages themselves. */
function bounded(text: string): string {
  return boundedMessage(text, (head) => head);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** True for an Error from any realm, without trusting `instanceof` alone, and never throwing. */
export function isErrorLike(value: unknown): value is Error {
  if (typeof value !== "object" || value === null) return false;
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
  } catch {
    return false;
  }
}

/** Reads `cause` without tripping a throwing getter; `present` is false when there is none. */
export function readCause(error: object): { present: boolean; value: unknown } {
  try {
    if (!("cause" in error)) return { present: false, value: undefined };
    const value = (error as { cause?: unknown | undefined }).cause;
    return { present: value !== undefined, value };
  } catch {
    return { present: true, value: "[Unreadable]" };
  }
}

/** Runs a read that may throw (getter, proxy trap); gives `undefined` if it did. */
export function safeRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Like {@link safeRead}, converted to a string without trusting the value's `toString`. */
export function safeString(read: () => unknown): string {
  const value = safeRead(read);
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  try {
    return String(value);
  } catch {
    return "[Unreadable]";
  }
}
