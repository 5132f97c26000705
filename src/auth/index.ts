/**
 * Authentication for `createClient({ auth })`. Everything here needs only `fetch` and Web
 * Crypto, so it runs in browsers and workers as in Node; the parts that need Node (a
 * browser to open, a loopback listener, a token file, an external command, TLS settings,
 * the config file) are in `flyte-remote/config`.
 */

export { type ApiKeyParts, apiKey, apiKeyFromEnv, decodeApiKey } from "./api-key.js";
export { type AuthFailureCode, authFailureHint } from "./auth-failure.js";
export { type Authenticator, isAuthenticator, type TokenRequest } from "./authenticator.js";
export { type ClientCredentialsOptions, clientCredentials } from "./client-credentials.js";
export type { Credentials } from "./credentials.js";
export { type CustomAuthOptions, customAuth, staticToken } from "./custom-auth.js";
export {
  DEFAULT_DEVICE_POLL_INTERVAL_S,
  type DeviceFlowOptions,
  type DevicePrompt,
  deviceFlow,
  SLOW_DOWN_INCREMENT_S,
} from "./device-flow.js";
export { type AuthServerInfo, type DiscoverOptions, discoverAuth } from "./discovery.js";
export type { FetchFunction } from "./idp-request.js";
export { type JwtClaims, jwtClaims, principalOf } from "./jwt-claims.js";
export type { OAuthOptions } from "./oauth-authenticator.js";
export {
  type AuthorizationReceiver,
  type AuthorizationSession,
  createPkcePair,
  type PkceOptions,
  type PkcePair,
  pkce,
} from "./pkce.js";
export type { AuthServerOverrides } from "./server-info.js";
export { DEFAULT_REFRESH_MARGIN_MS } from "./token-manager.js";
export { memoryTokenStore, type TokenStore, type TokenStoreKey } from "./token-store.js";
