/**
 * Whatever a RunService call threw becomes a typed Flyte error: a ConnectError from any of
 * the three protocols, a Node network error, an AbortError or TimeoutError, or anything
 * else a transport or interceptor can throw.
 *
 * Everything copied into the error is made safe first: metadata is redacted, and text that
 * a server or proxy wrote is scrubbed of credentials, because a server may echo what it
 * was sent.
 */

import { Code, ConnectError } from "@connectrpc/connect";
import {
  ActionNotFoundError,
  type AnyFlyteError,
  AuthenticationError,
  type FieldError,
  type FlyteErrorDetails,
  isFlyteError,
  PermissionDeniedError,
  ResourceExhaustedError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  SlowDownError,
  UnionRpcError,
} from "../errors/failure.js";
import { InlineIOMaxBytesBreached } from "../errors/index.js";
import { isCallerAbort } from "./caller-abort.js";
import { construct } from "./construct.js";
import {
  findFetchFailure,
  findNetworkFailure,
  isTlsCertificateCode,
  type NetworkFailure,
} from "./network-error.js";
import {
  findNonProtobufReply,
  type HttpReplySnapshot,
  type NonProtobufReply,
} from "./proxy-reply.js";
import { needsRedaction, redactHeaders, redactMetadata } from "./redact-metadata.js";
import { isRequestTooLarge } from "./request-too-large.js";
import { parseRetryAfter, retryInfoDelayMs } from "./retry-after.js";
import { rpcCodeName } from "./rpc-code.js";
import { decodeRpcDetails } from "./rpc-details.js";
import { CREATE_RUN_HINTS, foreignReplyHint, networkHint, rpcHint } from "./rpc-hints.js";
import { scrubSecrets } from "./scrub-secrets.js";
import { statusFromHeaders } from "./status-in-headers.js";
import { unreadableMessage } from "./unreadable-message.js";

/** What the caller knows about the call that failed. */
export interface RpcErrorContext {
  /** The RPC method, for example `WatchActionDetails`; it prefixes messages. */
  method?: string | undefined;
  /** Selects the create-run table, and is kept in `details`. */
  operation?: "createRun" | "read" | "watch" | "abort" | undefined;
  /** Named in NOT_FOUND and create-run messages. */
  runName?: string | undefined;
  actionName?: string | undefined;
  /**
   * The caller's own signal. When it is aborted and the error is its consequence,
   * {@link decodeRpcError} throws `signal.reason` instead of returning an error.
   */
  signal?: AbortSignal | undefined;
  /**
   * Exact strings that must never be copied into the error, typically the client's own
   * token; matched also in percent-encoded form. Credential headers and credential-looking
   * text are redacted without this.
   */
  secrets?: readonly string[] | undefined;
  /**
   * What the transport captured of a reply that was not protobuf (status, content type,
   * body), so the message can quote the proxy's page. Connect-ES does not keep bodies.
   */
  response?: HttpReplySnapshot | undefined;
}

/**
 * The typed error for a failed RPC.
 *
 * | outcome | class | code | kind | retryable |
 * | --- | --- | --- | --- | --- |
 * | a FlyteError | returned unchanged | | | |
 * | CANCELED or AbortError caused by `context.signal` | **throws `signal.reason`** | | | |
 * | Node network error anywhere in the cause chain, or an HTTP/2 stream reset by the peer | UnionRpcError | `UNAVAILABLE` | system | yes |
 * | reply that is not protobuf (HTML 502, wrong content type, broken envelope) | UnionRpcError quoting the HTTP status and the body's first 200 characters; AuthenticationError for 401, PermissionDeniedError for 403, ResourceExhaustedError for 429 | the Connect code | system | yes, except 404, 405, 501 |
 * | NOT_FOUND | ActionNotFoundError naming the run or action | `NOT_FOUND` | user | no |
 * | RESOURCE_EXHAUSTED | ResourceExhaustedError (a SlowDownError), `retryAfterMs` from RetryInfo else `Retry-After` | `RESOURCE_EXHAUSTED` | system | yes |
 * | UNAUTHENTICATED | AuthenticationError | `UNAUTHENTICATED` | user | no |
 * | PERMISSION_DENIED | PermissionDeniedError | `PERMISSION_DENIED` | user | no |
 * | INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE | UnionRpcError | the name | user | no |
 * | UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, INTERNAL, CANCELED | UnionRpcError | the name | system | yes |
 * | UNKNOWN, DATA_LOSS, UNIMPLEMENTED | UnionRpcError | the name | system | no |
 * | AbortError / TimeoutError not caused by the signal | UnionRpcError | `CANCELED` / `DEADLINE_EXCEEDED` | system | yes |
 * | anything else | RuntimeUnknownError, the value as `cause` | `Unknown` | unknown | no |
 *
 * With `operation: "createRun"` the result is then wrapped as the Python SDK does:
 * INVALID_ARGUMENT gives RuntimeUserError code `InvalidArgumentError`, ALREADY_EXISTS
 * RuntimeUserError `RunAlreadyExistsError`, UNAVAILABLE RuntimeSystemError
 * `SystemUnavailableError` (retryable), anything else RuntimeSystemError `RunCreationError`
 * (retryable as the RPC error); the RPC error is the `cause` of each. AuthenticationError,
 * PermissionDeniedError, SlowDownError and ActionNotFoundError are not wrapped, except a
 * RESOURCE_EXHAUSTED that says the request was too large ("larger than max"): that is
 * InlineIOMaxBytesBreached, not retryable, with the SlowDownError as its cause.
 *
 * The hint follows the RPC code and the evidence (rpc-hints.ts), not the class.
 *
 * `details` holds `rpcCode`, `method`, `operation`, `serverMessage`, `metadata` (redacted),
 * `rpcDetails` (every google.rpc detail: proto3 JSON, or raw bytes when it did not decode)
 * and each known detail by name (`errorInfo`, `retryInfo`, `badRequest`,
 * `localizedMessage`, `debugInfo`, `quotaFailure`, `resourceInfo`, `preconditionFailure`,
 * `requestInfo`, `help`). The message prefers LocalizedMessage; BadRequest gives
 * `fieldErrors`; `traceId` comes from RequestInfo, else `x-request-id` or `traceparent`.
 * The `cause` is the original error, or a copy of the ConnectError with the same code,
 * details and stack whose message and metadata are redacted, when they held secrets.
 *
 * Returns an error for every input; the one deliberate throw is the caller's own abort
 * reason, so `throw decodeRpcError(e, ctx)` in a catch block does the right thing either
 * way. Use {@link isCallerAbort} first to branch without relying on the throw.
 */
export function decodeRpcError(error: unknown, context: RpcErrorContext = {}): AnyFlyteError {
  if (isFlyteError(error)) return error;
  if (isCallerAbort(error, context.signal)) {
    const reason: unknown = context.signal?.reason;
    throw reason === undefined ? error : reason;
  }
  let decoded: AnyFlyteError;
  try {
    decoded = decodeFailure(error, context);
  } catch (e) {
    decoded = unknownFailure(error, context, e);
  }
  if (context.operation !== "createRun") return decoded;
  try {
    return forCreateRun(decoded, context);
  } catch {
    return decoded;
  }
}

function decodeFailure(error: unknown, context: RpcErrorContext): AnyFlyteError {
  const status = statusFromHeaders(error);
  if (status !== undefined) return fromConnectError(status, context);
  const network = findNetworkFailure(error) ?? peerReset(error);
  if (network !== undefined) return fromNetworkFailure(error, network, context);
  const unreadable = unreadableMessage(error);
  if (unreadable !== undefined) return fromUnreadable(error as ConnectError, unreadable, context);
  const reply = findNonProtobufReply(error, context.response);
  if (reply !== undefined) return fromForeignReply(error, reply, context);
  const fetchFailure = findFetchFailure(error);
  if (fetchFailure !== undefined) return fromNetworkFailure(error, fetchFailure, context);
  if (error instanceof ConnectError) return fromConnectError(error, context);
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    const code = error.name === "AbortError" ? Code.Canceled : Code.DeadlineExceeded;
    return construct(UnionRpcError, {
      code: rpcCodeName(code),
      rpcCode: code,
      kind: "system",
      retryable: true,
      ...methodOf(context),
      message: say(context, scrub(context, error.message) || error.name),
      ...hinted(rpcHint(code)),
      cause: error,
      details: baseDetails(context, code),
    });
  }
  return unknownFailure(error, context);
}

/** connect-node reports a peer that dropped the HTTP/2 connection as a CANCEL reset. */
function peerReset(error: unknown): NetworkFailure | undefined {
  if (!(error instanceof ConnectError) || error.isWireError) return undefined;
  if (!error.rawMessage.startsWith("http/2 stream closed with error code CANCEL")) return undefined;
  return { code: "ERR_HTTP2_STREAM_CANCEL", message: error.rawMessage };
}

function fromNetworkFailure(
  error: unknown,
  network: NetworkFailure,
  context: RpcErrorContext,
): AnyFlyteError {
  const transportCode = error instanceof ConnectError ? error.code : undefined;
  // A certificate the client does not trust is a configuration problem: the same call
  // fails the same way until the trust settings change.
  const tls = isTlsCertificateCode(network.code);
  if (network.code === "ENOTFOUND") return hostNotFound(error, network, context, transportCode);
  return construct(UnionRpcError, {
    code: "UNAVAILABLE",
    rpcCode: Code.Unavailable,
    kind: tls ? "user" : "system",
    retryable: !tls,
    hint: networkHint(network.code),
    ...(tls
      ? {
          hint: "The server's TLS certificate is not trusted: pass createClient({ tls: { caCertFile } }) (admin.caCertFilePath in the Flyte config) for a private CA, or insecureSkipVerify for a test cluster only.",
        }
      : {}),
    ...methodOf(context),
    message: say(
      context,
      tls
        ? `the server's TLS certificate was rejected (${network.code}): ${scrub(context, network.message)}`
        : `the connection failed (${network.code}): ${scrub(context, network.message)}`,
    ),
    cause: safeCause(error, context),
    details: {
      ...baseDetails(context, Code.Unavailable),
      network: { ...network, message: scrub(context, network.message) },
      ...(transportCode === undefined ? {} : { transportCode: rpcCodeName(transportCode) }),
    },
  });
}

/** A reply message the client could not read; see unreadable-message.ts. */
function fromUnreadable(
  error: ConnectError,
  complaint: string,
  context: RpcErrorContext,
): AnyFlyteError {
  const message = scrub(context, complaint);
  return construct(UnionRpcError, {
    code: rpcCodeName(error.code),
    rpcCode: error.code,
    kind: "system",
    retryable: true,
    ...methodOf(context),
    message: say(context, `a message of the reply could not be read (${message})`),
    cause: safeCause(error, context),
    details: { ...baseDetails(context, error.code), unreadable: message },
  });
}

/**
 * A host name that does not resolve (NXDOMAIN) is a wrong endpoint, not a blip: it fails at
 * once. EAI_AGAIN, a resolver that did not answer, stays a retryable network failure.
 */
function hostNotFound(
  error: unknown,
  network: NetworkFailure,
  context: RpcErrorContext,
  transportCode: number | undefined,
): AnyFlyteError {
  const host = network.message.match(/ENOTFOUND (\S+)/)?.[1];
  return construct(UnionRpcError, {
    code: "UNAVAILABLE",
    rpcCode: Code.Unavailable,
    kind: "user",
    retryable: false,
    hint: "Check the endpoint's host name (createClient({ endpoint }), FLYTE_ENDPOINT, or admin.endpoint in the Flyte config).",
    ...methodOf(context),
    message: say(context, `host not found${host === undefined ? "" : `: ${host}`} (ENOTFOUND)`),
    cause: safeCause(error, context),
    details: {
      ...baseDetails(context, Code.Unavailable),
      network: { ...network, message: scrub(context, network.message) },
      ...(transportCode === undefined ? {} : { transportCode: rpcCodeName(transportCode) }),
    },
  });
}

function fromForeignReply(
  error: unknown,
  reply: NonProtobufReply,
  context: RpcErrorContext,
): AnyFlyteError {
  const connect = error instanceof ConnectError ? error : undefined;
  // A broken envelope is reported as INVALID_ARGUMENT, which would blame the caller.
  const rpcCode =
    connect === undefined || connect.code === Code.InvalidArgument ? Code.Internal : connect.code;
  const body = reply.bodyPrefix === undefined ? undefined : scrub(context, reply.bodyPrefix);
  const answered = [
    reply.status === undefined ? "a reply" : `HTTP ${reply.status}`,
    reply.contentType === undefined ? "" : ` (${scrub(context, reply.contentType)})`,
  ].join("");
  const text = [
    `the server answered ${answered} instead of a Flyte RPC reply; a proxy or gateway may be in the way`,
    reply.complaint === undefined ? "" : ` [${reply.complaint}]`,
    body === undefined ? "" : `: "${body}"`,
  ].join("");
  const metadata = connect === undefined ? undefined : connect.metadata;
  const retryAfterMs = parseRetryAfter(metadata?.get("retry-after"));
  const details: FlyteErrorDetails = {
    ...baseDetails(context, rpcCode),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    metadata: redactMetadata(metadata, secretsOf(context)),
    ...(reply.status === undefined ? {} : { httpStatus: reply.status }),
    ...(reply.contentType === undefined ? {} : { contentType: reply.contentType }),
    ...(body === undefined ? {} : { body }),
    ...(connect === undefined ? {} : { serverMessage: scrub(context, connect.rawMessage) }),
  };
  const options = {
    rpcCode,
    ...methodOf(context),
    message: say(context, text),
    cause: safeCause(error, context),
    details,
  };
  if (reply.status === 401) return construct(AuthenticationError, options);
  if (reply.status === 403) return construct(PermissionDeniedError, options);
  if (reply.status === 429) {
    return construct(ResourceExhaustedError, {
      ...options,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const notThere = reply.status === 404 || reply.status === 405 || reply.status === 501;
  return construct(UnionRpcError, {
    ...options,
    code: rpcCodeName(rpcCode),
    kind: "system",
    retryable: !notThere,
    hint: foreignReplyHint(reply.status),
  });
}

function fromConnectError(error: ConnectError, context: RpcErrorContext): AnyFlyteError {
  const secrets = secretsOf(context);
  const rpc = decodeRpcDetails(error.details, secrets);
  const localized = rpc.localizedMessage?.message;
  const text = scrub(context, localized ? localized : error.rawMessage);
  const traceId = nonEmpty(rpc.requestInfo?.requestId) ?? traceIdFromHeaders(error.metadata);
  const fieldErrors: FieldError[] | undefined = rpc.badRequest?.fieldViolations.map((v) => ({
    field: v.field,
    message: scrub(context, v.description),
  }));
  // RetryInfo, else Retry-After: how long the server asked us to wait, whatever the code.
  const retryAfterMs =
    retryInfoDelayMs(rpc.retryInfo) ?? parseRetryAfter(error.metadata.get("retry-after"));
  const details: FlyteErrorDetails = {
    ...baseDetails(context, error.code),
    serverMessage: scrub(context, error.rawMessage),
    metadata: redactMetadata(error.metadata, secrets),
    rpcDetails: rpc.list,
    ...rpc.byName,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  const shared = {
    cause: safeCause(error, context),
    details,
    ...(traceId === undefined ? {} : { traceId: scrub(context, traceId) }),
    ...(fieldErrors === undefined || fieldErrors.length === 0 ? {} : { fieldErrors }),
  };
  const rpcShared = { ...shared, rpcCode: error.code, ...methodOf(context) };
  const code = rpcCodeName(error.code);
  switch (error.code) {
    case Code.NotFound:
      return construct(ActionNotFoundError, { ...shared, message: notFoundMessage(context, text) });
    case Code.ResourceExhausted: {
      return construct(ResourceExhaustedError, {
        ...shared,
        message: say(context, text || "the server asked the client to slow down"),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    case Code.Unauthenticated:
      return construct(AuthenticationError, { ...rpcShared, message: say(context, text || code) });
    case Code.PermissionDenied:
      return construct(PermissionDeniedError, {
        ...rpcShared,
        message: say(context, text || code),
      });
    default:
      return construct(UnionRpcError, {
        ...rpcShared,
        code,
        ...verdict(error.code),
        ...hinted(rpcHint(error.code)),
        message: say(context, text || `the call failed with ${code}`),
      });
  }
}

/** Kind and retryability of the codes that UnionRpcError carries. */
function verdict(code: number): { kind: "user" | "system"; retryable: boolean } {
  switch (code) {
    case Code.InvalidArgument:
    case Code.AlreadyExists:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return { kind: "user", retryable: false };
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Aborted:
    case Code.Internal:
    case Code.Canceled:
      return { kind: "system", retryable: true };
    default:
      return { kind: "system", retryable: false };
  }
}

/**
 * The Python SDK's create-run table, applied to the decoded RPC error. The rows that come
 * first in the table keep their own class during createRun too: a bad token, a missing
 * permission, throttling or a missing task say more than `RunCreationError` would.
 */
function forCreateRun(inner: AnyFlyteError, context: RpcErrorContext): AnyFlyteError {
  const said = inner.details.serverMessage;
  const serverText = typeof said === "string" ? said : inner.rawMessage;
  if (inner instanceof SlowDownError && isRequestTooLarge(serverText)) {
    return construct(InlineIOMaxBytesBreached, {
      message: `the server refused the run's inputs as too large: ${serverText}`,
      cause: inner,
      // No `rpcError` here: unary retries look through it to the RPC code, and retrying
      // a request that is too large cannot succeed.
      details: { ...inner.details },
      ...(inner.traceId === undefined ? {} : { traceId: inner.traceId }),
    });
  }
  if (
    inner instanceof AuthenticationError ||
    inner instanceof PermissionDeniedError ||
    inner instanceof SlowDownError ||
    inner instanceof ActionNotFoundError
  ) {
    return inner;
  }
  const run = context.runName === undefined ? "the run" : `run ${context.runName}`;
  const options = {
    cause: inner,
    details: { ...inner.details, rpcError: inner.name },
    ...(inner.traceId === undefined ? {} : { traceId: inner.traceId }),
    ...(inner.fieldErrors === undefined ? {} : { fieldErrors: inner.fieldErrors }),
    message: `could not create ${run}: ${inner.rawMessage}`,
  };
  switch (inner.code) {
    case "INVALID_ARGUMENT":
      return construct(RuntimeUserError, {
        ...options,
        code: "InvalidArgumentError",
        kind: "user",
        retryable: false,
        hint: CREATE_RUN_HINTS.InvalidArgumentError,
      });
    case "ALREADY_EXISTS":
      return construct(RuntimeUserError, {
        ...options,
        code: "RunAlreadyExistsError",
        kind: "user",
        retryable: false,
        hint: CREATE_RUN_HINTS.RunAlreadyExistsError,
      });
    case "UNAVAILABLE":
      return construct(RuntimeSystemError, {
        ...options,
        code: "SystemUnavailableError",
        kind: "system",
        retryable: true,
        hint: CREATE_RUN_HINTS.SystemUnavailableError,
      });
    default:
      return construct(RuntimeSystemError, {
        ...options,
        code: "RunCreationError",
        kind: "system",
        retryable: inner.retryable,
        hint: inner.hint,
      });
  }
}

function unknownFailure(
  value: unknown,
  context: RpcErrorContext,
  internal?: unknown,
): AnyFlyteError {
  return construct(RuntimeUnknownError, {
    message: say(context, scrub(context, describe(value))),
    ...(value === undefined ? {} : { cause: value }),
    details: {
      ...baseDetails(context, undefined),
      thrown: value === null ? "null" : typeof value,
      ...(internal === undefined ? {} : { decodeFailure: describe(internal) }),
    },
  });
}

/** A short, safe description of any thrown value; never throws. */
function describe(value: unknown): string {
  try {
    if (value instanceof Error) return truncate(`${value.name}: ${value.message}`);
    if (typeof value === "string") return truncate(value);
    if (typeof value === "object" && value !== null) {
      return `a non-error value was thrown (${Object.prototype.toString.call(value)})`;
    }
    return `a non-error value was thrown (${String(value)})`;
  } catch {
    return "an unprintable value was thrown";
  }
}

function truncate(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/** The ConnectError itself, or a copy with redacted message and metadata when it held secrets. */
function safeCause(error: unknown, context: RpcErrorContext): unknown {
  if (!(error instanceof ConnectError)) return error;
  const secrets = secretsOf(context);
  const rawMessage = scrubSecrets(error.rawMessage, secrets);
  if (rawMessage === error.rawMessage && !needsRedaction(error.metadata, secrets)) return error;
  const copy = new ConnectError(
    rawMessage,
    error.code,
    redactHeaders(error.metadata, secrets),
    undefined,
    error.cause,
  );
  // Connect's JSON errors add a `debug` rendering of each detail, in clear text: keep the
  // bytes only.
  for (const detail of error.details) {
    copy.details.push("debug" in detail ? { type: detail.type, value: detail.value } : detail);
  }
  copy.isWireError = error.isWireError;
  const head = `${error.name}: ${error.message}`;
  if (typeof error.stack === "string" && error.stack.startsWith(head)) {
    copy.stack = `${copy.name}: ${copy.message}${error.stack.slice(head.length)}`;
  }
  return copy;
}

function notFoundMessage(context: RpcErrorContext, text: string): string {
  const { runName, actionName } = context;
  const what =
    actionName !== undefined && runName !== undefined
      ? `action ${actionName} of run ${runName} was not found`
      : runName !== undefined
        ? `run ${runName} was not found`
        : actionName !== undefined
          ? `action ${actionName} was not found`
          : undefined;
  if (what === undefined) return say(context, text || "not found");
  return text === "" ? what : `${what}: ${text}`;
}

function traceIdFromHeaders(headers: Headers): string | undefined {
  const requestId = nonEmpty(headers.get("x-request-id") ?? undefined);
  if (requestId !== undefined) return requestId;
  // traceparent: version-traceid-parentid-flags; the trace id is what tracing UIs search.
  const parts = headers.get("traceparent")?.split("-");
  return parts !== undefined && parts.length >= 4 ? nonEmpty(parts[1]) : undefined;
}

function baseDetails(context: RpcErrorContext, rpcCode: number | undefined): FlyteErrorDetails {
  return {
    ...(rpcCode === undefined ? {} : { rpcCode }),
    ...(context.method === undefined ? {} : { method: context.method }),
    ...(context.operation === undefined ? {} : { operation: context.operation }),
    ...(context.runName === undefined ? {} : { runName: context.runName }),
    ...(context.actionName === undefined ? {} : { actionName: context.actionName }),
  };
}

function methodOf(context: RpcErrorContext): { method?: string | undefined } {
  return context.method === undefined ? {} : { method: context.method };
}

function say(context: RpcErrorContext, text: string): string {
  return context.method === undefined ? text : `${context.method}: ${text}`;
}

function scrub(context: RpcErrorContext, text: string): string {
  return scrubSecrets(text, secretsOf(context));
}

function secretsOf(context: RpcErrorContext): readonly string[] {
  return context.secrets ?? [];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function hinted(hint: string | undefined): { hint?: string | undefined } {
  return hint === undefined ? {} : { hint };
}
