/**
 * The fields every Flyte error has, as plain types.
 *
 * The classes implement them; the serialisers (JSON, problem details, the terminal view)
 * read them through {@link ErrorFields}, so none of them needs to import a class.
 */

import type { FlyteErrorName } from "./names.js";

/** Whose fault a failure is. `"unknown"` when the payload did not say. */
export type ErrorKind = "user" | "system" | "unknown";

/** A request field that the server rejected, from `google.rpc.BadRequest`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * The raw evidence behind an error: the decoded proto message, RPC metadata with secrets
 * redacted, `google.rpc` details, or whatever else the decoder saw. Values are kept as they
 * came, so a caller can always get back to the payload.
 */
export type FlyteErrorDetails = { readonly [key: string]: unknown };

/** Options every Flyte error accepts; each class documents its defaults. */
export interface FlyteErrorOptions {
  /**
   * The root-cause message, without the `Name [code] (kind):` prefix. Kept as given, up to
   * `MAX_MESSAGE_LENGTH` characters; absent or empty, `message` says the class's default.
   */
  message?: string | undefined;
  /** Machine-readable code; defaults per class. */
  code?: string | undefined;
  /**
   * Overrides the kind of the class family when the payload states its own attribution,
   * for example a preempted task is a TaskInterruptedError with kind `"system"`.
   */
  kind?: ErrorKind | undefined;
  /** The pod, host or cluster that reported the failure. */
  worker?: string | undefined;
  /** How many attempts the action made. */
  attempts?: number | undefined;
  /** Overrides the class default when the payload says better. */
  retryable?: boolean | undefined;
  /**
   * The platform's own verdict, when the payload carried one: `true` when the task's retry
   * budget applies (ContainerError RECOVERABLE), `false` when the task declared the failure
   * final (NON_RECOVERABLE). Not the same as {@link FlyteErrorOptions.retryable}.
   */
  recoverable?: boolean | undefined;
  /** The error that caused this one; becomes the native `cause`. */
  cause?: unknown | undefined;
  details?: FlyteErrorDetails | undefined;
  fieldErrors?: readonly FieldError[] | undefined;
  /** Trace or request id, when the server sent one. */
  traceId?: string | undefined;
  /** Overrides the class hint. */
  hint?: string | undefined;
}

/**
 * What the serialisers read of an error: the common fields. Class fields (`retryAfterMs`,
 * `reason`, `rpcCode`, ...) are read by name, since each class adds its own.
 */
export interface ErrorFields {
  readonly name: FlyteErrorName;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly kind: ErrorKind;
  readonly code: string;
  readonly rawMessage: string;
  readonly retryable: boolean;
  readonly recoverable?: boolean | undefined;
  readonly hint: string;
  readonly details: FlyteErrorDetails;
  readonly worker?: string | undefined;
  readonly attempts?: number | undefined;
  readonly fieldErrors?: readonly FieldError[] | undefined;
  readonly traceId?: string | undefined;
}
