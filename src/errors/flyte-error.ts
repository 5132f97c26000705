/**
 * The abstract base of every error flyte-remote raises.
 *
 * The hierarchy mirrors `flyte.errors` of the Python SDK so that `instanceof RuntimeUserError`
 * means what it means there, and adds what a TypeScript caller needs on top: a `name` literal
 * per class for `switch` narrowing, a `kind` that says whose fault it is, a `retryable`
 * verdict, a one-line `hint`, and `details` that keep the raw payload so nothing the server
 * said is lost. Serialisation lives in sibling files, which read the fields declared here
 * and import no class.
 *
 * This folder imports nothing from the rest of the package, so a browser or a worker can
 * use it alone.
 */

import { brandRoot, type ClassMeta, hasBrand, META } from "./brand.js";
import type {
  ErrorFields,
  ErrorKind,
  FieldError,
  FlyteErrorDetails,
  FlyteErrorOptions,
} from "./fields.js";
import { INSPECT, renderInspect, renderVerbose } from "./inspect.js";
import { type FlyteErrorJSON, type FlyteErrorJSONOptions, serialiseError } from "./json.js";
import { boundedMessage } from "./message-length.js";
import type { FlyteErrorName } from "./names.js";
import {
  type ProblemDetails,
  type ProblemDetailsOptions,
  problemDetailsOf,
} from "./problem-details.js";
import { redactSecrets } from "./redact.js";
import { initialStack } from "./remote-stack.js";

/**
 * The abstract base of every error flyte-remote raises.
 *
 * Check for it with `isFlyteError` or `instanceof FlyteError`; both work across two copies
 * of the package and across `node:vm` realms, because they test a registered brand instead
 * of prototype identity. Revive one from its JSON with `FlyteError.fromJSON`.
 */
export abstract class FlyteError extends Error implements ErrorFields {
  /** The class name, as a literal type per class, so `switch (err.name)` narrows. */
  abstract override readonly name: FlyteErrorName;
  readonly kind: ErrorKind;
  readonly code: string;
  readonly worker?: string | undefined;
  readonly attempts?: number | undefined;
  /** Could the same request succeed later, unchanged? */
  readonly retryable: boolean;
  /**
   * The platform's verdict, when the payload carried one: `true` when the task's retry
   * budget applies (ContainerError RECOVERABLE), `false` when the failure was declared final
   * (NON_RECOVERABLE, which only `NonRecoverableError` writes). `undefined` when the payload
   * did not say. It answers a different question than {@link FlyteError.retryable}.
   */
  readonly recoverable?: boolean | undefined;
  /** One short, actionable sentence about what to do. */
  readonly hint: string;
  readonly details: FlyteErrorDetails;
  readonly fieldErrors?: readonly FieldError[] | undefined;
  readonly traceId?: string | undefined;
  /**
   * The root-cause text alone, as the payload or the caller gave it (secrets scrubbed, cut
   * at `MAX_MESSAGE_LENGTH`), without the `Name [code] (kind):` prefix. Empty when there was
   * none: the class's default sentence goes into `message` only.
   */
  readonly rawMessage: string;

  protected constructor(options: FlyteErrorOptions = {}) {
    const meta = (new.target as unknown as { [META]: ClassMeta })[META];
    const name = (new.target.prototype as Error).name;
    // Messages end up in logs and problem details; a token quoted by a server must not.
    const rawMessage = boundedMessage(options.message ?? "", redactSecrets);
    const code = options.code ?? meta.code;
    const kind = options.kind ?? meta.kind;
    // The stack is captured once, in initialStack, where its first line can be the message
    // itself; Error's own capture would be thrown away, and capturing is most of what an
    // error costs to build.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(
        `${name} [${code}] (${kind}): ${rawMessage === "" ? meta.defaultMessage : rawMessage}`,
        options.cause === undefined ? undefined : { cause: options.cause },
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.rawMessage = rawMessage;
    this.code = code;
    this.kind = kind;
    this.retryable = options.retryable ?? meta.retryable;
    this.hint = options.hint ?? meta.hint;
    this.details = options.details ?? {};
    if (options.recoverable !== undefined) this.recoverable = options.recoverable;
    if (options.worker !== undefined) this.worker = options.worker;
    if (options.attempts !== undefined) this.attempts = options.attempts;
    if (options.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
    if (options.traceId !== undefined) this.traceId = options.traceId;
    initialStack(this, new.target);
  }

  /**
   * The stable JSON form, documented on {@link FlyteErrorJSON}: fields, JSON-safe details,
   * the cause chain, no secrets, and no stack unless `{ stack: true }`. `JSON.stringify(err)`
   * calls it. Revive with `FlyteError.fromJSON`.
   */
  toJSON(options?: FlyteErrorJSONOptions): FlyteErrorJSON {
    // JSON.stringify passes the property key as the first argument; serialiseError ignores it.
    return serialiseError(this, options);
  }

  /**
   * An RFC 9457 problem details object: a `type` URI per class, `title`, `status` (see
   * `httpStatusOf`), `detail`, `instance`, plus `code`, `kind`, `worker`, `attempts`,
   * `retryable`, `recoverable`, `hint`, `retryAfter` (seconds), `fieldErrors` and `traceId`.
   */
  toProblemDetails(options?: ProblemDetailsOptions): ProblemDetails {
    return problemDetailsOf(this, options);
  }

  /**
   * The message, the cause chain and the frames of the original throw. For a user error,
   * flyte-remote's own frames are trimmed so the user's code comes first.
   */
  get verboseMessage(): string {
    return renderVerbose(this);
  }

  /** The message alone: it already starts with the name, so `Name: ` is not repeated. */
  override toString(): string {
    return this.message;
  }

  /** What `console.log` and `util.inspect` show: essentials, cause chain, then frames. */
  [INSPECT](depth?: number): string {
    return renderInspect(this, depth);
  }

  /** Brand checks instead of prototype identity; see `isFlyteError`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  static {
    brandRoot(this, "FlyteError");
  }
}
