/**
 * Reads the claims of a JSON Web Token without verifying it.
 *
 * The client never trusts these claims for anything that matters; it reads them to know when
 * a token expires when the provider did not say, and to tell `whoami` who signed in. The
 * server verifies the signature.
 *
 * @module
 */

/** The claims flyte-remote looks at; others are kept as they came. */
export interface JwtClaims {
  readonly sub?: string | undefined;
  readonly iss?: string | undefined;
  readonly aud?: string | readonly string[] | undefined;
  /** Expiry, in epoch seconds. */
  readonly exp?: number | undefined;
  readonly iat?: number | undefined;
  readonly email?: string | undefined;
  readonly preferred_username?: string | undefined;
  readonly name?: string | undefined;
  readonly client_id?: string | undefined;
  readonly [claim: string]: unknown;
}

/** The claims of a JWT, or `undefined` for an opaque token or anything that does not decode. */
export function jwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === "") return undefined;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof json === "object" && json !== null && !Array.isArray(json)
      ? (json as JwtClaims)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Who a token was issued to, for people to read: email, user name, name, subject or client. */
export function principalOf(claims: JwtClaims | undefined): string | undefined {
  if (claims === undefined) return undefined;
  for (const value of [
    claims.email,
    claims.preferred_username,
    claims.name,
    claims.sub,
    claims.client_id,
  ]) {
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}
