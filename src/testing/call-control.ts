/**
 * What a transport lets the service do to one call beyond sending messages:
 * cut it, silence it, or spoil a frame. The service decides *when* (from the
 * run's faults); the transport decides what it looks like on its wire.
 *
 * @module
 */

import { Code, ConnectError, createContextKey } from "@connectrpc/connect";

/** Transport-level controls of one call. */
export interface CallControl {
  /**
   * Cuts the call abruptly: an HTTP/2 RST_STREAM (CANCEL), or on HTTP/1.1 the
   * connection closed under the unfinished response. The call's signal aborts
   * afterwards.
   */
  reset(): void;
  /**
   * Silences the call's connection without closing it: no bytes either way,
   * no PING acks. The call's signal aborts only when the connection finally
   * goes (the client gives up, or the server closes).
   */
  stall(): void;
  /** Replaces the response's data frame number `index` (0-based) with bytes that do not parse. */
  corruptFrame(index: number): void;
}

/**
 * Stand-in for transports without wire control (an in-memory router
 * transport): a reset becomes an UNAVAILABLE error, a stall just goes silent,
 * and corruption is ignored.
 */
export const fallbackCallControl: CallControl = {
  reset() {
    throw new ConnectError("stream reset by a test fault", Code.Unavailable);
  },
  stall() {},
  corruptFrame() {},
};

/** The context value under which a transport hands the service its {@link CallControl}. */
export const callControlKey = createContextKey<CallControl>(fallbackCallControl, {
  description: "flyte-remote/testing call control",
});
