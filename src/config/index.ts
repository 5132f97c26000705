/**
 * flyte-remote/config: what connecting to a real cluster needs from Node. The Flyte config
 * file (`createClientFromConfig`, `loadFlyteConfig`), sign-in through a browser
 * (`loopbackReceiver`), tokens kept between processes (`fileTokenStore`), tokens from a
 * command (`externalCommand`), and identity-provider calls that honour a private CA
 * (`createTlsFetch`). Kept out of the root entry, which also runs in browsers.
 *
 * @packageDocumentation
 */

export { type ExternalCommandOptions, externalCommand } from "../auth/node/external-command.js";
export {
  defaultTokenCacheDir,
  type FileTokenStore,
  type FileTokenStoreOptions,
  fileTokenStore,
  type StoredTokens,
} from "../auth/node/file-token-store.js";
export {
  type LoopbackReceiverOptions,
  loopbackReceiver,
} from "../auth/node/loopback-receiver.js";
export { openInBrowser } from "../auth/node/open-browser.js";
export { createTlsFetch } from "../auth/node/tls-fetch.js";
export {
  authFromConfig,
  type ConfigAuthOptions,
  endpointFromConfig,
  tlsFromConfig,
} from "./auth-from-config.js";
export {
  type ClientFromConfigOptions,
  type ClientSettings,
  clientOptionsFromConfig,
  createClientFromConfig,
} from "./client-from-config.js";
export { CONFIG_KEYS, type ConfigKey, envNameOf } from "./config-keys.js";
export { type FindConfigOptions, type FoundConfig, findConfigFile } from "./find-config.js";
export {
  AUTH_TYPES,
  type AuthType,
  type FlyteConfig,
  type LoadConfigOptions,
  loadFlyteConfig,
} from "./read-config.js";
