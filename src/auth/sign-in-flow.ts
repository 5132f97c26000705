/**
 * What the flows that sign a person in (PKCE, the device flow) share: tokens kept per
 * endpoint and public client, renewed with the refresh token (RFC 6749 §6) without asking
 * anyone, and a new sign-in only when that fails. A refused refresh token comes back as
 * `InvalidGrant`, whose hint says to sign in again.
 *
 * @module
 */

import type { Credentials } from "./credentials.js";
import { storeKeyOf } from "./oauth-authenticator.js";
import type { ServerInfoSource } from "./server-info.js";
import { requestTokens } from "./token-endpoint.js";
import type { TokenFlow } from "./token-manager.js";

/** The parts of a sign-in flow that differ between PKCE and the device flow. */
export interface SignInFlowParts {
  readonly server: ServerInfoSource;
  /** Whether a person may be asked now (the authenticator's `signIn` option). */
  readonly mayAskPerson: boolean;
  readonly now: () => number;
  /** The secrets of sign-ins in progress (a verifier, a device code). */
  readonly inFlight: ReadonlySet<string>;
  /** One sign-in, from scratch. */
  acquire(): Promise<Credentials>;
}

/** The {@link TokenFlow} of a sign-in flow. */
export function signInFlow(parts: SignInFlowParts): TokenFlow {
  const { server, now } = parts;
  return {
    needsPerson: true,
    mayAskPerson: parts.mayAskPerson,
    secrets: () => [...parts.inFlight],
    storeKey: async () => storeKeyOf(server, (await server.get()).clientId),
    refresh: async (refreshToken, signal) => {
      const info = await server.get(signal);
      return requestTokens({
        server: info,
        fetch: server.fetch,
        form: {
          grant_type: "refresh_token",
          refresh_token: refreshToken,
          client_id: info.clientId,
        },
        secrets: [refreshToken],
        refreshToken,
        signal,
        now,
      });
    },
    acquire: () => parts.acquire(),
  };
}
