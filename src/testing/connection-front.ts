/**
 * The TCP front of the test server: one port for HTTP/2 (h2c) and HTTP/1.1.
 * Node's cleartext HTTP/2 server has no HTTP/1 fallback, so the front peeks at
 * the first bytes of each connection and hands it to the right server. Being
 * first in line, it also counts connections and can silence them.
 *
 * @module
 */

import type { Server as Http1Server } from "node:http";
import type { Http2Server } from "node:http2";
import { createServer, type Server, type Socket } from "node:net";
import { GatedRelay } from "./gated-relay.js";

const h2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** Connection counts of the front. */
export interface ConnectionCounts {
  readonly connections: number;
  readonly peakConnections: number;
}

/** Accepts connections and routes them by protocol. */
export class ConnectionFront {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private peak = 0;
  /** The relay an HTTP/2 session was built on, filled by the `session` listener. */
  pendingRelay: GatedRelay | undefined;

  constructor(http2Server: Http2Server, http1Server: Http1Server) {
    this.server = createServer({ noDelay: true }, (socket) => {
      this.sockets.add(socket);
      this.peak = Math.max(this.peak, this.sockets.size);
      socket.once("close", () => this.sockets.delete(socket));
      socket.on("error", () => socket.destroy());
      this.sniff(socket, (head) => {
        if (isH2Preface(head)) {
          const relay = new GatedRelay(socket, head);
          this.pendingRelay = relay;
          try {
            http2Server.emit("connection", relay);
          } finally {
            this.pendingRelay = undefined;
          }
        } else {
          socket.unshift(head);
          http1Server.emit("connection", socket);
          socket.resume();
        }
      });
    });
  }

  /** Current and peak number of open connections. */
  counts(): ConnectionCounts {
    return { connections: this.sockets.size, peakConnections: this.peak };
  }

  /** Destroys every open connection. */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Reads until the protocol is known: the HTTP/2 preface, or anything else. */
  private sniff(socket: Socket, route: (head: Buffer) => void): void {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, h2Preface.length);
      const decided =
        head.length >= h2Preface.length || !head.subarray(0, n).equals(h2Preface.subarray(0, n));
      if (!decided) return;
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.pause();
      route(head);
    };
    const onEnd = () => socket.destroy();
    socket.on("data", onData);
    socket.once("end", onEnd);
  }
}

function isH2Preface(head: Buffer): boolean {
  return head.length >= h2Preface.length && head.subarray(0, h2Preface.length).equals(h2Preface);
}
