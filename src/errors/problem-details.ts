/**
 * RFC 9457 problem details for Flyte errors.
 *
 * A service that launches Flyte runs on behalf of its own callers needs to pass failures on
 * over HTTP. Problem details give each class a stable `type` URI and an HTTP status, and
 * carry the Flyte specifics (code, kind, retryable, hint) as extension members, so a caller
 * can react without parsing text. Secrets are scrubbed; `details` are left out unless asked.
 */

import { type ClassMeta, lookupClass, metaOf } from "./brand.js";
import type { ErrorFields, ErrorKind, FieldError } from "./fields.js";
import { type JsonObject, toJsonSafe } from "./json-safe.js";
import { redactSecrets } from "./redact.js";

/** The default base of every problem `type` URI. */
export const DEFAULT_PROBLEM_TYPE_BASE = "https://flyte-remote.dev/errors";

/** Options of `FlyteError.toProblemDetails`. */
export interface ProblemDetailsOptions {
  /** Base of the `type` URI; defaults to {@link DEFAULT_PROBLEM_TYPE_BASE}. */
  typeBase?: string | undefined;
  /** The `instance` member: a URI for this occurrence, such as the run's URL. */
  instance?: string | undefined;
  /** Add `details` (JSON-safe and redacted). Off by default: payloads can be large. */
  includeDetails?: boolean | undefined;
}

/** An RFC 9457 problem details object, with Flyte's extension members. */
export interface ProblemDetails {
  /** A stable URI per class, such as `https://flyte-remote.dev/errors/oom-error`. */
  readonly type: string;
  /** The same for every occurrence of the class. */
  readonly title: string;
  /** See `httpStatusOf`. */
  readonly status: number;
  /** This occurrence: the error's root-cause message. */
  readonly detail: string;
  readonly instance?: string | undefined;
  readonly code: string;
  readonly kind: ErrorKind;
  readonly worker?: string | undefined;
  readonly attempts?: number | undefined;
  readonly retryable: boolean;
  /** The platform's verdict (`err.recoverable`); absent when the payload did not say. */
  readonly recoverable?: boolean | undefined;
  readonly hint: string;
  /** Seconds to wait before retrying, rounded up from `retryAfterMs`. */
  readonly retryAfter?: number | undefined;
  readonly fieldErrors?: readonly FieldError[] | undefined;
  readonly traceId?: string | undefined;
  /** Only with `includeDetails`. */
  readonly details?: JsonObject | undefined;
}

/**
 * The HTTP status a Flyte error maps to: the class's own (user failures 422, timeout 504,
 * aborts 409, not found 404, slow-down 429, authentication 401, permission 403, the system
 * family 502, unknown and initialisation 500), except that a UnionRpcError with code
 * `UNAVAILABLE` gives 503 and one with `DEADLINE_EXCEEDED` gives 504.
 */
export function httpStatusOf(error: ErrorFields): number {
  const meta = classMeta(error);
  if (meta === undefined) return 500;
  if (meta.name === "UnionRpcError") {
    // A gateway that cannot reach Flyte is unavailable or timed out, not broken.
    if (error.code === "UNAVAILABLE") return 503;
    if (error.code === "DEADLINE_EXCEEDED") return 504;
  }
  return meta.status;
}

/** `OOMError` becomes `oom-error`, `InlineIOMaxBytesBreached` `inline-io-max-bytes-breached`. */
export function problemSlug(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** The body of `FlyteError.prototype.toProblemDetails`. */
export function problemDetailsOf(
  error: ErrorFields,
  options: ProblemDetailsOptions = {},
): ProblemDetails {
  const meta = classMeta(error);
  const base = (options.typeBase ?? DEFAULT_PROBLEM_TYPE_BASE).replace(/\/+$/, "");
  const fields = error as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: `${base}/${problemSlug(meta?.name ?? error.name)}`,
    title: (meta?.defaultMessage ?? error.name).replace(/\.$/, ""),
    status: httpStatusOf(error),
    // The root cause, or the class's sentence when there was none: `detail` is for people.
    detail: redactSecrets(
      error.rawMessage === "" ? (meta?.defaultMessage ?? "") : error.rawMessage,
    ),
  };
  if (options.instance !== undefined) out.instance = options.instance;
  out.code = error.code;
  out.kind = error.kind;
  if (typeof error.worker === "string") out.worker = error.worker;
  if (typeof error.attempts === "number") out.attempts = error.attempts;
  out.retryable = error.retryable;
  if (typeof error.recoverable === "boolean") out.recoverable = error.recoverable;
  out.hint = redactSecrets(error.hint);
  const retryAfterMs = fields.retryAfterMs;
  if (typeof retryAfterMs === "number" && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    out.retryAfter = Math.ceil(retryAfterMs / 1000);
  }
  if (Array.isArray(error.fieldErrors)) {
    out.fieldErrors = error.fieldErrors.map((f) => ({
      field: String(f.field),
      message: redactSecrets(String(f.message)),
    }));
  }
  if (typeof error.traceId === "string") out.traceId = error.traceId;
  if (options.includeDetails === true) {
    const details = toJsonSafe(error.details);
    out.details =
      typeof details === "object" && details !== null && !Array.isArray(details)
        ? details
        : { value: details };
  }
  return out as unknown as ProblemDetails;
}

/** The defaults of the error's class, found through its constructor or, failing that, its name. */
function classMeta(error: ErrorFields): ClassMeta | undefined {
  try {
    const meta = metaOf((error as { constructor: { prototype: object } }).constructor);
    if (meta !== undefined) return meta;
  } catch {
    // Fall through to the registry.
  }
  const cls = lookupClass(error.name);
  return cls === undefined ? undefined : metaOf(cls);
}
