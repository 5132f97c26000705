/**
 * The {@link Authenticator} that the OAuth2 flows share: discovery, the token lifecycle and
 * the secrets, assembled around one flow's grant.
 *
 * @module
 */

import type { Authenticator, TokenRequest } from "./authenticator.js";
import { endpointBaseUrl } from "./discovery.js";
import type { AuthServerOverrides, ServerInfoSource } from "./server-info.js";
import { type TokenFlow, TokenManager } from "./token-manager.js";
import type { TokenStore, TokenStoreKey } from "./token-store.js";

/** Options every OAuth2 authenticator accepts. */
export interface OAuthOptions extends AuthServerOverrides {
  /**
   * Where tokens are kept between calls; default: this process's memory. In Node,
   * `fileTokenStore()` from `flyte-remote/config` keeps them across processes.
   */
  store?: TokenStore | undefined;
  /** Renew this long before the token expires (at most half its lifetime). Default 60 s. */
  refreshMarginMs?: number | undefined;
  /** The clock; for tests. */
  now?: (() => number) | undefined;
}

/** The key a flow's tokens are stored under: the endpoint and the client id in use. */
export function storeKeyOf(server: ServerInfoSource, clientId: string): TokenStoreKey {
  const endpoint = server.boundEndpoint;
  return {
    endpoint: endpoint === undefined ? "" : endpointBaseUrl(endpoint),
    clientId,
  };
}

/** An authenticator around one flow. */
export function oauthAuthenticator(
  server: ServerInfoSource,
  flow: TokenFlow,
  options: OAuthOptions,
  extra: { endpoint?: string | undefined; org?: string | undefined } = {},
): Authenticator {
  const manager = new TokenManager(flow, {
    store: options.store,
    refreshMarginMs: options.refreshMarginMs,
    now: options.now,
  });
  const authenticator: Authenticator = {
    token: (request?: TokenRequest) => manager.token(request),
    secrets: () => manager.secrets(),
    headerName: () => server.headerName(),
    bindEndpoint: (endpoint: string) => server.bindEndpoint(endpoint),
    signOut: () => manager.signOut(),
    ...(extra.endpoint === undefined ? {} : { endpoint: extra.endpoint }),
    ...(extra.org === undefined ? {} : { org: extra.org }),
  };
  if (flow.needsPerson) {
    authenticator.tokenIfSignedIn = async (request?: TokenRequest) => {
      try {
        return await manager.tokenIfSignedIn(request);
      } catch (error) {
        // Discovery that fails here is no reason to fail the call: the server may not use
        // auth at all. If it does, its refusal leads to token(), which reports the failure.
        if (request?.signal?.aborted) throw error;
        return undefined;
      }
    };
  }
  return authenticator;
}
