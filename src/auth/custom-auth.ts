/**
 * Tokens from the caller's own code: a `getAccessToken()` callback (a secret manager, a
 * sidecar, a workload identity), or a fixed token passed through as it is.
 *
 * @module
 */

import { userEntryPoint } from "../errors/index.js";
import { authFailure } from "./auth-failure.js";
import type { Authenticator, TokenRequest } from "./authenticator.js";

/** Options of {@link customAuth}. */
export interface CustomAuthOptions {
  /**
   * Returns a valid access token. Called for every request, with `forceRefresh: true` after
   * the server refused the last one; cache inside it if getting one is costly. A throw becomes
   * a user-scoped error.
   */
  getAccessToken(request: { forceRefresh: boolean }): string | Promise<string>;
  /** The header to send it in. Default `authorization` (as `Bearer <token>`). */
  headerName?: string | undefined;
}

/** The tokens kept among the secrets after they were replaced. */
const KEPT = 8;

/** An authenticator around a callback. */
export function customAuth(options: CustomAuthOptions): Authenticator {
  const call = userEntryPoint(options.getAccessToken);
  const seen: string[] = [];
  return {
    async token(request: TokenRequest = {}) {
      const token = await call({ forceRefresh: request.forceRefresh === true });
      if (typeof token !== "string" || token.trim() === "") {
        throw authFailure({ code: "NoToken", message: "getAccessToken() returned no token" });
      }
      if (!seen.includes(token)) {
        seen.push(token);
        seen.splice(0, Math.max(0, seen.length - KEPT));
      }
      return token;
    },
    secrets: () => [...seen],
    headerName: () => options.headerName ?? "authorization",
  };
}

/**
 * A fixed token, sent as it is (the Python SDK's passthrough). The same as
 * `createClient({ token })`; useful where an {@link Authenticator} is expected.
 */
export function staticToken(token: string): Authenticator {
  return {
    token: async () => token,
    secrets: () => [token],
  };
}
