/**
 * The node request handler of the test server: connect's universal handlers
 * behind node's HTTP/1.1 and HTTP/2 servers, like `connectNodeAdapter`, plus
 * what a test server needs on top: per-call wire control for faults, frame
 * rewriting, stream counting, and silence about streams it cuts on purpose.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { constants, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import { type ConnectRouter, createContextValues } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { type CallControl, callControlKey } from "./call-control.js";
import type { CorsPolicy } from "./cors.js";
import type { FastUnary } from "./fast-route.js";
import { fastEligible, serveFastUnary } from "./fast-unary.js";
import { transformFrames } from "./frames.js";
import type { GatedRelay } from "./gated-relay.js";
import { universalRequest, writeResponse } from "./node-universal.js";

/** Stream counts of the handler. */
export interface StreamCounts {
  readonly activeStreams: number;
  readonly peakActiveStreams: number;
  readonly totalStreams: number;
}

/** Options of {@link NodeHandler}. */
export interface NodeHandlerOptions {
  readonly router: ConnectRouter;
  /** The relay under an HTTP/2 session, to silence it. */
  readonly relayOf: (req: Http2ServerRequest) => GatedRelay | undefined;
  /** Methods served on the lean path (fast-unary.ts), when the server may take it. */
  readonly fast?: ReadonlyMap<string, FastUnary> | undefined;
  /** Answers preflights and marks allowed cross-origin calls; none refuses them all. */
  readonly cors?: CorsPolicy | undefined;
  readonly mutateWatchMessage?:
    | ((encoded: Uint8Array, info: { method: string; index: number }) => Uint8Array | undefined)
    | undefined;
}

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

/** Handles HTTP/1.1 and HTTP/2 requests for the router's RPCs. */
export class NodeHandler {
  private readonly paths = new Map<string, UniversalHandler>();
  private active = 0;
  private peak = 0;
  private total = 0;
  private readonly options: NodeHandlerOptions;

  constructor(options: NodeHandlerOptions) {
    this.options = options;
    for (const h of options.router.handlers) this.paths.set(h.requestPath, h);
  }

  /** Current, peak and total number of requests (streams). */
  counts(): StreamCounts {
    return { activeStreams: this.active, peakActiveStreams: this.peak, totalStreams: this.total };
  }

  /** The request listener for both servers. */
  readonly handle = (req: NodeRequest, res: NodeResponse): void => {
    this.active++;
    this.total++;
    this.peak = Math.max(this.peak, this.active);
    res.once("close", () => this.active--);
    if (this.options.cors?.(req, res) === true) return;
    const path = (req.url ?? "").split("?", 2)[0] ?? "";
    const handler = this.paths.get(path);
    if (handler === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    const fast = this.options.fast?.get(path);
    if (fast !== undefined && "stream" in req && fastEligible(req)) {
      serveFastUnary(req, res as Http2ServerResponse, fast);
      return;
    }
    const corrupt = new Set<number>();
    const control = this.controlFor(req, corrupt);
    const streaming = handler.method.methodKind === "server_streaming";
    const uReq = universalRequest(req, res, createContextValues().set(callControlKey, control));
    const mutate = this.options.mutateWatchMessage;
    if (streaming && mutate !== undefined) {
      // The hook sees plain message bytes only if the response is not compressed.
      for (const h of ["accept-encoding", "connect-accept-encoding", "grpc-accept-encoding"]) {
        uReq.header.delete(h);
      }
    }
    handler(uReq)
      .then((uRes) => {
        if (streaming && uRes.body !== undefined) {
          uRes.body = transformFrames(uRes.body, {
            corrupt,
            json: (uRes.header?.get("content-type") ?? "").includes("json"),
            mutate,
            method: handler.method.name,
          });
        }
        return writeResponse(uRes, res);
      })
      .catch(() => {
        // Write errors after a deliberate reset, or after the client went away.
      });
  };

  private controlFor(req: NodeRequest, corrupt: Set<number>): CallControl {
    const relayOf = this.options.relayOf;
    return {
      reset() {
        if ("stream" in req) req.stream.close(constants.NGHTTP2_CANCEL);
        // Destroying at once would RST the TCP connection and could discard the
        // message just written; a FIN after it cuts the chunked body short instead.
        else req.socket.end();
      },
      stall() {
        if ("stream" in req) {
          const stream = req.stream;
          // Flushed: nothing left in the stream's queues nor in the session's
          // outbound frame queue, so the last message has reached the relay.
          relayOf(req)?.gate(
            () =>
              stream.destroyed ||
              (stream.bufferSize === 0 && (stream.session?.state.outboundQueueSize ?? 0) === 0),
          );
        } else req.socket.pause();
      },
      corruptFrame(index) {
        corrupt.add(index);
      },
    };
  }
}
