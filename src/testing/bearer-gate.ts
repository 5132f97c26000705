/**
 * The bearer-token check shared by every transport of the test service (the
 * node server and the msw handlers), so both refuse the same requests the
 * same way.
 *
 * @module
 */

import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";

/** Compares in constant time, so a test cannot become a timing oracle by accident. */
function bearerMatches(header: string | null, token: string): boolean {
  const expected = `Bearer ${token}`;
  if (header === null || header.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= header.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

/**
 * A connect `requestGate` that fails every call without `authorization:
 * Bearer <token>` with UNAUTHENTICATED before its body is read. The message
 * never echoes the token or the header.
 */
export function bearerGate(token: string): (ctx: HandlerContext) => void {
  return (ctx) => {
    if (!bearerMatches(ctx.requestHeader.get("authorization"), token)) {
      throw new ConnectError("missing or invalid bearer token", Code.Unauthenticated);
    }
  };
}
