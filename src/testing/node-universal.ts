/**
 * The test server's bridge between Node's HTTP servers and connect's universal handlers:
 * a Node request becomes a UniversalServerRequest, and a UniversalServerResponse is
 * written back with backpressure, headers, body and trailers.
 *
 * @module
 */

import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { Code, ConnectError, type ContextValues } from "@connectrpc/connect";
import type { UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";

type NodeRequest = IncomingMessage | Http2ServerRequest;

/** The reason a finished call's signal aborts with: one shared value, not one per call. */
const CALL_ENDED = new ConnectError("the call ended", Code.Canceled);
type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * The universal form of a Node request. Its signal aborts when the client goes away: the
 * HTTP/2 stream closes, or the HTTP/1.1 response closes before it ended.
 */
export function universalRequest(
  req: NodeRequest,
  res: NodeResponse,
  contextValues: ContextValues,
): UniversalServerRequest {
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  const authority = "authority" in req ? req.authority : req.headers.host;
  const controller = new AbortController();
  const target: NodeRequest | NodeResponse = "stream" in req ? req : res;
  target.once("close", () => {
    if (!res.writableFinished) {
      controller.abort(new ConnectError("the client went away", Code.Canceled));
    } else controller.abort(CALL_ENDED);
  });
  return {
    httpVersion: req.httpVersion,
    method: req.method ?? "",
    url: new URL(
      req.url ?? "",
      `${encrypted ? "https" : "http"}://${authority ?? "localhost"}`,
    ).toString(),
    header: webHeaders(req.headers),
    body: readRequest(req),
    signal: controller.signal,
    contextValues,
  };
}

async function* readRequest(req: NodeRequest): AsyncGenerator<Uint8Array> {
  for await (const chunk of req) yield chunk as Uint8Array;
}

/** Writes a universal response to Node, waiting for the socket to drain between chunks. */
export async function writeResponse(
  uRes: UniversalServerResponse,
  res: NodeResponse,
): Promise<void> {
  const it = uRes.body?.[Symbol.asyncIterator]();
  try {
    if (it !== undefined) {
      let chunk = await it.next();
      res.writeHead(uRes.status, nodeHeaders(uRes.header));
      for (; chunk.done !== true; chunk = await it.next()) {
        await write(res, chunk.value);
      }
    }
    if (!res.headersSent) res.writeHead(uRes.status, nodeHeaders(uRes.header));
    if (uRes.trailer !== undefined) res.addTrailers(nodeHeaders(uRes.trailer));
    await new Promise<void>((resolve) => {
      (res as ServerResponse).end(resolve);
    });
  } finally {
    await it?.return?.().catch(() => {});
  }
}

function write(res: NodeResponse, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      reject(new ConnectError("the client went away", Code.Canceled));
      return;
    }
    const fail = (error: unknown) => {
      res.off("drain", drained);
      reject(error);
    };
    const drained = () => {
      res.off("error", fail);
      resolve();
    };
    res.once("error", fail);
    if ((res as ServerResponse).write(data)) drained();
    else res.once("drain", drained);
  });
}

function webHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [key, value] of Object.entries(headers)) {
    if (key.startsWith(":") || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, v);
    else out.set(key, value);
  }
  return out;
}

function nodeHeaders(headers: Headers | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  headers?.forEach((value, key) => {
    out[key] = key === "set-cookie" ? headers.getSetCookie() : value;
  });
  return out;
}
