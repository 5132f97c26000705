/**
 * The tokens one sign-in produced, and how to read them from a token endpoint's reply
 * (RFC 6749 §5.1).
 *
 * @module
 */

import type { AuthenticationError } from "../errors/index.js";
import { authFailure } from "./auth-failure.js";
import { jwtClaims } from "./jwt-claims.js";

/** Tokens held for one endpoint and client. */
export interface Credentials {
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
  readonly idToken?: string | undefined;
  /** When the access token expires, in epoch milliseconds; unknown when absent. */
  readonly expiresAt?: number | undefined;
  /** When it was obtained, in epoch milliseconds. */
  readonly obtainedAt: number;
  readonly scope?: string | undefined;
}

/** Every secret string of a set of credentials. */
export function credentialSecrets(credentials: Credentials | undefined): string[] {
  if (credentials === undefined) return [];
  const out = [credentials.accessToken];
  if (credentials.refreshToken !== undefined) out.push(credentials.refreshToken);
  if (credentials.idToken !== undefined) out.push(credentials.idToken);
  return out;
}

/**
 * Reads a successful token reply. The expiry is `expires_in`, else the `exp` claim of a JWT
 * access token. A refresh reply without a new refresh token keeps the old one (RFC 6749 §6).
 */
export function credentialsFromReply(
  reply: Record<string, unknown>,
  now: number,
  context: { what: string; secrets: readonly string[]; previousRefreshToken?: string | undefined },
): Credentials {
  const accessToken = reply.access_token;
  if (typeof accessToken !== "string" || accessToken === "") {
    throw noAccessToken(context);
  }
  const expiresIn = numberOf(reply.expires_in);
  const exp = jwtClaims(accessToken)?.exp;
  const expiresAt =
    expiresIn !== undefined
      ? now + expiresIn * 1000
      : typeof exp === "number" && Number.isFinite(exp)
        ? exp * 1000
        : undefined;
  const refreshToken =
    typeof reply.refresh_token === "string" && reply.refresh_token !== ""
      ? reply.refresh_token
      : context.previousRefreshToken;
  return {
    accessToken,
    obtainedAt: now,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(typeof reply.id_token === "string" ? { idToken: reply.id_token } : {}),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(typeof reply.scope === "string" ? { scope: reply.scope } : {}),
  };
}

function noAccessToken(context: { what: string; secrets: readonly string[] }): AuthenticationError {
  return authFailure({
    code: "IdentityProviderError",
    message: `${context.what} answered without an access_token`,
    secrets: context.secrets,
    hint: "The identity provider's client registration is likely misconfigured; ask whoever administers it.",
  });
}

/** A number, or a numeric string as some providers send. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}
