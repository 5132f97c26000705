/**
 * A lean path through the test server for its hottest unary call: GetActionDetails over
 * gRPC, which thousands of settling waits make at once. connect-es's handler machinery
 * (negotiation, linked and deadline signals, async-iterable pipes) costs the server about
 * ten times what the call itself does; this reads the request, calls the same service
 * implementation and writes the reply or the error status directly, in gRPC's framing.
 *
 * It serves only plain gRPC over HTTP/2 without compression, and only when the server has
 * no request gate (no token, no auth mode): everything else, and every fault a scenario
 * plays on a stream, goes through connect-es as before.
 *
 * @module
 */

import type { Http2ServerRequest, Http2ServerResponse, OutgoingHttpHeaders } from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import type { FastUnary } from "./fast-route.js";

/** Whether `req` is a call the lean path can take. */
export function fastEligible(req: Http2ServerRequest): boolean {
  const type = req.headers["content-type"];
  const encoding = req.headers["grpc-encoding"];
  return (
    (type === "application/grpc" || type === "application/grpc+proto") &&
    (encoding === undefined || encoding === "identity")
  );
}

/** Serves one call: reads the request envelope, answers with the reply or the status. */
export function serveFastUnary(
  req: Http2ServerRequest,
  res: Http2ServerResponse,
  route: FastUnary,
): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.once("end", () => {
    answer(route, Buffer.concat(chunks)).then(
      (reply) => respond(res, reply),
      (error: unknown) => respond(res, undefined, ConnectError.from(error, Code.Internal)),
    );
  });
  req.on("error", () => {
    // The client went away; nothing to answer.
  });
}

async function answer(route: FastUnary, body: Buffer): Promise<Uint8Array> {
  if (body.byteLength < 5 || (body[0]! & 1) !== 0) {
    throw new ConnectError(
      "protocol error: expected one uncompressed message",
      Code.InvalidArgument,
    );
  }
  const length = body.readUInt32BE(1);
  if (body.byteLength !== 5 + length) {
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  const request = fromBinary(route.input, body.subarray(5));
  const reply = toBinary(route.output, create(route.output, await route.call(request)));
  const out = new Uint8Array(5 + reply.byteLength);
  new DataView(out.buffer).setUint32(1, reply.byteLength);
  out.set(reply, 5);
  return out;
}

const REPLY_HEADERS: OutgoingHttpHeaders = { "content-type": "application/grpc+proto" };

function respond(
  res: Http2ServerResponse,
  reply: Uint8Array | undefined,
  error?: ConnectError,
): void {
  if (res.destroyed || res.headersSent) return;
  if (reply === undefined) {
    // Trailers-only, as gRPC answers a call that failed before its first message.
    const status: OutgoingHttpHeaders = { ...REPLY_HEADERS };
    setTrailerStatus(new Headers(), error).forEach((value, key) => {
      status[key] = value;
    });
    res.writeHead(200, status);
    res.end();
    return;
  }
  res.writeHead(200, REPLY_HEADERS);
  res.addTrailers({ "grpc-status": "0" });
  res.end(reply);
}
