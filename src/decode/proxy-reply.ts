/**
 * Recognises a reply that did not come from a Flyte RPC server: an HTML error page from a
 * load balancer, a captive portal, a gateway that answers JSON.
 *
 * Connect-ES reports these with messages it writes itself (`HTTP 502`, `unsupported
 * content type text/html`, `protocol error: ...`) and codes derived from the HTTP status,
 * which read like a server's verdict but are not one. The body is not kept by the
 * transports, so the decoder quotes it only when the caller captured it and passes it in.
 */

import { ConnectError } from "@connectrpc/connect";

/** What a transport captured of an HTTP reply that was not a protobuf reply. */
export interface HttpReplySnapshot {
  /** The HTTP status. */
  status?: number | undefined;
  /** The `content-type` header. */
  contentType?: string | undefined;
  /** The body or its beginning; only the first 200 characters are quoted. */
  body?: string | Uint8Array | undefined;
}

/** The evidence that the reply was not a Flyte RPC reply. */
export interface NonProtobufReply {
  readonly status?: number | undefined;
  readonly contentType?: string | undefined;
  /** The first 200 characters of the body, whitespace collapsed, when known. */
  readonly bodyPrefix?: string | undefined;
  /** Connect-ES's own complaint, for example `protocol error: incomplete envelope`. */
  readonly complaint?: string | undefined;
}

/** How much of a body is quoted. */
export const BODY_QUOTE_LENGTH = 200;

const HTTP_STATUS = /^HTTP (\d{3})$/;
const UNSUPPORTED_TYPE = "unsupported content type ";
const PROTOCOL_ERROR = "protocol error: ";

/**
 * The evidence of a non-protobuf reply in `error` (a ConnectError that Connect-ES wrote
 * itself, or any value down the cause chain that carries an HTTP `status` and `body`), or
 * in the captured `response`; undefined when there is none. Never throws.
 */
export function findNonProtobufReply(
  error: unknown,
  response?: HttpReplySnapshot,
): NonProtobufReply | undefined {
  const fromError = error instanceof ConnectError ? fromConnectError(error) : undefined;
  const carried = findCarriedReply(error);
  const captured = response !== undefined && looksForeign(response) ? response : undefined;
  if (fromError === undefined && carried === undefined && captured === undefined) return undefined;
  const status = fromError?.status ?? captured?.status ?? carried?.status;
  const contentType = fromError?.contentType ?? captured?.contentType ?? carried?.contentType;
  const body = captured?.body ?? carried?.body;
  const bodyPrefix = body === undefined ? undefined : quoteBody(body);
  return {
    ...(status === undefined ? {} : { status }),
    ...(contentType === undefined || contentType === "" ? {} : { contentType }),
    ...(bodyPrefix === undefined || bodyPrefix === "" ? {} : { bodyPrefix }),
    ...(fromError?.complaint === undefined ? {} : { complaint: fromError.complaint }),
  };
}

function fromConnectError(error: ConnectError): NonProtobufReply | undefined {
  // An error parsed from a Flyte server's reply is that server's verdict.
  if (error.isWireError) return undefined;
  const message = error.rawMessage;
  const contentType = error.metadata.get("content-type") ?? undefined;
  const withType = contentType === undefined ? {} : { contentType };
  const http = HTTP_STATUS.exec(message);
  if (http !== null) return { status: Number(http[1]), ...withType };
  if (message.startsWith(UNSUPPORTED_TYPE)) {
    return { contentType: contentType ?? message.slice(UNSUPPORTED_TYPE.length) };
  }
  if (message.startsWith(PROTOCOL_ERROR)) return { complaint: message, ...withType };
  return undefined;
}

/** A reply is foreign when it failed at the HTTP level or is not a protobuf media type. */
function looksForeign(response: HttpReplySnapshot): boolean {
  if (response.status !== undefined && response.status !== 200) return true;
  const type = response.contentType?.toLowerCase() ?? "";
  return !(
    type.startsWith("application/grpc") ||
    type.startsWith("application/connect+") ||
    type.startsWith("application/proto") ||
    type.startsWith("application/json")
  );
}

/** An object down the cause chain with a numeric `status` and a `body`, as fetch helpers throw. */
function findCarriedReply(error: unknown): HttpReplySnapshot | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 16 && typeof current === "object" && current !== null; depth++) {
    try {
      const { status, body, contentType } = current as {
        status?: unknown | undefined;
        body?: unknown | undefined;
        contentType?: unknown | undefined;
      };
      if (typeof status === "number" && (typeof body === "string" || body instanceof Uint8Array)) {
        return { status, body, ...(typeof contentType === "string" ? { contentType } : {}) };
      }
      current = (current as { cause?: unknown | undefined }).cause;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The first {@link BODY_QUOTE_LENGTH} characters with runs of whitespace collapsed. */
function quoteBody(body: string | Uint8Array): string {
  const text =
    typeof body === "string"
      ? body.slice(0, BODY_QUOTE_LENGTH * 4)
      : new TextDecoder("utf-8", { fatal: false }).decode(body.subarray(0, BODY_QUOTE_LENGTH * 4));
  return text.replace(/\s+/g, " ").trim().slice(0, BODY_QUOTE_LENGTH);
}
