/**
 * The JSON form of a Flyte error, and its revival.
 *
 * Errors cross process and thread boundaries (worker threads, queues, logs, `structuredClone`)
 * where prototypes do not survive. The JSON form keeps everything needed to rebuild the same
 * class with the same fields, and nothing that could leak: secrets are scrubbed and the stack
 * is left out unless asked for.
 */

import { hasLineage } from "./brand.js";
import type { ErrorFields, ErrorKind, FieldError } from "./fields.js";
import { type JsonObject, type JsonValue, reviveJsonSafe, toJsonSafe } from "./json-safe.js";
import type { FlyteErrorName } from "./names.js";
import { redactSecrets } from "./redact.js";
import { isErrorLike, readCause, safeRead, safeString } from "./thrown.js";

/** Options of `FlyteError.toJSON`. */
export interface FlyteErrorJSONOptions {
  /** Include `stack` on the error and its causes. Off by default: stacks are for debugging. */
  stack?: boolean | undefined;
}

/**
 * The stable JSON shape of a Flyte error, as written by `err.toJSON()` and read by
 * `FlyteError.fromJSON`. Optional members are absent, never `undefined` or `null`.
 */
export interface FlyteErrorJSON {
  /** The class name; `fromJSON` revives that class. */
  readonly name: FlyteErrorName;
  readonly code: string;
  readonly kind: ErrorKind;
  /** The root-cause message (`err.rawMessage`), without the `Name [code] (kind):` prefix. */
  readonly message: string;
  readonly retryable: boolean;
  /** The platform's verdict (`err.recoverable`); absent when the payload did not say. */
  readonly recoverable?: boolean | undefined;
  readonly hint: string;
  readonly worker?: string | undefined;
  readonly attempts?: number | undefined;
  readonly traceId?: string | undefined;
  readonly fieldErrors?: readonly FieldError[] | undefined;
  /**
   * `err.details` made JSON-safe: bytes as `{ "$bytes": base64 }`, int64 as decimal
   * strings, secret-named values as `"[REDACTED]"`, cycles as `"[Circular]"`.
   */
  readonly details: JsonObject;
  /** SlowDownError, ResourceExhaustedError. */
  readonly retryAfterMs?: number | undefined;
  /** RunAbortedError, ActionAbortedError. */
  readonly reason?: string | undefined;
  /** RunAbortedError, ActionAbortedError. */
  readonly abortedBy?: string | undefined;
  /** UnionRpcError and subclasses. */
  readonly rpcCode?: number | undefined;
  /** UnionRpcError and subclasses. */
  readonly method?: string | undefined;
  /** RuntimeDataValidationError. */
  readonly var?: string | undefined;
  /** RuntimeDataValidationError. */
  readonly taskName?: string | undefined;
  /** InvalidPackageError. */
  readonly packageName?: string | undefined;
  /** InvalidPackageError. */
  readonly originalError?: string | undefined;
  /** CustomError built from an AggregateError: its errors. */
  readonly errors?: readonly CauseJSON[] | undefined;
  readonly cause?: CauseJSON | undefined;
  /** Only with `{ stack: true }`. */
  readonly stack?: string | undefined;
}

/** A cause that is an `Error` but not a Flyte error. */
export interface ForeignErrorJSON {
  readonly name: string;
  readonly message: string;
  /** A string `code` property, such as Node's `ECONNRESET`. */
  readonly code?: string | undefined;
  readonly errors?: readonly CauseJSON[] | undefined;
  readonly cause?: CauseJSON | undefined;
  readonly stack?: string | undefined;
}

/** A cause that is not an `Error` at all: a thrown string, number, object... */
export interface ThrownValueJSON {
  readonly thrown: JsonValue;
}

/** One link of the cause chain. */
export type CauseJSON = FlyteErrorJSON | ForeignErrorJSON | ThrownValueJSON;

const MAX_CAUSE_DEPTH = 16;
/** Causes with these names come back as the real class, so `instanceof TypeError` holds. */
const BUILTIN_ERRORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};
const KINDS: readonly string[] = ["user", "system", "unknown"];

/** The body of `FlyteError.prototype.toJSON`. */
export function serialiseError(error: ErrorFields, options: unknown): FlyteErrorJSON {
  const withStack =
    typeof options === "object" &&
    options !== null &&
    (options as FlyteErrorJSONOptions).stack === true;
  return serialiseFlyte(error, withStack, new Set(), 0);
}

function serialiseFlyte(
  error: ErrorFields,
  withStack: boolean,
  chain: Set<object>,
  depth: number,
): FlyteErrorJSON {
  chain.add(error);
  const fields = error as unknown as Record<string, unknown>;
  const details = toJsonSafe(error.details);
  const out: Record<string, unknown> = {
    name: error.name,
    code: error.code,
    kind: error.kind,
    message: redactSecrets(error.rawMessage),
    retryable: error.retryable,
  };
  if (typeof error.recoverable === "boolean") out.recoverable = error.recoverable;
  out.hint = redactSecrets(error.hint);
  copyString(out, fields, "worker");
  copyNumber(out, fields, "attempts");
  copyString(out, fields, "traceId");
  if (Array.isArray(error.fieldErrors)) {
    out.fieldErrors = error.fieldErrors.map((f) => ({
      field: String(f.field),
      message: redactSecrets(String(f.message)),
    }));
  }
  out.details = isJsonObject(details) ? details : { value: details };
  copyNumber(out, fields, "retryAfterMs");
  copyString(out, fields, "reason");
  copyString(out, fields, "abortedBy");
  copyNumber(out, fields, "rpcCode");
  copyString(out, fields, "method");
  copyString(out, fields, "var");
  copyString(out, fields, "taskName");
  copyString(out, fields, "packageName");
  copyString(out, fields, "originalError");
  if (Array.isArray(fields.errors)) {
    out.errors = fields.errors.map((e) => serialiseCause(e, withStack, chain, depth + 1));
  }
  const cause = readCause(error);
  if (cause.present) out.cause = serialiseCause(cause.value, withStack, chain, depth + 1);
  if (withStack && typeof error.stack === "string") out.stack = redactSecrets(error.stack);
  chain.delete(error);
  return out as unknown as FlyteErrorJSON;
}

function serialiseCause(
  value: unknown,
  withStack: boolean,
  chain: Set<object>,
  depth: number,
): CauseJSON {
  try {
    if (typeof value === "object" && value !== null) {
      if (chain.has(value)) return { name: "Circular", message: "[Circular cause]" };
      if (depth > MAX_CAUSE_DEPTH) return { name: "Truncated", message: "[Cause chain truncated]" };
      if (hasLineage(value, "FlyteError")) {
        return serialiseFlyte(value as ErrorFields, withStack, chain, depth);
      }
      if (isErrorLike(value)) return serialiseForeign(value, withStack, chain, depth);
    }
    return { thrown: toJsonSafe(value) };
  } catch {
    return { thrown: "[Unreadable]" };
  }
}

function serialiseForeign(
  error: Error,
  withStack: boolean,
  chain: Set<object>,
  depth: number,
): ForeignErrorJSON {
  chain.add(error);
  const fields = error as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {
    name: safeString(() => error.name) || "Error",
    message: redactSecrets(safeString(() => error.message)),
  };
  const code = safeRead(() => fields.code);
  if (typeof code === "string") out.code = code;
  const errors = safeRead(() => fields.errors);
  if (Array.isArray(errors))
    out.errors = errors.map((e) => serialiseCause(e, withStack, chain, depth + 1));
  const cause = readCause(error);
  if (cause.present) out.cause = serialiseCause(cause.value, withStack, chain, depth + 1);
  const stack = safeRead(() => error.stack);
  if (withStack && typeof stack === "string") out.stack = redactSecrets(stack);
  chain.delete(error);
  return out as unknown as ForeignErrorJSON;
}

/**
 * The concrete classes by name. The caller passes the table, rather than this file importing
 * the classes or asking the brand registry, so a tree-shaken bundle that can call `fromJSON`
 * keeps every class, and no class file depends on this one's reader.
 */
export type ErrorClasses = { readonly [name in FlyteErrorName]: { readonly prototype: object } };

/**
 * The body of `FlyteError.fromJSON`: revives the class named in `json` from `classes`, with
 * its fields and cause chain. An unknown name, or something that is not an error's JSON at
 * all, gives a RuntimeUnknownError that keeps the input in `details.json`. Never throws.
 *
 * @typeParam E - what the table's classes build: the union of every concrete class.
 */
export function reviveError<E extends Error>(json: unknown, classes: ErrorClasses, depth = 0): E {
  try {
    return reviveKnown<E>(json, classes, depth);
  } catch {
    return unknownFrom<E>(json, classes, {});
  }
}

/** What every revivable constructor accepts; each class ignores what it does not use. */
type RevivalOptions = Record<string, unknown>;
type Revivable<E> = new (options: RevivalOptions) => E;

function reviveKnown<E extends Error>(json: unknown, classes: ErrorClasses, depth: number): E {
  if (!isRecord(json)) return unknownFrom<E>(json, classes, {});
  const options: RevivalOptions = {};
  pickString(options, json, "message");
  pickString(options, json, "code");
  if (typeof json.kind === "string" && KINDS.includes(json.kind)) options.kind = json.kind;
  if (typeof json.retryable === "boolean") options.retryable = json.retryable;
  if (typeof json.recoverable === "boolean") options.recoverable = json.recoverable;
  pickString(options, json, "hint");
  pickString(options, json, "worker");
  pickNumber(options, json, "attempts");
  pickString(options, json, "traceId");
  if (Array.isArray(json.fieldErrors)) {
    options.fieldErrors = json.fieldErrors.filter(
      (f): f is FieldError =>
        isRecord(f) && typeof f.field === "string" && typeof f.message === "string",
    );
  }
  if (isRecord(json.details)) options.details = reviveJsonSafe(json.details);
  pickNumber(options, json, "retryAfterMs");
  pickString(options, json, "reason");
  pickString(options, json, "abortedBy");
  pickNumber(options, json, "rpcCode");
  pickString(options, json, "method");
  pickString(options, json, "taskName");
  // RuntimeDataValidationError requires `var` and `e`, InvalidPackageError `packageName` and
  // `originalError`; the message given above wins over what they would build.
  options.var = typeof json.var === "string" ? json.var : "";
  options.e = options.message ?? "";
  options.packageName = typeof json.packageName === "string" ? json.packageName : "";
  options.originalError = typeof json.originalError === "string" ? json.originalError : "";
  if (Array.isArray(json.errors)) {
    options.errors = json.errors.map((e) => reviveCause(e, classes, depth + 1));
  }
  if ("cause" in json && depth < MAX_CAUSE_DEPTH) {
    options.cause = reviveCause(json.cause, classes, depth + 1);
  }

  const name = json.name;
  const cls =
    typeof name === "string" && Object.hasOwn(classes, name)
      ? classes[name as FlyteErrorName]
      : undefined;
  if (cls === undefined) return unknownFrom<E>(json, classes, options);
  const error = new (cls as unknown as Revivable<E>)(options);
  setStack(error, typeof json.stack === "string" ? json.stack : error.message);
  return error;
}

function unknownFrom<E extends Error>(
  json: unknown,
  classes: ErrorClasses,
  options: RevivalOptions,
): E {
  const cls = classes.RuntimeUnknownError as unknown as Revivable<E>;
  const { var: _var, e: _e, packageName: _p, originalError: _o, ...rest } = options;
  const error = new cls({
    ...rest,
    message:
      typeof options.message === "string"
        ? options.message
        : "Could not revive a Flyte error from JSON; the input is kept in details.json.",
    details: { json: toJsonSafe(json) },
  });
  setStack(error, error.message);
  return error;
}

function reviveCause(value: unknown, classes: ErrorClasses, depth: number): unknown {
  if (!isRecord(value)) return value;
  if ("thrown" in value && Object.keys(value).length === 1) return reviveJsonSafe(value.thrown);
  if (
    typeof value.name === "string" &&
    typeof value.code === "string" &&
    typeof value.kind === "string" &&
    typeof value.retryable === "boolean"
  ) {
    return reviveError<Error>(value, classes, depth);
  }
  if (typeof value.name === "string" && typeof value.message === "string") {
    const Builtin =
      (Object.hasOwn(BUILTIN_ERRORS, value.name) && BUILTIN_ERRORS[value.name]) || Error;
    const error = new Builtin(
      value.message,
      "cause" in value && depth < MAX_CAUSE_DEPTH
        ? { cause: reviveCause(value.cause, classes, depth + 1) }
        : undefined,
    );
    Object.defineProperty(error, "name", { value: value.name, writable: true, configurable: true });
    if (typeof value.code === "string") Object.assign(error, { code: value.code });
    if (Array.isArray(value.errors)) {
      Object.assign(error, { errors: value.errors.map((e) => reviveCause(e, classes, depth + 1)) });
    }
    setStack(
      error,
      typeof value.stack === "string" ? value.stack : `${value.name}: ${value.message}`,
    );
    return error;
  }
  return reviveJsonSafe(value);
}

/** A revived error's own stack would point into this file; the original's, or none, is truer. */
function setStack(error: Error, stack: string): void {
  try {
    Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true });
  } catch {
    // A frozen error keeps the stack it has.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function copyString(
  out: Record<string, unknown>,
  from: Record<string, unknown>,
  key: string,
): void {
  const value = from[key];
  if (typeof value === "string") out[key] = redactSecrets(value);
}

function copyNumber(
  out: Record<string, unknown>,
  from: Record<string, unknown>,
  key: string,
): void {
  const value = from[key];
  if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
}

function pickString(out: RevivalOptions, from: Record<string, unknown>, key: string): void {
  if (typeof from[key] === "string") out[key] = from[key];
}

function pickNumber(out: RevivalOptions, from: Record<string, unknown>, key: string): void {
  const value = from[key];
  if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
}
