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

/** A socket relay that can be gated. */
export class GatedRelay extends Duplex {
  private gated = false;
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
      if (this.gated) return;
      if (!this.push(chunk)) raw.pause();
    });
    raw.on("end", () => {
      if (!this.gated) this.push(null);
    });
    raw.on("error", () => this.destroy());
    raw.on("close", () => this.destroy());
  }

  /** Whether the valve is shut. */
  get isGated(): boolean {
    return this.gated;
  }

  /** Shuts the valve for good: stop reading the socket, and never write to it again. */
  gate(): void {
    this.gated = true;
    this.raw.pause();
  }

  override _read(): void {
    if (!this.gated) this.raw.resume();
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
    if (this.raw.destroyed) {
      callback();
      return;
    }
    if (this.raw.write(data)) callback();
    else this.raw.once("drain", () => callback());
  }
}
