import type { Transport } from "@connectrpc/connect";
import type { Connections } from "../transport/connections.js";
import type { TokenSource } from "./token.js";

/**
 * A caller's own transport as the client's connections. The client cannot add interceptors
 * to a transport that exists already, so it sends the token itself: each call's headers get
 * `authorization` from the same token source, refreshed the same way. There are no PINGs of
 * ours on it, so silent watches are restarted instead.
 */
export function givenTransport(transport: Transport, token: TokenSource): Connections {
  const authorized: Transport = token.present
    ? {
        async unary(method, signal, timeoutMs, header, input, contextValues) {
          return transport.unary(
            method,
            signal,
            timeoutMs,
            await withToken(header, token),
            input,
            contextValues,
          );
        },
        async stream(method, signal, timeoutMs, header, input, contextValues) {
          return transport.stream(
            method,
            signal,
            timeoutMs,
            await withToken(header, token),
            input,
            contextValues,
          );
        },
      }
    : transport;
  return {
    transport: authorized,
    pings: false,
    stats: () => ({ connections: 0, activeStreams: 0, queued: 0 }),
    close: () => {},
  };
}

async function withToken(
  header: ConstructorParameters<typeof Headers>[0],
  token: TokenSource,
): Promise<Headers> {
  const out = new Headers(header);
  const pending = token.get();
  if (pending !== undefined) out.set("authorization", `Bearer ${await pending}`);
  return out;
}
