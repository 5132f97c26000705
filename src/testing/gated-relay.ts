/**
 * A duplex that relays one accepted TCP socket to the HTTP/2 server, and can
 * be shut like a valve. Node's HTTP/2 server reads a native socket in C++ and
 * acks PINGs by itself; handing it this relay instead is what lets the
 * `half-open` fault stop a connection dead: no bytes either way, no PING acks,
 * and no close.
 *
 * @module
 */

import type { Socket } from "node:net";
import { Duplex } from "node:stream";

/** Event-loop turns a gate waits at most for the session to flush. */
const maxSettleTurns = 1000;

/** A socket relay that can be gated. */
export class GatedRelay extends Duplex {
  private gated = false;
  private readGated = false;
  private writes = 0;
  private readonly raw: Socket;

  /**
   * @param raw the accepted socket
   * @param head bytes already read from it while sniffing the protocol
   */
  constructor(raw: Socket, head: Buffer) {
    super({ allowHalfOpen: false });
    this.raw = raw;
    this.push(head);
    raw.on("data", (chunk: Buffer) => {
      if (this.readGated) return;
      if (!this.push(chunk)) raw.pause();
    });
    raw.on("end", () => {
      if (!this.readGated) this.push(null);
    });
    raw.on("error", () => this.destroy());
    raw.on("close", () => this.destroy());
  }

  /** Whether the valve is shut (or shutting). */
  get isGated(): boolean {
    return this.readGated;
  }

  /**
   * Shuts the valve for good. Reading stops at once, so PINGs and everything
   * else from the client go unanswered. Writing stops once `flushed()` holds
   * and a whole event-loop turn passed without writes: node acknowledges a
   * stream write before the HTTP/2 session serialises it to the socket, and
   * the message that preceded the stall must still reach the client.
   */
  gate(flushed: () => boolean = () => true): void {
    if (this.readGated) return;
    this.readGated = true;
    this.raw.pause();
    let writesSeen = this.writes;
    let turns = 0;
    const settle = () => {
      turns++;
      const quiet = this.writes === writesSeen;
      writesSeen = this.writes;
      // The cap only matters if the client stopped granting flow-control window.
      if ((quiet && flushed()) || turns > maxSettleTurns) {
        this.gated = true;
        return;
      }
      setImmediate(settle);
    };
    setImmediate(settle);
  }

  override _read(): void {
    if (!this.readGated) this.raw.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.forward(chunk, callback);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.forward(Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.gated) this.raw.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }

  private forward(data: Buffer, callback: (error?: Error | null) => void): void {
    // A gated relay never completes the write: the HTTP/2 session backs up,
    // exactly as it would behind a dead peer.
    if (this.gated) return;
    this.writes++;
    if (this.raw.destroyed) {
      callback();
      return;
    }
    // Hand every chunk to the socket at once, without waiting for "drain":
    // whatever the HTTP/2 session wrote before gate() must reach the client
    // (the first message of a half-open watch), and HTTP/2 flow control
    // already bounds what can pile up here.
    this.raw.write(data);
    callback();
  }
}
