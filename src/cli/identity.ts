/**
 * Who a token says it belongs to, for `login` and `whoami`: read from its claims, never
 * printing the token itself.
 *
 * @module
 */

import { jwtClaims, principalOf } from "../auth/jwt-claims.js";

/** What can be shown about a token. */
export interface Identity {
  /** An email, a user name, a subject or a client id; or a note that the token is opaque. */
  readonly principal: string;
  readonly issuer?: string | undefined;
  /** When the token expires, when it says. */
  readonly expiresAt?: Date | undefined;
}

/** The identity of a token. An opaque (non-JWT) token says nothing about itself. */
export function describeIdentity(token: string): Identity {
  const claims = jwtClaims(token);
  const principal = principalOf(claims) ?? "an unknown principal (the token is opaque)";
  const exp = claims?.exp;
  return {
    principal,
    ...(typeof claims?.iss === "string" ? { issuer: claims.iss } : {}),
    ...(typeof exp === "number" && Number.isFinite(exp) ? { expiresAt: new Date(exp * 1000) } : {}),
  };
}
