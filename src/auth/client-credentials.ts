/**
 * The client credentials grant (RFC 6749 §4.4): a service signs in with its own client id
 * and secret, with no person involved. Flyte's `admin.authType: ClientSecret`.
 *
 * @module
 */

import type { Authenticator } from "./authenticator.js";
import { type OAuthOptions, oauthAuthenticator, storeKeyOf } from "./oauth-authenticator.js";
import { ServerInfoSource } from "./server-info.js";
import { requestTokens, scopeParameter } from "./token-endpoint.js";

/** Options of {@link clientCredentials}. */
export interface ClientCredentialsOptions extends OAuthOptions {
  clientId: string;
  clientSecret: string;
}

/**
 * Signs in as a confidential client. The token endpoint, scopes and audience come from the
 * cluster's discovery unless given. There is no refresh token in this grant: a token about to
 * expire is replaced by a new grant. Tokens are not written to a file store by default, as a
 * service can always get a new one.
 */
export function clientCredentials(options: ClientCredentialsOptions): Authenticator {
  return clientCredentialsFor(options, {});
}

/** {@link clientCredentials}, with the endpoint and org an API key carries. */
export function clientCredentialsFor(
  options: ClientCredentialsOptions,
  extra: {
    endpoint?: string | undefined;
    org?: string | undefined;
    secrets?: readonly string[] | undefined;
  },
): Authenticator {
  const server = new ServerInfoSource(options, ["token"]);
  const now = options.now ?? Date.now;
  const client = { clientId: options.clientId, clientSecret: options.clientSecret };
  const fixedSecrets = [options.clientSecret, ...(extra.secrets ?? [])];
  return oauthAuthenticator(
    server,
    {
      needsPerson: false,
      mayAskPerson: false,
      secrets: () => fixedSecrets,
      storeKey: async () => {
        await server.get();
        return storeKeyOf(server, options.clientId);
      },
      acquire: async (signal) => {
        const info = await server.get(signal);
        return requestTokens({
          server: info,
          fetch: server.fetch,
          form: {
            grant_type: "client_credentials",
            scope: scopeParameter(info.scopes),
            audience: info.audience,
          },
          client,
          secrets: fixedSecrets,
          signal,
          now,
        });
      },
    },
    options,
    extra,
  );
}
